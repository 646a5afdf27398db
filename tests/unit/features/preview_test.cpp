// The words preview: which pull requests get one, one comment edited on each push and never
// posted twice, and what it says (golden files, one per tone, and one with problems).
#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "features/preview/line_diff.hpp"
#include "features/preview/preview.hpp"
#include "support/files.hpp"
#include "support/fixed_ports.hpp"
#include "support/golden.hpp"

using namespace mentorbot;
namespace features = mentorbot::features;
namespace preview = mentorbot::features::preview;
namespace outbox = mentorbot::store::outbox;

namespace {

github::PullRequestEvent event(const std::string& action, const std::string& head = "abc123") {
  auto v = json::parse(testing::fixture("pull_request/opened.json"));
  v.as_object()["action"] = action;
  v.as_object()["pull_request"].as_object()["head"].as_object()["sha"] = head;
  return std::get<github::PullRequestEvent>(github::parse_event("d", "pull_request", json::serialize(v)).payload);
}

github::ChangedFile changed(const std::string& path) { return {path, "modified", 1, 1, std::nullopt}; }

outbox::Row row(const outbox::Write& w) {
  outbox::Row r;
  r.write = w;
  return r;
}

std::string link_to(const features::FileProblem& p) {
  return "[`" + p.path + "`" + (p.line ? " line " + std::to_string(p.line) : "") + "](https://github.com/" + p.repo +
         "/blob/abc123/" + p.path + (p.line ? "#L" + std::to_string(p.line) : "") + ")";
}

features::LoadedConfig loaded(const std::map<std::string, std::string>& files) {
  return features::load_repo_config("octo/shop", [&](const std::string& repo, const std::string& path) {
    auto it = files.find(repo + ":" + path);
    return it == files.end() ? std::nullopt : std::optional<std::string>(it->second);
  });
}

}  // namespace

TEST_CASE("preview: one comment, edited when the words change, never posted twice", "[preview]") {
  auto opened = event("opened");
  auto first = preview::decide(opened, "words one", {}, "delivery-1");
  REQUIRE(first.size() == 1);
  CHECK(first[0].key == "preview:Codertocat/Hello-World#2");
  CHECK(std::get<outbox::Comment>(first[0].change).body == "words one");

  // A push with other words: the same comment, edited; a push with the same words: nothing.
  auto previous = preview::previous_from({row(first[0])});
  CHECK(previous.posted);
  auto pushed = preview::decide(event("synchronize", "def456"), "words two", previous, "push-2");
  REQUIRE(pushed.size() == 1);
  CHECK(pushed[0].key == "preview-edit:Codertocat/Hello-World#2@push-2");
  CHECK(std::get<outbox::CommentEdit>(pushed[0].change).of == "preview:Codertocat/Hello-World#2");
  CHECK(preview::decide(event("synchronize", "fff999"), "words one", previous, "delivery-1").empty());
  previous = preview::previous_from({row(first[0]), row(pushed[0])});
  CHECK(previous.body == "words two");
  CHECK(preview::decide(event("synchronize", "fff999"), "words two", previous, "delivery-1").empty());

  // A pull request that changes no config file: nothing; one that stopped changing them: one note.
  CHECK(preview::decide(opened, std::nullopt, {}, "delivery-1").empty());
  auto stopped = preview::decide(event("synchronize", "aaa111"), std::nullopt, previous, "delivery-1");
  REQUIRE(stopped.size() == 1);
  CHECK_THAT(std::get<outbox::CommentEdit>(stopped[0].change).body, Catch::Contains("no longer changes mentorbot's files"));
  // Closed, edited or labelled pull requests are left alone; so are other features' writes.
  CHECK(preview::decide(event("closed"), "words", {}, "delivery-1").empty());
  CHECK(preview::decide(event("labeled"), "words", {}, "delivery-1").empty());
  CHECK_FALSE(preview::previous_from({row({"welcome:Codertocat/Hello-World#2", 1, "r", 2, outbox::Comment{"hi"}})}).posted);

  // A comment GitHub never took (too long, say): the next words are a new comment, under a new key.
  auto refused = row(first[0]);
  refused.state = outbox::State::failed;
  auto again = preview::decide(event("synchronize", "bbb222"), "shorter words", preview::previous_from({refused}), "push-3");
  REQUIRE(again.size() == 1);
  CHECK(again[0].key == "preview:Codertocat/Hello-World#2~1");
  CHECK(std::holds_alternative<outbox::Comment>(again[0].change));
}

TEST_CASE("preview: only the files that shape the words bring it", "[preview]") {
  CHECK(preview::config_paths({changed("README.md"), changed(".github/workflows/ci.yml"), changed(".github/mentorbot.yaml")})
            .empty());
  CHECK(preview::config_paths({changed("src/a.c"), changed(".github/mentorbot.yml"),
                               changed(".github/mentorbot/welcome.md")}) ==
        std::vector<std::string>{".github/mentorbot.yml", ".github/mentorbot/welcome.md"});
}

TEST_CASE("preview: the handler reads the head and the default branch, and checks a changed file it did not use",
          "[preview]") {
  testing::FakeSources sources;
  sources.files = {changed(".github/mentorbot.yml"), changed(".github/mentorbot/tones/x/welcom.md"),
                   changed(".github/mentorbot/tones/x/coin.md")};
  sources.files_at["abc123:.github/mentorbot/tones/x/coin.md"] = "Merged! Ask @octo/core for more.";
  sources.files_at["abc123:.github/mentorbot.yml"] = "tone: concise\n";
  sources.files_at["abc123:.github/mentorbot/tones/x/welcom.md"] = "Thanks!";
  features::Handover handover;
  features::Context context{"d", false, sources, &testing::source_templates(), handover};
  preview::handle(event("opened"), context);
  REQUIRE(handover.plan.writes.size() == 1);
  auto body = std::get<outbox::Comment>(handover.plan.writes[0].change).body;
  // Files the config does not read cannot put it back to the defaults: their problems are doubts.
  CHECK_THAT(body, Catch::Contains("The files are valid (tone `concise`)."));
  CHECK_THAT(body, Catch::Contains("(this config does not read the file, so its defaults are not at stake)"));
  // The preview pings no one, not even in what it says about a ping.
  CHECK(body.find("@octo/core") == std::string::npos);
  CHECK_THAT(body, Catch::Contains("@\u200docto/core pings the whole team"));
  CHECK_THAT(body, Catch::Contains("(https://github.com/Codertocat/Hello-World/blob/abc123/.github/mentorbot/tones/x/welcom.md): "));
  CHECK_THAT(body, Catch::Contains("no template is called `welcom.md`: did you mean `welcome.md`?"));
  CHECK_THAT(body, Catch::Contains("What changes against `master`"));

  // No config file in the pull request, no comment before: nothing is asked of GitHub.
  testing::FakeSources quiet;
  quiet.files = {changed("src/a.c")};
  features::Handover none;
  features::Context c2{"d", false, quiet, &testing::source_templates(), none};
  preview::handle(event("opened"), c2);
  CHECK(none.plan.writes.empty());
}

TEST_CASE("preview: the comment in each tone, and with problems, matches its golden file", "[preview][golden]") {
  const auto& templates = testing::source_templates();
  for (const char* tone : render::tones) {
    preview::Input in;
    in.head = loaded({{"octo/shop:.github/mentorbot.yml", std::string("tone: ") + tone + "\n"}});
    in.base = loaded({});
    in.base_name = "main";
    testing::check_golden(std::string("preview/") + tone + ".md", preview::body(in, templates, link_to));
  }
  preview::Input broken;
  broken.head = loaded({{"octo/shop:.github/mentorbot.yml",
                         "tone: concise\nnewcomer_treshold: 2\ntemplates:\n  welcome: \"Hi {{#author}}\"\n"}});
  broken.base = loaded({{"octo/shop:.github/mentorbot.yml", "tone: concise\n"}});
  broken.base_name = "main";
  testing::check_golden("preview/with-problems.md", preview::body(broken, templates, link_to));

  preview::Input fixed;
  fixed.head = loaded({{"octo/shop:.github/mentorbot.yml",
                        "tone: concise\ntemplates:\n  welcome: \"Thanks, @{{author}}! It's simply great. What did you try?\"\n"}});
  fixed.base = broken.base;
  fixed.base_name = "main";
  fixed.was_broken = true;
  testing::check_golden("preview/valid-again.md", preview::body(fixed, templates, link_to));
}

TEST_CASE("preview: the line diff marks what went and what came", "[preview]") {
  CHECK(preview::line_diff("a\nb\nc", "a\nb\nc").empty());
  CHECK(preview::line_diff("a\nb\nc", "a\nB\nc\nd") == " a\n-b\n+B\n c\n+d\n");
}
