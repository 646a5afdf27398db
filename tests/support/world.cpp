#include "support/world.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

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

}  // namespace testing
