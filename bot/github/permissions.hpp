#pragma once
// What the App may do on GitHub, in one table: every REST endpoint mentorbot calls with the
// permission it needs, and every event it subscribes to with the permission that event needs.
// The App manifest (deploy/app-manifest.json) asks for exactly what this table needs (a unit
// test holds them together), and the REST client refuses to call an endpoint that is not here,
// so a new call cannot ship without its permission being asked for.
#include <map>
#include <ostream>  // boost/beast/http/verb.hpp needs it, and does not include it
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <boost/beast/http/verb.hpp>

namespace mentorbot::github {

enum class Access { none, read, write };  // none: the App's own JWT, or no authentication at all

struct Endpoint {
  boost::beast::http::verb method;
  std::string_view pattern;     // "/repos/{owner}/{repo}/issues/{number}/comments"; {path*} takes the rest
  std::string_view permission;  // "issues"; empty with Access::none
  Access access;
  std::string_view why;
};

// Every endpoint the REST client may call.
std::span<const Endpoint> endpoints();

// The entry for one request (`target` relative to the API base, query ignored); nullopt when
// mentorbot never calls it.
std::optional<Endpoint> endpoint_for(boost::beast::http::verb method, std::string_view target);

// The events mentorbot subscribes to, each with the permission GitHub requires for it. GitHub
// sends `installation`, `installation_repositories` and `ping` to every App without asking.
struct Subscription {
  std::string_view event;
  std::string_view permission;
};
std::span<const Subscription> subscriptions();
bool delivered_without_subscription(std::string_view event);

// Permission name → "read" or "write": the most any endpoint, subscription or the git mirror
// (contents: read) needs, plus metadata: read, which every App has.
std::map<std::string, std::string> permissions_needed();

}  // namespace mentorbot::github
