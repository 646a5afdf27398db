#include "features/delivery_log/delivery_log.hpp"

#include <spdlog/spdlog.h>

namespace mentorbot::features::delivery_log {

void handle(Context& context) {
  const auto& e = context.event;
  const auto& p = e.payload;
  std::string where = e.repo().value_or(json_string(p, {"installation", "account", "login"}).value_or("?"));
  auto number = json_int(p, {"number"});
  if (!number) number = json_int(p, {"issue", "number"});
  if (!number) number = json_int(p, {"pull_request", "number"});
  if (number) where += "#" + std::to_string(*number);
  auto author = json_string(p, {"pull_request", "user", "login"});
  if (!author) author = json_string(p, {"issue", "user", "login"});
  auto association = json_string(p, {"pull_request", "author_association"});
  spdlog::info("delivery {}: {} {} by {}{}{}", e.delivery, e.qualified_name(), where, e.sender_login().value_or("?"),
               author && author != e.sender_login() ? " (author " + *author + ")" : "",
               association ? " [" + *association + "]" : "");
}

}  // namespace mentorbot::features::delivery_log
