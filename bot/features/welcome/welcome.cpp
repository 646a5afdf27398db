#include "features/welcome/welcome.hpp"

#include <algorithm>

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "render/escape.hpp"

namespace mentorbot::features::welcome {
namespace {

constexpr const char* test_globs[] = {"**/test/**", "**/tests/**", "**/__tests__/**", "**/spec/**", "*_test.*",
                                      "*.test.*",   "*_spec.*",    "*.spec.*",        "test_*.py", "*Test.java"};
constexpr const char* doc_globs[] = {"*.md", "*.rst", "*.txt", "*.adoc", "**/docs/**", "**/doc/**"};

template <std::size_t N>
bool matches(const char* const (&globs)[N], const std::string& path) {
  return std::any_of(std::begin(globs), std::end(globs), [&](const char* g) { return review::glob_match(g, path); });
}

}  // namespace

bool wants_welcome(const github::Event& e) {
  if (e.name != "pull_request") return false;
  if (e.action != "opened" && e.action != "reopened" && e.action != "ready_for_review") return false;
  return !json_bool(e.payload, {"pull_request", "draft"}).value_or(false);
}

std::optional<Plan> decide(const github::Event& e, const PullRequest& pr, const history::Classification& who,
                           const RepoConfig& config) {
  if (!wants_welcome(e) || !config.welcome_enabled || pr.author_is_bot) return std::nullopt;
  if (!history::is_new(who.status)) return std::nullopt;
  return Plan{"welcome:" + pr.repo + "#" + std::to_string(pr.number), pr.installation, pr.repo, pr.number};
}

Observation observe(const PullRequest& pr, const review::PullRequestFacts& facts) {
  using K = Observation::Kind;
  if (!facts.files.empty()) {
    bool tests = false, code = false, docs_only = true;
    int changed = 0;
    for (const auto& f : facts.files) {
      bool test = matches(test_globs, f.path);
      bool doc = matches(doc_globs, f.path);
      tests = tests || test;
      code = code || (!test && !doc);
      docs_only = docs_only && doc;
      changed += f.additions + f.deletions;
    }
    if (tests && code) return {K::tests, ""};
    if (docs_only) return {K::docs, ""};
    if (facts.files.size() == 1 && changed <= 60) return {K::focused, facts.files.front().path};
  } else if (pr.changed_files > 0 && pr.changed_files <= 2 && pr.additions + pr.deletions <= 60) {
    return {K::small, ""};
  }
  if (review::description_length(pr.body) >= 120) return {K::description, ""};
  return {};
}

void add_observation(render::Data& data, const Observation& o) {
  using K = Observation::Kind;
  const char* flag = nullptr;
  switch (o.kind) {
    case K::none: return;
    case K::tests: flag = "noticed_tests"; break;
    case K::docs: flag = "noticed_docs"; break;
    case K::focused: flag = "noticed_focused"; break;
    case K::small: flag = "noticed_small"; break;
    case K::description: flag = "noticed_description"; break;
  }
  data.set("noticed", render::Data::type::bool_true);
  data.set(flag, render::Data::type::bool_true);
  if (!o.file.empty()) data.set("noticed_file", render::code_span(o.file));
}

void handle(Context& context) {
  const auto& e = context.event;
  if (!wants_welcome(e)) return;
  auto pr = pull_request_of(e);
  if (!pr || pr->author_is_bot) return;
  const auto& config = config_of(context);
  const auto& who = author_of(context);
  auto plan = decide(e, *pr, who, config);
  if (!plan) return;

  Observation noticed;
  try {
    noticed = observe(*pr, facts_of(context));
  } catch (const std::exception& error) {
    // The observation is a kindness, not a reason to hold back the welcome.
    spdlog::info("delivery {}: no diff for the welcome's observation ({})", e.delivery, error.what());
    noticed = observe(*pr, {});
  }
  auto data = template_data(*pr, who);
  add_observation(data, noticed);
  json::object payload;
  payload["body"] = words(context, config, "welcome", data);
  context.write({plan->key, plan->installation_id, plan->repo, plan->number, "comment", json::serialize(payload)});
}

}  // namespace mentorbot::features::welcome
