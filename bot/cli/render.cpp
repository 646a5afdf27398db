// `mentorbot render TEMPLATE`: a template (by name, or a .md file) rendered with JSON data, or
// with sample data: what a person would read. With `--repo-dir PATH`, in that repository's words
// (its .github/mentorbot.yml and .github/mentorbot/ templates); without TEMPLATE, the whole words
// preview a pull request changing them gets.
#include <filesystem>
#include <iostream>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "cli/verbs.hpp"
#include "core/errors.hpp"
#include "core/read_file.hpp"
#include "cli/local_repo.hpp"
#include "features/preview/preview.hpp"
#include "features/samples.hpp"
#include "features/words.hpp"
#include "render/escape.hpp"
#include "render/templates.hpp"

namespace mentorbot::cli {

namespace {

constexpr const char* usage =
    "usage: mentorbot render TEMPLATE [--data FILE] [--tone warm|concise|playful] | "
    "render [TEMPLATE] --repo-dir PATH [--org-dir PATH] [--data FILE]";

int render_in_repo(const std::string& dir, const Args& args) {
  if (args.positional.size() > 1 || args.flag("--tone")) throw ConfigError(usage);
  LocalRepo local(dir, args.flag("--org-dir"));
  auto loaded = local.load();
  auto templates = render::Templates::load(render::Templates::locate());
  if (args.positional.empty()) {
    features::preview::Input in;
    in.head = loaded;
    std::cout << features::preview::body(in, templates, [](const features::FileProblem& p) {
      return (p.repo == local_repo_name ? "" : p.repo + " ") + render::code_span(p.path) +
             (p.line > 0 ? " line " + std::to_string(p.line) : "");
    }) << "\n";
    return loaded.broken() ? 1 : 0;
  }
  const auto& name = args.positional[0];
  if (std::find(std::begin(render::template_names), std::end(render::template_names), name) ==
      std::end(render::template_names)) {
    throw ConfigError("no template \"" + name + "\"");
  }
  auto data = features::sample_for(name);
  if (auto file = args.flag("--data")) {
    boost::json::error_code ec;
    auto json = boost::json::parse(read_file_limited(*file, file_limit::data), ec);
    if (ec || !json.is_object()) throw ConfigError("--data must name a file holding a JSON object");
    data = render::from_json(json);
  }
  for (const auto& w : loaded.warnings) std::cerr << "the files are broken, so the defaults apply: " << w << "\n";
  std::cout << features::Words(&templates, loaded.config)(name, data) << "\n";
  return 0;
}

}  // namespace

int render_template(const Args& args) {
  if (auto dir = args.flag("--repo-dir")) return render_in_repo(*dir, args);
  if (args.positional.size() != 1) throw ConfigError(usage);
  const auto& name = args.positional[0];
  std::string json_text = boost::json::serialize(features::sample_json());
  if (auto data = args.flag("--data")) json_text = read_file_limited(*data, file_limit::data);
  boost::json::error_code ec;
  auto json = boost::json::parse(json_text, ec);
  if (ec || !json.is_object()) throw ConfigError("--data must name a file holding a JSON object");
  auto data = render::from_json(json);
  std::string tone = args.flag("--tone").value_or("warm");
  if (std::find(std::begin(render::tones), std::end(render::tones), tone) == std::end(render::tones)) {
    throw ConfigError("--tone must be warm, concise or playful");
  }
  // A template by name, or a Mustache file of one's own: a .md file, nothing else.
  if (name.ends_with(".md")) {
    std::cout << render::render_source(read_file_limited(name, file_limit::template_text), data, name) << "\n";
    return 0;
  }
  auto templates = render::Templates::load(render::Templates::locate());
  if (!templates.has(tone, name)) {
    std::string names;
    for (const char* n : render::template_names) names += std::string(names.empty() ? "" : ", ") + n;
    throw ConfigError("no template \"" + name + "\" (the names are " + names + ", or give a .md file)");
  }
  std::cout << templates.render(tone, name, data) << "\n";
  return 0;
}

}  // namespace mentorbot::cli
