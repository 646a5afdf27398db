#pragma once
// A webhook delivery as handlers see it: the event name and action, the parsed payload, and
// accessors for the fields every handler asks about.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/json.hpp"

namespace mentorbot::github {

struct Event {
  std::string delivery;  // X-GitHub-Delivery
  std::string name;      // X-GitHub-Event
  std::string action;    // empty for events without one (ping, push)
  json::value payload;

  // "pull_request.opened", or "ping" when there is no action.
  std::string qualified_name() const;
  std::optional<std::int64_t> installation_id() const;
  std::optional<std::string> repo() const;  // owner/name
  std::optional<std::string> sender_login() const;
  bool sender_is_bot() const;
};

// A GitHub user object (`sender`, `pull_request.user`, `comment.user`, …) that is a bot: its
// type is "Bot", or its login ends in "[bot]". False for a missing object.
bool is_bot(const json::value* user);

// Parses the stored payload. Throws PermanentError when it is not a JSON object, or lacks an
// object its event always carries (a pull_request event without "pull_request", say).
Event parse_event(std::string delivery, std::string name, std::string_view body);

}  // namespace mentorbot::github
