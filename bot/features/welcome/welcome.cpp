#include "features/welcome/welcome.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "core/glob.hpp"
#include "core/time.hpp"
#include "render/escape.hpp"

namespace mentorbot::features::welcome {
namespace {

constexpr const char* test_globs[] = {"**/test/**", "**/tests/**", "**/__tests__/**", "**/spec/**", "*_test.*",
                                      "*.test.*",   "*_spec.*",    "*.spec.*",        "test_*.py", "*Test.java"};
constexpr const char* doc_globs[] = {"*.md", "*.rst", "*.txt", "*.adoc", "**/docs/**", "**/doc/**"};

template <std::size_t N>
bool matches(const char* const (&globs)[N], const std::string& path) {
  return std::any_of(std::begin(globs), std::end(globs), [&](const char* g) { return glob_match(g, path); });
}

}  // namespace

bool wants_welcome(const github::PullRequestEvent& e) {
  if (e.action != "opened" && e.action != "reopened" && e.action != "ready_for_review") return false;
  return !e.pull_request.draft && !e.pull_request.author.bot && e.installation.has_value();
}

Observation observe(const github::PullRequest& pr, const std::vector<github::ChangedFile>* files) {
  using K = Observation::Kind;
  if (files && !files->empty()) {
    bool tests = false, code = false, docs_only = true;
    int changed = 0;
    for (const auto& f : *files) {
      bool test = matches(test_globs, f.path);
      bool doc = matches(doc_globs, f.path);
      tests = tests || test;
      code = code || (!test && !doc);
      docs_only = docs_only && doc;
      changed += f.additions + f.deletions;
    }
    if (tests && code) return {K::tests, ""};
    if (docs_only) return {K::docs, ""};
    if (files->size() == 1 && changed <= 60) return {K::focused, files->front().path};
  } else if (pr.changed_files > 0 && pr.changed_files <= 2 && pr.additions + pr.deletions <= 60) {
    return {K::small, ""};
  }
  if (github::description_length(pr.body) >= 120) return {K::description, ""};
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

std::optional<store::outbox::Write> decide(const github::PullRequestEvent& e, const Settings& settings,
                                           const history::Classification& author, const Observation& noticed,
                                           const Words& words, std::optional<std::int64_t> usual_reply_s) {
  if (!wants_welcome(e) || !settings.enabled || !history::is_new(author.status)) return std::nullopt;
  const auto& pr = e.pull_request;
  auto data = pull_request_data(e.repository, pr, author.status);
  add_observation(data, noticed);
  if (usual_reply_s) {
    data.set("expected_reply", spoken_duration(*usual_reply_s));
  } else if (!settings.expected_response.empty()) {
    data.set("expected_response", settings.expected_response);
  }
  return store::outbox::Write{"welcome:" + e.repository.full_name + "#" + std::to_string(pr.number),
                              *e.installation, e.repository.full_name, pr.number,
                              store::outbox::Comment{words("welcome", data)}};
}

void handle(const github::PullRequestEvent& e, Context& context) {
  if (!wants_welcome(e)) return;
  auto& sources = context.sources;
  const auto& config = sources.read_config(*e.installation, e.repository.full_name);
  if (!config.welcome.enabled) return;
  const auto& author = sources.classify_author(e, config.newcomer_threshold);
  if (!history::is_new(author.status)) return;
  Observation noticed;
  try {
    noticed = observe(e.pull_request, &sources.read_files(e));
  } catch (const std::exception& error) {
    // The observation is a kindness, not a reason to hold back the welcome.
    spdlog::info("delivery {}: no diff for the welcome's observation ({})", context.delivery, error.what());
    noticed = observe(e.pull_request, nullptr);
  }
  auto usual = sources.usual_first_response_s(e.repository.full_name, e.pull_request.number,
                                              config.welcome.response_samples);
  auto write = decide(e, config.welcome, author, noticed, Words(context.templates, config), usual);
  if (write) context.handover.write(std::move(*write));
}

}  // namespace mentorbot::features::welcome
