#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include <boost/json/parse.hpp>

#include "core/metrics.hpp"
#include "features/registry.hpp"
#include "github/client.hpp"
#include "github/manifest.hpp"
#include "github/permissions.hpp"
#include "support/keys.hpp"

using namespace mentorbot;
using boost::beast::http::verb;

namespace {

json::value manifest_file() {
  std::ifstream in(std::string(MENTORBOT_SOURCE_DIR) + "/deploy/app-manifest.json");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

std::set<std::string> strings(const json::value& array) {
  std::set<std::string> out;
  for (const auto& v : array.as_array()) out.insert(std::string(v.as_string()));
  return out;
}

}  // namespace

TEST_CASE("the manifest subscribes to every event a feature handles, and to nothing else", "[manifest]") {
  std::vector<features::review::Rule> rules;
  auto registry = features::build_registry({&rules, ""});
  std::set<std::string> handled;
  for (const auto& event : registry.events("delivery_log")) {
    if (!github::delivered_without_subscription(event)) handled.insert(event);
  }
  auto subscribed = strings(manifest_file().at("default_events"));
  CHECK(subscribed == handled);
  std::set<std::string> in_table;
  for (const auto& s : github::subscriptions()) in_table.insert(std::string(s.event));
  CHECK(in_table == subscribed);
  // What GitHub sends every App unasked is handled too (labels on installation, the ping).
  CHECK(registry.events("delivery_log").count("installation") == 1);
  CHECK(registry.events("delivery_log").count("installation_repositories") == 1);
  CHECK(registry.events("delivery_log").count("ping") == 1);
}

TEST_CASE("the manifest asks for every permission the REST client and the events need, and no more", "[manifest]") {
  std::map<std::string, std::string> asked;
  auto manifest = manifest_file();
  for (const auto& [name, level] : manifest.at("default_permissions").as_object()) {
    asked[std::string(name)] = std::string(level.as_string());
  }
  CHECK(asked == github::permissions_needed());
  CHECK(asked.count("members") == 0);  // no feature reads org membership (author_association says it)
  for (const auto& e : github::endpoints()) {
    if (e.access == github::Access::none) continue;
    INFO(e.pattern);
    REQUIRE(asked.count(std::string(e.permission)) == 1);
    if (e.access == github::Access::write) CHECK(asked[std::string(e.permission)] == "write");
  }
  for (const auto& s : github::subscriptions()) CHECK(asked.count(std::string(s.permission)) == 1);
}

TEST_CASE("endpoints are found by method and path, one segment per placeholder", "[manifest]") {
  auto comments = github::endpoint_for(verb::post, "/repos/o/r/issues/12/comments");
  REQUIRE(comments);
  CHECK(comments->permission == "issues");
  CHECK(comments->access == github::Access::write);
  CHECK(github::endpoint_for(verb::get, "/repos/o/r/issues/12/comments?per_page=100")->access == github::Access::read);
  CHECK(github::endpoint_for(verb::get, "/repos/o/r/contents/.github/mentorbot.yml")->permission == "contents");
  CHECK(github::endpoint_for(verb::get, "/repos/o/r/labels/good%20first%20issue"));
  CHECK_FALSE(github::endpoint_for(verb::delete_, "/repos/o/r/labels/x"));
  CHECK_FALSE(github::endpoint_for(verb::get, "/repos/o/r/labels/x/y"));
  CHECK_FALSE(github::endpoint_for(verb::get, "/repos/o/r/collaborators"));
  CHECK_FALSE(github::endpoint_for(verb::post, "/repos/o/r/issues//comments"));
  CHECK_FALSE(github::endpoint_for(verb::get, "/orgs/o/members"));
}

TEST_CASE("the REST client refuses an endpoint the manifest does not cover, before sending", "[manifest]") {
  Metrics metrics;
  github::Client::Options o;
  o.api_base_url = "http://127.0.0.1:9";  // nothing listens: a request that went out would be a network error
  o.app_id = "1";
  github::Client client(o, github::PrivateKey::parse(testing::test_app_key().private_pkcs1, "key"), metrics);
  CHECK_THROWS_AS(client.request(1, verb::delete_, "/repos/o/r/labels/x"), std::logic_error);
  CHECK_THROWS_WITH(client.get(1, "/orgs/o/members"), Catch::Contains("github/permissions.cpp does not list"));
}

TEST_CASE("the manifest is filled with this server's addresses", "[manifest]") {
  auto m = github::app_manifest("https://bot.example.net", "/api/github/webhooks");
  CHECK(m.at("url") == "https://bot.example.net");
  CHECK(m.at("hook_attributes").at("url") == "https://bot.example.net/api/github/webhooks");
  CHECK(m.at("redirect_url") == "https://bot.example.net/setup/callback");
  CHECK(m.at("public") == false);
  CHECK(m.at("default_permissions") == manifest_file().at("default_permissions"));
}

TEST_CASE("a conversion answer becomes a registration, or a reason", "[manifest]") {
  auto answer = json::parse(R"json({"id": 42, "slug": "mentorbot-ex", "name": "mentorbot (ex)", "html_url": "https://github.com/apps/mentorbot-ex",
    "owner": {"login": "octo-org"}, "pem": "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----\n",
    "webhook_secret": "s3cret", "client_id": "Iv1.x", "client_secret": "y"})json");
  auto r = github::parse_registration(answer);
  CHECK(r.app_id == "42");
  CHECK(r.slug == "mentorbot-ex");
  CHECK(r.owner == "octo-org");
  CHECK(r.webhook_secret == "s3cret");
  answer.as_object().erase("pem");
  CHECK_THROWS_WITH(github::parse_registration(answer), Catch::Contains("private key"));
}
