#include "render/templates.hpp"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <unordered_map>

#include "core/data_files.hpp"
#include "core/read_file.hpp"
#include "render/escape.hpp"

namespace mentorbot::render {

namespace {

std::string read(const std::filesystem::path& p) { return read_file_limited(p.string(), file_limit::template_text); }

// Trailing newlines of a template file are not part of the comment.
std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Data from_json(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::object: {
      Data d;
      for (const auto& [key, value] : v.get_object()) d.set(std::string(key), from_json(value));
      return d;
    }
    case boost::json::kind::array: {
      Data d{Data::type::list};
      for (const auto& item : v.get_array()) d.push_back(from_json(item));
      return d;
    }
    case boost::json::kind::string: return Data(std::string(v.get_string()));
    case boost::json::kind::bool_: return Data(v.get_bool() ? Data::type::bool_true : Data::type::bool_false);
    case boost::json::kind::int64: return Data(std::to_string(v.get_int64()));
    case boost::json::kind::uint64: return Data(std::to_string(v.get_uint64()));
    case boost::json::kind::double_: {
      std::ostringstream s;
      s << v.get_double();
      return Data(s.str());
    }
    case boost::json::kind::null: break;
  }
  return Data(Data::type::bool_false);
}

namespace {

// The parsed form of each template, kept per thread (a parsed template is not safe to render
// from two threads at once, and parsing costs more than rendering): each worker parses each
// template once.
std::unordered_map<std::string, std::unique_ptr<kainjow::mustache::mustache>>& parsed_templates() {
  thread_local std::unordered_map<std::string, std::unique_ptr<kainjow::mustache::mustache>> cache;
  return cache;
}

kainjow::mustache::mustache& parsed(const std::string& source) {
  auto& cache = parsed_templates();
  if (auto it = cache.find(source); it != cache.end()) return *it->second;
  if (cache.size() >= 256) cache.clear();  // repositories' own templates come and go
  auto tmpl = std::make_unique<kainjow::mustache::mustache>(source);
  tmpl->set_custom_escape([](const std::string& s) { return escape_text(s); });
  return *cache.emplace(source, std::move(tmpl)).first->second;
}

// A template that failed to render keeps its error: it is parsed again next time.
void forget(const std::string& source) { parsed_templates().erase(source); }

}  // namespace

std::string render_source(const std::string& source, const Data& data, const std::string& what) {
  auto& tmpl = parsed(source);
  if (!tmpl.is_valid()) throw TemplateError(what + ": " + tmpl.error_message());
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid()) {
    auto message = tmpl.error_message();
    forget(source);
    throw TemplateError(what + ": " + message);
  }
  // Sections that render to nothing leave blank lines behind: at most one in a row.
  std::string tidy;
  tidy.reserve(out.size());
  int newlines = 0;
  for (char c : out) {
    newlines = c == '\n' ? newlines + 1 : 0;
    if (newlines <= 2) tidy += c;
  }
  while (!tidy.empty() && (tidy.front() == '\n')) tidy.erase(tidy.begin());
  return trimmed(tidy);
}

std::filesystem::path Templates::locate() { return locate_data("MENTORBOT_TEMPLATES", "templates"); }

Templates Templates::load(const std::filesystem::path& dir) {
  Templates t;
  for (const char* tone : tones) {
    for (const char* name : template_names) {
      auto path = dir / tone / (std::string(name) + ".md");
      if (!std::filesystem::exists(path)) continue;
      auto source = read(path);
      kainjow::mustache::mustache check(source);
      if (!check.is_valid()) throw TemplateError(path.string() + ": " + check.error_message());
      t.text_[tone][name] = source;
    }
  }
  if (t.text_.empty()) throw TemplateError("no templates in " + dir.string());
  return t;
}

bool Templates::has(const std::string& tone, const std::string& name) const {
  auto it = text_.find(tone);
  return it != text_.end() && it->second.count(name);
}

std::string Templates::render(const std::string& tone, const std::string& name, const Data& data,
                              const std::optional<std::string>& override_text) const {
  if (override_text) return render_source(*override_text, data, "the repository's template " + name);
  const std::string& chosen = text_.count(tone) ? tone : std::string("warm");
  auto t = text_.find(chosen);
  if (t == text_.end() || !t->second.count(name)) {
    auto warm = text_.find("warm");
    if (warm == text_.end() || !warm->second.count(name)) throw TemplateError("no template " + name);
    return render_source(warm->second.at(name), data, "templates/warm/" + name + ".md");
  }
  return render_source(t->second.at(name), data, "templates/" + chosen + "/" + name + ".md");
}

}  // namespace mentorbot::render
