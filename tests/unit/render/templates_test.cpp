// The words: every template in every tone, for every kind of contributor, against golden files;
// and the promises about them (no belittling words, a short welcome, a bot that says it is
// one, user text that cannot ping or inject).
#include <catch2/catch.hpp>

#include "support/fixed_ports.hpp"

#include <filesystem>
#include <regex>
#include <sstream>

#include <boost/json/parse.hpp>

#include "features/review/rules.hpp"
#include "render/badge.hpp"
#include "render/escape.hpp"
#include "render/templates.hpp"
#include "support/files.hpp"
#include "support/golden.hpp"

using namespace mentorbot;
using render::Data;

namespace {

const render::Templates& templates() { return testing::source_templates(); }

const char* const classes[] = {"first_timer", "first_time_contributor", "newcomer", "regular"};

bool is_new(const std::string& status) { return status != "regular"; }

// What the features hand each template, for a pull request by someone of `status`.
Data sample(const std::string& name, const std::string& status, const std::string& tone = "warm") {
  Data d;
  d.set("author", "nina-dev");
  d.set("repo", "octo-org/hello-world");
  Data pr;
  pr.set("number", "7");
  pr.set("title", "Fix the typo in the install guide");
  d.set("pr", pr);
  d.set("status", status);
  d.set("is_" + status, Data::type::bool_true);
  d.set("repo_url", "https://github.com/octo-org/hello-world");
  if (name == "welcome") {
    // A different observation for each, so that each wording is read.
    if (status != "regular") d.set("noticed", Data::type::bool_true);
    if (status == "first_timer") d.set("noticed_docs", Data::type::bool_true);
    if (status == "first_time_contributor") {
      d.set("noticed_focused", Data::type::bool_true);
      d.set("noticed_file", "`docs/install.md`");
    }
    if (status == "newcomer") d.set("noticed_tests", Data::type::bool_true);
    // What a reply takes: from the repository's numbers, from its maintainers, or not said.
    if (status == "first_timer") d.set("expected_reply", "2 days");
    if (status == "first_time_contributor") d.set("expected_response", "We review pull requests on Tuesdays.");
  } else if (name == "review_summary") {
    if (is_new(status)) {
      d.set("for_newcomer", Data::type::bool_true);
      Data notes{Data::type::list};
      Data note;
      note.set("rule", "no-description");
      note.set("message", "The description is empty, or nearly so, for now. A few sentences on what this changes and why help a reviewer.");
      notes.push_back(note);
      d.set("notes", notes);
      d.set("inline_count", "1");
      d.set("one_inline", Data::type::bool_true);
      Data questions{Data::type::list};
      Data q;
      q.set("question", "What were you looking for when you added it, and did you find it?");
      questions.push_back(Data(templates().render(tone, "question", q)));
      d.set("questions", questions);
    } else {
      d.set("inline_count", "2");
      d.set("notes", Data{Data::type::list});
      d.set("questions", Data{Data::type::list});
    }
  } else if (name == "suggestion") {
    d.set("rule", "debug-print");
    d.set("path", "docs/install.md");
    d.set("line", "12");
    d.set("message", "It looks like `console.log(` may be left over from debugging.");
  } else if (name == "question") {
    if (status == "first_timer") d.set("question", "What were you looking for when you added it, and did you find it?");
  } else if (name == "coin_first" || name == "coin") {
    d.set("coins", name == "coin" ? "3" : "1");
    d.set("coins_phrase", name == "coin" ? "3 challenge coins" : "1 challenge coin");
    d.set("coin_name", "challenge coin");
    if (status == "newcomer") d.set("mentors", "@mona, @hubot");
    d.set("badge_url", "https://coins.example.org/badges/nina-dev.svg");
    Data sprint;
    sprint.set("name", "Hacktoberfest Lisbon");
    if (status != "regular") d.set("sprint", sprint);
    if (name == "coin_first" && status == "first_timer") {
      Data steps{Data::type::list};
      for (const char* link : {"[Add a dark mode to the docs](https://github.com/octo-org/hello-world/issues/12)",
                               "[Explain the config file](https://github.com/octo-org/hello-world/issues/15)"}) {
        Data item;
        item.set("link", link);
        steps.push_back(item);
      }
      d.set("has_next_steps", Data::type::bool_true);
      d.set("next_steps", steps);
    }
  } else if (name == "coin_award") {
    // A maintainer thanks someone for work that is not code.
    d.set("author", "mona");
    d.set("recipient", "nina-dev");
    d.set("reason", status == "regular" ? "running the @octo-org/docs <b>triage</b>" : "triaging the open issues");
    d.set("coin_name", "challenge coin");
    d.set("coins_phrase", status == "first_timer" ? "1 challenge coin" : "2 challenge coins");
    if (status != "newcomer") d.set("badge_url", "https://coins.example.org/badges/nina-dev.svg");
    Data sprint;
    sprint.set("name", "Hacktoberfest Lisbon");
    if (status == "first_time_contributor") d.set("sprint", sprint);
  } else if (name == "coin_refused") {
    // Someone who is not a maintainer (the first two), or a command nobody can read.
    if (status == "first_timer" || status == "first_time_contributor") {
      d.set("not_maintainer", Data::type::bool_true);
    } else {
      d.set("unreadable", Data::type::bool_true);
    }
  } else if (name == "closed_unmerged") {
    d.set("good_first_issues_url", "https://github.com/octo-org/hello-world/contribute");
    if (status == "newcomer") d.set("closed_by_author", Data::type::bool_true);
  } else if (name == "nudge") {
    d.set("reviewers", "@octo-org/mentors");
    d.set("days", "8");
  } else if (name == "escalation") {
    d.set("team", "@octo-org/maintainers");
    d.set("days", "15");
  } else if (name == "author_nudge") {
    d.set("days", "14");
  }
  return d;
}

// A first-timer's welcome data, for a pull request with this title.
Data welcome_titled(const std::string& title) {
  auto d = sample("welcome", "first_timer");
  Data pr;
  pr.set("number", "7");
  pr.set("title", title);
  d.set("pr", pr);
  return d;
}

std::size_t words_in(const std::string& text) {
  std::istringstream in(text);
  std::size_t n = 0;
  for (std::string w; in >> w;) ++n;
  return n;
}

// "bot" as a word ("I'm mentorbot, a bot …"), not inside "mentorbot" or a link.
const std::regex says_bot(R"(\bbot\b)", std::regex::icase);

const std::regex belittling(R"(\b(just|simply|obviously|easy|easily|trivial|trivially)\b)", std::regex::icase);

}  // namespace

TEST_CASE("templates: every template, tone and kind of contributor matches its golden file", "[templates][golden]") {
  for (const char* tone : render::tones) {
    for (const char* name : render::template_names) {
      REQUIRE(templates().has(tone, name));
      std::string all;
      for (const char* status : classes) {
        all += std::string("<!-- ") + status + " -->\n" + templates().render(tone, name, sample(name, status, tone)) + "\n\n";
      }
      if (std::string(name) == "review_summary") {
        Data after = sample("welcome", "first_time_contributor");  // the PR's variables, none of the findings
        after.set("for_newcomer", Data::type::bool_true);
        after.set("all_clear", Data::type::bool_true);
        all += "<!-- first_time_contributor, after an update that addressed everything -->\n" +
               templates().render(tone, name, after) + "\n";
      }
      testing::check_golden(std::string("templates/") + tone + "/" + name + ".md", all);
    }
  }
}

TEST_CASE("templates: no template or rule belittles the reader", "[templates]") {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(MENTORBOT_SOURCE_DIR "/templates")) {
    if (!entry.is_regular_file()) continue;
    auto text = testing::read_file(entry.path().string());
    std::smatch m;
    INFO(entry.path().string());
    CHECK_FALSE(std::regex_search(text, m, belittling));
  }
  for (const auto& r : features::review::load_rules(MENTORBOT_SOURCE_DIR "/rules")) {
    INFO(r.source);
    std::smatch m;
    CHECK_FALSE(std::regex_search(r.suggestion, m, belittling));
    CHECK_FALSE(std::regex_search(r.question, m, belittling));
  }
  // The check itself bites.
  std::smatch m;
  std::string bad = "It's Just a small fix";
  CHECK(std::regex_search(bad, m, belittling));
}

TEST_CASE("templates: the welcome is at most 120 words, and every comment says it comes from a bot", "[templates]") {
  for (const char* tone : render::tones) {
    for (const char* status : classes) {
      auto welcome = templates().render(tone, "welcome", sample("welcome", status));
      INFO(tone << " " << status << ":\n" << welcome);
      CHECK(words_in(welcome) <= 120);
      CHECK(std::regex_search(welcome, says_bot));
    }
    for (const char* name : {"review_summary", "coin_first", "coin_award", "coin_refused", "closed_unmerged", "nudge"}) {
      auto text = templates().render(tone, name, sample(name, "first_timer"));
      INFO(tone << " " << name);
      CHECK(std::regex_search(text, says_bot));
    }
  }
}

TEST_CASE("templates: a hostile title or login cannot ping, inject HTML or break the Markdown", "[templates][escape]") {
  auto d = welcome_titled("@org/team <b>bold</b> [click](https://evil.example) `rm -rf` *all*\n# heading");
  for (const char* tone : render::tones) {
    auto text = templates().render(tone, "welcome", d);
    INFO(text);
    CHECK(text.find("@org/team") == std::string::npos);
    CHECK(text.find("@\u200Dorg/team") != std::string::npos);  // still readable
    CHECK(text.find("<b>") == std::string::npos);
    CHECK(text.find("&lt;b&gt;bold&lt;/b&gt;") != std::string::npos);
    CHECK(text.find("](https://evil") == std::string::npos);
    CHECK(text.find("\\`rm -rf\\`") != std::string::npos);
    CHECK(text.find("\n# heading") == std::string::npos);
  }
  CHECK(render::escape_text("a_b*c") == "a\\_b\\*c");
  CHECK(render::code_span("has `tick`") == "`` has `tick` ``");
  CHECK(render::code_span("`x`") == "`` `x` ``");
  CHECK(render::defuse_mentions("cc @alice and me@example.com") == "cc @\u200Dalice and me@\u200Dexample.com");
  // Control characters and invisible text-direction overrides never reach a comment.
  const std::string hostile("a\0b\x07" "c\x7f" "d\xc2\x85" "e\u202ef\u2066g\th\ni", 22);
  for (const auto& out : {render::escape_text(hostile), render::code_span(hostile), render::defuse_mentions(hostile)}) {
    INFO(out);
    for (unsigned char c : out) CHECK((c >= 0x20 && c != 0x7f));
    CHECK(out.find("\xc2\x85") == std::string::npos);
    CHECK(out.find("\u202e") == std::string::npos);
    CHECK(out.find("\u2066") == std::string::npos);
    CHECK(out.find("abcde") != std::string::npos);
  }
  CHECK(render::escape_text("caf\u00e9 \u2603") == "caf\u00e9 \u2603");  // the rest of Unicode stays
}

TEST_CASE("templates: a repository's own template renders with the same escaping, a broken one is refused", "[templates]") {
  auto d = welcome_titled("<i>hi</i>");
  auto own = templates().render("warm", "welcome", d, std::string("Hello @{{author}}: {{pr.title}}"));
  CHECK(own == "Hello @nina-dev: &lt;i&gt;hi&lt;/i&gt;");
  CHECK_THROWS_AS(templates().render("warm", "welcome", d, std::string("{{#open}} never closed")), render::TemplateError);
  // An unknown tone falls back to warm.
  CHECK(templates().render("shouty", "welcome", d) == templates().render("warm", "welcome", d));
}

TEST_CASE("templates: JSON data for mentorbot render", "[templates]") {
  auto data = render::from_json(boost::json::parse(
      R"({"author":"nina","pr":{"number":7,"title":"T"},"is_first_timer":true,"questions":["Why?"],"none":null})"));
  CHECK(render::render_source("{{author}} #{{pr.number}} {{pr.title}}{{#is_first_timer}} new{{/is_first_timer}}"
                              "{{#questions}} {{.}}{{/questions}}{{#none}}x{{/none}}",
                              data, "test") == "nina #7 T new Why?");
}

TEST_CASE("badges: a coin with the count — any login is escaped into valid XML", "[badges]") {
  auto svg = render::coin_badge_svg("nina-dev", 3, "challenge coin");
  CHECK_THAT(svg, Catch::StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK_THAT(svg, Catch::Contains("<title>nina-dev: 3 challenge coins</title>"));
  CHECK_THAT(svg, Catch::Contains(">3</text>"));
  CHECK_THAT(render::coin_badge_svg("a", 1, "coin"), Catch::Contains("a: 1 coin<"));
  auto hostile = render::coin_badge_svg("\"><script>alert('x')</script>&\x01", 12345, "coin");
  CHECK(hostile.find("<script") == std::string::npos);
  CHECK_THAT(hostile, Catch::Contains("&quot;&gt;&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;&amp;\xEF\xBF\xBD"));
  // Well formed: every element opened is closed, in order.
  std::vector<std::string> open;
  for (std::size_t i = hostile.find('<'); i != std::string::npos; i = hostile.find('<', i + 1)) {
    auto end = hostile.find('>', i);
    REQUIRE(end != std::string::npos);
    auto tag = hostile.substr(i + 1, end - i - 1);
    auto name = tag.substr(tag[0] == '/' ? 1 : 0, tag.find_first_of(" />", 1) - (tag[0] == '/' ? 1 : 0));
    if (tag[0] == '/') {
      REQUIRE_FALSE(open.empty());
      CHECK(open.back() == name);
      open.pop_back();
    } else if (tag.back() != '/') {
      open.push_back(name);
    }
  }
  CHECK(open.empty());
}
