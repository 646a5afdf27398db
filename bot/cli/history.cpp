// `mentorbot history REPO_DIR WHO`: what the author index of a local repository says about a
// login or an address.
#include <chrono>
#include <ctime>
#include <iostream>

#include "cli/verbs.hpp"
#include "core/errors.hpp"
#include "history/classify.hpp"
#include "history/git.hpp"
#include "history/identity.hpp"
#include "history/local_history.hpp"

namespace mentorbot::cli {
namespace {

std::string day(std::int64_t unix_seconds) {
  std::time_t t = unix_seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[16];
  std::strftime(out, sizeof out, "%Y-%m-%d", &tm);
  return out;
}

}  // namespace

int history(const Args& args) {
  if (args.positional.size() != 2) throw ConfigError("usage: mentorbot history REPO_DIR WHO");
  const auto& dir = args.positional[0];
  const auto& who = args.positional[1];
  auto started = std::chrono::steady_clock::now();
  history::LocalHistory local;
  try {
    local = history::read_local_history(dir);
  } catch (const history::GitError& e) {
    throw ConfigError(e.what());
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  const auto& index = *local.index;

  bool by_email = who.find('@') != std::string::npos;
  const history::Author* person = by_email ? index.find("", who) : index.find_login(who);
  history::Facts facts;
  facts.login = who;
  facts.history_available = true;
  facts.history_commits = person ? person->commits : 0;
  facts.matched = person ? (by_email ? "email " : "login ") + history::lower(who) : "";
  auto c = history::classify(facts, 3);
  std::cout << "who: " << who << "\n";
  std::cout << "status: " << history::to_string(c.status) << " (" << c.reason << "; newcomer threshold 3)\n";
  if (person) {
    std::cout << "person: " << person->name << " <" << person->email << ">\n";
    std::cout << "addresses:";
    for (std::size_t i = 0; i < person->emails.size(); ++i) std::cout << (i ? ", " : " ") << person->emails[i];
    std::cout << "\n";
    if (person->login) {
      std::cout << "login: " << *person->login;
      if (person->github_id) std::cout << " (GitHub id " << *person->github_id << ")";
      std::cout << "\n";
    }
    std::cout << "commits: " << person->commits << "\n";
    std::cout << "first commit: " << day(person->first_commit_at) << "\n";
  } else {
    std::cout << "no commit on " << local.branch << " by " << who << "\n";
  }
  std::cout << "history: " << local.branch << " at " << local.tip.substr(0, 12) << ", " << local.commits
            << " commits by " << index.authors().size() << " people, read in " << ms << " ms\n";
  return 0;
}

}  // namespace mentorbot::cli
