#include "github/payload_scan.hpp"

#include <array>

#include <boost/json/basic_parser_impl.hpp>

namespace mentorbot::github {
namespace {

namespace json = boost::json;

// SAX handler: tracks the two outermost object keys and captures the values we index.
class FactsHandler {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  PayloadFacts facts;
  bool top_is_object = false;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }

  bool on_object_begin(json::error_code&) {
    if (depth_ == 0) top_is_object = true;
    push(true);
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) { return pop(); }
  bool on_array_begin(json::error_code&) {
    push(false);
    return true;
  }
  bool on_array_end(std::size_t, json::error_code&) { return pop(); }

  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    if (depth_ <= 2) partial_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    if (depth_ == 1 || depth_ == 2) {
      partial_.append(s.data(), s.size());
      keys_[depth_].swap(partial_);
    }
    partial_.clear();
    return true;
  }

  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    if (wanted_string()) partial_.append(s.data(), s.size());
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    if (wanted_string()) {
      partial_.append(s.data(), s.size());
      if (depth_ == 1) {
        facts.action = partial_;
      } else {
        facts.repo = partial_;
      }
    }
    partial_.clear();
    return true;
  }

  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t v, json::string_view, json::error_code&) {
    integer(v);
    return true;
  }
  bool on_uint64(std::uint64_t v, json::string_view, json::error_code&) {
    if (v <= static_cast<std::uint64_t>(INT64_MAX)) integer(static_cast<std::int64_t>(v));
    return true;
  }
  bool on_double(double, json::string_view, json::error_code&) { return true; }
  bool on_bool(bool, json::error_code&) { return true; }
  bool on_null(json::error_code&) { return true; }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  void push(bool is_object) {
    ++depth_;
    if (depth_ < objects_.size()) objects_[depth_] = is_object;
  }
  bool pop() {
    --depth_;
    return true;
  }
  // A value directly inside objects all the way down (not inside an array).
  bool in_objects() const {
    if (depth_ >= objects_.size()) return false;
    for (std::size_t d = 1; d <= depth_; ++d) {
      if (!objects_[d]) return false;
    }
    return true;
  }
  bool wanted_string() const {
    if (!in_objects()) return false;
    if (depth_ == 1) return keys_[1] == "action";
    return depth_ == 2 && keys_[1] == "repository" && keys_[2] == "full_name";
  }
  void integer(std::int64_t v) {
    if (!in_objects()) return;
    if (depth_ == 1 && keys_[1] == "number") {
      facts.number = v;
    } else if (depth_ == 2 && keys_[2] == "id" && keys_[1] == "installation") {
      facts.installation_id = v;
    } else if (depth_ == 2 && keys_[2] == "number" && !facts.number &&
               (keys_[1] == "pull_request" || keys_[1] == "issue")) {
      facts.number = v;
    }
  }

  std::size_t depth_ = 0;
  std::array<bool, 4> objects_{};
  std::array<std::string, 3> keys_;
  std::string partial_;
};

}  // namespace

std::variant<PayloadFacts, ScanError> scan_payload(std::string_view body) {
  json::parse_options options;
  options.max_depth = max_payload_depth;
  json::basic_parser<FactsHandler> parser(options);
  json::error_code ec;
  std::size_t used = parser.write_some(false, body.data(), body.size(), ec);
  if (ec) {
    return ScanError{"payload is not valid JSON (" + ec.message() + " at byte " + std::to_string(used) + ")"};
  }
  if (used != body.size()) return ScanError{"payload has data after the JSON value (at byte " + std::to_string(used) + ")"};
  if (!parser.handler().top_is_object) return ScanError{"payload is not a JSON object"};
  return std::move(parser.handler().facts);
}

}  // namespace mentorbot::github
