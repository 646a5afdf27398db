#include <catch2/catch.hpp>

#include <future>
#include <regex>

#include "http/setup_page.hpp"

using namespace mentorbot;
using namespace mentorbot::http;

namespace {

struct Setup {
  std::int64_t now = 1'000'000;
  int exchanged = 0;
  std::string failure;  // the next exchange throws this, when set
  SetupPage page{parts()};

  SetupParts parts() {
    SetupParts p;
    p.public_url = "https://bot.example.org";
    p.webhook_path = "/api/github/webhooks";
    p.github_url = "https://github.com";
    p.key = "k3y";
    p.now_ms = [this] { return now; };
    p.register_app = [this](const std::string& code) {
      ++exchanged;
      if (!failure.empty()) throw std::runtime_error(failure);
      github::Registration r;
      r.app_id = "7";
      r.slug = "mentorbot-" + code;
      r.name = "mentorbot <&>";
      r.html_url = "https://github.com/apps/" + r.slug;
      return r;
    };
    return p;
  }

  Response get(const std::string& target) {
    Request r{beast_http::verb::get, target, 11};
    std::promise<Response> answer;
    page.handle(std::move(r), [&](Response a) { answer.set_value(std::move(a)); });
    return answer.get_future().get();
  }

  std::string state() {
    auto r = get("/setup?key=k3y");
    std::smatch m;
    REQUIRE(std::regex_search(r.body, m, std::regex("state=([0-9a-f]+)")));
    return m[1];
  }
};

}  // namespace

TEST_CASE("a set-up state is good once, for an hour", "[setup]") {
  Setup s;
  auto first = s.state();
  CHECK(first.size() == 64);
  CHECK(s.state() != first);

  auto late = s.state();
  s.now += SetupPage::state_lifetime_ms + 1;
  CHECK(s.get("/setup/callback?code=abc&state=" + late).status == 400);
  CHECK(s.get("/setup/callback?code=abc&state=" + first).status == 400);  // expired as well
  CHECK(s.exchanged == 0);

  auto fresh = s.state();
  s.failure = "GitHub answered 404: Not Found";
  auto failed = s.get("/setup/callback?code=abc&state=" + fresh);
  CHECK(failed.status == 502);
  CHECK_THAT(failed.body, Catch::Contains("GitHub answered 404: Not Found"));
  CHECK(s.get("/setup/callback?code=abc&state=" + fresh).status == 400);  // used, even though it failed
  CHECK_FALSE(s.page.done());

  s.failure.clear();
  auto ok = s.get("/setup/callback?code=abc&state=" + s.state());
  CHECK(ok.status == 200);
  CHECK_THAT(ok.body, Catch::Contains("href=\"https://github.com/apps/mentorbot-abc/installations/new\""));
  CHECK_THAT(ok.body, Catch::Contains("mentorbot &lt;&amp;&gt;"));  // GitHub's names are text
  CHECK(s.page.done());
  CHECK(s.get("/setup?key=k3y").status == 404);
  CHECK(s.exchanged == 2);
}

TEST_CASE("outstanding set-up states are bounded, the oldest going first", "[setup]") {
  Setup s;
  auto oldest = s.state();
  for (std::size_t i = 0; i < SetupPage::most_states; ++i) {
    ++s.now;
    s.state();
  }
  CHECK(s.get("/setup/callback?code=abc&state=" + oldest).status == 400);
  CHECK(s.exchanged == 0);
}

TEST_CASE("the set-up page needs its key, and checks what it is given", "[setup]") {
  Setup s;
  CHECK(s.get("/setup").status == 403);
  CHECK(s.get("/setup?key=wrong").status == 403);
  CHECK(s.get("/setup/callback?state=abc").status == 400);
  auto bad_org = s.get("/setup?key=k3y&org=%3Cscript%3E");
  CHECK(bad_org.status == 200);
  CHECK_THAT(bad_org.body, Catch::Contains("&lt;script&gt;"));
  CHECK(bad_org.body.find("/organizations/") == std::string::npos);
  auto org = s.get("/setup?key=k3y&org=octo-org");
  CHECK_THAT(org.body, Catch::Contains("action=\"https://github.com/organizations/octo-org/settings/apps/new?state="));
  bool policy = false;
  for (const auto& [name, value] : org.headers) {
    if (name == "Content-Security-Policy") policy = value.find("form-action 'self' https://github.com;") != std::string::npos;
  }
  CHECK(policy);
  Request post{beast_http::verb::post, "/setup", 11};
  std::promise<Response> answer;
  s.page.handle(std::move(post), [&](Response a) { answer.set_value(std::move(a)); });
  CHECK(answer.get_future().get().status == 405);
}
