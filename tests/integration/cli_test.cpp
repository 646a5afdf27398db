// The command line: verbs, one-line errors for bad flags and settings, replay, inbox list, and
// the generated webhook secret.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <chrono>
#include <filesystem>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "support/bot_process.hpp"
#include "support/files.hpp"
#include "support/git_repo.hpp"
#include "support/temp_dir.hpp"

using namespace testing;

namespace {
std::string fixture_path(const std::string& relative) {
  return std::string(MENTORBOT_FIXTURES) + "/github-webhooks/" + relative;
}
std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }
}  // namespace

TEST_CASE("the version and the help", "[cli]") {
  auto v = run_mentorbot({"--version"}, {});
  CHECK(v.exit_code == 0);
  CHECK_THAT(v.out, Catch::StartsWith("mentorbot 0."));
  auto h = run_mentorbot({"--help"}, {});
  CHECK(h.exit_code == 0);
  CHECK_THAT(h.out, Catch::Contains("mentorbot serve"));
  CHECK_THAT(h.out, Catch::Contains("mentorbot replay FILE --event NAME"));
  CHECK_THAT(h.out, Catch::Contains("mentorbot inbox list"));
}

TEST_CASE("bad commands, flags and settings get one line and exit code 2", "[cli]") {
  TempDir dir;
  Env env = {{"MENTORBOT_DATA_DIR", dir.path().string()}};
  struct Case {
    std::vector<std::string> args;
    Env env;
    std::string message;
  };
  std::vector<Case> cases = {
      {{"fly"}, env, "mentorbot: unknown command \"fly\" (see mentorbot --help)"},
      {{"serve", "--bogus"}, env, "mentorbot: unknown option --bogus"},
      {{"serve", "extra"}, env, "mentorbot: serve takes no arguments"},
      {{"serve"}, {{"PORT", "abc"}}, "mentorbot: PORT must be a number from 0 to 65535, got \"abc\""},
      {{"serve"}, {{"LOG_LEVEL", "loud"}}, "mentorbot: LOG_LEVEL must be one of"},
      {{"serve"}, {{"HOST", "not-an-ip"}, {"MENTORBOT_DATA_DIR", dir.path().string()}, {"WEBHOOK_SECRET", "x"}},
       "mentorbot: HOST must be an IP address"},
      {{"replay"}, env, "mentorbot: replay needs one FILE"},
      {{"replay", fixture_path("ping/ping.json")}, env, "mentorbot: replay needs --event NAME"},
      {{"replay", "/nonexistent.json", "--event", "ping"}, env, "mentorbot: cannot read /nonexistent.json"},
      {{"replay", fixture_path("ping/ping.json"), "--event"}, env, "mentorbot: --event needs a value"},
      {{"inbox"}, env, "mentorbot: usage: mentorbot inbox list"},
      {{"inbox", "list", "--limit", "zero"}, env, "mentorbot: --limit must be a positive number"},
      {{"inbox", "list"}, env, "mentorbot: no database at"},
  };
  for (const auto& c : cases) {
    INFO(c.args[0] << (c.args.size() > 1 ? " " + c.args[1] : ""));
    auto r = run_mentorbot(c.args, c.env);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith(c.message));
    CHECK(lines(r.err) == 1);
  }
}

TEST_CASE("replay runs a payload through the pipeline without HTTP", "[cli]") {
  TempDir dir;
  Env env = {{"MENTORBOT_DATA_DIR", dir.path().string()}, {"LOG_FORMAT", "json"}};
  auto r = run_mentorbot({"replay", fixture_path("pull_request/opened.json"), "--event", "pull_request", "--dry-run"}, env);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("pull_request.opened -> handled"));
  CHECK_THAT(r.out, Catch::Contains("dry-run"));
  CHECK_THAT(r.err, Catch::Contains("pull_request.opened Codertocat/Hello-World#2"));
  // A dry run leaves nothing behind.
  CHECK_FALSE(std::filesystem::exists(dir.path() / "mentorbot.db"));

  auto bad = dir / "not-json.json";
  write_file(bad, "{\"action\":");
  auto refused = run_mentorbot({"replay", bad, "--event", "pull_request"}, env);
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("payload is not valid JSON"));

  // Without --dry-run it is a real delivery: stored, and a second replay with the same id is a no-op.
  auto real = run_mentorbot({"replay", fixture_path("ping/ping.json"), "--event", "ping", "--delivery", "r-1"}, env);
  CHECK(real.exit_code == 0);
  CHECK_THAT(real.out, Catch::Contains("delivery r-1: ping -> handled"));
  auto twice = run_mentorbot({"replay", fixture_path("ping/ping.json"), "--event", "ping", "--delivery", "r-1"}, env);
  CHECK_THAT(twice.out, Catch::Contains("already received"));
  auto listed = run_mentorbot({"inbox", "list", "--all"}, env);
  CHECK(listed.exit_code == 0);
  CHECK_THAT(listed.out, Catch::Contains("done 1"));
  CHECK_THAT(listed.out, Catch::Contains("r-1  ping"));

  auto hollow = dir / "hollow.json";
  write_file(hollow, R"({"action":"opened"})");
  auto failed = run_mentorbot({"replay", hollow, "--event", "pull_request"}, env);
  CHECK(failed.exit_code == 1);
  CHECK_THAT(failed.out, Catch::Contains("-> failed (pull_request payload has no \"pull_request\" object)"));
}

TEST_CASE("without WEBHOOK_SECRET, serve makes one, keeps it private, and says where", "[cli]") {
  TempDir dir;
  Env env = {{"MENTORBOT_DATA_DIR", dir.path().string()}, {"LOG_FORMAT", "json"}};
  std::string secret;
  {
    BotProcess bot(env, dir / "first.log");
    bot.wait_ready();
    auto file = dir.path() / "webhook-secret";
    REQUIRE(std::filesystem::exists(file));
    struct stat st {};
    ::stat(file.c_str(), &st);
    CHECK((st.st_mode & 0777) == 0600);
    secret = read_file(file.string());
    secret.erase(secret.find_last_not_of('\n') + 1);
    CHECK(secret.size() == 64);
    auto log = bot.log();
    CHECK_THAT(log, Catch::Contains("WEBHOOK_SECRET is not set"));
    CHECK_THAT(log, Catch::Contains(file.string()));
    CHECK(log.find(secret) == std::string::npos);
    CHECK(bot.terminate() == 0);
  }
  BotProcess again(env, dir / "second.log");
  again.wait_ready();
  CHECK(read_file(dir / "webhook-secret").find(secret) == 0);  // the same secret, reused
  CHECK_THAT(again.log(), Catch::Contains("is using a secret"));
}

TEST_CASE("history prints the status and the evidence for a login or an address", "[cli]") {
  TempDir dir;
  GitRepo git(dir.path() / "repo");
  git.commit({"Mona Maintainer", "mona@example.org"}, "Start", ".mailmap", "Dana Double <dana@new.example> <dana@old.example>");
  for (int i = 0; i < 5; ++i) git.commit({"Mona Maintainer", "mona@example.org"}, "Work " + std::to_string(i));
  git.commit({"Dana Double", "dana@old.example"}, "Typo");
  git.commit({"Dana Double", "dana@new.example"}, "Example");
  git.commit({"Nora", "7001+nora@users.noreply.github.com"}, "Edit on GitHub");
  git.push("main");

  auto dana = run_mentorbot({"history", git.origin().string(), "dana@old.example"}, {});
  CHECK(dana.exit_code == 0);
  CHECK_THAT(dana.out, Catch::Contains("status: newcomer (2 earlier commit(s) on the default branch"));
  CHECK_THAT(dana.out, Catch::Contains("person: Dana Double <dana@new.example>"));
  CHECK_THAT(dana.out, Catch::Contains("addresses: dana@new.example, dana@old.example"));
  CHECK_THAT(dana.out, Catch::Contains("first commit: 2021-01-01"));

  auto nora = run_mentorbot({"history", git.work().string(), "nora"}, {});
  CHECK_THAT(nora.out, Catch::Contains("status: newcomer (1 earlier commit(s)"));
  CHECK_THAT(nora.out, Catch::Contains("login: nora (GitHub id 7001)"));

  auto mona = run_mentorbot({"history", git.origin().string(), "MONA@example.org"}, {});
  CHECK_THAT(mona.out, Catch::Contains("status: regular (6 earlier commits"));

  auto stranger = run_mentorbot({"history", git.origin().string(), "newbie"}, {});
  CHECK_THAT(stranger.out, Catch::Contains("status: first_time_contributor"));
  CHECK_THAT(stranger.out, Catch::Contains("no commit on main by newbie"));
  CHECK_THAT(stranger.out, Catch::Contains("9 commits by 3 people"));

  auto bad = run_mentorbot({"history", (dir.path() / "nothing").string(), "x"}, {});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("is not a git repository"));
}

TEST_CASE("replay --dry-run --files shows exactly what a pull request would get", "[cli][review]") {
  TempDir dir;
  GitRepo git(dir.path() / "repo");
  auto base = git.commit({"Mona Maintainer", "mona@example.org"}, "Start the project");
  git.push("main");
  git.checkout("port", base);
  auto head = git.commit({"Codertocat", "21031067+Codertocat@users.noreply.github.com"}, "Read the port", "app.py");
  git.pull_ref(2, head);
  auto v = boost::json::parse(read_file(fixture_path("pull_request/opened.json")));
  v.as_object()["pull_request"].as_object()["author_association"] = "FIRST_TIME_CONTRIBUTOR";
  v.as_object()["pull_request"].as_object()["head"].as_object()["sha"] = head;
  v.as_object()["repository"].as_object()["clone_url"] = git.url();
  v.as_object()["repository"].as_object()["default_branch"] = "main";
  auto payload = dir / "pr.json";
  write_file(payload, boost::json::serialize(v));
  auto files = dir / "files.json";
  write_file(files, R"([{"filename":"app.py","status":"modified","additions":2,"deletions":0,
    "patch":"@@ -1,2 +1,4 @@\n import os\n+print(\"here\")\n+# TODO: read the port from the environment\n PORT = 8000"}])");
  Env env = {{"MENTORBOT_DATA_DIR", dir.path().string()}};
  auto r = run_mentorbot({"replay", payload, "--event", "pull_request", "--dry-run", "--files", files}, env);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("would comment on Codertocat/Hello-World#2 [welcome:Codertocat/Hello-World#2]\n"
                                    "Thanks for sharing this, @Codertocat! This is your first pull request to"));
  CHECK_THAT(r.out, Catch::Contains("would labels on Codertocat/Hello-World#2 [label:Codertocat/Hello-World#2:first-time]\n"
                                    "labels: \"first-time contributor\""));
  CHECK_THAT(r.out, Catch::Contains("would review on Codertocat/Hello-World#2 [review:Codertocat/Hello-World#2]"));
  CHECK_THAT(r.out, Catch::Contains("  inline comment on app.py line 2 (RIGHT):\n    It looks like `print(\"here\")`"));
  CHECK_THAT(r.out, Catch::Contains("  inline comment on app.py line 3 (RIGHT):\n    This adds a `# TODO` note."));
  CHECK_THAT(r.out, Catch::Contains("dry-run: nothing was sent to GitHub"));
}

TEST_CASE("render previews a template, check-config finds problems with their lines", "[cli][review]") {
  TempDir dir;
  auto r = run_mentorbot({"render", "welcome", "--tone", "concise"}, {});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("Thanks for the pull request, @octocat!"));
  auto data = dir / "data.json";
  write_file(data, R"({"author":"nina","repo":"o/r","pr":{"number":3,"title":"<b>Hi</b> @all"},"is_newcomer":true})");
  auto custom = run_mentorbot({"render", "welcome", "--data", data}, {});
  CHECK_THAT(custom.out, Catch::Contains("It's good to see you back in o/r."));
  CHECK_THAT(custom.out, Catch::Contains("\"&lt;b&gt;Hi&lt;/b&gt; @\u200Dall\""));
  auto own = dir / "mine.md";
  write_file(own, "Hello {{author}} from {{repo}}");
  CHECK(run_mentorbot({"render", own, "--data", data}, {}).out == "Hello nina from o/r\n");
  auto unknown = run_mentorbot({"render", "farewell"}, {});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("no template \"farewell\""));

  auto good = dir / "good.yml";
  write_file(good, "tone: playful\nreview:\n  max_suggestions: 1\n  disable: [large-pr]\n");
  auto ok = run_mentorbot({"check-config", good}, {});
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.out, Catch::Contains("ok (tone playful"));
  auto bad = dir / "bad.yml";
  write_file(bad, "tone: playful\nreveiw:\n  enabled: true\nnudge_after_days: 0\n");
  auto problems = run_mentorbot({"check-config", bad}, {});
  CHECK(problems.exit_code == 1);
  CHECK_THAT(problems.out, Catch::StartsWith(bad + ":2:1: unknown key `reveiw`: did you mean `review`?"));
  CHECK_THAT(problems.out, Catch::Contains(bad + ":4:19: nudge_after_days must be a whole number from 1 to 365\n"));
}

// Issue 12, defects 3, 4, 5, 7 and the data folder of 8: what the command line is told to read
// must be a regular file of a sensible size; anything else is one line and exit code 2, at once.
TEST_CASE("directories, devices, FIFOs and huge files are refused in one line, at once", "[cli]") {
  TempDir dir;
  Env env = {{"MENTORBOT_DATA_DIR", dir / "data"}};
  auto fifo = dir / "fifo.yml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  auto big = dir / "big.yml";
  write_file(big, "tone: warm\n" + std::string(2 << 20, '#'));
  auto huge_payload = dir / "huge.json";
  write_file(huge_payload, "{\"zen\":\"" + std::string(26 << 20, 'a') + "\"}");
  auto notes = dir / "notes.txt";
  write_file(notes, "root:x:0:0");
  auto plain_file = dir / "plain";
  write_file(plain_file, "");
  auto ping = fixture_path("ping/ping.json");
  struct Case {
    std::vector<std::string> args;
    Env env;
    std::string message;
  };
  std::vector<Case> cases = {
      {{"check-config", dir.path().string()}, env, "mentorbot: " + dir.path().string() + " is a directory, not a file"},
      {{"replay", dir.path().string(), "--event", "ping"}, env, "mentorbot: " + dir.path().string() + " is a directory"},
      {{"check-config", "/dev/zero"}, env, "mentorbot: /dev/zero is not a regular file"},
      {{"check-config", fifo}, env, "mentorbot: " + fifo + " is not a regular file"},
      {{"check-config", big}, env, "mentorbot: " + big + " is larger than 1 MiB"},
      {{"render", "welcome", "--data", "/dev/zero"}, env, "mentorbot: /dev/zero is not a regular file"},
      {{"replay", huge_payload, "--event", "ping"}, env, "mentorbot: " + huge_payload + " is larger than 25 MiB"},
      {{"render", "../../../../etc/passwd"}, env, "mentorbot: no template \"../../../../etc/passwd\""},
      {{"render", notes}, env, "mentorbot: no template \"" + notes + "\""},
      {{"replay", ping, "--event", "Bad Event"}, env, "mentorbot: " + ping + ": the webhook door would refuse it: X-GitHub-Event"},
      {{"serve"}, {{"PRIVATE_KEY_PATH", "/dev/zero"}, {"APP_ID", "1"}, {"MENTORBOT_DATA_DIR", dir / "data"}},
       "mentorbot: PRIVATE_KEY_PATH (/dev/zero) is not a regular file"},
      {{"serve"}, {{"MENTORBOT_DATA_DIR", plain_file}}, "mentorbot: MENTORBOT_DATA_DIR"},
  };
  for (const auto& c : cases) {
    INFO(c.args[0] << (c.args.size() > 1 ? " " + c.args[1] : ""));
    auto started = std::chrono::steady_clock::now();
    auto r = run_mentorbot(c.args, c.env, std::chrono::seconds(20));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith(c.message));
    CHECK(lines(r.err) == 1);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
  }
}
