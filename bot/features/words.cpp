#include "features/words.hpp"

#include <algorithm>
#include <cctype>

#include <spdlog/spdlog.h>

#include "core/errors.hpp"
#include "render/escape.hpp"

namespace mentorbot::features {

Words::Words(const render::Templates* templates, const RepoConfig& config)
    : Words(templates, config.tone, config.templates) {}

Words::Words(const render::Templates* templates, std::string tone, std::map<std::string, std::string> overrides)
    : templates_(templates), tone_(std::move(tone)), overrides_(std::move(overrides)) {}

std::string Words::operator()(const std::string& name, const render::Data& data) const {
  if (!templates_) throw PermanentError("no templates are loaded");
  auto custom = overrides_.find(name);
  if (custom == overrides_.end()) return templates_->render(tone_, name, data);
  try {
    return templates_->render(tone_, name, data, custom->second);
  } catch (const render::TemplateError& e) {
    // The repository's own words do not render: say so once, and use ours.
    spdlog::warn("{}; using the built-in template", e.what());
    return templates_->render(tone_, name, data);
  }
}

bool plain_login(const std::string& login) {
  if (login.empty() || login.size() > 39 || login.front() == '-' || login.back() == '-') return false;
  if (login.find("--") != std::string::npos) return false;
  return std::all_of(login.begin(), login.end(), [](unsigned char c) { return std::isalnum(c) || c == '-'; });
}

std::string shown_login(const std::string& login) {
  return plain_login(login) ? login : render::defuse_mentions(login);
}

render::Data pull_request_data(const github::Repository& repo, const github::PullRequest& pr, history::Status status) {
  render::Data d;
  // A login that is not a plain login is shown, never mentioned (the template puts the @).
  d.set("author", shown_login(pr.author.login));
  d.set("repo", repo.full_name);
  render::Data p;
  p.set("number", std::to_string(pr.number));
  p.set("title", pr.title);
  d.set("pr", p);
  std::string name(history::to_string(status));
  d.set("status", name);
  d.set("is_" + name, render::Data::type::bool_true);
  d.set("repo_url", repo.html_url);
  return d;
}

}  // namespace mentorbot::features
