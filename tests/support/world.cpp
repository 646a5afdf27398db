#include "support/world.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/clock.hpp"
#include "core/time.hpp"
#include "support/files.hpp"

namespace testing {

World::World() {
  Person mona{"Mona Maintainer", "mona@example.org"};
  git.commit(mona, "Start the project", "README.md");
  base = git.commit(mona, "Explain how to contribute", "CONTRIBUTING.md");
  git.push("main");
  git.checkout("update-readme", base);
  head = git.commit({"Codertocat", "21031067+Codertocat@users.noreply.github.com"}, "Update the README");
  for (int n : {2, 10, 11, 12}) git.pull_ref(n, head);
}

std::string World::pr_event(const std::string& action, int number, const std::string& sha) {
  auto v = boost::json::parse(fixture("pull_request/opened.json"));
  v.as_object()["action"] = action;
  auto& pr = v.as_object()["pull_request"].as_object();
  pr["author_association"] = "FIRST_TIME_CONTRIBUTOR";
  pr["number"] = number;
  pr["head"].as_object()["sha"] = sha;
  pr["base"].as_object()["sha"] = base;
  v.as_object()["number"] = number;
  auto& repository = v.as_object()["repository"].as_object();
  repository["clone_url"] = git.url();
  repository["default_branch"] = "main";
  return boost::json::serialize(v);
}

std::string World::first_timer_pr(int number) { return pr_event("opened", number, head); }

Env World::env(const std::string& private_key_pem, Env extra) {
  auto key_file = keys / "app.pem";
  write_file(key_file, private_key_pem);
  Env e = {{"APP_ID", "424242"},
           {"PRIVATE_KEY_PATH", key_file},
           {"GHE_HOST", github.host()},
           {"GHE_PROTOCOL", "http"},
           {"MENTORBOT_WRITE_INTERVAL_MS", "0"},
           {"MENTORBOT_RETRY_BASE_MS", "100"},
           {"LOG_LEVEL", "debug"}};
  for (auto& [k, v] : extra) e[k] = v;
  return e;
}

void World::add_past_pulls(const std::string& repo, int count) {
  namespace json = boost::json;
  auto now = mentorbot::unix_ms();
  auto at = [](std::int64_t ms) { return mentorbot::format_iso8601(ms); };
  for (int i = 1; i <= count; ++i) {
    std::int64_t created = now - (i % 80 + 1) * 24LL * 3600 * 1000 - i * 60'000LL;
    bool maintainer = i % 10 == 0;
    json::object pull{{"number", i},
                      {"title", "Change " + std::to_string(i)},
                      {"user", json::object{{"login", maintainer ? "omar" : "newbie" + std::to_string(i % 30)},
                                            {"type", "User"}}},
                      {"author_association", maintainer ? "MEMBER" : "FIRST_TIME_CONTRIBUTOR"},
                      {"draft", false},
                      {"created_at", at(created)},
                      {"merged_at", nullptr},
                      {"closed_at", nullptr}};
    if (i % 3 == 0) {
      pull["merged_at"] = at(created + 24LL * 3600 * 1000);
      pull["closed_at"] = pull["merged_at"];
    } else if (i % 7 == 0) {
      pull["closed_at"] = at(created + 48LL * 3600 * 1000);
    }
    json::array reviews;
    if (i % 2 == 0) {
      reviews.push_back(json::object{{"user", json::object{{"login", "mona"}, {"type", "User"}}},
                                     {"author_association", "MEMBER"},
                                     {"state", i % 3 == 0 ? "APPROVED" : "CHANGES_REQUESTED"},
                                     {"submitted_at", at(created + (i % 5 + 1) * 3600'000LL)}});
    }
    json::array comments{json::object{{"user", json::object{{"login", "ci[bot]"}, {"type", "Bot"}}},
                                       {"author_association", "NONE"},
                                       {"created_at", at(created + 60'000)}}};
    github.add_past_pull(repo, pull, reviews, comments);
  }
}

}  // namespace testing
