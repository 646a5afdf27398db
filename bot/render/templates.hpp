#pragma once
// Every sentence mentorbot writes to a person comes from a Mustache template: one set per tone
// (templates/warm, templates/concise, templates/playful), one file per name, overridable per
// repository. {{value}} is escaped for Markdown (mentions defused, HTML and Markdown specials
// escaped); {{{value}}} is for values mentorbot built itself (links, code spans).
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>
#include <kainjow/mustache.hpp>

namespace mentorbot::render {

using Data = kainjow::mustache::data;

inline constexpr const char* tones[] = {"warm", "concise", "playful"};
inline constexpr const char* template_names[] = {"welcome", "review_summary", "suggestion", "question",
                                                 "coin_first", "coin", "coin_award", "coin_refused",
                                                 "closed_unmerged", "nudge", "escalation", "author_nudge"};

struct TemplateError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Templates {
 public:
  // Loads every tone found under `dir` (a folder per tone, NAME.md files). Throws TemplateError
  // for a template that does not parse, naming the file.
  static Templates load(const std::filesystem::path& dir);
  // Where the templates are: MENTORBOT_TEMPLATES, or `templates/` beside the binary's source
  // tree as installed, or ./templates.
  static std::filesystem::path locate();

  // Renders `name` in `tone` (warm when the tone is unknown), or `override_text` when given.
  // Throws TemplateError for an unknown name or an override that does not parse.
  std::string render(const std::string& tone, const std::string& name, const Data& data,
                     const std::optional<std::string>& override_text = std::nullopt) const;

  bool has(const std::string& tone, const std::string& name) const;

 private:
  std::map<std::string, std::map<std::string, std::string>> text_;  // tone -> name -> source
};

// Template data from JSON (objects, lists, texts; numbers become texts, true/false sections).
Data from_json(const boost::json::value& value);

// Mustache source renders to text with escaping as above. Throws TemplateError.
std::string render_source(const std::string& source, const Data& data, const std::string& what);

}  // namespace mentorbot::render
