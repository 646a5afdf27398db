// Maintainers' own words: "did you mean", the doubts about a template (thanks, an open question,
// length, belittling words, team pings), templates as files beside .github/mentorbot.yml, the
// org's files and tone sets, and the order in which they win.
#include <catch2/catch.hpp>

#include <map>

#include "core/nearest.hpp"
#include "features/repo_config.hpp"
#include "features/words.hpp"
#include "features/words_lint.hpp"
#include "support/files.hpp"
#include "support/fixed_ports.hpp"

using namespace mentorbot;
using namespace mentorbot::features;

namespace {

// Files of several repositories ("owner/repo:path"), with folders made from their paths.
struct Tree {
  std::map<std::string, std::string> files;
  RepoFiles files_of() {
    RepoFiles out;
    out.read = [this](const std::string& repo, const std::string& path) -> std::optional<std::string> {
      auto it = files.find(repo + ":" + path);
      if (it == files.end()) return std::nullopt;
      return it->second;
    };
    out.list = [this](const std::string& repo, const std::string& path) -> std::optional<std::vector<DirEntry>> {
      std::map<std::string, bool> entries;
      std::string prefix = repo + ":" + path + "/";
      for (const auto& [key, text] : files) {
        if (!key.starts_with(prefix)) continue;
        auto rest = key.substr(prefix.size());
        entries[rest.substr(0, rest.find('/'))] |= rest.find('/') != std::string::npos;
      }
      if (entries.empty()) return std::nullopt;
      std::vector<DirEntry> listed;
      for (const auto& [name, dir] : entries) listed.push_back({name, dir});
      return listed;
    };
    return out;
  }
};

std::vector<std::string> said(const LoadedConfig& c) {
  std::vector<std::string> out;
  for (const auto& p : c.problems) {
    out.push_back(p.repo + ":" + p.path + ":" + std::to_string(p.line) + (p.warning ? " warning: " : " ") + p.message);
  }
  return out;
}

std::string welcome_of(const LoadedConfig& c) {
  render::Data d;
  d.set("author", "ana");
  d.set("repo", "octo/shop");
  return Words(&testing::source_templates(), c.config)("welcome", d);
}

}  // namespace

TEST_CASE("did you mean: the nearest known word, only when it is near enough to be a typo", "[config][words]") {
  std::vector<std::string> keys{"newcomer_threshold", "nudge_after_days", "tone", "templates"};
  CHECK(nearest("newcomer_treshold", keys) == "newcomer_threshold");
  CHECK(nearest("tnoe", keys) == "tone");         // two letters swapped: one edit
  CHECK(nearest("Tone", keys) == "tone");         // case
  CHECK(nearest("template", keys) == "templates");
  CHECK_FALSE(nearest("colour", keys));           // nothing like it
  CHECK_FALSE(nearest("to", keys));               // two edits of a four-letter word is a different word
  CHECK_FALSE(nearest("tone", keys));             // it is known
  CHECK(edit_distance("kitten", "sitting") == 3);

  auto parsed = parse_repo_config("newcomer_treshold: 2\ntone: warmm\nwelcome: { enabeld: true }\n", {}, nullptr, true);
  REQUIRE(parsed.problems.size() == 3);
  CHECK(parsed.problems[0].message == "unknown key `newcomer_treshold`: did you mean `newcomer_threshold`?");
  CHECK(parsed.problems[1].message == "unknown tone `warmm`: did you mean `warm`?");
  CHECK(parsed.problems[2].message == "unknown key `enabeld` in welcome: did you mean `enabled`?");
  CHECK(parsed.problems[2].line == 3);

  // An unclosed bracket: the line that opened it, not the end of the file where YAML noticed.
  auto unclosed = parse_repo_config("tone: warm # [not this one\nreview: {max_suggestions: 1\nwelcome: {}\n");
  REQUIRE(unclosed.problems.size() == 1);
  CHECK(unclosed.problems[0].line == 2);
  CHECK(unclosed.problems[0].column == 9);
  CHECK(unclosed.problems[0].message == "not valid YAML: this { is never closed with }");
}

TEST_CASE("words lint: what the words promise, checked in a maintainer's template", "[words]") {
  auto messages = [](const std::string& name, const std::string& source, const std::string& rendered) {
    std::vector<std::string> out;
    for (const auto& w : lint_words(name, source, rendered)) out.push_back(std::to_string(w.line) + " " + w.message);
    return out;
  };
  std::string good = "Thank you, @{{author}}! What made you pick this one?";
  CHECK(messages("welcome", good, "Thank you, @ana! What made you pick this one?").empty());

  auto bad = messages("welcome", "Hi @{{author}}.\nThis is simply a small fix,\nping @octo/mentors if stuck.",
                      "Hi @ana.\nThis is simply a small fix,\nping @octo/mentors if stuck.");
  REQUIRE(bad.size() == 4);
  CHECK_THAT(bad[0], Catch::StartsWith("2 \"simply\" can make a newcomer feel slow"));
  CHECK_THAT(bad[1], Catch::StartsWith("3 @octo/mentors pings the whole team"));
  CHECK_THAT(bad[2], Catch::StartsWith("0 no thanks"));
  CHECK_THAT(bad[3], Catch::StartsWith("0 no open question"));

  // A yes/no question is not an open one; a variable's value is not the template's word.
  CHECK(messages("welcome", "Thanks! Did it work?", "Thanks! Did it work?").size() == 1);
  CHECK(messages("welcome", "Thanks {{just}}! How did it go?", "Thanks x! How did it go?").empty());
  // The coin and the review need no thanks or question; a long text is flagged in any template.
  CHECK(messages("coin", "Merged!", "Merged!").empty());
  std::string long_text;
  for (int i = 0; i < 121; ++i) long_text += "word ";
  CHECK(messages("coin", long_text, long_text) == std::vector<std::string>{
                                                      "0 121 words with the sample values; over 120, a first-day reader skims"});
}

TEST_CASE("words lint: every built-in template keeps the promises", "[words][templates]") {
  for (const char* tone : render::tones) {
    RepoConfig c;
    c.tone = tone;
    LoadedConfig loaded;
    loaded.config = c;
    for (const char* name : render::template_names) {
      auto source = testing::read_file(std::string(MENTORBOT_SOURCE_DIR "/templates/") + tone + "/" + name + ".md");
      auto problems = check_template_file("o/r", std::string(".github/mentorbot/") + name + ".md", source);
      INFO(tone << "/" << name);
      for (const auto& p : problems) INFO(p.message);
      CHECK(problems.empty());
    }
  }
}

TEST_CASE("template files: the repository's file, then its inline template, then the org's file, then the tone set",
          "[config][words]") {
  Tree t;
  t.files["octo/.github:.github/mentorbot/tones/bright/welcome.md"] = "Thanks from the bright set, @{{author}}! What drew you here?";
  t.files["octo/.github:.github/mentorbot/tones/bright/coin.md"] = "A bright coin, thanks!";
  t.files["octo/.github:.github/mentorbot/closed_unmerged.md"] = "Thanks from the org, @{{author}}.";
  t.files["octo/shop:.github/mentorbot.yml"] = "tone: bright\ntemplates:\n  closed_unmerged: \"Thanks inline, @{{author}}.\"\n";

  auto loaded = load_repo_config("octo/shop", t.files_of());
  CHECK(said(loaded).empty());
  CHECK(loaded.config.tone == "bright");
  CHECK(welcome_of(loaded) == "Thanks from the bright set, @ana! What drew you here?");
  CHECK(loaded.template_from.at("welcome") == "octo/.github:.github/mentorbot/tones/bright/welcome.md");
  CHECK(loaded.template_from.at("closed_unmerged") == "octo/shop:.github/mentorbot.yml");  // inline beats the org
  CHECK_FALSE(loaded.template_from.count("review_summary"));  // the set lacks it: warm's
  CHECK(std::find(loaded.sources.begin(), loaded.sources.end(), "octo/.github") != loaded.sources.end());

  t.files["octo/shop:.github/mentorbot/welcome.md"] = "Thanks, @{{author}}, from the shop! What brought you?";
  t.files["octo/shop:.github/mentorbot/closed_unmerged.md"] = "Thanks from the shop's file, @{{author}}.";
  loaded = load_repo_config("octo/shop", t.files_of());
  CHECK(welcome_of(loaded) == "Thanks, @ana, from the shop! What brought you?");
  CHECK(loaded.template_from.at("closed_unmerged") == "octo/shop:.github/mentorbot/closed_unmerged.md");
  CHECK(said(loaded) == std::vector<std::string>{
                            "octo/shop:.github/mentorbot/closed_unmerged.md:0 warning: closed_unmerged is also set "
                            "inline in .github/mentorbot.yml (line 3); this file wins"});

  SECTION("without a config of its own, the repository still gets the org's files") {
    t.files.erase("octo/shop:.github/mentorbot.yml");
    t.files.erase("octo/shop:.github/mentorbot/closed_unmerged.md");
    loaded = load_repo_config("octo/shop", t.files_of());
    CHECK(loaded.config.tone == "warm");
    CHECK(loaded.template_from.at("closed_unmerged") == "octo/.github:.github/mentorbot/closed_unmerged.md");
    CHECK(loaded.template_from.at("welcome") == "octo/shop:.github/mentorbot/welcome.md");
  }
  SECTION("_extends brings the base's template files, below the repository's own") {
    t.files["octo/shop:.github/mentorbot.yml"] = "_extends: policies\n";
    t.files["octo/policies:.github/mentorbot.yml"] = "tone: concise\n";
    t.files["octo/policies:.github/mentorbot/coin.md"] = "Merged: a coin from policies.";
    t.files["octo/policies:.github/mentorbot/welcome.md"] = "Thanks from policies! What next?";
    loaded = load_repo_config("octo/shop", t.files_of());
    CHECK(said(loaded).empty());
    CHECK(loaded.config.tone == "concise");
    CHECK(loaded.template_from.at("coin") == "octo/policies:.github/mentorbot/coin.md");
    CHECK(loaded.template_from.at("welcome") == "octo/shop:.github/mentorbot/welcome.md");
  }
}

TEST_CASE("template files: unknown names, Mustache errors and unknown tones are problems with their lines",
          "[config][words]") {
  Tree t;
  t.files["octo/shop:.github/mentorbot/welcom.md"] = "Thanks!";
  t.files["octo/shop:.github/mentorbot/coin.md"] = "Thanks,\n{{#sprint}}in {{sprint.name}}\nwell done";
  t.files["octo/shop:.github/mentorbot/README.md"] = "Notes for maintainers: not a template.";
  t.files["octo/shop:.github/mentorbot/.gitkeep"] = "";
  t.files["octo/.github:.github/mentorbot/tones/bright/coin.md"] = "Thanks!";
  auto loaded = load_repo_config("octo/shop", t.files_of());
  CHECK(loaded.broken());
  CHECK(loaded.config.templates.empty());  // the defaults
  CHECK(said(loaded) == std::vector<std::string>{
                            "octo/shop:.github/mentorbot/coin.md:2 not a valid Mustache template: Unclosed section \"sprint\"",
                            "octo/shop:.github/mentorbot/welcom.md:0 no template is called `welcom.md`: did you mean `welcome.md`?"});
  REQUIRE(loaded.warnings.size() == 1);
  CHECK(loaded.warnings[0] == "octo/shop:.github/mentorbot/coin.md:2:1: not a valid Mustache template: Unclosed section "
                              "\"sprint\" (and 1 more problem(s); see mentorbot check-config)");

  Tree tones;
  tones.files["octo/.github:.github/mentorbot/tones/bright/coin.md"] = "Thanks!";
  tones.files["octo/shop:.github/mentorbot.yml"] = "newcomer_threshold: 2\ntone: brihgt\n";
  loaded = load_repo_config("octo/shop", tones.files_of());
  CHECK(said(loaded) == std::vector<std::string>{
                            "octo/shop:.github/mentorbot.yml:2 unknown tone `brihgt`: did you mean `bright`?"});
  // An org's tone may be named like a built-in one: it is the org's, not a typo.
  tones.files["octo/.github:.github/mentorbot/tones/warmer/welcome.md"] = "Thanks, warmer! What next?";
  tones.files["octo/shop:.github/mentorbot.yml"] = "tone: warmer\n";
  loaded = load_repo_config("octo/shop", tones.files_of());
  CHECK(said(loaded).empty());
  CHECK(loaded.config.tone == "warmer");
  tones.files["octo/shop:.github/mentorbot.yml"] = "tone: warmm\n";
  loaded = load_repo_config("octo/shop", tones.files_of());
  CHECK(said(loaded) == std::vector<std::string>{"octo/shop:.github/mentorbot.yml:1 unknown tone `warmm`: did you mean `warm`?"});
  tones.files["octo/shop:.github/mentorbot.yml"] = "tone: sunny\n";
  loaded = load_repo_config("octo/shop", tones.files_of());
  CHECK(said(loaded) == std::vector<std::string>{
                            "octo/shop:.github/mentorbot.yml:1 unknown tone `sunny`: there is no .github/mentorbot/tones/sunny/ "
                            "in octo/.github (known: warm, concise, playful, bright, warmer)"});
  CHECK(loaded.config.tone == "warm");
}

TEST_CASE("template files: the doubts are warnings at their lines, and the words still apply", "[config][words]") {
  Tree t;
  t.files["octo/shop:.github/mentorbot/welcome.md"] = "Hello @{{author}}.\nThis one is easy.\n";
  t.files["octo/shop:.github/mentorbot.yml"] = "templates:\n  coin: \"Merged, @{{author}}: ask @octo/core for more.\"\n";
  auto loaded = load_repo_config("octo/shop", t.files_of());
  CHECK_FALSE(loaded.broken());
  CHECK(welcome_of(loaded) == "Hello @ana.\nThis one is easy.");
  auto lines = said(loaded);
  REQUIRE(lines.size() == 4);
  CHECK_THAT(lines[0], Catch::StartsWith("octo/shop:.github/mentorbot.yml:2 warning: templates.coin: @octo/core pings"));
  CHECK_THAT(lines[1], Catch::StartsWith("octo/shop:.github/mentorbot/welcome.md:2 warning: \"easy\" can make"));
  CHECK_THAT(lines[2], Catch::StartsWith("octo/shop:.github/mentorbot/welcome.md:1 warning: no thanks"));
  CHECK_THAT(lines[3], Catch::StartsWith("octo/shop:.github/mentorbot/welcome.md:1 warning: no open question"));
}

TEST_CASE("template files: hostile templates are problems, cheaply", "[config][words]") {
  // Too long, too deep, and a huge tag name in a Mustache error: each one line, no crash.
  auto big = check_template_file("o/r", ".github/mentorbot/coin.md", std::string(70 * 1024, 'a'));
  REQUIRE(big.size() == 1);
  CHECK(big[0].message == "is 71680 bytes; a template is at most 64 KiB");
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "{{#s" + std::to_string(i) + "}}";
  auto nested = check_template_file("o/r", ".github/mentorbot/coin.md", deep);
  REQUIRE(nested.size() == 1);
  CHECK(nested[0].message == "nests sections 40 deep; at most 32");
  auto tag = check_template_file("o/r", ".github/mentorbot/coin.md", "Thanks.\n{{#" + std::string(30000, 'x') + "}}");
  REQUIRE(tag.size() == 1);
  CHECK(tag[0].line == 2);
  CHECK_THAT(tag[0].message, Catch::StartsWith("not a valid Mustache template: Unclosed section \"xxx"));
  // A file of belittling words: five warnings, not thousands.
  std::string just;
  for (int i = 0; i < 5000; ++i) just += "just ";
  auto doubts = check_template_file("o/r", ".github/mentorbot/coin.md", just);
  CHECK(std::count_if(doubts.begin(), doubts.end(), [](const FileProblem& p) { return p.message.starts_with("\"just\""); }) == 5);
  // Inline, the same limits.
  auto parsed = parse_repo_config("templates:\n  coin: \"" + std::string(70 * 1024, 'b') + "\"\n");
  REQUIRE(parsed.problems.size() == 1);
  CHECK(parsed.problems[0].message == "templates.coin is 71680 bytes; a template is at most 64 KiB");
}
