#include "features/review/review.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "core/hash.hpp"
#include "core/overloaded.hpp"
#include "github/client.hpp"

namespace mentorbot::features::review {
namespace {

using store::outbox::Write;

// A bound for people who are not new: a real problem rarely needs more than this many notes.
constexpr int most_for_regulars = 10;

store::outbox::InlineComment inline_comment(const Finding& f, const std::string& body) {
  return {f.path, f.line, "RIGHT", body, f.rule};
}

std::string summary(const github::PullRequestEvent& e, bool newcomer, const Selection& shown, int inline_total,
                    bool all_clear, const Words& words) {
  render::Data data = pull_request_data(e.repository, e.pull_request);
  if (newcomer) data.set("for_newcomer", render::Data::type::bool_true);
  if (all_clear) data.set("all_clear", render::Data::type::bool_true);
  render::Data notes{render::Data::type::list};
  for (const auto& n : shown.notes) {
    render::Data item;
    item.set("rule", n.rule);
    item.set("message", n.message);
    notes.push_back(item);
  }
  data.set("notes", notes);
  render::Data suggestions{render::Data::type::list};
  for (const auto* list : {&shown.notes, &shown.inline_comments}) {
    for (const auto& s : *list) {
      render::Data item;
      item.set("rule", s.rule);
      item.set("path", s.path);
      item.set("line", std::to_string(s.line));
      item.set("message", s.message);
      if (s.line > 0) item.set("inline", render::Data::type::bool_true);
      suggestions.push_back(item);
    }
  }
  data.set("suggestions", suggestions);
  if (inline_total > 0 && !all_clear) data.set("inline_count", std::to_string(inline_total));
  if (inline_total == 1) data.set("one_inline", render::Data::type::bool_true);
  render::Data questions{render::Data::type::list};
  if (newcomer && !all_clear) {
    render::Data q;
    if (!shown.questions.empty()) q.set("question", shown.questions.front());
    questions.push_back(render::Data(words("question", q)));
  }
  data.set("questions", questions);
  return words("review_summary", data);
}

std::string suggestion(const Finding& f, const Words& words) {
  render::Data data;
  data.set("rule", f.rule);
  data.set("path", f.path);
  data.set("line", std::to_string(f.line));
  data.set("message", f.message);
  return words("suggestion", data);
}

}  // namespace

Previous previous_from(const std::vector<store::outbox::Row>& rows) {
  Previous p;
  auto note = [&p](const store::outbox::InlineComment& c) {
    p.commented.emplace(c.path, c.line, c.rule);
    p.rules_commented.insert(c.rule);
    ++p.inline_count;
  };
  for (const auto& row : rows) {
    if (!row.unreadable.empty() || !row.write.key.starts_with("review")) continue;
    std::visit(Overloaded{
                   [&](const store::outbox::Review& r) {
                     p.reviewed = true;
                     p.summary = r.body;
                     for (const auto& c : r.comments) note(c);
                   },
                   [&](const store::outbox::ReviewEdit& e) { p.summary = e.body; },
                   [&](const store::outbox::ReviewComment& c) { note(c.comment); },
                   [](const auto&) {},
               },
               row.write.change);
  }
  return p;
}

bool wants_review(const github::PullRequestEvent& e) {
  if (e.action != "opened" && e.action != "reopened" && e.action != "ready_for_review" && e.action != "synchronize") {
    return false;
  }
  const auto& pr = e.pull_request;
  return pr.state == "open" && !pr.draft && !pr.author.bot && e.installation;
}

std::vector<Write> decide(const github::PullRequestEvent& e, const Settings& settings, const Facts& facts,
                          const Words& words) {
  std::vector<Write> out;
  if (!wants_review(e) || !settings.enabled) return out;
  const auto& pr = e.pull_request;
  const auto& repo = e.repository.full_name;
  const auto& previous = facts.previous;
  bool newcomer = facts.newcomer;
  int most = newcomer ? settings.max_suggestions : most_for_regulars;
  auto shown = select(facts.findings, newcomer, most);
  auto key = repo + "#" + std::to_string(pr.number);

  if (!previous.reviewed) {
    if (shown.empty()) return out;  // nothing to say: no review at all
    store::outbox::Review review{pr.head_sha, summary(e, newcomer, shown, static_cast<int>(shown.inline_comments.size()), false, words), {}};
    for (const auto& f : shown.inline_comments) review.comments.push_back(inline_comment(f, suggestion(f, words)));
    out.push_back({"review:" + key, *e.installation, repo, pr.number, std::move(review)});
    return out;
  }

  // A new commit: new inline comments only where nothing was said before (for a newcomer,
  // nothing more about a rule already raised), within what is left of the budget.
  int budget = std::max(0, most - previous.inline_count);
  std::vector<Finding> fresh;
  for (const auto& f : shown.inline_comments) {
    if (static_cast<int>(fresh.size()) >= budget) break;
    if (previous.commented.count({f.path, f.line, f.rule})) continue;
    if (newcomer && previous.rules_commented.count(f.rule)) continue;
    fresh.push_back(f);
  }
  for (const auto& f : fresh) {
    out.push_back({"review-comment:" + key + ":" + f.rule + ":" + std::to_string(f.line) + ":" + short_hash(f.path),
                   *e.installation, repo, pr.number,
                   store::outbox::ReviewComment{pr.head_sha, inline_comment(f, suggestion(f, words))}});
  }
  const auto& findings = facts.findings;
  bool all_clear = findings.empty() ||
                   std::none_of(findings.begin(), findings.end(), [newcomer](const Finding& f) {
                     return newcomer || f.audience == Audience::everyone;
                   });
  Selection kept = shown;
  kept.inline_comments = fresh;
  auto body = summary(e, newcomer, kept, previous.inline_count + static_cast<int>(fresh.size()), all_clear, words);
  if (body != previous.summary) {
    out.push_back({"review-edit:" + key + "@" + (pr.head_sha.empty() ? short_hash(body) : pr.head_sha),
                   *e.installation, repo, pr.number, store::outbox::ReviewEdit{"review:" + key, body}});
  }
  return out;
}

void handle(const github::PullRequestEvent& e, Context& context, const std::vector<Rule>* rules) {
  if (!wants_review(e)) return;
  auto& sources = context.sources;
  const auto& config = sources.read_config(*e.installation, e.repository.full_name);
  if (!config.review.enabled) return;
  const auto& pr = e.pull_request;
  Facts facts;
  facts.newcomer = history::is_new(sources.classify_author(e, config.newcomer_threshold).status);
  auto in_force = rules_for(rules, config.review);
  PullRequestFacts change{pr.body, {}, {}};
  try {
    change.files = sources.read_files(e);
    bool reads_commits = std::any_of(in_force.begin(), in_force.end(),
                                     [](const Rule& r) { return r.trigger == Trigger::commit_message; });
    if (reads_commits) change.commits = sources.read_commits(e);
  } catch (const github::ApiError& error) {
    // The pull request is gone or not ours to read: there is nothing to review.
    spdlog::warn("delivery {}: cannot read the changes of {}#{} ({}); no review", context.delivery,
                 e.repository.full_name, pr.number, error.what());
    return;
  } catch (const std::exception& error) {
    if (!context.last_attempt) throw;
    spdlog::warn("delivery {}: the changes of {}#{} could not be read on the last attempt ({}); no review",
                 context.delivery, e.repository.full_name, pr.number, error.what());
    return;
  }
  facts.findings = evaluate(in_force, change);
  facts.previous = previous_from(sources.planned_on(e.repository.full_name, pr.number));
  auto writes = decide(e, config.review, facts, Words(context.templates, config));
  spdlog::info("delivery {}: {} finding(s) on {}#{}, {} write(s) planned", context.delivery, facts.findings.size(),
               e.repository.full_name, pr.number, writes.size());
  for (auto& w : writes) context.handover.write(std::move(w));
}

}  // namespace mentorbot::features::review
