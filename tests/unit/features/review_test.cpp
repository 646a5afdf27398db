// The mentoring review's decisions: one review with its inline comments, a summary edited (never
// a second review) on new commits, no comment repeated on a line, the budget for newcomers, only
// `everyone` findings for others, and no review when there is nothing to say.
#include <catch2/catch.hpp>

#include "support/fixed_ports.hpp"

#include <boost/json/parse.hpp>

#include "features/review/review.hpp"
#include "render/templates.hpp"

using namespace mentorbot;
using namespace mentorbot::features::review;
using store::outbox::Write;

namespace {

const render::Templates& templates() { return testing::source_templates(); }

const Words words = [](const std::string& name, const render::Data& data) {
  return templates().render("warm", name, data);
};

features::PullRequest pr() {
  features::PullRequest p;
  p.installation = 9;
  p.repo = "octo-org/shop";
  p.number = 12;
  p.author = "nina-dev";
  p.head_sha = "a1b2c3";
  return p;
}

Finding finding(const std::string& rule, const std::string& path, int line, int priority,
                Audience audience = Audience::newcomer, const std::string& question = "") {
  Finding f;
  f.rule = rule;
  f.path = path;
  f.line = line;
  f.priority = priority;
  f.audience = audience;
  f.message = "About " + rule + ".";
  f.question = question;
  return f;
}

const std::vector<Finding> findings = {
    finding("debug-print", "src/cart.js", 13, 80, Audience::newcomer, "What were you looking for?"),
    finding("debug-print", "src/cart.js", 16, 80),
    finding("todo", "src/cart.js", 14, 60, Audience::newcomer, "What would it take to finish it?"),
    finding("trailing-whitespace", "src/cart.js", 15, 10),
    finding("secrets", "src/config.js", 3, 100, Audience::everyone),
};

json::value payload(const Write& w) { return json::parse(w.payload); }

// What the outbox would hold after `writes` were planned.
std::vector<store::outbox::Row> rows(const std::vector<Write>& writes) {
  std::vector<store::outbox::Row> out;
  for (const auto& w : writes) {
    store::outbox::Row r;
    r.key = w.key;
    r.kind = w.kind;
    r.payload = w.payload;
    out.push_back(r);
  }
  return out;
}

}  // namespace

TEST_CASE("review: a newcomer gets one review with at most max_suggestions inline comments and a question",
          "[review]") {
  RepoConfig config;  // max_suggestions 2
  std::vector<Finding> mine(findings.begin(), findings.begin() + 4);
  auto writes = decide(pr(), true, config, mine, {}, words);
  REQUIRE(writes.size() == 1);
  CHECK(writes[0].key == "review:octo-org/shop#12");
  CHECK(writes[0].kind == "review");
  CHECK(writes[0].installation_id == 9);
  auto p = payload(writes[0]);
  CHECK(json_string(p, {"commit_id"}) == "a1b2c3");
  const auto& comments = p.at("comments").as_array();
  REQUIRE(comments.size() == 2);
  // The most useful first, one per rule.
  CHECK(json_string(comments[0], {"path"}) == "src/cart.js");
  CHECK(json_int(comments[0], {"line"}) == 13);
  CHECK(json_string(comments[0], {"side"}) == "RIGHT");
  CHECK(json_string(comments[0], {"rule"}) == "debug-print");
  CHECK(json_int(comments[1], {"line"}) == 14);
  CHECK(json_string(comments[1], {"body"}) == "About todo.");
  auto body = json_string(p, {"body"}).value_or("");
  CHECK_THAT(body, Catch::Contains("@nina-dev"));
  CHECK_THAT(body, Catch::Contains("You'll find 2 notes beside the lines they're about."));
  CHECK_THAT(body, Catch::Contains("One question for you, if you have a moment. What were you looking for?"));
}

TEST_CASE("review: someone who is not new sees only what matters to everyone, with no question", "[review]") {
  auto writes = decide(pr(), false, RepoConfig{}, findings, {}, words);
  REQUIRE(writes.size() == 1);
  auto p = payload(writes[0]);
  const auto& comments = p.at("comments").as_array();
  REQUIRE(comments.size() == 1);
  CHECK(json_string(comments[0], {"rule"}) == "secrets");
  auto body = json_string(p, {"body"}).value_or("");
  CHECK_THAT(body, Catch::StartsWith("An automated check found something worth a second look."));
  CHECK(body.find("question") == std::string::npos);
  // Nothing for everyone: no review at all.
  std::vector<Finding> beginner_only(findings.begin(), findings.begin() + 4);
  CHECK(decide(pr(), false, RepoConfig{}, beginner_only, {}, words).empty());
  CHECK(decide(pr(), true, RepoConfig{}, {}, {}, words).empty());
}

TEST_CASE("review: new commits edit the summary and never repeat a comment", "[review]") {
  RepoConfig config;
  config.max_suggestions = 3;
  std::vector<Finding> first = {findings[0]};
  auto opened = decide(pr(), true, config, first, {}, words);
  REQUIRE(opened.size() == 1);
  auto before = previous_from(rows(opened));
  CHECK(before.reviewed);
  CHECK(before.inline_count == 1);
  CHECK(before.commented.count({"src/cart.js", 13, "debug-print"}) == 1);

  // The same diff again (a redelivery under another id, or an empty push): nothing.
  CHECK(decide(pr(), true, config, first, before, words).empty());

  // A new commit adds a TODO, and another debug print: only the TODO is new advice.
  auto next = pr();
  next.head_sha = "d4e5f6";
  std::vector<Finding> now = {findings[0], findings[1], findings[2]};
  auto updated = decide(next, true, config, now, before, words);
  REQUIRE(updated.size() == 2);
  CHECK(updated[0].kind == "review_comment");
  CHECK(updated[0].key.starts_with("review-comment:octo-org/shop#12:todo:14:"));
  CHECK(json_string(payload(updated[0]), {"commit_id"}) == "d4e5f6");
  CHECK(json_int(payload(updated[0]), {"line"}) == 14);
  CHECK(updated[1].kind == "review_edit");
  CHECK(updated[1].key == "review-edit:octo-org/shop#12@d4e5f6");
  CHECK(json_string(payload(updated[1]), {"of"}) == "review:octo-org/shop#12");
  CHECK_THAT(json_string(payload(updated[1]), {"body"}).value_or(""), Catch::Contains("2 notes"));

  // Everything fixed: the summary says so, and nothing new is posted inline.
  auto all = rows(opened);
  for (auto& r : rows(updated)) all.push_back(r);
  auto after = previous_from(all);
  CHECK(after.inline_count == 2);
  auto clean = pr();
  clean.head_sha = "0789ab";
  auto cleared = decide(clean, true, config, {}, after, words);
  REQUIRE(cleared.size() == 1);
  CHECK(cleared[0].kind == "review_edit");
  CHECK_THAT(json_string(payload(cleared[0]), {"body"}).value_or(""),
             Catch::StartsWith("Thanks for the update, @nina-dev! The automated suggestions from before look addressed"));
}

TEST_CASE("review: the newcomer's budget counts what was said before", "[review]") {
  RepoConfig config;  // 2
  auto opened = decide(pr(), true, config, {findings[0], findings[2]}, {}, words);
  auto before = previous_from(rows(opened));
  CHECK(before.inline_count == 2);
  auto next = pr();
  next.head_sha = "ffff";
  auto writes = decide(next, true, config, {findings[0], findings[2], findings[3]}, before, words);
  // Two suggestions were made: the third finding goes unsaid, and the summary has nothing new.
  CHECK(writes.empty());
}

TEST_CASE("review: a repository's own rules replace built-in ones of the same id, disabled ones are gone",
          "[review]") {
  std::vector<YamlProblem> problems;
  auto built_in = parse_rules(std::string(R"(
- {id: todo, summary: t, suggestion: built-in, when: {added_line: TODO}}
- {id: large-pr, summary: l, suggestion: big, when: {pr: changed_lines_over, lines: 10}}
- {id: long-line, summary: l, suggestion: long, when: {added_line: '.{100}'}}
)"),
                              "built-in", problems);
  REQUIRE(problems.empty());
  RepoConfig config;
  config.extra_rules = parse_rules(std::string("- {id: todo, summary: t, suggestion: ours, when: {added_line: TODO}}"),
                                   "review.rules", problems);
  config.disabled_rules = {"large-pr"};
  REQUIRE(problems.empty());
  auto rules = rules_for(&built_in, config);
  REQUIRE(rules.size() == 2);
  CHECK(rules[0].id == "long-line");
  CHECK(rules[1].id == "todo");
  CHECK(rules[1].suggestion == "ours");
}

TEST_CASE("review: which events are reviewed", "[review]") {
  auto event = [](const std::string& action, bool draft, const std::string& state) {
    json::object pr{{"number", 1}, {"draft", draft}, {"state", state}};
    json::object p{{"action", action}, {"pull_request", pr}};
    github::Event e;
    e.name = "pull_request";
    e.action = action;
    e.payload = p;
    return e;
  };
  CHECK(wants_review(event("opened", false, "open")));
  CHECK(wants_review(event("synchronize", false, "open")));
  CHECK(wants_review(event("ready_for_review", false, "open")));
  CHECK_FALSE(wants_review(event("opened", true, "open")));
  CHECK_FALSE(wants_review(event("synchronize", false, "closed")));
  CHECK_FALSE(wants_review(event("edited", false, "open")));
}
