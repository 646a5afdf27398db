// The words preview through the real server and the fake GitHub: a pull request that changes
// mentorbot's files gets one comment showing the new words, edited on each push (a problem at its
// line, then "valid again"), never posted twice; one that changes nothing gets none. And the
// template files and the org's tone set, once on the default branch, are the words newcomers read.
#include <catch2/catch.hpp>

#include <filesystem>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "support/bot_process.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"
#include "support/world.hpp"

using namespace testing;
namespace json = boost::json;

namespace {

const std::string& repo = world_repo;

json::object file(const std::string& path, const std::string& status = "modified") {
  return {{"filename", path}, {"status", status}, {"additions", 1}, {"deletions", 1}, {"changes", 2}, {"patch", "@@ -1 +1 @@\n-a\n+b"}};
}

std::vector<Comment> previews(const FakeGitHub& g, int number) {
  std::vector<Comment> out;
  for (const auto& c : g.comments(repo, number)) {
    if (c.body.find("How mentorbot will speak") != std::string::npos) out.push_back(c);
  }
  return out;
}

// The preview as `mentorbot render --repo-dir` prints it: links become their text, the marker
// and the comparison with the default branch (which needs GitHub) go.
std::string offline(std::string body) {
  body.erase(body.rfind("\n\n<!-- mentorbot:"));
  if (auto at = body.find("<details><summary>What changes against"); at != std::string::npos) {
    body.erase(at, body.find("</details>\n", at) + 11 - at);
  }
  for (auto open = body.find("[`"); open != std::string::npos; open = body.find("[`", open)) {
    auto close = body.find("](https://", open);
    auto end = body.find(')', close);
    body = body.substr(0, open) + body.substr(open + 1, close - open - 1) + body.substr(end + 1);
  }
  return body;
}

}  // namespace

TEST_CASE("preview: a pull request changing the tone gets one comment, edited on each push", "[preview][github]") {
  World w;
  w.github.set_content(repo, ".github/mentorbot.yml", "tone: warm\n");
  w.github.set_pr_files(repo, 2, {file(".github/mentorbot.yml")});
  w.github.set_content_at(repo, w.head, ".github/mentorbot.yml", "tone: concise\n");
  RunningBot bot(w.env());
  REQUIRE(bot.send("pull_request", "pv-1", w.first_timer_pr()).status == 202);
  REQUIRE(eventually([&] { return previews(w.github, 2).size() == 1; }));
  REQUIRE(bot.wait_until_idle());
  auto first = previews(w.github, 2).at(0);
  CHECK_THAT(first.body, Catch::Contains("The files are valid (tone `concise`)."));
  CHECK_THAT(first.body, Catch::Contains("What were you aiming for with"));  // concise's welcome
  CHECK_THAT(first.body, Catch::Contains("What changes against `main`"));
  CHECK_THAT(first.body, Catch::Contains("-Thanks for sharing this, @octocat!"));  // warm's, in the diff
  CHECK_THAT(first.body, Catch::Contains("@\u200doctocat"));  // no one is pinged
  CHECK_THAT(first.body, Catch::EndsWith("<!-- mentorbot:preview:Codertocat/Hello-World#2 -->"));
  // The files were read at the pull request's head.
  auto reads = w.github.reads_at_refs();
  CHECK(std::find(reads.begin(), reads.end(), repo + "@" + w.head + ":.github/mentorbot.yml") != reads.end());
  for (const auto& r : reads) CHECK(r.starts_with(repo + "@"));  // the org's files: from its default branch

  // A push that breaks the YAML: the same comment now shows the problem at its line.
  Person author{"Codertocat", "21031067+Codertocat@users.noreply.github.com"};
  auto broken = w.git.commit(author, "Lower the threshold", "cart.js");
  w.git.pull_ref(2, broken);
  w.github.set_content_at(repo, broken, ".github/mentorbot.yml", "tone: concise\nreview: { max_suggestions: 1\n");
  REQUIRE(bot.send("pull_request", "pv-2", w.pr_event("synchronize", 2, broken)).status == 202);
  REQUIRE(eventually([&] {
    auto p = previews(w.github, 2);
    return p.size() == 1 && p[0].body.find("**1 problem**") != std::string::npos;
  }));
  auto second = previews(w.github, 2).at(0);
  CHECK(second.id == first.id);
  CHECK_THAT(second.body, Catch::Contains("[`.github/mentorbot.yml` line 2](https://github.com/" + repo + "/blob/" + broken +
                                          "/.github/mentorbot.yml#L2): not valid YAML: this { is never closed with }"));
  // The same files checked out: the command line shows what the comment shows.
  TempDir checkout;
  std::filesystem::create_directories(checkout.path() / ".github");
  write_file(checkout / ".github/mentorbot.yml", "tone: concise\nreview: { max_suggestions: 1\n");
  auto rendered = run_mentorbot({"render", "--repo-dir", checkout.path().string()}, {});
  CHECK(rendered.exit_code == 1);
  CHECK(rendered.out == offline(second.body) + "\n");
  auto checked = run_mentorbot({"check-config", "--repo-dir", checkout.path().string()}, {});
  CHECK(checked.exit_code == 1);
  CHECK(checked.out == checkout / ".github/mentorbot.yml" +
                           ":2:9: not valid YAML: this { is never closed with }\n"
                           "1 problem(s); until they are fixed mentorbot uses its defaults for this repository\n");

  // A push that fixes it: edited again, and it says so.
  auto fixed = w.git.commit(author, "Spell it right", "cart.js");
  w.git.pull_ref(2, fixed);
  w.github.set_content_at(repo, fixed, ".github/mentorbot.yml", "tone: concise\nreview: { max_suggestions: 1 }\n");
  REQUIRE(bot.send("pull_request", "pv-3", w.pr_event("synchronize", 2, fixed)).status == 202);
  REQUIRE(eventually([&] {
    auto p = previews(w.github, 2);
    return p.size() == 1 && p[0].body.find("valid again") != std::string::npos;
  }));
  REQUIRE(bot.wait_until_idle());
  auto third = previews(w.github, 2).at(0);
  CHECK(third.id == first.id);
  CHECK(third.body.find("problem**") == std::string::npos);

  // A redelivery, and the same push delivered again: nothing more.
  auto before = w.github.requests().size();
  CHECK(bot.send("pull_request", "pv-3", w.pr_event("synchronize", 2, fixed)).status == 200);
  CHECK(bot.send("pull_request", "pv-3-again", w.pr_event("synchronize", 2, fixed)).status == 202);
  REQUIRE(bot.wait_until_idle());
  CHECK(previews(w.github, 2).size() == 1);
  CHECK(previews(w.github, 2).at(0).body == third.body);
  auto after = w.github.requests();
  CHECK(std::none_of(after.begin() + static_cast<std::ptrdiff_t>(before), after.end(), [](const std::string& r) {
    return r.starts_with("PATCH") || r.starts_with("POST /repos/Codertocat/Hello-World/issues/2/comments");
  }));
  auto outbox = bot.outbox_on(repo, 2);
  CHECK(std::count_if(outbox.begin(), outbox.end(), [](const std::string& r) { return r.starts_with("preview"); }) == 3);
}

TEST_CASE("preview: a pull request that touches no config gets none", "[preview][github]") {
  World w;
  w.github.set_pr_files(repo, 2, {file("src/cart.js"), file(".github/workflows/ci.yml")});
  RunningBot bot(w.env());
  REQUIRE(bot.send("pull_request", "np-1", w.first_timer_pr()).status == 202);
  REQUIRE(eventually([&] { return !w.github.comments(repo, 2).empty(); }));  // the welcome
  REQUIRE(bot.wait_until_idle());
  CHECK(previews(w.github, 2).empty());
  CHECK(w.github.reads_at_refs().empty());
}

TEST_CASE("preview: template files under .github/mentorbot/ and the org's tone set are the words newcomers read",
          "[preview][github]") {
  World w;
  const std::string org = "Codertocat/.github";
  w.github.set_content(org, ".github/mentorbot/tones/sunny/welcome.md",
                       "Thanks from the sunny set, @{{author}}! What made you pick this?");
  w.github.set_content(org, ".github/mentorbot/tones/sunny/coin_first.md", "A sunny coin for you, @{{author}}.");
  w.github.set_content(repo, ".github/mentorbot.yml", "tone: sunny\n");

  SECTION("the tone set's welcome") {
    RunningBot bot(w.env());
    REQUIRE(bot.send("pull_request", "ts-1", w.first_timer_pr()).status == 202);
    REQUIRE(eventually([&] { return !w.github.comments(repo, 2).empty(); }));
    REQUIRE(bot.wait_until_idle());
    CHECK_THAT(w.github.comments(repo, 2).at(0).body,
               Catch::StartsWith("Thanks from the sunny set, @Codertocat! What made you pick this?"));
  }
  SECTION("the repository's own file wins over the set") {
    w.github.set_content(repo, ".github/mentorbot/welcome.md", "Thanks from Hello-World's file, @{{author}}! What's next?");
    RunningBot bot(w.env());
    REQUIRE(bot.send("pull_request", "ts-2", w.first_timer_pr()).status == 202);
    REQUIRE(eventually([&] { return !w.github.comments(repo, 2).empty(); }));
    REQUIRE(bot.wait_until_idle());
    CHECK_THAT(w.github.comments(repo, 2).at(0).body,
               Catch::StartsWith("Thanks from Hello-World's file, @Codertocat! What's next?"));
  }
  SECTION("a pull request adding a file previews it, with its doubts") {
    w.github.set_pr_files(repo, 2, {file(".github/mentorbot/welcome.md", "added")});
    w.github.set_content_at(repo, w.head, ".github/mentorbot/welcome.md", "Hi @{{author}}, this is just a start.\n");
    RunningBot bot(w.env());
    REQUIRE(bot.send("pull_request", "ts-3", w.first_timer_pr()).status == 202);
    REQUIRE(eventually([&] { return previews(w.github, 2).size() == 1; }));
    REQUIRE(bot.wait_until_idle());
    auto body = previews(w.github, 2).at(0).body;
    CHECK_THAT(body, Catch::Contains("Hi @\u200doctocat, this is just a start."));
    CHECK_THAT(body, Catch::Contains("[`.github/mentorbot/welcome.md` line 1](https://github.com/" + repo + "/blob/" +
                                     w.head + "/.github/mentorbot/welcome.md#L1): \"just\" can make a newcomer feel slow"));
    CHECK_THAT(body, Catch::Contains("no thanks"));
    TempDir checkout;
    std::filesystem::create_directories(checkout.path() / ".github/mentorbot");
    write_file(checkout / ".github/mentorbot.yml", "tone: sunny\n");
    write_file(checkout / ".github/mentorbot/welcome.md", "Hi @{{author}}, this is just a start.\n");
    TempDir org_checkout;
    std::filesystem::create_directories(org_checkout.path() / ".github/mentorbot/tones/sunny");
    write_file(org_checkout / ".github/mentorbot/tones/sunny/welcome.md", "Thanks from the sunny set, @{{author}}! What made you pick this?");
    write_file(org_checkout / ".github/mentorbot/tones/sunny/coin_first.md", "A sunny coin for you, @{{author}}.");
    auto rendered = run_mentorbot({"render", "--repo-dir", checkout.path().string(), "--org-dir", org_checkout.path().string()}, {});
    CHECK(rendered.exit_code == 0);
    CHECK(rendered.out == offline(body) + "\n");
    // The newcomer's own welcome still comes from the default branch: the set's.
    CHECK_THAT(w.github.comments(repo, 2).at(0).body, Catch::StartsWith("Thanks from the sunny set"));
  }
}
