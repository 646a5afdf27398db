#pragma once
// How the features word what they say: every sentence comes from a template of the
// repository's tone (templates/<tone>/<name>.md) or its own override, with the variables
// every pull request template gets. Rendering is pure, so a `decide` that words its writes
// stays a pure function of its inputs.
#include <map>
#include <string>

#include "features/repo_config.hpp"
#include "github/event.hpp"
#include "history/classify.hpp"
#include "render/templates.hpp"

namespace mentorbot::features {

class Words {
 public:
  // `templates` null: every call throws PermanentError (nothing can be worded).
  Words(const render::Templates* templates, const RepoConfig& config);
  Words(const render::Templates* templates, std::string tone, std::map<std::string, std::string> overrides);

  // Template `name` in the repository's tone, or its override (ours when the override does not
  // render). Throws PermanentError without templates.
  std::string operator()(const std::string& name, const render::Data& data) const;

 private:
  const render::Templates* templates_;
  std::string tone_;
  std::map<std::string, std::string> overrides_;
};

// The variables every pull request template gets: author, repo, repo_url, pr.number, pr.title,
// status and is_<status>.
render::Data pull_request_data(const github::Repository& repo, const github::PullRequest& pr,
                               history::Status status = history::Status::unknown);

// GitHub logins are letters, digits and single inner hyphens, at most 39; anything else is
// never mentioned.
bool plain_login(const std::string& login);
// A login as a template shows it after its @: as it is when plain, else with mentions defused.
std::string shown_login(const std::string& login);

}  // namespace mentorbot::features
