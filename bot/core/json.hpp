#pragma once
// Reading GitHub's JSON: Boost.JSON values, and small helpers that walk a path of object keys
// and answer nullopt for anything missing or of another type (payloads vary by event and age).
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace mentorbot {

namespace json = boost::json;

const json::value* json_find(const json::value& root, std::initializer_list<std::string_view> path);
std::optional<std::string> json_string(const json::value& root, std::initializer_list<std::string_view> path);
std::optional<std::int64_t> json_int(const json::value& root, std::initializer_list<std::string_view> path);
std::optional<bool> json_bool(const json::value& root, std::initializer_list<std::string_view> path);

}  // namespace mentorbot
