#include "features/coins/coins.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

#include <boost/beast/core/string.hpp>

#include "core/clock.hpp"
#include "render/escape.hpp"

namespace mentorbot::features::coins {
namespace {

std::string pr_key(const std::string& repo, std::int64_t number) { return repo + "#" + std::to_string(number); }

std::string trim(std::string s) {
  auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  s.erase(s.begin(), std::find_if_not(s.begin(), s.end(), space));
  s.erase(std::find_if_not(s.rbegin(), s.rend(), space).base(), s.end());
  return s;
}

std::string badge_url(const Badges& badges, const std::string& login) {
  if (badges.public_url.empty() || !plain_login(login)) return "";
  return badges.public_url + "/badges/" + login + ".svg";
}

// The words every coin comment shares: the count, the badge, the first sprint the coin counts for.
void add_coin(render::Data& data, const Settings& settings, const store::coins::Award& coin, std::int64_t held,
              const std::vector<store::coins::Sprint>& sprints, const Badges& badges) {
  auto n = held + 1;
  data.set("coin_name", settings.name);
  data.set("coins", std::to_string(n));
  data.set("coins_phrase", std::to_string(n) + " " + settings.name + (n == 1 ? "" : "s"));
  if (auto url = badge_url(badges, coin.login); !url.empty()) data.set("badge_url", url);
  for (const auto& s : sprints) {
    if (!s.counts(coin)) continue;
    render::Data sprint;
    sprint.set("name", s.name);
    sprint.set("slug", s.slug);
    data.set("sprint", sprint);
    break;
  }
}

bool merged_by_person(const github::PullRequestEvent& e) {
  const auto& pr = e.pull_request;
  return e.action == "closed" && pr.merged && !pr.author.bot && !pr.author.login.empty() && e.installation;
}

// The facts of a merge, read in the transaction that will award its coins.
MergeFacts merge_facts(store::Db& db, const github::PullRequestEvent& e) {
  const auto& repo = e.repository.full_name;
  const auto& pr = e.pull_request;
  MergeFacts f;
  f.before = store::coins::find(db, "merge:" + pr_key(repo, pr.number));  // a redelivery, a retry
  if (auto t = store::pull_requests::find(db, repo, pr.number)) f.tracked_status = t->status;
  f.earlier_merges = store::coins::count(db, pr.author.login, repo, "merge") - (f.before ? 1 : 0);
  f.earlier_coins = store::coins::count(db, pr.author.login, repo) - (f.before ? 1 : 0);
  f.approvals = store::pull_requests::approvals(db, repo, pr.number);
  f.sprints = store::coins::sprints(db);
  return f;
}

// Up to three issues as Markdown links (`next_steps`, with `has_next_steps`): open, unassigned
// (the search saw to that), not the author's own, with a link that is GitHub's.
void add_next_steps(render::Data& data, const std::vector<OpenIssue>& issues, const github::Repository& repo,
                    const std::string& author) {
  render::Data list{render::Data::type::list};
  int n = 0;
  for (const auto& issue : issues) {
    if (n == 3) break;
    if (boost::beast::iequals(issue.author, author)) continue;
    auto expected = repo.html_url + "/issues/" + std::to_string(issue.number);
    if (repo.html_url.empty() || issue.url != expected) continue;
    render::Data item;
    item.set("link", "[" + render::escape_text(issue.title) + "](" + expected + ")");
    list.push_back(item);
    ++n;
  }
  if (n == 0) return;
  data.set("has_next_steps", render::Data::type::bool_true);
  data.set("next_steps", list);
}

}  // namespace

std::optional<MergePlan> decide_merge(const github::PullRequestEvent& e, const Settings& settings,
                                      const MergeFacts& facts, const Badges& badges, const Words& words) {
  if (!merged_by_person(e) || !settings.enabled) return std::nullopt;
  const auto& pr = e.pull_request;
  const auto& repo = e.repository.full_name;
  // What the bot saw when the pull request opened says who was new; without it, GitHub's field.
  bool first_here = facts.tracked_status
                        ? (*facts.tracked_status == "first_timer" || *facts.tracked_status == "first_time_contributor")
                        : (pr.association == "FIRST_TIMER" || pr.association == "FIRST_TIME_CONTRIBUTOR");
  bool newcomer = facts.tracked_status ? history::is_new(*facts.tracked_status) : first_here;

  MergePlan plan;
  auto key = pr_key(repo, pr.number);
  store::coins::Award coin;
  coin.key = "merge:" + key;
  coin.kind = "merge";
  coin.login = pr.author.login;
  coin.avatar_url = pr.author.avatar_url;
  coin.repo = repo;
  coin.number = pr.number;
  coin.title = pr.title;
  coin.newcomer = newcomer;
  // What was decided when the coin was first awarded stands (a later merge may be counted by now).
  coin.first_timer = facts.before ? facts.before->first_timer : first_here && facts.earlier_merges == 0;
  coin.awarded_at = pr.merged_at.value_or(facts.before ? facts.before->awarded_at : unix_ms());
  plan.awards.push_back(coin);

  // The helpers are part of the sprint too: whoever approved a newcomer's work.
  std::string mentors;
  if (newcomer) {
    for (const auto& a : facts.approvals) {
      if (a.login == pr.author.login || a.login.ends_with("[bot]")) continue;
      store::coins::Award mentor = coin;
      mentor.key = "mentor:" + key + ":" + a.login;
      mentor.kind = "mentor";
      mentor.login = a.login;
      mentor.avatar_url = a.avatar_url;
      mentor.reason = "reviewed " + key + " by " + pr.author.login;
      mentor.newcomer = false;
      mentor.first_timer = false;
      plan.awards.push_back(mentor);
      if (plain_login(a.login)) mentors += (mentors.empty() ? "@" : ", @") + a.login;
    }
  }

  std::string name = coin.first_timer ? "coin_first" : settings.later_merges ? "coin" : "";
  if (name.empty()) return plan;
  // The coin words do not depend on the author's class; the welcome already used it.
  auto data = pull_request_data(e.repository, pr);
  add_coin(data, settings, coin, facts.earlier_coins, facts.sprints, badges);
  if (!mentors.empty()) data.set("mentors", mentors);
  if (name == "coin_first") add_next_steps(data, facts.open_issues, e.repository, pr.author.login);
  plan.comment = store::outbox::Write{"coin:" + key, *e.installation, repo, pr.number,
                                      store::outbox::Comment{words(name, data)}};
  return plan;
}

std::optional<ApprovalChange> decide_review(const github::PullRequestReviewEvent& e,
                                            const std::vector<std::string>& reviewers) {
  const auto& who = e.review.user;
  if (who.login.empty()) return std::nullopt;
  ApprovalChange change{ApprovalChange::Kind::withdrawn, e.repository.full_name, e.pull_request.number, {}};
  change.approval.login = who.login;
  // A dismissed review, or a change of mind, withdraws an approval; a comment leaves it standing.
  if (e.action == "dismissed" || (e.action == "submitted" && e.review.state == "changes_requested")) return change;
  if (e.action != "submitted" || e.review.state != "approved" || who.bot) return std::nullopt;
  // A mentor coin is for the repository's own people: on a public repository anyone can approve.
  if (!history::is_maintainer(e.review.association)) {
    bool listed = std::any_of(reviewers.begin(), reviewers.end(), [&](const std::string& r) {
      return boost::beast::iequals(r.starts_with("@") ? r.substr(1) : r, who.login);
    });
    if (!listed) return std::nullopt;
  }
  change.kind = ApprovalChange::Kind::approved;
  change.approval.avatar_url = who.avatar_url;
  change.approval.approved_at = e.review.submitted_at.value_or(unix_ms());
  return change;
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

std::optional<CommandPlan> decide_command(const github::IssueCommentEvent& e, const Settings& settings,
                                          const CommandFacts& facts, const Badges& badges, const Words& words) {
  if (e.action != "created" || !settings.enabled || !e.installation) return std::nullopt;
  const auto& by = e.comment.user;
  if (by.bot || by.login.empty() || e.comment.id == 0) return std::nullopt;
  auto command = parse_command(e.comment.body);
  if (!command) return std::nullopt;

  const auto& repo = e.repository.full_name;
  auto where = pr_key(repo, e.issue.number);
  auto comment_id = std::to_string(e.comment.id);
  CommandPlan plan;
  render::Data data;
  data.set("author", shown_login(by.login));
  data.set("repo", repo);
  data.set("coin_name", settings.name);
  std::string name = "coin_refused";
  if (!history::is_maintainer(e.comment.association)) {
    data.set("not_maintainer", render::Data::type::bool_true);
  } else if (command->login.empty()) {
    data.set("unreadable", render::Data::type::bool_true);
  } else {
    store::coins::Award a;
    a.key = "award:" + where + ":" + comment_id;
    a.kind = "award";
    a.login = command->login;
    auto site = e.repository.owner_html_url.empty() ? std::string("https://github.com/x") : e.repository.owner_html_url;
    a.avatar_url = site.substr(0, site.rfind('/') + 1) + command->login + ".png";
    a.repo = repo;
    a.number = e.issue.number;
    a.title = e.issue.title;
    a.reason = command->reason;
    a.awarded_by = by.login;
    a.awarded_at = e.comment.created_at.value_or(unix_ms());
    data.set("recipient", a.login);
    data.set("reason", a.reason);
    add_coin(data, settings, a, facts.held, facts.sprints, badges);
    plan.award = std::move(a);
    name = "coin_award";
  }
  plan.reply = {"coin-reply:" + where + ":" + comment_id, *e.installation, repo, e.issue.number,
                store::outbox::Comment{words(name, data)}};
  return plan;
}

void handle_merge(const github::PullRequestEvent& e, Context& context, const Badges& badges) {
  if (!merged_by_person(e)) return;
  const auto& config = context.sources.read_config(*e.installation, e.repository.full_name);
  if (!config.coins.enabled) return;
  // Asked before the transaction (GitHub's search; remembered per repository): at most one
  // request per merge, used only when it turns out to be the author's first.
  std::vector<OpenIssue> issues;
  if (!config.coins.next_step_labels.empty()) {
    issues = context.sources.good_first_issues(*e.installation, e.repository.full_name, config.coins.next_step_labels);
  }
  context.handover.step([e, settings = config.coins, badges, words = Words(context.templates, config),
                         issues = std::move(issues)](store::Db& db, Plan& plan) {
    auto facts = merge_facts(db, e);
    facts.open_issues = issues;
    auto decided = decide_merge(e, settings, facts, badges, words);
    if (!decided) return;
    for (const auto& a : decided->awards) plan.coins_awarded = store::coins::award(db, a) || plan.coins_awarded;
    if (decided->comment) plan.writes.push_back(std::move(*decided->comment));
  });
}

void handle_review(const github::PullRequestReviewEvent& e, Context& context) {
  static const std::vector<std::string> nobody;
  bool needs_list = e.review.state == "approved" && !history::is_maintainer(e.review.association) && e.installation;
  const auto& reviewers =
      needs_list ? context.sources.read_config(*e.installation, e.repository.full_name).reviewers : nobody;
  auto change = decide_review(e, reviewers);
  if (!change) return;
  context.handover.step([c = std::move(*change)](store::Db& db, Plan&) {
    if (c.kind == ApprovalChange::Kind::approved) {
      store::pull_requests::approved(db, c.repo, c.number, c.approval);
    } else {
      store::pull_requests::withdrawn(db, c.repo, c.number, c.approval.login);
    }
  });
}

void handle_command(const github::IssueCommentEvent& e, Context& context, const Badges& badges) {
  if (e.action != "created" || !e.installation || e.comment.user.bot || !parse_command(e.comment.body)) return;
  const auto& config = context.sources.read_config(*e.installation, e.repository.full_name);
  if (!config.coins.enabled) return;  // the repository has no coins: the command means nothing here
  context.handover.step([e, settings = config.coins, badges, words = Words(context.templates, config)](
                            store::Db& db, Plan& plan) {
    CommandFacts facts;
    auto command = parse_command(e.comment.body);
    auto key = "award:" + pr_key(e.repository.full_name, e.issue.number) + ":" + std::to_string(e.comment.id);
    if (command && !command->login.empty()) {
      facts.held = store::coins::total(db, command->login) - (store::coins::exists(db, key) ? 1 : 0);
      facts.sprints = store::coins::sprints(db);
    }
    auto decided = decide_command(e, settings, facts, badges, words);
    if (!decided) return;
    if (decided->award) plan.coins_awarded = store::coins::award(db, *decided->award) || plan.coins_awarded;
    plan.writes.push_back(std::move(decided->reply));
  });
}

}  // namespace mentorbot::features::coins
