#include "app/good_first_issues.hpp"

#include <spdlog/spdlog.h>

#include "core/json.hpp"

namespace mentorbot::app {

std::string GoodFirstIssuesOverSearch::query(const std::string& repo, const std::vector<std::string>& labels) {
  std::string q = "repo:" + repo + " is:issue is:open no:assignee label:";
  for (std::size_t i = 0; i < labels.size(); ++i) q += (i ? ",\"" : "\"") + labels[i] + "\"";
  return q;
}

std::vector<features::OpenIssue> GoodFirstIssuesOverSearch::parse(const boost::json::value& v) {
  std::vector<features::OpenIssue> out;
  if (!v.is_object()) return out;
  auto items = v.as_object().if_contains("items");
  if (!items || !items->is_array()) return out;
  for (const auto& item : items->as_array()) {
    if (!item.is_object()) continue;
    const auto& o = item.as_object();
    if (o.contains("pull_request")) continue;  // the search lists pull requests as issues too
    if (auto a = o.if_contains("assignees"); a && a->is_array() && !a->as_array().empty()) continue;
    auto number = json_int(item, {"number"});
    auto title = json_string(item, {"title"});
    auto url = json_string(item, {"html_url"});
    if (!number || !title || !url) continue;
    out.push_back({*number, *title, json_string(item, {"user", "login"}).value_or(""), *url});
  }
  return out;
}

std::vector<features::OpenIssue> GoodFirstIssuesOverSearch::find(std::int64_t installation, const std::string& repo,
                                                                 const std::vector<std::string>& labels) {
  auto q = query(repo, labels);
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(q); it != cache_.end() && it->second.second > now) return it->second.first;
  }
  try {
    auto r = client_.get(installation, "/search/issues?q=" + github::url_encode(q) + "&sort=created&order=desc&per_page=10");
    auto found = parse(r.body);
    std::lock_guard lock(mutex_);
    if (cache_.size() > 1000) cache_.clear();  // repositories come and go; never more than this
    cache_[q] = {found, now + std::chrono::minutes(10)};
    return found;
  } catch (const std::exception& e) {
    spdlog::info("no next-step issues for {}: GitHub's search did not answer ({})", repo, e.what());
    return {};
  }
}

}  // namespace mentorbot::app
