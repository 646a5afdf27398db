#pragma once
// A repository's files through GitHub's contents API, at its default branch or at one commit
// (`ref`): what the config loader reads (features::RepoFiles).
#include <cstdint>
#include <string>

#include "features/repo_config.hpp"
#include "github/client.hpp"

namespace mentorbot::app {

// A 404 is "no such file"; a refusal (403: no access to the org's .github repository, say) is
// logged and taken as no file. Anything else throws what the client throws (the delivery is
// retried). `ref` (when not empty) is where `ref_repo`'s files are read; every other repository's
// come from its default branch.
features::RepoFiles files_over_rest(github::Client& client, std::int64_t installation, std::string ref = {},
                                    std::string ref_repo = {});

}  // namespace mentorbot::app
