// `mentorbot report [--repo R | --org O | --sprint S] [--since DATE] [--until DATE]`: the newcomer
// pipeline's numbers as the Markdown a sprint organiser pastes into a blog post, read from the
// same database as `serve` (also while it runs), the same numbers /api/pipeline gives.
#include <iostream>

#include "cli/verbs.hpp"
#include "core/clock.hpp"
#include "core/errors.hpp"
#include "http/pipeline_view.hpp"
#include "store/coins.hpp"
#include "store/pipeline.hpp"
#include "store/pipeline_numbers.hpp"
#include "store/store.hpp"

namespace mentorbot::cli {

int report(const ServerConfig& config, const Args& args) {
  if (!args.positional.empty()) throw ConfigError("report takes only flags: --repo, --org or --sprint, --since, --until");
  http::PipelineQuery query;
  try {
    query = http::pipeline_query_of(
        {args.flag("--repo"), args.flag("--org"), args.flag("--sprint"), args.flag("--since"), args.flag("--until")});
  } catch (const http::PipelineQueryError& e) {
    throw ConfigError(std::string("--") + e.what());
  }
  auto now = unix_ms();
  auto store = store::Store::open_read_only(config.database);
  std::optional<std::string> markdown;
  try {
    markdown = store->read([&](store::Db& db) -> std::optional<std::string> {
      std::optional<store::coins::Sprint> sprint;
      if (!query.sprint.empty()) {
        sprint = store::coins::find_sprint(db, query.sprint);
        if (!sprint) return std::nullopt;
      }
      auto view = http::view_of(query, sprint, now);
      auto rows = http::of_participants(store::pipeline::rows(db, view.scope, view.window.since_ms), view.participants);
      return http::pipeline_markdown(store::pipeline::numbers_of(rows, view.window, now), view.label);
    });
  } catch (const http::PipelineQueryError& e) {
    throw ConfigError(std::string("--") + e.what());
  }
  store->close();
  if (!markdown) {
    std::cerr << "mentorbot: no sprint with the slug \"" << query.sprint << "\" (mentorbot sprint list shows them)\n";
    return 1;
  }
  std::cout << *markdown;
  return 0;
}

}  // namespace mentorbot::cli
