#pragma once
// The world the GitHub integration tests run in: a fake GitHub on loopback, the App's keys,
// and a real git repository the payloads point at (two commits by its maintainer on main, and
// a newcomer's commit that the pull requests propose).
#include <chrono>
#include <string>
#include <thread>

#include "fakes/fake_github.hpp"
#include "support/git_repo.hpp"
#include "support/keys.hpp"
#include "support/running_bot.hpp"
#include "support/temp_dir.hpp"

namespace testing {

inline const std::string world_repo = "Codertocat/Hello-World";

struct World {
  TempDir keys;
  FakeGitHub github{test_app_key().public_pem, "424242"};
  GitRepo git{keys.path() / "repo"};
  std::string base, head;

  World();

  // The octokit fixture, turned into a first-time contributor's PR numbered `number` in that
  // repository, proposing `head`.
  std::string first_timer_pr(int number = 2);
  // The same PR as `action` (synchronize: at `new_head`), with changes applied to the JSON.
  std::string pr_event(const std::string& action, int number, const std::string& sha);
  // `count` pull requests of the past in `repo` on the fake GitHub (for the backfill), opened
  // over the last 80 days by newcomers and now and then a maintainer; every other one reviewed by
  // a maintainer (approved or changes asked), every third merged a day later, every seventh of
  // the rest closed; every one has a bot's comment, which is never a response.
  void add_past_pulls(const std::string& repo, int count);
  // The environment of a live bot talking to the fake GitHub.
  Env env(const std::string& private_key_pem = test_app_key().private_pkcs1, Env extra = {});
};

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds within = std::chrono::seconds(15)) {
  auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

}  // namespace testing
