#include "http/pipeline_view.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/time.hpp"
#include "http/form.hpp"
#include "http/sprint_board.hpp"
#include "core/ascii.hpp"
#include "render/badge.hpp"
#include "render/escape.hpp"

namespace mentorbot::http {
namespace {

namespace json = boost::json;
namespace pl = store::pipeline;
constexpr std::int64_t day_ms = 24LL * 3600 * 1000;

std::optional<std::string> param(std::string_view query, const char* name) {
  std::string key = std::string(name) + "=";
  bool named = query.starts_with(key) || query.find("&" + key) != std::string_view::npos;
  auto v = form_field(query, name);
  if (named && !v) throw PipelineQueryError(std::string(name) + " is not properly percent-encoded");
  if (v && v->empty()) return std::nullopt;
  return v;
}


json::value seconds_or_null(const std::optional<std::int64_t>& s) {
  if (!s) return nullptr;
  return *s;
}

json::value share_or_null(const std::optional<double>& v) {
  if (!v) return nullptr;
  return std::round(*v * 1000.0) / 1000.0;
}

json::object times_json(const pl::ResponseTimes& t) {
  return {{"responded", t.responded},
          {"median_s", seconds_or_null(t.median_s)},
          {"p90_s", seconds_or_null(t.p90_s)},
          {"within_2_days", share_or_null(t.within_2_days_share)}};
}

std::string percent(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return "–";
  return std::to_string(static_cast<int>(std::lround(100.0 * static_cast<double>(part) / static_cast<double>(whole)))) + " %";
}

std::string duration_or_dash(const std::optional<std::int64_t>& s) { return s ? spoken_duration(*s) : "–"; }

std::string share_text(const std::optional<double>& v) {
  return v ? std::to_string(static_cast<int>(std::lround(*v * 100.0))) + " %" : "–";
}

const char* bucket_names[] = {"≤ 1 h", "1–4 h", "4 h–1 d", "1–2 d", "2–7 d", "7–30 d", "> 30 d"};

}  // namespace

std::optional<std::int64_t> parse_day_or_time(std::string_view text, bool end_of_day) {
  if (text.size() == 10) {
    auto ms = parse_iso8601_ms(std::string(text) + "T00:00:00Z");
    if (ms && end_of_day) *ms += day_ms;
    return ms;
  }
  return parse_iso8601_ms(text);
}

PipelineQuery pipeline_query_of(const PipelineParams& p) {
  PipelineQuery q;
  if (p.repo) {
    if (!could_be_repo(*p.repo)) throw PipelineQueryError("repo must be OWNER/NAME");
    q.repo = *p.repo;
  }
  if (p.org) {
    if (!could_be_login(*p.org)) throw PipelineQueryError("org must be a GitHub login");
    q.org = *p.org;
  }
  if (p.sprint) {
    if (p.sprint->size() > 100) throw PipelineQueryError("sprint must be a sprint's slug");
    q.sprint = *p.sprint;
  }
  if (!q.repo.empty() + !q.org.empty() + !q.sprint.empty() > 1) {
    throw PipelineQueryError("ask for one of repo, org and sprint");
  }
  for (auto [name, text, into, end] : {std::tuple{"since", &p.since, &q.since_ms, false},
                                       std::tuple{"until", &p.until, &q.until_ms, true}}) {
    if (!*text) continue;
    *into = parse_day_or_time(**text, end);
    if (!*into) throw PipelineQueryError(std::string(name) + " must be a date (2026-11-01) or an ISO 8601 time");
  }
  return q;
}

PipelineQuery parse_pipeline_query(std::string_view query) {
  return pipeline_query_of({param(query, "repo"), param(query, "org"), param(query, "sprint"), param(query, "since"),
                            param(query, "until")});
}

PipelineView view_of(const PipelineQuery& q, const std::optional<store::coins::Sprint>& sprint, std::int64_t now_ms) {
  PipelineView v;
  v.window.until_ms = now_ms;
  if (sprint) {
    v.scope.org = sprint->org;
    v.scope.repos = sprint->repos;
    v.participants = sprint->participants;
    v.window = {sprint->starts_at, sprint->ends_at};
    v.label = sprint->name;
  } else if (!q.repo.empty()) {
    v.scope.repo = q.repo;
    v.label = q.repo;
  } else if (!q.org.empty()) {
    v.scope.org = q.org;
    v.label = "every repository of " + q.org;
  } else {
    v.label = "every repository";
  }
  if (q.until_ms) v.window.until_ms = *q.until_ms;
  if (!sprint || q.since_ms) v.window.since_ms = q.since_ms.value_or(v.window.until_ms - 90 * day_ms);
  if (v.window.since_ms >= v.window.until_ms) throw PipelineQueryError("since must be before until");
  return v;
}

std::vector<pl::Entry> of_participants(std::vector<pl::Entry> rows, const std::vector<std::string>& participants) {
  if (participants.empty()) return rows;
  std::vector<std::string> who;
  for (const auto& p : participants) who.push_back(ascii_lower(p));
  std::erase_if(rows, [&](const pl::Entry& e) { return std::find(who.begin(), who.end(), ascii_lower(e.author)) == who.end(); });
  return rows;
}

json::value to_json(const pl::Numbers& n, const std::string& label) {
  json::array waiting;
  for (const auto& e : n.waiting) {
    waiting.push_back(json::object{{"repo", e.repo},
                                   {"number", e.number},
                                   {"author", e.author},
                                   {"title", e.title},
                                   {"waiting_since", format_iso8601(e.ready_at)},
                                   {"waiting_s", std::max<std::int64_t>(0, (n.now_ms - e.ready_at) / 1000)}});
  }
  json::array histogram;
  const auto& bounds = pl::histogram_bounds_s();
  for (std::size_t i = 0; i < n.newcomers.histogram.size(); ++i) {
    json::value upto = nullptr;
    if (i < bounds.size()) upto = bounds[i];
    histogram.push_back(json::object{{"up_to_s", upto}, {"count", n.newcomers.histogram[i]}});
  }
  auto newcomers = times_json(n.newcomers);
  newcomers["histogram"] = std::move(histogram);
  return json::object{
      {"scope", label},
      {"since", format_iso8601(n.window.since_ms)},
      {"until", format_iso8601(n.window.until_ms)},
      {"stages", {{"opened", n.stages.opened},
                  {"responded", n.stages.responded},
                  {"merged", n.stages.merged},
                  {"returned", n.stages.returned}}},
      {"time_to_first_response", newcomers},
      {"regulars_time_to_first_response", times_json(n.regulars)},
      {"acceptance", {{"merged", n.acceptance.merged},
                      {"closed", n.acceptance.closed},
                      {"ratio", share_or_null(n.acceptance.ratio)}}},
      {"waiting", std::move(waiting)},
  };
}

std::string pipeline_csv(const std::vector<pl::Entry>& rows, pl::Window window) {
  std::string out = "repo,number,author,newcomer,title,opened_at,first_response_at,first_response_s,merged_at,closed_at,turn\r\n";
  auto time = [](const std::optional<std::int64_t>& ms) { return ms ? format_iso8601(*ms) : std::string(); };
  for (const auto& e : rows) {
    if (e.opened_at < window.since_ms || e.opened_at >= window.until_ms) continue;
    std::string response_s;
    if (e.first_response_at) response_s = std::to_string(std::max<std::int64_t>(0, (*e.first_response_at - e.ready_at) / 1000));
    out += csv_cell(e.repo) + "," + std::to_string(e.number) + "," + csv_cell(e.author) + "," +
           (e.newcomer ? "yes" : "no") + "," + csv_cell(e.title) + "," + format_iso8601(e.opened_at) + "," +
           time(e.first_response_at) + "," + response_s + "," + time(e.merged_at) + "," + time(e.closed_at) + "," +
           e.turn + "\r\n";
  }
  return out;
}

std::string pipeline_markdown(const pl::Numbers& n, const std::string& label) {
  const auto& s = n.stages;
  std::string out = "## Newcomers to " + render::escape_text(label) + ", " + format_iso8601(n.window.since_ms).substr(0, 10) +
                    " to " + format_iso8601(n.window.until_ms - 1).substr(0, 10) + "\n\n";
  out += "| Stage | Newcomers | Of those who opened |\n|---|---:|---:|\n";
  out += "| Opened a first pull request | " + std::to_string(s.opened) + " | " + percent(s.opened, s.opened) + " |\n";
  out += "| Got a first human response | " + std::to_string(s.responded) + " | " + percent(s.responded, s.opened) + " |\n";
  out += "| Had a pull request merged | " + std::to_string(s.merged) + " | " + percent(s.merged, s.opened) + " |\n";
  out += "| Came back: a second merged within 90 days | " + std::to_string(s.returned) + " | " +
         percent(s.returned, s.opened) + " |\n\n";
  out += "| Time to first human response | Newcomers | Regulars |\n|---|---:|---:|\n";
  out += "| Median | " + duration_or_dash(n.newcomers.median_s) + " | " + duration_or_dash(n.regulars.median_s) + " |\n";
  out += "| 90th percentile | " + duration_or_dash(n.newcomers.p90_s) + " | " + duration_or_dash(n.regulars.p90_s) + " |\n";
  out += "| Answered within 2 days | " + share_text(n.newcomers.within_2_days_share) + " | " +
         share_text(n.regulars.within_2_days_share) + " |\n";
  out += "| Pull requests answered | " + std::to_string(n.newcomers.responded) + " | " +
         std::to_string(n.regulars.responded) + " |\n\n";
  out += "Newcomers' pull requests merged: " + std::to_string(n.acceptance.merged) + " of " +
         std::to_string(n.acceptance.merged + n.acceptance.closed) + " decided (" + share_text(n.acceptance.ratio) + ").\n";
  if (n.waiting.empty()) {
    out += "\nNo newcomer's pull request is waiting for a first response.\n";
  } else {
    out += "\n| Waiting for a first response | Author | Waiting |\n|---|---|---:|\n";
    for (const auto& e : n.waiting) {
      out += "| " + render::escape_text(e.repo) + "#" + std::to_string(e.number) + " " + render::escape_text(e.title) +
             " | " + render::escape_text(e.author) + " | " + spoken_duration((n.now_ms - e.ready_at) / 1000) + " |\n";
    }
  }
  return out;
}

std::string funnel_svg(const pl::Numbers::Stages& s) {
  const std::pair<const char*, std::int64_t> rows[] = {
      {"opened a first pull request", s.opened}, {"got a first human response", s.responded},
      {"had one merged", s.merged}, {"came back within 90 days", s.returned}};
  constexpr int width = 640, bar_height = 34, gap = 12, label_width = 230;
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"funnel\" role=\"img\" viewBox=\"0 0 " +
                    std::to_string(width) + " " + std::to_string(4 * (bar_height + gap)) +
                    "\" aria-label=\"Newcomers by stage\">";
  int y = 0;
  for (const auto& [name, count] : rows) {
    double share = s.opened > 0 ? static_cast<double>(count) / static_cast<double>(s.opened) : 0.0;
    int bar = static_cast<int>(std::lround(share * (width - label_width - 60)));  // room for the count
    out += "<g><title>" + std::to_string(count) + " " + name + "</title>";
    out += "<text x=\"0\" y=\"" + std::to_string(y + 22) + "\" class=\"funnel__label\">" + name + "</text>";
    out += "<rect x=\"" + std::to_string(label_width) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
           std::to_string(std::max(bar, 2)) + "\" height=\"" + std::to_string(bar_height) +
           "\" rx=\"4\" fill=\"#c98a1b\"/>";
    out += "<text x=\"" + std::to_string(label_width + std::max(bar, 2) + 8) + "\" y=\"" + std::to_string(y + 22) +
           "\" class=\"funnel__count\">" + std::to_string(count) + "</text></g>";
    y += bar_height + gap;
  }
  return out + "</svg>";
}

std::string histogram_svg(const pl::ResponseTimes& t) {
  constexpr int width = 640, height = 220, base = 180, top = 16;
  auto buckets = static_cast<int>(t.histogram.size());
  std::int64_t most = 1;
  for (auto c : t.histogram) most = std::max(most, c);
  int slot = buckets > 0 ? width / buckets : width;
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"histogram\" role=\"img\" viewBox=\"0 0 " +
                    std::to_string(width) + " " + std::to_string(height) +
                    "\" aria-label=\"Newcomers' pull requests by time to first human response\">";
  for (int i = 0; i < buckets; ++i) {
    auto count = t.histogram[static_cast<std::size_t>(i)];
    int h = static_cast<int>(std::lround(static_cast<double>(count) / static_cast<double>(most) * (base - top)));
    int x = i * slot + 8;
    out += "<g><title>" + std::to_string(count) + " answered in " + bucket_names[i] + "</title>";
    out += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(base - h) + "\" width=\"" +
           std::to_string(slot - 16) + "\" height=\"" + std::to_string(h) + "\" rx=\"3\" fill=\"" +
           (i < 4 ? "#2f7d5b" : "#b4532a") + "\"/>";
    out += "<text x=\"" + std::to_string(x + (slot - 16) / 2) + "\" y=\"" + std::to_string(base - h - 4) +
           "\" text-anchor=\"middle\" class=\"histogram__count\">" + std::to_string(count) + "</text>";
    out += "<text x=\"" + std::to_string(x + (slot - 16) / 2) + "\" y=\"" + std::to_string(base + 20) +
           "\" text-anchor=\"middle\" class=\"histogram__label\">" + bucket_names[i] + "</text></g>";
  }
  out += "<line x1=\"0\" x2=\"" + std::to_string(width) + "\" y1=\"" + std::to_string(base) + "\" y2=\"" +
         std::to_string(base) + "\" stroke=\"#555\"/>";
  return out + "</svg>";
}

std::string pipeline_page(const pl::Numbers& n, const std::string& label, const std::string& query) {
  const auto& s = n.stages;
  std::string q = render::xml_escape(query);
  std::string out =
      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n<link rel=\"icon\" href=\"data:,\">\n"
      "<title>Newcomer pipeline · mentorbot</title>\n<link rel=\"stylesheet\" href=\"/assets/pipeline.css\">\n"
      "</head>\n<body>\n<header class=\"masthead\">\n<p class=\"kicker\">mentorbot · newcomer pipeline</p>\n"
      "<h1 id=\"scope\">" + render::xml_escape(label) + "</h1>\n<p class=\"dates\" id=\"window\">" +
      format_iso8601(n.window.since_ms).substr(0, 10) + " to " + format_iso8601(n.window.until_ms - 1).substr(0, 10) +
      "</p>\n</header>\n<main>\n";
  out += "<section><h2>Newcomers by stage</h2>\n" + funnel_svg(s) +
         "\n<table class=\"numbers\" id=\"stages\"><tr><th>Opened a first pull request</th><td id=\"stage-opened\">" +
         std::to_string(s.opened) + "</td></tr><tr><th>Got a first human response</th><td id=\"stage-responded\">" +
         std::to_string(s.responded) + "</td></tr><tr><th>Had one merged</th><td id=\"stage-merged\">" +
         std::to_string(s.merged) + "</td></tr><tr><th>Came back: a second merged within 90 days</th><td id=\"stage-returned\">" +
         std::to_string(s.returned) + "</td></tr></table></section>\n";
  out += "<section><h2>Time to first human response</h2>\n" + histogram_svg(n.newcomers) +
         "\n<table class=\"numbers\" id=\"times\"><tr><th></th><th>Newcomers</th><th>Regulars</th></tr>"
         "<tr><th>Median</th><td id=\"median\">" + duration_or_dash(n.newcomers.median_s) + "</td><td>" +
         duration_or_dash(n.regulars.median_s) + "</td></tr><tr><th>90th percentile</th><td id=\"p90\">" +
         duration_or_dash(n.newcomers.p90_s) + "</td><td>" + duration_or_dash(n.regulars.p90_s) +
         "</td></tr><tr><th>Answered within 2 days</th><td id=\"within\">" +
         share_text(n.newcomers.within_2_days_share) + "</td><td>" + share_text(n.regulars.within_2_days_share) +
         "</td></tr></table>\n<p>Bots and the pull request's author are never a response. Newcomers' pull requests "
         "merged: <span id=\"acceptance\">" + std::to_string(n.acceptance.merged) + " of " +
         std::to_string(n.acceptance.merged + n.acceptance.closed) + "</span> decided.</p></section>\n";
  out += "<section><h2>Waiting for a first reply now</h2>\n";
  if (n.waiting.empty()) {
    out += "<p id=\"waiting-none\">No newcomer's pull request is waiting for a first reply.</p>\n";
  } else {
    out += "<ol class=\"waiting\" id=\"waiting\">\n";
    for (const auto& e : n.waiting) {
      out += "<li><a href=\"https://github.com/" + render::xml_escape(e.repo) + "/pull/" + std::to_string(e.number) + "\">" +
             render::xml_escape(e.repo) + "#" + std::to_string(e.number) + "</a> <span class=\"title\">" + render::xml_escape(e.title) +
             "</span> by <span class=\"author\">" + render::xml_escape(e.author) + "</span>, waiting " +
             spoken_duration((n.now_ms - e.ready_at) / 1000) + "</li>\n";
    }
    out += "</ol>\n";
  }
  out += "</section>\n<p class=\"export\"><a href=\"/api/pipeline.csv" + std::string(q.empty() ? "" : "?") + q +
         "\">The pull requests as CSV</a> · <a href=\"/api/pipeline" + std::string(q.empty() ? "" : "?") + q +
         "\">as JSON</a></p>\n</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace mentorbot::http
