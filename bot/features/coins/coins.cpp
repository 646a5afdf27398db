#include "features/coins/coins.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

#include <boost/beast/core/string.hpp>
#include <boost/json/serialize.hpp>

#include "core/clock.hpp"
#include "core/time.hpp"
#include "render/escape.hpp"
#include "store/store.hpp"

namespace mentorbot::features::coins {
namespace {

std::string pr_key(const std::string& repo, std::int64_t number) { return repo + "#" + std::to_string(number); }

std::int64_t time_or_now(const std::optional<std::string>& text) {
  if (text) {
    if (auto ms = parse_iso8601_ms(*text)) return *ms;
  }
  return unix_ms();
}

std::string trim(std::string s) {
  auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  s.erase(s.begin(), std::find_if_not(s.begin(), s.end(), space));
  s.erase(std::find_if_not(s.rbegin(), s.rend(), space).base(), s.end());
  return s;
}

std::string badge_url(const Context& context, const std::string& login) {
  if (context.ports.public_url.empty() || !plain_login(login)) return "";
  return context.ports.public_url + "/badges/" + login + ".svg";
}

// The first sprint this award counts for, if any runs (its name goes into the comment).
std::optional<store::coins::Sprint> sprint_of(store::Db& db, const store::coins::Award& award) {
  for (auto& s : store::coins::sprints(db)) {
    if (s.counts(award)) return s;
  }
  return std::nullopt;
}

void add_sprint(render::Data& data, const std::optional<store::coins::Sprint>& sprint) {
  if (!sprint) return;
  render::Data s;
  s.set("name", sprint->name);
  s.set("slug", sprint->slug);
  data.set("sprint", s);
}

std::string coins_phrase(std::int64_t n, const std::string& coin_name) {
  return std::to_string(n) + " " + coin_name + (n == 1 ? "" : "s");
}

}  // namespace

std::optional<MergePlan> decide_merge(const github::Event& e, const PullRequest& pr, const MergeFacts& facts,
                                      const RepoConfig& config) {
  if (e.name != "pull_request" || e.action != "closed" || !pr.merged || pr.author_is_bot || pr.author.empty() ||
      !config.coins_enabled) {
    return std::nullopt;
  }
  // What the bot saw when the pull request opened says who was new; without it, GitHub's field.
  bool first_here = facts.tracked_status
                        ? (*facts.tracked_status == "first_timer" || *facts.tracked_status == "first_time_contributor")
                        : (pr.association == "FIRST_TIMER" || pr.association == "FIRST_TIME_CONTRIBUTOR");
  bool newcomer = facts.tracked_status ? history::is_new(*facts.tracked_status) : first_here;

  MergePlan plan;
  auto key = pr_key(pr.repo, pr.number);
  store::coins::Award coin;
  coin.key = "merge:" + key;
  coin.kind = "merge";
  coin.login = pr.author;
  coin.avatar_url = json_string(e.payload, {"pull_request", "user", "avatar_url"}).value_or("");
  coin.repo = pr.repo;
  coin.number = pr.number;
  coin.title = pr.title;
  coin.newcomer = newcomer;
  coin.first_timer = first_here && facts.earlier_merges == 0;
  coin.awarded_at = time_or_now(json_string(e.payload, {"pull_request", "merged_at"}));
  plan.awards.push_back(coin);

  // The helpers are part of the sprint too: whoever approved a newcomer's work.
  if (newcomer) {
    for (const auto& a : facts.approvals) {
      if (a.login == pr.author || a.login.ends_with("[bot]")) continue;
      store::coins::Award mentor = coin;
      mentor.key = "mentor:" + key + ":" + a.login;
      mentor.kind = "mentor";
      mentor.login = a.login;
      mentor.avatar_url = a.avatar_url;
      mentor.reason = "reviewed " + key + " by " + pr.author;
      mentor.newcomer = false;
      mentor.first_timer = false;
      plan.awards.push_back(mentor);
      if (plain_login(a.login)) plan.mentors.push_back(a.login);
    }
  }

  plan.comment_key = "coin:" + key;
  if (coin.first_timer) {
    plan.template_name = "coin_first";
  } else if (config.coins_later_merges) {
    plan.template_name = "coin";
  }
  return plan;
}

std::optional<Command> parse_command(const std::string& body) {
  auto text = trim(body.substr(0, body.find('\n')));
  auto lower = text.substr(0, 6);
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (!lower.starts_with("/coin") || (lower.size() > 5 && !std::isspace(static_cast<unsigned char>(lower[5])))) {
    return std::nullopt;
  }
  // libstdc++'s regex recurses per character: a comment line can be 65,536 of them.
  if (text.size() > 300) text = trim(text.substr(0, 300));
  static const std::regex command(R"(^/coin\s+@([A-Za-z0-9](?:-?[A-Za-z0-9]){0,38})\s+for\s+(\S.*)$)",
                                  std::regex::icase);
  std::smatch m;
  Command c;
  if (!std::regex_match(text, m, command)) return c;
  c.login = m[1].str();
  c.reason = trim(m[2].str());
  if (c.reason.size() > 200) {
    std::size_t cut = 200;
    while (cut > 0 && (static_cast<unsigned char>(c.reason[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 characters
    c.reason = trim(c.reason.substr(0, cut));
  }
  return c;
}

std::optional<CommandPlan> decide_command(const github::Event& e) {
  if (e.name != "issue_comment" || e.action != "created") return std::nullopt;
  const auto& p = e.payload;
  auto body = json_string(p, {"comment", "body"});
  auto who = json_string(p, {"comment", "user", "login"}).value_or("");
  bool bot = github::is_bot(json_find(p, {"comment", "user"}));
  auto repo = e.repo();
  auto number = json_int(p, {"issue", "number"});
  auto comment_id = json_int(p, {"comment", "id"});
  if (!body || bot || who.empty() || !repo || !number || !comment_id) return std::nullopt;
  auto command = parse_command(*body);
  if (!command) return std::nullopt;

  CommandPlan plan;
  auto where = pr_key(*repo, *number);
  plan.reply_key = "coin-reply:" + where + ":" + std::to_string(*comment_id);
  plan.template_name = "coin_refused";
  if (!history::is_maintainer(json_string(p, {"comment", "author_association"}).value_or(""))) {
    plan.not_maintainer = true;
    return plan;
  }
  if (command->login.empty()) {
    plan.unreadable = true;
    return plan;
  }
  store::coins::Award a;
  a.key = "award:" + where + ":" + std::to_string(*comment_id);
  a.kind = "award";
  a.login = command->login;
  auto site = json_string(p, {"repository", "owner", "html_url"}).value_or("https://github.com/x");
  a.avatar_url = site.substr(0, site.rfind('/') + 1) + command->login + ".png";
  a.repo = *repo;
  a.number = *number;
  a.title = json_string(p, {"issue", "title"}).value_or("");
  a.reason = command->reason;
  a.awarded_by = who;
  a.awarded_at = time_or_now(json_string(p, {"comment", "created_at"}));
  plan.award = a;
  plan.template_name = "coin_award";
  return plan;
}

void handle_merge(Context& context) {
  const auto& e = context.event;
  auto pr = pull_request_of(e);
  if (!pr || !pr->merged || pr->author_is_bot) return;
  const auto& config = config_of(context);
  std::optional<MergePlan> plan;
  MergeFacts facts;
  std::optional<store::coins::Sprint> sprint;
  bool awarded = false;
  auto decide_and_award = [&](store::Db& db) {
    auto key = "merge:" + pr_key(pr->repo, pr->number);
    auto before = store::coins::find(db, key);  // set when this delivery ran before (a redelivery, a retry)
    if (auto t = store::pull_requests::find(db, pr->repo, pr->number)) facts.tracked_status = t->status;
    facts.earlier_merges = store::coins::count(db, pr->author, pr->repo, "merge") - (before ? 1 : 0);
    facts.earlier_coins = store::coins::count(db, pr->author, pr->repo) - (before ? 1 : 0);
    facts.approvals = store::pull_requests::approvals(db, pr->repo, pr->number);
    plan = decide_merge(e, *pr, facts, config);
    if (!plan) return;
    if (before) {
      // What was decided then stands (a later merge by the same person may be counted by now).
      plan->awards.front().first_timer = before->first_timer;
      plan->template_name = before->first_timer ? "coin_first" : config.coins_later_merges ? "coin" : "";
    }
    for (const auto& a : plan->awards) awarded = store::coins::award(db, a) || awarded;
    sprint = sprint_of(db, plan->awards.front());
  };
  if (context.ports.store) {
    // Decided and awarded in one transaction of the store's single writer: two pull requests by
    // the same person merged at the same moment cannot both be their first, and the coin is in
    // the ledger (once, by its key) before any comment about it is planned.
    context.ports.store->writes().run(decide_and_award);
    if (awarded && context.ports.coins_awarded) context.ports.coins_awarded();
  } else {
    plan = decide_merge(e, *pr, facts, config);
  }
  if (!plan || plan->template_name.empty()) return;

  // The coin words do not depend on the author's class; the welcome already used it.
  auto data = template_data(*pr, history::Classification{});
  data.set("coin_name", config.coin_name);
  data.set("coins", std::to_string(facts.earlier_coins + 1));
  data.set("coins_phrase", coins_phrase(facts.earlier_coins + 1, config.coin_name));
  if (auto url = badge_url(context, pr->author); !url.empty()) data.set("badge_url", url);
  add_sprint(data, sprint);
  if (!plan->mentors.empty()) {
    std::string list;
    for (const auto& m : plan->mentors) list += (list.empty() ? "@" : ", @") + m;
    data.set("mentors", list);
  }
  json::object payload{{"body", words(context, config, plan->template_name, data)}};
  context.write({plan->comment_key, pr->installation, pr->repo, pr->number, "comment", json::serialize(payload)});
}

void handle_review(Context& context) {
  const auto& e = context.event;
  auto repo = e.repo();
  auto number = json_int(e.payload, {"pull_request", "number"});
  auto login = json_string(e.payload, {"review", "user", "login"});
  if (!repo || !number || !login) return;
  auto withdraw = [&] {
    context.record([repo = *repo, n = *number, l = *login](store::Db& db) { store::pull_requests::withdrawn(db, repo, n, l); });
  };
  if (e.action == "dismissed") return withdraw();
  if (e.action != "submitted") return;
  auto state = json_string(e.payload, {"review", "state"}).value_or("");
  for (auto& c : state) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (state == "changes_requested") return withdraw();
  if (state != "approved") return;  // a comment leaves an earlier approval standing
  if (github::is_bot(json_find(e.payload, {"review", "user"}))) return;
  // A mentor coin is for the repository's own people: on a public repository anyone can approve.
  if (!history::is_maintainer(json_string(e.payload, {"review", "author_association"}).value_or(""))) {
    const auto& reviewers = config_of(context).reviewers;
    bool listed = std::any_of(reviewers.begin(), reviewers.end(), [&](const std::string& r) {
      return boost::beast::iequals(r.starts_with("@") ? r.substr(1) : r, *login);
    });
    if (!listed) return;
  }
  store::pull_requests::Approval a;
  a.login = *login;
  a.avatar_url = json_string(e.payload, {"review", "user", "avatar_url"}).value_or("");
  a.approved_at = time_or_now(json_string(e.payload, {"review", "submitted_at"}));
  context.record([repo = *repo, n = *number, a](store::Db& db) { store::pull_requests::approved(db, repo, n, a); });
}

void handle_command(Context& context) {
  const auto& e = context.event;
  auto plan = decide_command(e);
  if (!plan) return;
  auto installation = e.installation_id();
  auto repo = e.repo();
  auto number = json_int(e.payload, {"issue", "number"});
  if (!installation || !repo || !number) return;
  auto sender = json_string(e.payload, {"comment", "user", "login"}).value_or("");
  const auto& config = config_of(context);
  if (!config.coins_enabled) return;  // the repository has no coins: the command means nothing here

  render::Data data;
  data.set("author", plain_login(sender) ? sender : render::defuse_mentions(sender));
  data.set("repo", *repo);
  data.set("coin_name", config.coin_name);
  if (plan->not_maintainer) data.set("not_maintainer", render::Data::type::bool_true);
  if (plan->unreadable) data.set("unreadable", render::Data::type::bool_true);
  if (plan->award) {
    const auto& a = *plan->award;
    data.set("recipient", a.login);
    data.set("reason", a.reason);
    std::int64_t held = 0;
    bool awarded = false;
    std::optional<store::coins::Sprint> sprint;
    if (context.ports.store) {
      // Awarded and counted in one transaction, as for merges.
      context.ports.store->writes().run([&](store::Db& db) {
        held = store::coins::total(db, a.login) - (store::coins::exists(db, a.key) ? 1 : 0);
        awarded = store::coins::award(db, a);
        sprint = sprint_of(db, a);
      });
      if (awarded && context.ports.coins_awarded) context.ports.coins_awarded();
    }
    data.set("coins", std::to_string(held + 1));
    data.set("coins_phrase", coins_phrase(held + 1, config.coin_name));
    if (auto url = badge_url(context, a.login); !url.empty()) data.set("badge_url", url);
    add_sprint(data, sprint);
  }
  json::object payload{{"body", words(context, config, plan->template_name, data)}};
  context.write({plan->reply_key, *installation, *repo, *number, "comment", json::serialize(payload)});
}

}  // namespace mentorbot::features::coins
