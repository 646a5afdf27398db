// The mentoring review's decisions: one review with its inline comments, a summary edited (never
// a second review) on new commits, no comment repeated on a line, the budget for newcomers, only
// `everyone` findings for others, and no review when there is nothing to say.
#include <catch2/catch.hpp>

#include "support/fixed_ports.hpp"

#include "features/review/review.hpp"
#include "render/templates.hpp"

using namespace mentorbot;
using namespace mentorbot::features::review;
using store::outbox::Write;
namespace outbox = store::outbox;

namespace {

// The warm words (made on first use: the templates cannot load before main()).
const features::Words& words() {
  static const features::Words w(&testing::source_templates(), "warm", {});
  return w;
}

github::PullRequestEvent event(const std::string& head = "a1b2c3", const std::string& action = "opened") {
  github::PullRequestEvent e;
  e.action = action;
  e.installation = 9;
  e.repository.full_name = "octo-org/shop";
  e.repository.html_url = "https://github.com/octo-org/shop";
  e.pull_request.number = 12;
  e.pull_request.author.login = "nina-dev";
  e.pull_request.head_sha = head;
  return e;
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

std::vector<Write> decide(const github::PullRequestEvent& e, bool newcomer, const std::vector<Finding>& found,
                          const Previous& previous = {}, Settings settings = {}) {
  return features::review::decide(e, settings, {newcomer, found, previous}, words());
}

// What the outbox would hold after `writes` were planned.
std::vector<outbox::Row> rows(const std::vector<Write>& writes) {
  std::vector<outbox::Row> out;
  for (const auto& w : writes) {
    outbox::Row r;
    r.write = w;
    out.push_back(r);
  }
  return out;
}

}  // namespace

TEST_CASE("review: a newcomer gets one review with at most max_suggestions inline comments and a question",
          "[review]") {
  std::vector<Finding> mine(findings.begin(), findings.begin() + 4);
  auto writes = decide(event(), true, mine);  // max_suggestions 2
  REQUIRE(writes.size() == 1);
  CHECK(writes[0].key == "review:octo-org/shop#12");
  CHECK(writes[0].installation_id == 9);
  const auto& review = std::get<outbox::Review>(writes[0].change);
  CHECK(review.commit_id == "a1b2c3");
  REQUIRE(review.comments.size() == 2);
  // The most useful first, one per rule.
  CHECK(review.comments[0].path == "src/cart.js");
  CHECK(review.comments[0].line == 13);
  CHECK(review.comments[0].side == "RIGHT");
  CHECK(review.comments[0].rule == "debug-print");
  CHECK(review.comments[1].line == 14);
  CHECK(review.comments[1].body == "About todo.");
  CHECK_THAT(review.body, Catch::Contains("@nina-dev"));
  CHECK_THAT(review.body, Catch::Contains("You'll find 2 notes beside the lines they're about."));
  CHECK_THAT(review.body, Catch::Contains("One question for you, if you have a moment. What were you looking for?"));
}

TEST_CASE("review: someone who is not new sees only what matters to everyone, with no question", "[review]") {
  auto writes = decide(event(), false, findings);
  REQUIRE(writes.size() == 1);
  const auto& review = std::get<outbox::Review>(writes[0].change);
  REQUIRE(review.comments.size() == 1);
  CHECK(review.comments[0].rule == "secrets");
  CHECK_THAT(review.body, Catch::StartsWith("An automated check found something worth a second look."));
  CHECK(review.body.find("question") == std::string::npos);
  // Nothing for everyone: no review at all.
  std::vector<Finding> beginner_only(findings.begin(), findings.begin() + 4);
  CHECK(decide(event(), false, beginner_only).empty());
  CHECK(decide(event(), true, {}).empty());
}

TEST_CASE("review: new commits edit the summary and never repeat a comment", "[review]") {
  Settings three;
  three.max_suggestions = 3;
  std::vector<Finding> first = {findings[0]};
  auto opened = decide(event(), true, first, {}, three);
  REQUIRE(opened.size() == 1);
  auto before = previous_from(rows(opened));
  CHECK(before.reviewed);
  CHECK(before.inline_count == 1);
  CHECK(before.commented.count({"src/cart.js", 13, "debug-print"}) == 1);

  // The same diff again (a redelivery under another id, or an empty push): nothing.
  CHECK(decide(event(), true, first, before, three).empty());

  // A new commit adds a TODO, and another debug print: only the TODO is new advice.
  std::vector<Finding> now = {findings[0], findings[1], findings[2]};
  auto updated = decide(event("d4e5f6", "synchronize"), true, now, before, three);
  REQUIRE(updated.size() == 2);
  CHECK(updated[0].key.starts_with("review-comment:octo-org/shop#12:todo:14:"));
  const auto& inline_comment = std::get<outbox::ReviewComment>(updated[0].change);
  CHECK(inline_comment.commit_id == "d4e5f6");
  CHECK(inline_comment.comment.line == 14);
  CHECK(updated[1].key == "review-edit:octo-org/shop#12@d4e5f6");
  const auto& edit = std::get<outbox::ReviewEdit>(updated[1].change);
  CHECK(edit.of == "review:octo-org/shop#12");
  CHECK_THAT(edit.body, Catch::Contains("2 notes"));

  // Everything fixed: the summary says so, and nothing new is posted inline.
  auto all = rows(opened);
  for (auto& r : rows(updated)) all.push_back(r);
  auto after = previous_from(all);
  CHECK(after.inline_count == 2);
  auto cleared = decide(event("0789ab", "synchronize"), true, {}, after, three);
  REQUIRE(cleared.size() == 1);
  CHECK_THAT(std::get<outbox::ReviewEdit>(cleared[0].change).body,
             Catch::StartsWith("Thanks for the update, @nina-dev! The automated suggestions from before look addressed"));
}

TEST_CASE("review: the newcomer's budget counts what was said before", "[review]") {
  auto opened = decide(event(), true, {findings[0], findings[2]});  // max_suggestions 2
  auto before = previous_from(rows(opened));
  CHECK(before.inline_count == 2);
  auto writes = decide(event("ffff", "synchronize"), true, {findings[0], findings[2], findings[3]}, before);
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
  Settings settings;
  settings.extra_rules =
      parse_rules(std::string("- {id: todo, summary: t, suggestion: ours, when: {added_line: TODO}}"), "review.rules", problems);
  settings.disabled_rules = {"large-pr"};
  REQUIRE(problems.empty());
  auto rules = rules_for(&built_in, settings);
  REQUIRE(rules.size() == 2);
  CHECK(rules[0].id == "long-line");
  CHECK(rules[1].id == "todo");
  CHECK(rules[1].suggestion == "ours");
}

TEST_CASE("review: which events are reviewed, and by whom", "[review]") {
  struct Row {
    std::string action;
    bool draft;
    std::string state;
    bool bot;
    bool enabled;
    bool reviewed;
  };
  std::vector<Row> table = {
      {"opened", false, "open", false, true, true},
      {"synchronize", false, "open", false, true, true},
      {"reopened", false, "open", false, true, true},
      {"ready_for_review", false, "open", false, true, true},
      {"opened", true, "open", false, true, false},  // drafts wait
      {"synchronize", false, "closed", false, true, false},
      {"edited", false, "open", false, true, false},
      {"opened", false, "open", true, true, false},   // bots
      {"opened", false, "open", false, false, false},  // review.enabled: false
  };
  for (const auto& r : table) {
    INFO(r.action << (r.draft ? " draft " : " ") << r.state << (r.bot ? " bot" : "") << (r.enabled ? "" : " off"));
    auto e = event();
    e.action = r.action;
    e.pull_request.draft = r.draft;
    e.pull_request.state = r.state;
    e.pull_request.author.bot = r.bot;
    CHECK(wants_review(e) == (r.reviewed || !r.enabled));
    Settings settings;
    settings.enabled = r.enabled;
    CHECK(decide(e, true, {findings[0]}, {}, settings).empty() != r.reviewed);
  }
  auto without_installation = event();
  without_installation.installation.reset();  // not an App's hook: nowhere to write
  CHECK_FALSE(wants_review(without_installation));
}

TEST_CASE("review: the effectful part reads the changes once, and the outbox's history of the pull request",
          "[review]") {
  testing::Handling h;
  h.sources.files = {{"src/cart.js", "modified", 1, 0, std::string("@@ -1,0 +1,1 @@\n+console.log('here')")}};
  std::vector<YamlProblem> problems;
  auto rules = parse_rules(std::string(R"(
- {id: debug-print, summary: d, suggestion: "A print at {{{path}}} line {{line}}.", when: {added_line: 'console\.log'}}
- {id: merge-commits, summary: m, suggestion: merges, when: {commit_message: '^Merge '}}
)"),
                           "rules", problems);
  REQUIRE(problems.empty());
  handle(event(), h.context, &rules);
  CHECK(h.sources.files_read == 1);
  CHECK(h.sources.commits_read == 1);  // a rule in force reads commit messages
  REQUIRE(h.handover.plan.writes.size() == 1);
  const auto& review = std::get<outbox::Review>(h.handover.plan.writes[0].change);
  REQUIRE(review.comments.size() == 1);
  CHECK(review.comments[0].body == "A print at `src/cart.js` line 1.");

  // Once reviewed, the same change again says nothing more.
  testing::Handling again;
  again.sources.files = h.sources.files;
  again.sources.planned = rows(h.handover.plan.writes);
  handle(event(), again.context, &rules);
  CHECK(again.handover.plan.writes.empty());

  // Files that cannot be read: retried, except on the last attempt, which gives up quietly.
  testing::Handling down;
  down.sources.files_fail = true;
  CHECK_THROWS(handle(event(), down.context, &rules));
  down.context.last_attempt = true;
  handle(event(), down.context, &rules);
  CHECK(down.handover.plan.writes.empty());
}
