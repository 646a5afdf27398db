#pragma once
// The sprint screen and what feeds it: the page and its assets (templates/web), the board as
// JSON, the live coin events, contributors' coin badges, the newcomer pipeline's numbers
// (/pipeline, /api/pipeline) and the admin API for sprints (Bearer MENTORBOT_ADMIN_TOKEN).
// Reads answer from the store on the HTTP thread (indexed, small); creating a sprint goes through
// the store's write queue and answers after its commit.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "http/message.hpp"

namespace mentorbot::store {
class Store;
}

namespace mentorbot::http {

struct SprintScreenParts {
  store::Store& store;
  std::filesystem::path web_dir;           // leaderboard.html and its assets
  std::optional<std::string> admin_token;  // none: the admin API answers 403
  // A new live viewer and the last event id it has (Last-Event-ID), if it is reconnecting.
  std::function<void(std::shared_ptr<StreamSink>, std::optional<std::int64_t>)> subscribe;
  std::function<std::size_t()> viewers;  // connected now
  std::size_t max_viewers = 5000;        // more get 503: each holds a connection and a queue
  std::string coin_name = "challenge coin";
};

class SprintScreen {
 public:
  // Loads the page and its assets; throws std::runtime_error when the page is missing.
  explicit SprintScreen(SprintScreenParts parts);

  // Whether `path` is one of these routes.
  static bool owns(std::string_view path);
  void handle(Request&& request, Responder respond);

 private:
  Response page(std::string_view path);
  Response asset(std::string_view name, const Request& request);
  Response board(std::string_view query);
  Response badge(std::string_view login_svg, const Request& request);
  // /pipeline, /api/pipeline and /api/pipeline.csv (http/pipeline_view.hpp).
  Response pipeline(std::string_view path, std::string_view query);
  void admin(Request&& request, std::string_view path, Responder respond);

  SprintScreenParts parts_;
  struct File {
    std::string body;
    std::string content_type;
    std::string etag;
  };
  std::map<std::string, File, std::less<>> files_;  // name in web_dir -> contents

  // The board as JSON per sprint ("" for all-time) and the ledger id it was built at: every
  // viewer asks again after each coin, and all but the first get the same bytes.
  std::mutex cache_mutex_;
  std::map<std::string, std::pair<std::int64_t, std::string>> boards_;
};

}  // namespace mentorbot::http
