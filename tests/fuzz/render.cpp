// Template rendering with hostile data: a template of one's own and JSON data, split by the
// first NUL. Whatever is rendered from the data holds no control character (render/escape.cpp).
#include <cstdint>
#include <exception>
#include <string>

#include <boost/json/parse.hpp>

#include "render/escape.hpp"
#include "render/templates.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  auto split = input.find('\0');
  std::string source = input.substr(0, split);
  std::string json_text = split == std::string::npos ? "{}" : input.substr(split + 1);
  boost::json::error_code ec;
  auto json = boost::json::parse(json_text, ec);
  if (ec || !json.is_object()) json = boost::json::object{{"title", json_text}};
  auto values = mentorbot::render::from_json(json);
  try {
    (void)mentorbot::render::render_source(source, values, "fuzz");
  } catch (const mentorbot::render::TemplateError&) {
  }
  // Escaped values: printable, and "{{title}}" shows no more than the escaped title.
  auto escaped = mentorbot::render::escape_text(json_text);
  if (!mentorbot::render::printable(escaped)) __builtin_trap();
  if (!mentorbot::render::printable(mentorbot::render::code_span(json_text))) __builtin_trap();
  return 0;
}
