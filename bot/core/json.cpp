#include "core/json.hpp"

namespace mentorbot {

const json::value* json_find(const json::value& root, std::initializer_list<std::string_view> path) {
  const json::value* at = &root;
  for (auto key : path) {
    const auto* object = at->if_object();
    if (!object) return nullptr;
    auto it = object->find(key);
    if (it == object->end()) return nullptr;
    at = &it->value();
  }
  return at;
}

std::optional<std::string> json_string(const json::value& root, std::initializer_list<std::string_view> path) {
  const auto* v = json_find(root, path);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

std::optional<std::int64_t> json_int(const json::value& root, std::initializer_list<std::string_view> path) {
  const auto* v = json_find(root, path);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v->get_uint64());
  }
  return std::nullopt;
}

std::optional<bool> json_bool(const json::value& root, std::initializer_list<std::string_view> path) {
  const auto* v = json_find(root, path);
  if (!v || !v->is_bool()) return std::nullopt;
  return v->get_bool();
}

}  // namespace mentorbot
