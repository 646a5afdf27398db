#include "support/git_repo.hpp"

#include <cstdio>
#include <stdexcept>

#include "support/files.hpp"

namespace testing {
namespace {

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string run(const std::string& command) {
  std::string out;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) throw std::runtime_error("cannot run " + command);
  char buffer[4096];
  while (std::size_t n = fread(buffer, 1, sizeof buffer, p)) out.append(buffer, n);
  int status = pclose(p);
  if (status != 0) throw std::runtime_error(command + " failed:\n" + out);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace

GitRepo::GitRepo(const std::filesystem::path& dir, const std::string& branch) : dir_(dir) {
  std::filesystem::create_directories(dir_);
  run("git init -q --bare -b " + branch + " " + quote(origin().string()));
  run("git init -q -b " + branch + " " + quote(work().string()));
  git("remote add origin " + quote(origin().string()));
}

std::string GitRepo::git(const std::string& args, const Person* who) const {
  std::string env = "GIT_CONFIG_NOSYSTEM=1 HOME=" + quote(dir_.string()) + " ";
  if (who) {
    auto when = std::to_string(1609459200 + 60 * ++clock_) + " +0000";
    env += "GIT_AUTHOR_NAME=" + quote(who->name) + " GIT_AUTHOR_EMAIL=" + quote(who->email) +
           " GIT_COMMITTER_NAME=" + quote(who->name) + " GIT_COMMITTER_EMAIL=" + quote(who->email) +
           " GIT_AUTHOR_DATE=" + quote(when) + " GIT_COMMITTER_DATE=" + quote(when) + " ";
  }
  return run(env + "git -C " + quote(work().string()) + " " + args);
}

std::string GitRepo::commit(const Person& author, const std::string& message, const std::string& file,
                            const std::string& content) {
  auto path = work() / file;
  std::filesystem::create_directories(path.parent_path());
  std::string existing;
  try {
    existing = read_file(path.string());
  } catch (...) {
  }
  write_file(path.string(), existing + (content.empty() ? message : content) + "\n");
  git("add " + quote(file));
  git("commit -q -m " + quote(message), &author);
  return sha("HEAD");
}

void GitRepo::push(const std::string& branch) { git("push -q -f origin HEAD:refs/heads/" + branch); }

void GitRepo::checkout(const std::string& branch, const std::string& from) {
  git("checkout -q -B " + quote(branch) + " " + quote(from));
}

std::string GitRepo::merge(const Person& author, const std::string& branch) {
  git("merge -q --no-ff -m " + quote("Merge " + branch) + " " + quote(branch), &author);
  return sha("HEAD");
}

void GitRepo::pull_ref(std::int64_t number, const std::string& sha_) {
  git("push -q -f origin " + sha_ + ":refs/pull/" + std::to_string(number) + "/head");
}

std::string GitRepo::sha(const std::string& rev) const { return git("rev-parse " + quote(rev)); }

}  // namespace testing
