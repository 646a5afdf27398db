#include "features/pull_request.hpp"

#include <algorithm>
#include <cctype>

#include <spdlog/spdlog.h>

#include "core/errors.hpp"
#include "features/review/review.hpp"
#include "history/contributors.hpp"
#include "render/escape.hpp"

namespace mentorbot::features {
namespace {

// Without a history to ask (no mirror configured), GitHub's own field is all there is.
history::Classification from_association(const PullRequest& pr, int threshold) {
  history::Facts f;
  f.login = pr.author;
  f.association = pr.association;
  f.bot = pr.author_is_bot;
  f.history_available = pr.association == "FIRST_TIMER" || pr.association == "FIRST_TIME_CONTRIBUTOR";
  return history::classify(f, threshold);
}

// Whether a rule this repository runs reads commit messages (else the commits are not fetched).
bool wants_commits(const std::vector<review::Rule>* rules, const RepoConfig& config) {
  auto in_force = review::rules_for(rules, config);
  return std::any_of(in_force.begin(), in_force.end(),
                     [](const review::Rule& r) { return r.trigger == review::Trigger::commit_message; });
}

}  // namespace

bool plain_login(const std::string& login) {
  if (login.empty() || login.size() > 39 || login.front() == '-' || login.back() == '-') return false;
  if (login.find("--") != std::string::npos) return false;
  return std::all_of(login.begin(), login.end(), [](unsigned char c) { return std::isalnum(c) || c == '-'; });
}

std::optional<PullRequest> pull_request_of(const github::Event& e) {
  const auto& p = e.payload;
  auto installation = e.installation_id();
  auto repo = e.repo();
  auto number = json_int(p, {"pull_request", "number"});
  if (!number) number = json_int(p, {"number"});
  if (!installation || !repo || !number) return std::nullopt;
  PullRequest pr;
  pr.installation = *installation;
  pr.repo = *repo;
  pr.number = *number;
  pr.title = json_string(p, {"pull_request", "title"}).value_or("");
  pr.body = json_string(p, {"pull_request", "body"}).value_or("");
  pr.author = json_string(p, {"pull_request", "user", "login"}).value_or("");
  pr.author_is_bot = github::is_bot(json_find(p, {"pull_request", "user"}));
  pr.association = history::association_of(json_string(p, {"pull_request", "author_association"}).value_or(""));
  pr.head_sha = json_string(p, {"pull_request", "head", "sha"}).value_or("");
  pr.draft = json_bool(p, {"pull_request", "draft"}).value_or(false);
  pr.merged = json_bool(p, {"pull_request", "merged"}).value_or(false);
  pr.repo_url = json_string(p, {"repository", "html_url"}).value_or("https://github.com/" + pr.repo);
  pr.additions = static_cast<int>(json_int(p, {"pull_request", "additions"}).value_or(0));
  pr.deletions = static_cast<int>(json_int(p, {"pull_request", "deletions"}).value_or(0));
  pr.changed_files = static_cast<int>(json_int(p, {"pull_request", "changed_files"}).value_or(0));
  return pr;
}

const RepoConfig& config_of(Context& context) {
  if (context.config) return *context.config;
  auto repo = context.event.repo();
  auto installation = context.event.installation_id();
  if (context.ports.configs && repo && installation) {
    context.config = context.ports.configs->config(*installation, *repo);
  } else {
    context.config = RepoConfig{};
    context.config->newcomer_threshold = context.ports.newcomer_threshold;
  }
  return *context.config;
}

const history::Classification& author_of(Context& context) {
  if (context.author) return *context.author;
  auto pr = pull_request_of(context.event);
  int threshold = config_of(context).newcomer_threshold;
  history::Classification who;
  if (!pr) {
    who.reason = "the payload names no pull request";
  } else if (!context.ports.contributors) {
    who = from_association(*pr, threshold);
  } else {
    history::Facts facts;
    try {
      facts = context.ports.contributors->pull_request_author(context.event, threshold);
    } catch (const history::GitError& error) {
      // The mirror may come back; on the last try, nobody can tell, and nobody is greeted.
      if (!context.last_attempt) throw;
      spdlog::warn("delivery {}: the history of {} is not available ({}); treating the author as unknown",
                   context.event.delivery, pr->repo, error.what());
    }
    who = history::classify(facts, threshold);
  }
  if (pr) {
    spdlog::info("delivery {}: author {} of {}#{} is {}: {}", context.event.delivery, pr->author, pr->repo, pr->number,
                 history::to_string(who.status), who.reason);
  }
  context.author = who;
  return *context.author;
}

const review::PullRequestFacts& facts_of(Context& context) {
  if (context.facts) return *context.facts;
  review::PullRequestFacts facts;
  auto pr = pull_request_of(context.event);
  if (pr) {
    facts.body = pr->body;
    if (auto* reader = context.ports.pull_requests) {
      facts.files = reader->files(pr->installation, pr->repo, pr->number);
      if (wants_commits(context.ports.rules, config_of(context))) {
        facts.commits = reader->commits(pr->installation, pr->repo, pr->number);
      }
    }
  }
  context.facts = std::move(facts);
  return *context.facts;
}

render::Data template_data(const PullRequest& pr, const history::Classification& who) {
  render::Data d;
  // A login that is not a plain login is shown, never mentioned (the template puts the @).
  d.set("author", plain_login(pr.author) ? pr.author : render::defuse_mentions(pr.author));
  d.set("repo", pr.repo);
  render::Data p;
  p.set("number", std::to_string(pr.number));
  p.set("title", pr.title);
  d.set("pr", p);
  std::string status(history::to_string(who.status));
  d.set("status", status);
  d.set("is_" + status, render::Data::type::bool_true);
  d.set("repo_url", pr.repo_url);
  return d;
}

std::string words(const render::Templates* templates, const RepoConfig& config, const std::string& name,
                  const render::Data& data) {
  if (!templates) throw PermanentError("no templates are loaded");
  std::optional<std::string> custom;
  if (auto it = config.templates.find(name); it != config.templates.end()) custom = it->second;
  try {
    return templates->render(config.tone, name, data, custom);
  } catch (const render::TemplateError& e) {
    if (!custom) throw;
    // The repository's own words do not render: say so once, and use ours.
    spdlog::warn("{}; using the built-in template", e.what());
    return templates->render(config.tone, name, data);
  }
}

}  // namespace mentorbot::features
