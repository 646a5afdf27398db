#pragma once
// What the pull request features share: the pull request as a payload names it, and the answers
// every one of them needs (who the author is, the repository's config, the diff), each asked
// once per delivery and kept on the Context.
#include <cstdint>
#include <optional>
#include <string>

#include "features/registry.hpp"
#include "render/templates.hpp"

namespace mentorbot::features {

struct PullRequest {
  std::int64_t installation = 0;
  std::string repo;  // owner/name
  std::int64_t number = 0;
  std::string title;
  std::string body;
  std::string author;  // login
  bool author_is_bot = false;
  std::string association;  // upper case
  std::string head_sha;
  bool draft = false;
  bool merged = false;
  std::string repo_url;  // https://github.com/owner/name (or the GHE host)
  int additions = 0;
  int deletions = 0;
  int changed_files = 0;
};

// The pull request of a pull_request (or pull_request_review) event; nullopt when the payload
// lacks what every write needs (installation, repository, number).
std::optional<PullRequest> pull_request_of(const github::Event& event);

// Who the author is: the history and the API through Ports::contributors, or GitHub's own
// field when there is no history to ask. On the last attempt an unreachable history makes the
// author "unknown" (nobody is greeted) instead of failing the delivery.
const history::Classification& author_of(Context& context);
// The repository's config, or the defaults.
const RepoConfig& config_of(Context& context);
// The files (and, when a rule looks at commit messages, the commits). Throws what the reader
// throws; without a reader, only the description is known.
const review::PullRequestFacts& facts_of(Context& context);

// The variables every template gets: author, repo, pr.number, pr.title, status, is_<status>.
render::Data template_data(const PullRequest& pr, const history::Classification& who);
// Renders template `name` in the repository's tone, or its override from the config (ours
// when the override does not render). Throws PermanentError without templates.
std::string words(const render::Templates* templates, const RepoConfig& config, const std::string& name,
                  const render::Data& data);
inline std::string words(const Context& context, const RepoConfig& config, const std::string& name,
                         const render::Data& data) {
  return words(context.ports.templates, config, name, data);
}

// GitHub logins are letters, digits and single inner hyphens, at most 39; anything else is
// never mentioned.
bool plain_login(const std::string& login);

}  // namespace mentorbot::features
