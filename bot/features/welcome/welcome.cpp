#include "features/welcome/welcome.hpp"

#include <algorithm>
#include <cctype>

#include <boost/json/serialize.hpp>

namespace mentorbot::features::welcome {
namespace {

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// GitHub logins are letters, digits and single hyphens; anything else is not mentioned.
bool plain_login(const std::string& login) {
  return !login.empty() && login.size() <= 39 && std::all_of(login.begin(), login.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-';
  });
}

std::string words(const std::string& author) {
  std::string who = plain_login(author) ? "@" + author : "there";
  return "Thanks for sharing this, " + who +
         ", and welcome! This is your first pull request here, and we are glad to have it. A maintainer will "
         "read it soon.\n\n"
         "While you wait, tell us about what you have written: what were you trying to do, and is there a part "
         "you would like a second pair of eyes on?\n\n"
         "<sub>I am mentorbot, a bot that helps this project welcome new contributors.</sub>";
}

}  // namespace

std::optional<Plan> decide(const github::Event& e) {
  if (e.name != "pull_request") return std::nullopt;
  if (e.action != "opened" && e.action != "reopened" && e.action != "ready_for_review") return std::nullopt;
  const auto& p = e.payload;
  if (json_bool(p, {"pull_request", "draft"}).value_or(false)) return std::nullopt;  // wait for ready_for_review
  auto author = json_string(p, {"pull_request", "user", "login"}).value_or("");
  if (json_string(p, {"pull_request", "user", "type"}) == "Bot" || author.ends_with("[bot]")) return std::nullopt;
  // Case-insensitive: GitHub Enterprise has sent "First_Time_Contributor" and friends.
  auto association = upper(json_string(p, {"pull_request", "author_association"}).value_or(""));
  if (association != "FIRST_TIMER" && association != "FIRST_TIME_CONTRIBUTOR") return std::nullopt;
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
  plan.body = words(author);
  return plan;
}

void handle(Context& context) {
  auto plan = decide(context.event);
  if (!plan) return;
  json::object payload;
  payload["body"] = plan->body;
  context.write({plan->key, plan->installation_id, plan->repo, plan->number, "comment", json::serialize(payload)});
}

}  // namespace mentorbot::features::welcome
