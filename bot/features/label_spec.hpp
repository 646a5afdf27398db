#pragma once
// The labels mentorbot uses (`labels:` in .github/mentorbot.yml: `first_timer`, for a
// first-timer's pull request, and `needs_review`, the nudge's), and the write that makes one
// exist in a repository as configured. Shared by the labels and the nudge features.
#include <cstdint>
#include <string>

#include "core/yaml_check.hpp"
#include "store/outbox.hpp"

namespace mentorbot::features {

struct LabelSpec {
  std::string name;
  std::string color;  // six hex digits, no '#'
  std::string description;
};

struct LabelSettings {
  LabelSpec first_timer{"first-time contributor", "7057ff", "Their first pull request to this repository"};
  LabelSpec needs_review{"needs-review", "fbca04", "Waiting for a first response from a maintainer"};
};

void read_label_settings(YamlChecker& check, const YAML::Node& section, LabelSettings& into);

// The write that makes `label` exist in `repo` as configured (created, or its colour and
// description corrected). Its key follows the configured label, so a changed colour is applied.
store::outbox::Write label_upsert(std::int64_t installation, const std::string& repo, const LabelSpec& label);

}  // namespace mentorbot::features
