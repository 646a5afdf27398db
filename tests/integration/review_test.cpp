// The mentoring review through the real server and the fake GitHub: what a first-timer, a
// newcomer and a regular actually read on their pull request. The conversations are kept in
// tests/golden/samples/ for people to read.
#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "support/files.hpp"
#include "support/golden.hpp"
#include "support/world.hpp"

using namespace testing;
namespace json = boost::json;

namespace {

const std::string& repo = world_repo;

// A file of a pull request as GitHub lists it.
json::object file(const std::string& path, const std::string& patch, int additions, int deletions = 0) {
  return {{"filename", path}, {"status", "modified"}, {"additions", additions}, {"deletions", deletions},
          {"changes", additions + deletions}, {"patch", patch}};
}

// A debug print at line 3 and a TODO at line 4 of the new src/cart.js.
const char* cart_patch =
    "@@ -1,4 +1,7 @@\n"
    " export function total(items) {\n"
    "   const subtotal = sum(items);\n"
    "+  console.log(\"subtotal\", subtotal);\n"
    "+  // TODO: apply the discount codes\n"
    "+  const tax = subtotal * TAX_RATE;\n"
    "   return subtotal;\n"
    " }";

json::array cart_files() { return {file("src/cart.js", cart_patch, 3)}; }

std::string with(const std::string& event_json, const std::function<void(json::object& pr)>& change) {
  auto v = json::parse(event_json);
  change(v.as_object()["pull_request"].as_object());
  return json::serialize(v);
}

std::string without_marker(std::string body) {
  auto at = body.rfind("\n\n<!-- mentorbot:");
  if (at != std::string::npos) body.erase(at);
  return body;
}

std::size_t position(const std::vector<std::string>& requests, const std::string& prefix) {
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].rfind(prefix, 0) == 0) return i;
  }
  return requests.size();
}

// Everything mentorbot said on a pull request, as a person would read it on GitHub.
std::string conversation(const FakeGitHub& g, int number, const std::string& who) {
  std::string out = "<!-- What mentorbot posted on " + who + "'s pull request " + repo + "#" +
                    std::to_string(number) + ", as recorded by the fake GitHub. -->\n";
  for (const auto& labels : g.label_calls(repo, number)) {
    out += "\n**Labels added:**";
    for (const auto& l : labels) out += " `" + l + "`";
    out += "\n";
  }
  for (const auto& c : g.comments(repo, number)) out += "\n## Comment\n\n" + without_marker(c.body) + "\n";
  for (const auto& r : g.reviews(repo, number)) {
    out += "\n## Review (" + std::string(r.at("event").as_string()) + ")\n\n" +
           without_marker(std::string(r.at("body").as_string())) + "\n";
    for (const auto& c : r.at("comments").as_array()) {
      out += "\n### On `" + std::string(c.at("path").as_string()) + "`, line " + std::to_string(c.at("line").as_int64()) +
             "\n\n" + std::string(c.at("body").as_string()) + "\n";
    }
  }
  return out;
}

}  // namespace

TEST_CASE("a first-timer's pull request with a debug print and a TODO: one welcome, one review, the label",
          "[review][github]") {
  World w;
  w.github.set_pr_files(repo, 2, cart_files());
  RunningBot bot(w.env());
  REQUIRE(bot.send("pull_request", "ft-1", w.first_timer_pr()).status == 202);
  REQUIRE(eventually([&] { return w.github.reviews(repo, 2).size() == 1 && w.github.label_calls(repo, 2).size() == 1; }));
  REQUIRE(bot.wait_until_idle());

  auto comments = w.github.comments(repo, 2);
  REQUIRE(comments.size() == 1);
  CHECK_THAT(comments[0].body, Catch::StartsWith("Thanks for sharing this, @Codertocat! This is your first pull request "
                                                 "to Codertocat/Hello-World"));
  CHECK_THAT(comments[0].body, Catch::Contains("It's a focused change to `src/cart.js`"));

  auto review = w.github.reviews(repo, 2).at(0);
  CHECK(review.at("event") == "COMMENT");
  CHECK(review.at("commit_id") == json::value(w.head));
  const auto& inline_comments = review.at("comments").as_array();
  REQUIRE(inline_comments.size() == 2);
  CHECK(json::serialize(inline_comments[0].at("path")) == "\"src/cart.js\"");
  CHECK(inline_comments[0].at("line") == 3);  // the console.log
  CHECK(inline_comments[0].at("side") == "RIGHT");
  CHECK_THAT(std::string(inline_comments[0].at("body").as_string()), Catch::Contains("`console.log(`"));
  CHECK(inline_comments[1].at("line") == 4);  // the TODO
  CHECK_THAT(std::string(inline_comments[1].at("body").as_string()), Catch::Contains("`// TODO`"));
  CHECK_FALSE(inline_comments[0].as_object().contains("rule"));  // only what GitHub knows goes out
  auto summary = std::string(review.at("body").as_string());
  CHECK_THAT(summary, Catch::Contains("One question for you, if you have a moment. What were you looking for"));
  CHECK_THAT(summary, Catch::EndsWith("<!-- mentorbot:review:Codertocat/Hello-World#2 -->"));

  CHECK(w.github.label_calls(repo, 2) == std::vector<std::vector<std::string>>{{"first-time contributor"}});
  auto labels = w.github.repo_labels(repo);
  REQUIRE(labels.size() == 1);
  CHECK(labels[0].at("color") == "7057ff");
  // The welcome comes first, then the label, then the review.
  auto requests = w.github.requests();
  CHECK(position(requests, "POST /repos/" + repo + "/issues/2/comments") <
        position(requests, "POST /repos/" + repo + "/issues/2/labels"));
  CHECK(position(requests, "POST /repos/" + repo + "/issues/2/labels") <
        position(requests, "POST /repos/" + repo + "/pulls/2/reviews"));

  check_golden("samples/first-timer.md", conversation(w.github, 2, "a first-timer"));
  // What opening it planned, each write once and sent: what follows adds nothing to it.
  const std::vector<std::string> first_timer_writes{"welcome:Codertocat/Hello-World#2 sent",
                                                    "label:Codertocat/Hello-World#2:first-time sent",
                                                    "review:Codertocat/Hello-World#2 sent"};

  SECTION("a redelivery and a second delivery of the same event repeat nothing") {
    CHECK(bot.send("pull_request", "ft-1", w.first_timer_pr()).status == 200);
    CHECK(bot.send("pull_request", "ft-1-again", w.first_timer_pr()).status == 202);
    REQUIRE(bot.wait_until_idle());
    CHECK(bot.outbox_on(repo, 2) == first_timer_writes);
    CHECK(w.github.comments(repo, 2).size() == 1);
    CHECK(w.github.reviews(repo, 2).size() == 1);
    CHECK(w.github.review_comments(repo, 2).empty());
    CHECK(w.github.label_calls(repo, 2).size() == 1);
  }

  SECTION("new commits edit the summary, and never repeat a comment on a line") {
    // Another debug print: the budget of two is spent, and the first one is not said again.
    Person author{"Codertocat", "21031067+Codertocat@users.noreply.github.com"};
    auto second = w.git.commit(author, "Log the tax too", "cart.js");
    w.git.pull_ref(2, second);
    std::string more = std::string(cart_patch) + "\n+console.log(\"tax\", tax);";
    more.replace(more.find("+1,7"), 4, "+1,8");
    w.github.set_pr_files(repo, 2, {file("src/cart.js", more, 4)});
    REQUIRE(bot.send("pull_request", "ft-sync-1", w.pr_event("synchronize", 2, second)).status == 202);
    REQUIRE(bot.wait_until_idle());
    CHECK(bot.outbox_on(repo, 2) == first_timer_writes);
    CHECK(w.github.reviews(repo, 2).size() == 1);
    CHECK(w.github.review_comments(repo, 2).empty());

    // Everything addressed: the one review's summary says so; still one review, one welcome.
    auto third = w.git.commit(author, "Remove the debugging", "cart.js");
    w.git.pull_ref(2, third);
    w.github.set_pr_files(repo, 2, {file("src/cart.js", "@@ -1,4 +1,5 @@\n export function total(items) {\n"
                                                   "   const subtotal = sum(items);\n+  const tax = subtotal * TAX_RATE;\n"
                                                   "   return subtotal;\n }", 1)});
    REQUIRE(bot.send("pull_request", "ft-sync-2", w.pr_event("synchronize", 2, third)).status == 202);
    REQUIRE(eventually([&] {
      auto reviews = w.github.reviews(repo, 2);
      return reviews.size() == 1 &&
             std::string(reviews[0].at("body").as_string()).rfind("Thanks for the update, @Codertocat!", 0) == 0;
    }));
    REQUIRE(bot.wait_until_idle());
    CHECK_THAT(std::string(w.github.reviews(repo, 2)[0].at("body").as_string()),
               Catch::EndsWith("<!-- mentorbot:review:Codertocat/Hello-World#2 -->"));
    CHECK(w.github.review_comments(repo, 2).empty());
    CHECK(w.github.comments(repo, 2).size() == 1);
  }
}

TEST_CASE("an owner's pull request with the same diff: no welcome, no beginner suggestions", "[review][github]") {
  World w;
  w.github.set_pr_files(repo, 10, cart_files());
  auto secret_patch = std::string("@@ -1,2 +1,3 @@\n module.exports = {\n+  awsKeyId: \"AKIA") + "Z3MHQW7XKD4PLR2N\",\n   region: \"eu-west-1\",";
  w.github.set_pr_files(repo, 11, {file("src/cart.js", cart_patch, 3), file("config/aws.js", secret_patch, 1)});
  RunningBot bot(w.env());
  auto owner = [&](int number) {
    return with(w.pr_event("opened", number, w.head), [](json::object& pr) { pr["author_association"] = "OWNER"; });
  };
  REQUIRE(bot.send("pull_request", "owner-10", owner(10)).status == 202);
  REQUIRE(bot.send("pull_request", "owner-11", owner(11)).status == 202);
  REQUIRE(eventually([&] { return w.github.reviews(repo, 11).size() == 1; }));
  REQUIRE(bot.wait_until_idle());
  CHECK(bot.outbox_on(repo, 10).empty());
  CHECK(bot.outbox_on(repo, 11) == std::vector<std::string>{"review:Codertocat/Hello-World#11 sent"});
  CHECK(w.github.comments(repo, 10).empty());
  CHECK(w.github.reviews(repo, 10).empty());
  CHECK(w.github.label_calls(repo, 10).empty());
  // A secret-looking string is for everyone: that one note, and nothing for beginners.
  CHECK(w.github.comments(repo, 11).empty());
  auto review = w.github.reviews(repo, 11).at(0);
  const auto& inline_comments = review.at("comments").as_array();
  REQUIRE(inline_comments.size() == 1);
  CHECK(inline_comments[0].at("path") == "config/aws.js");
  CHECK(inline_comments[0].at("line") == 2);
  auto summary = std::string(review.at("body").as_string());
  CHECK_THAT(summary, Catch::StartsWith("An automated check found something worth a second look."));
  CHECK(summary.find("question") == std::string::npos);
  check_golden("samples/regular.md", conversation(w.github, 11, "a regular"));
}

TEST_CASE("a newcomer is welcomed back and gets the same gentle review", "[review][github]") {
  World w;
  // nina-dev has one commit on main already, under GitHub's noreply address.
  Person nina{"Nina Developer", "555+nina-dev@users.noreply.github.com"};
  w.git.git("checkout -q main");
  w.git.commit(nina, "Fix a broken link in the README", "README.md", "See https://example.org/docs.\n");
  w.git.push("main");
  w.git.checkout("tax-rounding", "main");
  auto head = w.git.commit(nina, "Round the tax", "cart.js");
  w.git.pull_ref(11, head);
  auto nina_pr = with(w.pr_event("opened", 11, head), [](json::object& pr) {
    pr["author_association"] = "CONTRIBUTOR";
    pr["user"].as_object()["login"] = "nina-dev";
    pr["user"].as_object()["id"] = 555;
    pr["title"] = "Round the tax to cents";
    pr["body"] = "";
  });
  w.github.set_pr_files(repo, 11, cart_files());
  RunningBot bot(w.env());
  REQUIRE(bot.send("pull_request", "nina-1", nina_pr).status == 202);
  REQUIRE(eventually([&] { return w.github.reviews(repo, 11).size() == 1; }));
  REQUIRE(bot.wait_until_idle());
  auto comments = w.github.comments(repo, 11);
  REQUIRE(comments.size() == 1);
  CHECK_THAT(comments[0].body, Catch::StartsWith("Thanks for sharing this, @nina-dev! It's good to see you back"));
  CHECK(w.github.label_calls(repo, 11).empty());  // the label is for first-time contributors
  auto review = w.github.reviews(repo, 11).at(0);
  // No description, a debug print, a TODO: the two most useful, one of them the description.
  auto summary = std::string(review.at("body").as_string());
  CHECK_THAT(summary, Catch::Contains("The description is empty"));
  CHECK(review.at("comments").as_array().size() == 1);
  check_golden("samples/newcomer.md", conversation(w.github, 11, "a newcomer"));
}

TEST_CASE("a pull request title with @org/team and <b> is reposted harmlessly", "[review][github]") {
  World w;
  RunningBot bot(w.env());
  auto hostile = with(w.first_timer_pr(12), [](json::object& pr) {
    pr["title"] = "@octo-org/security-team <b>please</b> look [here](https://evil.example)";
  });
  REQUIRE(bot.send("pull_request", "hostile-1", hostile).status == 202);
  REQUIRE(eventually([&] { return w.github.comments(repo, 12).size() == 1; }));
  auto body = w.github.comments(repo, 12)[0].body;
  CHECK(body.find("@octo-org/security-team") == std::string::npos);
  CHECK(body.find("@\u200Docto-org/security-team") != std::string::npos);
  CHECK(body.find("<b>") == std::string::npos);
  CHECK(body.find("&lt;b&gt;please&lt;/b&gt;") != std::string::npos);
  CHECK(body.find("](https://evil.example)") == std::string::npos);
}

TEST_CASE("a repository's config changes the tone, and a push that changes it is read again", "[review][github]") {
  World w;
  w.github.set_content(repo, ".github/mentorbot.yml", "tone: concise\n");
  RunningBot bot(w.env());
  REQUIRE(bot.send("pull_request", "cfg-1", w.first_timer_pr(2)).status == 202);
  REQUIRE(eventually([&] { return w.github.comments(repo, 2).size() == 1; }));
  CHECK_THAT(w.github.comments(repo, 2)[0].body, Catch::StartsWith("Thanks for the pull request, @Codertocat!"));

  // Cached: a changed file is not read until a push says it changed.
  w.github.set_content(repo, ".github/mentorbot.yml", "tone: playful\n");
  auto push = json::parse(fixture("push/push.json"));
  push.as_object()["ref"] = "refs/heads/main";
  push.as_object()["repository"].as_object()["default_branch"] = "main";
  push.as_object()["repository"].as_object()["clone_url"] = w.git.url();
  push.as_object()["commits"] = json::array{json::object{{"id", "abc"}, {"added", json::array{}},
                                                          {"removed", json::array{}},
                                                          {"modified", json::array{".github/mentorbot.yml"}}}};
  REQUIRE(bot.send("push", "cfg-push", json::serialize(push)).status == 202);
  REQUIRE(bot.wait_until_idle());
  REQUIRE(bot.send("pull_request", "cfg-2", w.first_timer_pr(10)).status == 202);
  REQUIRE(eventually([&] { return w.github.comments(repo, 10).size() == 1; }));
  CHECK_THAT(w.github.comments(repo, 10)[0].body, Catch::StartsWith("🎉 Thanks for sharing this"));

  // A broken config: the defaults (warm), one clear warning, and the welcome still goes out.
  w.github.set_content(repo, ".github/mentorbot.yml", "tone: playful\nwelcome: [oops\n");
  REQUIRE(bot.send("push", "cfg-push-2", json::serialize(push)).status == 202);
  REQUIRE(bot.wait_until_idle());
  REQUIRE(bot.send("pull_request", "cfg-3", w.first_timer_pr(11)).status == 202);
  REQUIRE(eventually([&] { return w.github.comments(repo, 11).size() == 1; }));
  CHECK_THAT(w.github.comments(repo, 11)[0].body, Catch::StartsWith("Thanks for sharing this, @Codertocat!"));
  CHECK_THAT(bot.log(), Catch::Contains("the mentorbot config of Codertocat/Hello-World is broken, so the defaults apply: "
                                        "Codertocat/Hello-World:.github/mentorbot.yml:2:10: not valid YAML: this [ is never closed with ]"));
}

TEST_CASE("installing the App makes the configured labels exist, with their colour, in every repository",
          "[review][github]") {
  World w;
  w.github.add_repo_label("Codertocat/Hello-World", "first-time contributor", "ededed", "");
  RunningBot bot(w.env());
  REQUIRE(bot.send("installation", "inst-1", fixture("installation/created.json")).status == 202);
  REQUIRE(bot.send("installation_repositories", "inst-2", fixture("installation_repositories/added.json")).status == 202);
  REQUIRE(eventually([&] { return w.github.repo_labels("Codertocat/Space").size() == 2; }));
  REQUIRE(bot.wait_until_idle());
  REQUIRE(eventually([&] {
    auto labels = w.github.repo_labels("Codertocat/Hello-World");
    return labels.size() == 2 && labels[0].at("color") == "7057ff";
  }));
  for (const auto* r : {"Codertocat/Hello-World", "Codertocat/Space"}) {
    auto labels = w.github.repo_labels(r);
    REQUIRE(labels.size() == 2);
    CHECK(labels[0].at("name") == "first-time contributor");
    CHECK(labels[0].at("color") == "7057ff");
    CHECK(labels[0].at("description") == "Their first pull request to this repository");
    CHECK(labels[1].at("name") == "needs-review");
    CHECK(labels[1].at("color") == "fbca04");
  }
}
