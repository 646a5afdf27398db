#include <iostream>

#include <boost/json/serialize.hpp>

#include "cli/verbs.hpp"
#include "core/errors.hpp"
#include "github/manifest.hpp"

namespace mentorbot::cli {
namespace {

// Pretty enough to read and paste: two-space indents, one key per line.
void print(std::ostream& out, const json::value& v, int depth = 0) {
  std::string pad(2 * (depth + 1), ' ');
  std::string close(2 * depth, ' ');
  if (const auto* o = v.if_object(); o && !o->empty()) {
    out << "{\n";
    std::size_t i = 0;
    for (const auto& [key, value] : *o) {
      out << pad << json::serialize(json::string(key)) << ": ";
      print(out, value, depth + 1);
      out << (++i < o->size() ? ",\n" : "\n");
    }
    out << close << "}";
  } else if (const auto* a = v.if_array(); a && !a->empty()) {
    out << "[\n";
    for (std::size_t i = 0; i < a->size(); ++i) {
      out << pad;
      print(out, (*a)[i], depth + 1);
      out << (i + 1 < a->size() ? ",\n" : "\n");
    }
    out << close << "]";
  } else {
    out << json::serialize(v);
  }
}

}  // namespace

int manifest(const ServerConfig& config, const Args& args) {
  if (!args.positional.empty()) throw ConfigError("manifest takes no arguments, only --url URL");
  auto url = args.flag("--url").value_or(config.public_url);
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.empty()) throw ConfigError("manifest needs --url URL: the https address GitHub reaches this server at");
  if (!url.starts_with("https://") && !url.starts_with("http://")) {
    throw ConfigError("--url must be an http(s) address, got \"" + url.substr(0, 80) + "\"");
  }
  if (url.find_first_of(" \t\r\n\"<>\\") != std::string::npos) throw ConfigError("--url must be a plain address");
  print(std::cout, github::app_manifest(url, config.webhook_path));
  std::cout << "\n";
  return 0;
}

}  // namespace mentorbot::cli
