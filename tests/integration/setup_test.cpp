// Registration from the bot's own page, through the real server and the fake GitHub: the set-up
// link, the manifest posted to GitHub's new-App form, the code exchanged, the App kept in the
// data folder and used at once (a welcome posted with a token made with the new key), /setup
// gone afterwards. The same walk in headless Chromium is tests/browser/setup.test.mjs.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>
#include <regex>
#include <sstream>

#include <boost/json/parse.hpp>

#include "github/client.hpp"
#include "github/manifest.hpp"
#include "support/bot_process.hpp"
#include "support/files.hpp"
#include "support/keys.hpp"
#include "support/running_bot.hpp"
#include "support/world.hpp"

using namespace testing;
namespace json = boost::json;

namespace {

OfferedApp registered_app() {
  OfferedApp app;
  app.private_pem = other_app_key().private_pkcs1;
  app.public_pem = other_app_key().public_pem;
  app.webhook_secret = "registered-webhook-secret-5f1c9a";
  return app;
}

// A bot with no App, reached at http://127.0.0.1:PORT, talking to the fake GitHub.
Env unregistered(const World& w, std::uint16_t port) {
  return {{"GHE_HOST", w.github.host()},
          {"GHE_PROTOCOL", "http"},
          {"PORT", std::to_string(port)},
          {"MENTORBOT_PUBLIC_URL", "http://127.0.0.1:" + std::to_string(port)},
          {"MENTORBOT_WRITE_INTERVAL_MS", "0"},
          {"LOG_LEVEL", "debug"}};
}

std::string setup_key(const RunningBot& bot) {
  // serve says it once it listens, so the line may follow /healthz by a moment.
  std::smatch m;
  std::string log;
  eventually([&] {
    log = bot.log();
    return std::regex_search(log, m, std::regex(R"(/setup\?key=([0-9a-f]{32}))"));
  });
  INFO(log);
  REQUIRE(std::regex_search(log, m, std::regex(R"(/setup\?key=([0-9a-f]{32}))")));
  return m[1];
}

std::string unescape(std::string s) {
  for (auto [from, to] : {std::pair{"&quot;", "\""}, {"&lt;", "<"}, {"&gt;", ">"}, {"&apos;", "'"}, {"&amp;", "&"}}) {
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + 1)) s.replace(at, std::string(from).size(), to);
  }
  return s;
}

struct Form {
  std::string action;
  std::string manifest;
};

// The form on the set-up page whose action goes to `where` on GitHub.
Form form_to(const std::string& page, const std::string& where) {
  std::smatch m;
  std::regex form("<form method=\"post\" action=\"([^\"]*" + where + "[^\"]*)\">\\s*<input type=\"hidden\" name=\"manifest\" value=\"([^\"]*)\">");
  REQUIRE(std::regex_search(page, m, form));
  return {unescape(m[1]), unescape(m[2])};
}

std::string path_of_url(const std::string& url) { return url.substr(url.find('/', url.find("//") + 2)); }

}  // namespace

TEST_CASE("an App registered from /setup is kept and used at once, and /setup is gone", "[setup]") {
  World w;
  auto app = registered_app();
  w.github.offer_app(app);
  auto port = free_port();
  RunningBot bot(unregistered(w, port));
  auto key = setup_key(bot);

  // Without the key from the log, no registration.
  CHECK(http_get(port, "/setup").status == 403);
  CHECK(http_get(port, "/setup?key=0123456789abcdef0123456789abcdef").status == 403);

  auto page = http_get(port, "/setup?key=" + key + "&org=octo-org");
  REQUIRE(page.status == 200);
  CHECK_THAT(page.headers["content-security-policy"], Catch::Contains("form-action 'self' http://" + w.github.host()));
  CHECK_THAT(page.headers["content-security-policy"], Catch::Contains("default-src 'none'"));
  auto form = form_to(page.body, "/organizations/octo-org/settings/apps/new");
  auto state = form.action.substr(form.action.find("state=") + 6);
  CHECK(std::regex_match(state, std::regex("[0-9a-f]{64}")));  // 256 bits, URL-safe
  auto manifest = json::parse(form.manifest);
  auto base = "http://127.0.0.1:" + std::to_string(port);
  CHECK(manifest.at("hook_attributes").at("url").as_string() == base + "/api/github/webhooks");
  CHECK(manifest.at("redirect_url").as_string() == base + "/setup/callback");
  CHECK(manifest.at("default_permissions") == mentorbot::github::app_manifest_template().at("default_permissions"));

  // The browser posts the manifest to GitHub; GitHub sends it back with a code.
  auto posted = http_request(w.github.port(), "POST", path_of_url(form.action),
                             {{"Content-Type", "application/x-www-form-urlencoded"}},
                             "manifest=" + mentorbot::github::url_encode(form.manifest));
  REQUIRE(posted.status == 302);
  CHECK(w.github.posted_for() == "octo-org");
  auto back = posted.headers["location"];
  REQUIRE(back.rfind(base + "/setup/callback?code=", 0) == 0);
  CHECK_THAT(back, Catch::EndsWith("&state=" + state));

  // A made-up state is refused before GitHub is asked.
  auto forged = http_get(port, "/setup/callback?code=v1.1abc&state=" + std::string(64, 'a'));
  CHECK(forged.status == 400);

  auto done = http_get(port, path_of_url(back));
  REQUIRE(done.status == 200);
  CHECK_THAT(done.body, Catch::Contains("mentorbot is registered"));
  CHECK_THAT(done.body, Catch::Contains("href=\"http://" + w.github.host() + "/apps/mentorbot-test/installations/new\""));

  // Live at once, on the same port: a delivery signed with the new App's secret is taken, the
  // old secret is refused, and the welcome goes out with a token made with the new key.
  REQUIRE(post_webhook(port, app.webhook_secret, "pull_request", "after-setup-1", w.first_timer_pr()).status == 202);
  CHECK(bot.send("pull_request", "after-setup-2", w.first_timer_pr()).status == 401);
  REQUIRE(eventually([&] { return w.github.comments(world_repo, 2).size() == 1; }));
  auto comment = w.github.comments(world_repo, 2).front();
  CHECK_THAT(comment.body, Catch::Contains("Thanks for sharing this"));
  CHECK(w.github.installation_of(comment.created_by) != "");
  CHECK(w.github.jwt_rejections().empty());

  // The code was good once; /setup is gone.
  CHECK(http_get(port, "/setup?key=" + key).status == 404);
  CHECK(http_get(port, path_of_url(back)).status == 404);

  // Kept in the data folder, for its user only, and never in the log.
  auto file = bot.dir().path() / "github-app.json";
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto kept = json::parse(read_file(file));
  CHECK(kept.at("id") == "4242");
  auto log = bot.log();
  CHECK(log.find(app.webhook_secret) == std::string::npos);
  CHECK(log.find(app.private_pem.substr(40, 40)) == std::string::npos);

  // After a restart it is still the registered App.
  bot.process().terminate();
  bot.start();
  CHECK(http_get(port, "/setup?key=" + key).status == 404);
  auto ping = R"({"zen":"Keep it logically awesome.","hook_id":1})";
  CHECK(post_webhook(port, app.webhook_secret, "ping", "after-restart", ping).status == 200);
  CHECK(bot.send("ping", "after-restart-old-secret", ping).status == 401);
}

TEST_CASE("without MENTORBOT_PUBLIC_URL /setup asks for it, and a forced dry run has no /setup", "[setup]") {
  World w;
  auto port = free_port();
  auto env = unregistered(w, port);
  env.erase("MENTORBOT_PUBLIC_URL");
  {
    RunningBot bot(env);
    auto page = http_get(port, "/setup?key=" + setup_key(bot));
    CHECK(page.status == 200);
    CHECK_THAT(page.body, Catch::Contains("set <code>MENTORBOT_PUBLIC_URL</code>"));
    CHECK(page.body.find("<form method=\"post\"") == std::string::npos);
  }
  env["MENTORBOT_DRY_RUN"] = "1";
  env["PORT"] = std::to_string(free_port());
  RunningBot forced(env);
  CHECK(http_get(forced.port(), "/setup").status == 404);
}

TEST_CASE("mentorbot manifest prints the manifest for a URL", "[setup][cli]") {
  auto r = run_mentorbot({"manifest", "--url", "https://bot.example.org/"}, {});
  REQUIRE(r.exit_code == 0);
  auto m = json::parse(r.out);
  CHECK(m.at("hook_attributes").at("url") == "https://bot.example.org/api/github/webhooks");
  CHECK(m.at("default_events") == mentorbot::github::app_manifest_template().at("default_events"));
  auto bad = run_mentorbot({"manifest"}, {});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("--url"));
}

TEST_CASE("registration walked in headless Chromium, then a welcome signed with the new secret", "[browser]") {
  World w;
  auto app = registered_app();
  w.github.offer_app(app);
  auto port = free_port();
  RunningBot bot(unregistered(w, port));
  auto link = "http://127.0.0.1:" + std::to_string(port) + "/setup?key=" + setup_key(bot);
  auto out = bot.dir().path() / "browser";
  auto log = bot.dir().path() / "browser.log";
  auto command = "bash " + std::string(MENTORBOT_SOURCE_DIR) + "/tests/browser/node.sh setup.test.mjs '" + link + "' '" +
                 out.string() + "' > '" + log.string() + "' 2>&1";
  int status = std::system(command.c_str());
  INFO(read_file(log));
  REQUIRE(status == 0);
  CHECK(w.github.posted_for() == "");  // the personal account's form

  REQUIRE(post_webhook(port, app.webhook_secret, "pull_request", "after-browser-setup", w.first_timer_pr()).status == 202);
  REQUIRE(eventually([&] { return w.github.comments(world_repo, 2).size() == 1; }));
  CHECK(w.github.installation_of(w.github.comments(world_repo, 2).front().created_by) != "");
  CHECK(w.github.jwt_rejections().empty());
}
