#include "features/welcome/welcome.hpp"

#include <algorithm>
#include <cctype>

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "history/contributors.hpp"

namespace mentorbot::features::welcome {
namespace {

// GitHub logins are letters, digits and single hyphens; anything else is not mentioned.
bool plain_login(const std::string& login) {
  return !login.empty() && login.size() <= 39 && std::all_of(login.begin(), login.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-';
  });
}

std::string words(const std::string& author, history::Status status) {
  std::string who = plain_login(author) ? "@" + author : "there";
  std::string opening = status == history::Status::newcomer
                            ? "Thanks for sharing this, " + who + ", and welcome back! It is good to see another pull request from you."
                            : "Thanks for sharing this, " + who +
                                  ", and welcome! This is your first pull request here, and we are glad to have it.";
  return opening +
         " A maintainer will read it soon.\n\n"
         "While you wait, tell us about what you have written: what were you trying to do, and is there a part "
         "you would like a second pair of eyes on?\n\n"
         "<sub>I am mentorbot, a bot that helps this project welcome new contributors.</sub>";
}

// Without a history to ask (no mirror configured), GitHub's own field is all there is.
history::Classification from_association(const github::Event& e) {
  history::Facts f;
  f.login = json_string(e.payload, {"pull_request", "user", "login"}).value_or("");
  auto a = json_string(e.payload, {"pull_request", "author_association"}).value_or("");
  for (auto& c : a) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  f.association = a;
  f.bot = json_string(e.payload, {"pull_request", "user", "type"}) == "Bot" || f.login.ends_with("[bot]");
  f.history_available = a == "FIRST_TIMER" || a == "FIRST_TIME_CONTRIBUTOR";
  return history::classify(f, 3);
}

}  // namespace

bool wants_welcome(const github::Event& e) {
  if (e.name != "pull_request") return false;
  if (e.action != "opened" && e.action != "reopened" && e.action != "ready_for_review") return false;
  return !json_bool(e.payload, {"pull_request", "draft"}).value_or(false);
}

std::optional<Plan> decide(const github::Event& e, const history::Classification& who) {
  if (!wants_welcome(e)) return std::nullopt;
  using history::Status;
  if (who.status != Status::first_timer && who.status != Status::first_time_contributor &&
      who.status != Status::newcomer) {
    return std::nullopt;
  }
  const auto& p = e.payload;
  auto author = json_string(p, {"pull_request", "user", "login"}).value_or("");
  if (json_string(p, {"pull_request", "user", "type"}) == "Bot" || author.ends_with("[bot]")) return std::nullopt;
  auto installation = e.installation_id();
  auto repo = e.repo();
  auto number = json_int(p, {"pull_request", "number"});
  if (!number) number = json_int(p, {"number"});
  if (!installation || !repo || !number) return std::nullopt;
  Plan plan;
  plan.key = "welcome:" + *repo + "#" + std::to_string(*number);
  plan.installation_id = *installation;
  plan.repo = *repo;
  plan.number = *number;
  plan.author = author;
  plan.status = who.status;
  plan.body = words(author, who.status);
  return plan;
}

void handle(Context& context) {
  const auto& e = context.event;
  if (!wants_welcome(e)) return;
  history::Classification who;
  if (context.ports.contributors) {
    history::Facts facts;
    try {
      facts = context.ports.contributors->pull_request_author(e, context.ports.newcomer_threshold);
    } catch (const history::GitError& error) {
      // The mirror may come back; on the last try, nobody can tell, and nobody is greeted.
      if (!context.last_attempt) throw;
      spdlog::warn("delivery {}: the history of {} is not available ({}); not greeting", e.delivery,
                   e.repo().value_or("?"), error.what());
    }
    who = history::classify(facts, context.ports.newcomer_threshold);
  } else {
    who = from_association(e);
  }
  spdlog::info("delivery {}: author {} of {} is {}: {}", e.delivery,
               json_string(e.payload, {"pull_request", "user", "login"}).value_or("?"), e.repo().value_or("?"),
               history::to_string(who.status), who.reason);
  auto plan = decide(e, who);
  if (!plan) return;
  json::object payload;
  payload["body"] = plan->body;
  context.write({plan->key, plan->installation_id, plan->repo, plan->number, "comment", json::serialize(payload)});
}

}  // namespace mentorbot::features::welcome
