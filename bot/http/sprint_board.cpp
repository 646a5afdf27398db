#include "http/sprint_board.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>

#include <boost/json/serialize.hpp>

#include "core/time.hpp"
#include "render/escape.hpp"

namespace mentorbot::http {
namespace {

namespace json = boost::json;

json::value time_or_null(const std::optional<std::int64_t>& ms) {
  if (!ms) return nullptr;
  return json::value(format_iso8601(*ms));
}

const std::regex& repo_name() {
  static const std::regex r(R"(^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}/[A-Za-z0-9._-]{1,100}$)");
  return r;
}

std::vector<std::string> string_list(const json::object& o, const char* key, const std::regex& shape,
                                     const char* what) {
  std::vector<std::string> out;
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return out;
  if (!it->value().is_array()) throw SprintError(std::string(key) + " must be a list of " + what);
  for (const auto& item : it->value().as_array()) {
    if (!item.is_string() || !std::regex_match(std::string(item.as_string()), shape)) {
      throw SprintError(std::string(key) + " must be a list of " + what + ", got " + json::serialize(item));
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

std::string text_field(const json::object& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return "";
  if (!it->value().is_string()) throw SprintError(std::string(key) + " must be a string");
  return std::string(it->value().as_string());
}

std::int64_t time_field(const json::object& o, const char* key) {
  auto text = text_field(o, key);
  if (text.empty()) throw SprintError(std::string(key) + " is required (ISO 8601, e.g. 2026-11-22T09:00:00Z)");
  auto ms = parse_iso8601_ms(text);
  if (!ms) throw SprintError(std::string(key) + " must be an ISO 8601 time with a zone, e.g. 2026-11-22T09:00:00Z");
  return *ms;
}

}  // namespace

std::string csv_cell(const std::string& text) {
  std::string cell = text;
  // =, +, - and @ start a formula in a spreadsheet; a leading quote keeps it text.
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' || cell[0] == '\t' ||
                        cell[0] == '\r')) {
    cell.insert(cell.begin(), '\'');
  }
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

Board board_of(const std::vector<store::coins::Award>& awards, std::optional<store::coins::Sprint> sprint) {
  Board b;
  b.sprint = std::move(sprint);
  std::map<std::string, BoardEntry> by_login;
  std::set<std::string> first_timers;
  for (const auto& a : awards) {
    auto& e = by_login[a.login];
    e.login = a.login;
    if (!a.avatar_url.empty()) e.avatar_url = a.avatar_url;
    e.coins += 1;
    if (a.kind == "merge") {
      e.merged_prs += 1;
      if (!e.first_merged_at || a.awarded_at < *e.first_merged_at) e.first_merged_at = a.awarded_at;
      if (a.newcomer) e.newcomer = true;
      if (a.first_timer) first_timers.insert(a.login);
    }
  }
  for (auto& [login, e] : by_login) b.entries.push_back(std::move(e));
  std::sort(b.entries.begin(), b.entries.end(), [](const BoardEntry& x, const BoardEntry& y) {
    if (x.coins != y.coins) return x.coins > y.coins;
    if (x.merged_prs != y.merged_prs) return x.merged_prs > y.merged_prs;
    auto fx = x.first_merged_at.value_or(INT64_MAX), fy = y.first_merged_at.value_or(INT64_MAX);
    if (fx != fy) return fx < fy;
    return x.login < y.login;
  });
  b.first_timers = static_cast<std::int64_t>(first_timers.size());
  for (const auto& e : b.entries) {
    if (first_timers.count(e.login) && e.merged_prs >= 2) ++b.returned;
  }
  return b;
}

json::value to_json(const store::coins::Sprint& s) {
  json::object o{{"slug", s.slug},
                 {"name", s.name},
                 {"starts_at", format_iso8601(s.starts_at)},
                 {"ends_at", format_iso8601(s.ends_at)}};
  if (!s.org.empty()) o["org"] = s.org;
  json::array repos, participants;
  for (const auto& r : s.repos) repos.emplace_back(r);
  for (const auto& p : s.participants) participants.emplace_back(p);
  o["repos"] = std::move(repos);
  o["participants"] = std::move(participants);
  return o;
}

json::value to_json(const Board& b) {
  json::array entries;
  for (const auto& e : b.entries) {
    entries.push_back(json::object{{"login", e.login},
                                   {"avatar_url", e.avatar_url},
                                   {"coins", e.coins},
                                   {"merged_prs", e.merged_prs},
                                   {"first_merged_at", time_or_null(e.first_merged_at)},
                                   {"newcomer", e.newcomer}});
  }
  return json::object{{"sprint", b.sprint ? to_json(*b.sprint) : json::value(nullptr)},
                      {"entries", std::move(entries)},
                      {"retention", json::object{{"first_timers", b.first_timers}, {"returned", b.returned}}}};
}

json::value to_json(const store::coins::Award& a, const std::vector<store::coins::Sprint>& sprints) {
  json::array slugs;
  for (const auto& s : sprints) {
    if (s.counts(a)) slugs.emplace_back(s.slug);
  }
  return json::object{{"id", a.id},          {"kind", a.kind},         {"login", a.login},
                      {"avatar_url", a.avatar_url}, {"repo", a.repo},   {"number", a.number},
                      {"title", a.title},    {"reason", a.reason},     {"newcomer", a.newcomer},
                      {"first_timer", a.first_timer}, {"awarded_at", format_iso8601(a.awarded_at)},
                      {"sprints", std::move(slugs)}};
}

std::string to_csv(const std::vector<store::coins::Award>& awards) {
  std::string out = "awarded_at,login,kind,repo,number,title,reason,newcomer,first_merged_pr,awarded_by\r\n";
  for (const auto& a : awards) {
    out += format_iso8601(a.awarded_at) + "," + csv_cell(a.login) + "," + a.kind + "," + csv_cell(a.repo) + "," +
           std::to_string(a.number) + "," + csv_cell(a.title) + "," + csv_cell(a.reason) + "," +
           (a.newcomer ? "yes" : "no") + "," + (a.first_timer ? "yes" : "no") + "," + csv_cell(a.awarded_by) + "\r\n";
  }
  return out;
}

std::string slug_of(const std::string& name) {
  std::string slug;
  for (unsigned char c : name) {
    if (std::isalnum(c)) {
      slug += static_cast<char>(std::tolower(c));
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  if (slug.size() > 63) slug.resize(63);
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug;
}

const std::regex& login_shape() {
  static const std::regex r(R"(^[A-Za-z0-9][A-Za-z0-9-]{0,38}$)");
  return r;
}

bool could_be_login(std::string_view text) { return std::regex_match(text.begin(), text.end(), login_shape()); }

bool could_be_repo(std::string_view text) { return std::regex_match(text.begin(), text.end(), repo_name()); }

store::coins::Sprint sprint_from_json(const json::value& v, std::int64_t now_ms) {
  if (!v.is_object()) throw SprintError("the sprint must be a JSON object");
  const auto& o = v.as_object();
  static const std::set<std::string> known = {"name", "slug", "starts_at", "ends_at", "repos", "org", "participants"};
  for (const auto& kv : o) {
    if (!known.count(std::string(kv.key()))) {
      throw SprintError("unknown field \"" + std::string(kv.key()) +
                        "\" (known: name, slug, starts_at, ends_at, repos, org, participants)");
    }
  }
  store::coins::Sprint s;
  s.name = text_field(o, "name");
  if (s.name.empty() || s.name.size() > 120) throw SprintError("name is required, at most 120 characters");
  if (!render::printable(s.name)) {
    throw SprintError("name must be printable text: no control characters or invisible text-direction marks");
  }
  s.slug = text_field(o, "slug");
  if (s.slug.empty()) s.slug = slug_of(s.name);
  static const std::regex slug_shape(R"(^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$)");
  if (!std::regex_match(s.slug, slug_shape)) {
    throw SprintError("slug must be 1 to 63 lower-case letters, digits and inner hyphens" +
                      std::string(s.slug.empty() ? " (the name gives none: set one)" : ", got \"" + s.slug + "\""));
  }
  s.starts_at = time_field(o, "starts_at");
  s.ends_at = time_field(o, "ends_at");
  if (s.ends_at <= s.starts_at) throw SprintError("ends_at must be after starts_at");
  s.repos = string_list(o, "repos", repo_name(), "repositories as \"owner/name\"");
  s.org = text_field(o, "org");
  if (!s.org.empty() && !could_be_login(s.org)) throw SprintError("org must be an organisation login");
  if (s.repos.empty() && s.org.empty()) throw SprintError("a sprint needs repos (a list of \"owner/name\") or an org");
  s.participants = string_list(o, "participants", login_shape(), "GitHub logins");
  s.created_at = now_ms;
  return s;
}

}  // namespace mentorbot::http
