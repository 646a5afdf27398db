#pragma once
// The newcomer pipeline's numbers (store/pipeline_numbers.hpp) as people read them: the JSON of
// GET /api/pipeline, a CSV of the pull requests behind them, the Markdown table `mentorbot
// report` prints, and the /pipeline page with its funnel and histogram drawn here as SVG.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "store/coins.hpp"
#include "store/pipeline_numbers.hpp"

namespace mentorbot::http {

struct PipelineQueryError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// What is asked: one repository, an org, a sprint or everything, and a window.
struct PipelineQuery {
  std::string repo;
  std::string org;
  std::string sprint;  // a slug
  std::optional<std::int64_t> since_ms;
  std::optional<std::int64_t> until_ms;
};

// Pure: what was given (flags or query parameters; nullopt: not given), checked.
struct PipelineParams {
  std::optional<std::string> repo, org, sprint, since, until;
};
PipelineQuery pipeline_query_of(const PipelineParams& params);
// Pure: the query string of /api/pipeline (repo=, org=, sprint=, since=, until=; a date
// "2026-11-01" or an ISO 8601 time; a bare `until` date counts its whole day). At most one of
// repo, org and sprint. Throws PipelineQueryError with a one-line reason.
PipelineQuery parse_pipeline_query(std::string_view query);
// A date (a bare `until` date: the end of its day) or an ISO 8601 time, in ms.
std::optional<std::int64_t> parse_day_or_time(std::string_view text, bool end_of_day);

// What the numbers are about, resolved against the store's sprints (nullopt sprint: none asked).
struct PipelineView {
  store::pipeline::Scope scope;
  store::pipeline::Window window;
  std::vector<std::string> participants;  // a sprint's; empty: everyone
  std::string label;                      // "octo/site", "every repository of octo", "PyCon sprint"
};
// Pure: the scope and window for a query; the window is 90 days up to now unless the query or the
// sprint says otherwise. Throws PipelineQueryError when since is not before until.
PipelineView view_of(const PipelineQuery& query, const std::optional<store::coins::Sprint>& sprint,
                     std::int64_t now_ms);
// The rows a sprint's participants opened (all when the sprint names none).
std::vector<store::pipeline::Entry> of_participants(std::vector<store::pipeline::Entry> rows,
                                                    const std::vector<std::string>& participants);

boost::json::value to_json(const store::pipeline::Numbers& numbers, const std::string& label);
// The pull requests opened in the window, one line each, with their times.
std::string pipeline_csv(const std::vector<store::pipeline::Entry>& rows, store::pipeline::Window window);
std::string pipeline_markdown(const store::pipeline::Numbers& numbers, const std::string& label);
std::string funnel_svg(const store::pipeline::Numbers::Stages& stages);
std::string histogram_svg(const store::pipeline::ResponseTimes& times);
// The whole page; `query` is the request's query string, kept in its links.
std::string pipeline_page(const store::pipeline::Numbers& numbers, const std::string& label,
                          const std::string& query);

}  // namespace mentorbot::http
