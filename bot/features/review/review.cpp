#include "features/review/review.hpp"

#include <algorithm>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "core/hash.hpp"
#include "github/client.hpp"
#include "store/store.hpp"

namespace mentorbot::features::review {
namespace {

using store::outbox::Write;

// A bound for people who are not new: a real problem rarely needs more than this many notes.
constexpr int most_for_regulars = 10;

std::string pr_key(const PullRequest& pr) { return pr.repo + "#" + std::to_string(pr.number); }

json::object inline_comment(const Finding& f, const std::string& body) {
  return {{"path", f.path}, {"line", f.line}, {"side", "RIGHT"}, {"body", body}, {"rule", f.rule}};
}

std::string summary(const PullRequest& pr, bool newcomer, const Selection& shown, int inline_total, bool all_clear,
                    const Words& words) {
  render::Data data = template_data(pr, {});
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
  auto note = [&p](const json::value& c) {
    auto path = json_string(c, {"path"}).value_or("");
    auto line = static_cast<int>(json_int(c, {"line"}).value_or(0));
    auto rule = json_string(c, {"rule"}).value_or("");
    p.commented.emplace(path, line, rule);
    p.rules_commented.insert(rule);
    ++p.inline_count;
  };
  for (const auto& row : rows) {
    if (row.kind != "review" && row.kind != "review_edit" && row.kind != "review_comment") continue;
    if (!row.key.starts_with("review")) continue;
    json::error_code ec;
    auto payload = json::parse(row.payload, ec);
    if (ec || !payload.is_object()) continue;
    if (row.kind == "review") {
      p.reviewed = true;
      p.summary = json_string(payload, {"body"}).value_or("");
      if (auto* comments = payload.as_object().if_contains("comments"); comments && comments->is_array()) {
        for (const auto& c : comments->as_array()) note(c);
      }
    } else if (row.kind == "review_edit") {
      p.summary = json_string(payload, {"body"}).value_or(p.summary);
    } else {
      note(payload);
    }
  }
  return p;
}

bool wants_review(const github::Event& e) {
  if (e.name != "pull_request") return false;
  if (e.action != "opened" && e.action != "reopened" && e.action != "ready_for_review" && e.action != "synchronize") {
    return false;
  }
  if (json_string(e.payload, {"pull_request", "state"}).value_or("open") != "open") return false;
  return !json_bool(e.payload, {"pull_request", "draft"}).value_or(false);
}

std::vector<Rule> rules_for(const std::vector<Rule>* built_in, const RepoConfig& config) {
  std::vector<Rule> out;
  auto wanted = [&config](const Rule& r) {
    return std::find(config.disabled_rules.begin(), config.disabled_rules.end(), r.id) == config.disabled_rules.end();
  };
  auto own = [&config](const Rule& r) {
    return std::any_of(config.extra_rules.begin(), config.extra_rules.end(),
                       [&r](const Rule& mine) { return mine.id == r.id; });
  };
  if (built_in) {
    for (const auto& r : *built_in) {
      if (wanted(r) && !own(r)) out.push_back(r);
    }
  }
  for (const auto& r : config.extra_rules) {
    if (wanted(r)) out.push_back(r);
  }
  return out;
}

std::vector<Write> decide(const PullRequest& pr, bool newcomer, const RepoConfig& config,
                          const std::vector<Finding>& findings, const Previous& previous, const Words& words) {
  std::vector<Write> out;
  int most = newcomer ? config.max_suggestions : most_for_regulars;
  auto shown = select(findings, newcomer, most);
  auto key = pr_key(pr);

  if (!previous.reviewed) {
    if (shown.empty()) return out;  // nothing to say: no review at all
    json::array comments;
    for (const auto& f : shown.inline_comments) comments.push_back(inline_comment(f, suggestion(f, words)));
    json::object payload;
    if (!pr.head_sha.empty()) payload["commit_id"] = pr.head_sha;
    payload["body"] = summary(pr, newcomer, shown, static_cast<int>(shown.inline_comments.size()), false, words);
    payload["comments"] = std::move(comments);
    out.push_back({"review:" + key, pr.installation, pr.repo, pr.number, "review", json::serialize(payload)});
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
    json::object payload;
    if (!pr.head_sha.empty()) payload["commit_id"] = pr.head_sha;
    auto c = inline_comment(f, suggestion(f, words));
    for (auto& [k, v] : c) payload[k] = v;
    out.push_back({"review-comment:" + key + ":" + f.rule + ":" + std::to_string(f.line) + ":" + short_hash(f.path),
                   pr.installation, pr.repo, pr.number, "review_comment", json::serialize(payload)});
  }
  bool all_clear = findings.empty() ||
                   std::none_of(findings.begin(), findings.end(), [newcomer](const Finding& f) {
                     return newcomer || f.audience == Audience::everyone;
                   });
  Selection kept = shown;
  kept.inline_comments = fresh;
  auto body = summary(pr, newcomer, kept, previous.inline_count + static_cast<int>(fresh.size()), all_clear, words);
  if (body != previous.summary) {
    json::object payload{{"of", "review:" + key}, {"body", body}};
    out.push_back({"review-edit:" + key + "@" + (pr.head_sha.empty() ? short_hash(body) : pr.head_sha),
                   pr.installation, pr.repo, pr.number, "review_edit", json::serialize(payload)});
  }
  return out;
}

void handle(Context& context) {
  const auto& e = context.event;
  if (!wants_review(e)) return;
  auto pr = pull_request_of(e);
  if (!pr || pr->author_is_bot) return;
  const auto& config = config_of(context);
  if (!config.review_enabled) return;
  const auto& who = author_of(context);
  bool newcomer = history::is_new(who.status);

  const PullRequestFacts* facts = nullptr;
  try {
    facts = &facts_of(context);
  } catch (const github::ApiError& error) {
    // The pull request is gone or not ours to read: there is nothing to review.
    spdlog::warn("delivery {}: cannot read the changes of {}#{} ({}); no review", e.delivery, pr->repo, pr->number,
                 error.what());
    return;
  } catch (const std::exception& error) {
    if (!context.last_attempt) throw;
    spdlog::warn("delivery {}: the changes of {}#{} could not be read on the last attempt ({}); no review",
                 e.delivery, pr->repo, pr->number, error.what());
    return;
  }
  auto rules = rules_for(context.ports.rules, config);
  auto findings = evaluate(rules, *facts);
  Previous previous;
  if (context.ports.store) {
    previous = previous_from(context.ports.store->read(
        [&](store::Db& db) { return store::outbox::for_pull_request(db, pr->repo, pr->number); }));
  }
  Words render_words = [&](const std::string& name, const render::Data& data) {
    return words(context, config, name, data);
  };
  auto writes = decide(*pr, newcomer, config, findings, previous, render_words);
  spdlog::info("delivery {}: {} finding(s) on {}#{}, {} write(s) planned", e.delivery, findings.size(), pr->repo,
               pr->number, writes.size());
  for (auto& w : writes) context.write(std::move(w));
}

}  // namespace mentorbot::features::review
