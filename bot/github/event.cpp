#include "github/event.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include <memory>

#include "core/errors.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "github/payload_scan.hpp"

namespace mentorbot::github {
namespace {

// Enough for the tree of a typical 25 KB payload; larger ones take more from the heap.
constexpr std::size_t first_block_size = 256 * 1024;

std::string upper(std::string s) {
  for (auto& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

std::string lower(std::string s) {
  for (auto& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::optional<std::int64_t> time_of(const json::value& v, std::string_view key) {
  auto text = json_string(v, {key});
  return text ? parse_iso8601_ms(*text) : std::nullopt;
}

// Reads the payload of one event; `fail` names the event in every complaint.
class Reader {
 public:
  Reader(const std::string& event, const json::value& payload) : event_(event), payload_(payload) {}

  // A top-level object the event always has.
  const json::value& object(std::string_view key) const {
    const auto* v = json_find(payload_, {key});
    if (!v || !v->is_object()) fail("has no \"" + std::string(key) + "\" object");
    return *v;
  }
  std::int64_t required_int(const json::value& in, std::string_view parent, std::string_view key) const {
    auto v = json_int(in, {key});
    if (!v) fail("has no " + std::string(parent) + "." + std::string(key));
    return *v;
  }
  std::string required_string(const json::value& in, std::string_view parent, std::string_view key) const {
    auto v = json_string(in, {key});
    if (!v || v->empty()) fail("has no " + std::string(parent) + "." + std::string(key));
    return *v;
  }
  [[noreturn]] void fail(const std::string& what) const { throw PermanentError(event_ + " payload " + what); }

  User user(const json::value* v) const {
    User u;
    if (!v || !v->is_object()) return u;
    u.login = json_string(*v, {"login"}).value_or("");
    u.id = json_int(*v, {"id"}).value_or(0);
    u.avatar_url = json_string(*v, {"avatar_url"}).value_or("");
    u.bot = json_string(*v, {"type"}) == "Bot" || u.login.ends_with("[bot]");
    return u;
  }

  void common(RepositoryEvent& e) const {
    e.action = json_string(payload_, {"action"}).value_or("");
    e.installation = json_int(payload_, {"installation", "id"});
    const auto& r = object("repository");
    e.repository.full_name = required_string(r, "repository", "full_name");
    e.repository.html_url = json_string(r, {"html_url"}).value_or("https://github.com/" + e.repository.full_name);
    e.repository.clone_url = json_string(r, {"clone_url"}).value_or("");
    e.repository.default_branch = json_string(r, {"default_branch"}).value_or("main");
    e.repository.owner_html_url = json_string(r, {"owner", "html_url"}).value_or("");
    e.sender = user(json_find(payload_, {"sender"}));
  }

  PullRequest pull_request() const {
    const auto& p = object("pull_request");
    PullRequest pr;
    auto number = json_int(p, {"number"});
    if (!number) number = json_int(payload_, {"number"});  // pull_request events also carry it on top
    if (!number) fail("has no pull_request.number");
    pr.number = *number;
    pr.title = json_string(p, {"title"}).value_or("");
    pr.body = json_string(p, {"body"}).value_or("");
    pr.author = user(json_find(p, {"user"}));
    pr.association = upper(json_string(p, {"author_association"}).value_or(""));
    pr.state = json_string(p, {"state"}).value_or("open");
    pr.draft = json_bool(p, {"draft"}).value_or(false);
    pr.merged = json_bool(p, {"merged"}).value_or(false);
    pr.merged_at = time_of(p, "merged_at");
    pr.created_at = time_of(p, "created_at");
    pr.updated_at = time_of(p, "updated_at");
    pr.closed_at = time_of(p, "closed_at");
    pr.head_sha = json_string(p, {"head", "sha"}).value_or("");
    pr.base_sha = json_string(p, {"base", "sha"}).value_or("");
    pr.additions = static_cast<int>(json_int(p, {"additions"}).value_or(0));
    pr.deletions = static_cast<int>(json_int(p, {"deletions"}).value_or(0));
    pr.changed_files = static_cast<int>(json_int(p, {"changed_files"}).value_or(0));
    return pr;
  }

  Comment comment() const {
    const auto& c = object("comment");
    Comment out;
    out.id = json_int(c, {"id"}).value_or(0);
    out.body = json_string(c, {"body"}).value_or("");
    out.user = user(json_find(c, {"user"}));
    out.association = upper(json_string(c, {"author_association"}).value_or(""));
    out.created_at = time_of(c, "created_at");
    return out;
  }

  const json::value& payload() const { return payload_; }

 private:
  const std::string& event_;
  const json::value& payload_;
};

// The pull request and the repository of any event about a pull request.
template <class E>
E about_pull_request(const Reader& r) {
  E e;
  e.pull_request = r.pull_request();
  r.common(e);
  return e;
}

PullRequestReviewEvent review_event(const Reader& r) {
  const auto& v = r.object("review");
  auto e = about_pull_request<PullRequestReviewEvent>(r);
  e.review.user = r.user(json_find(v, {"user"}));
  e.review.association = upper(json_string(v, {"author_association"}).value_or(""));
  e.review.state = lower(json_string(v, {"state"}).value_or(""));
  e.review.submitted_at = time_of(v, "submitted_at");
  return e;
}

PullRequestReviewCommentEvent review_comment_event(const Reader& r) {
  auto comment = r.comment();
  auto e = about_pull_request<PullRequestReviewCommentEvent>(r);
  e.comment = std::move(comment);
  return e;
}

IssueCommentEvent issue_comment_event(const Reader& r) {
  IssueCommentEvent e;
  const auto& issue = r.object("issue");
  e.issue.number = r.required_int(issue, "issue", "number");
  e.issue.title = json_string(issue, {"title"}).value_or("");
  e.issue.author = r.user(json_find(issue, {"user"}));
  e.issue.is_pull_request = json_find(issue, {"pull_request"}) != nullptr;
  e.comment = r.comment();
  r.common(e);
  return e;
}

PushEvent push_event(const Reader& r) {
  PushEvent e;
  r.common(e);
  e.ref = json_string(r.payload(), {"ref"}).value_or("");
  e.deleted = json_bool(r.payload(), {"deleted"}).value_or(false);
  if (const auto* commits = json_find(r.payload(), {"commits"}); commits && commits->is_array()) {
    e.all_listed = commits->as_array().size() < 20;
    for (const auto& c : commits->as_array()) {
      for (const char* list : {"added", "modified", "removed"}) {
        const auto* files = json_find(c, {list});
        if (!files || !files->is_array()) continue;
        for (const auto& f : files->as_array()) {
          if (f.is_string()) e.paths.emplace_back(f.get_string());
        }
      }
    }
  }
  return e;
}

InstallationEvent installation_event(const Reader& r, std::string_view list) {
  InstallationEvent e;
  e.action = json_string(r.payload(), {"action"}).value_or("");
  const auto& installation = r.object("installation");
  e.installation = r.required_int(installation, "installation", "id");
  e.account = json_string(installation, {"account", "login"}).value_or("");
  e.sender = r.user(json_find(r.payload(), {"sender"}));
  bool adds = (list == "repositories" && (e.action == "created" || e.action == "new_permissions_accepted")) ||
              (list == "repositories_added" && e.action == "added");
  if (const auto* repos = json_find(r.payload(), {list}); adds && repos && repos->is_array()) {
    for (const auto& repo : repos->as_array()) {
      if (auto name = json_string(repo, {"full_name"})) e.repositories.push_back(*name);
    }
  }
  return e;
}

PingEvent ping_event(const Reader& r) {
  PingEvent e;
  e.hook_id = json_int(r.payload(), {"hook_id"});
  e.hook_type = json_string(r.payload(), {"hook", "type"}).value_or("unknown");
  e.app_id = json_int(r.payload(), {"hook", "app_id"});
  e.zen = json_string(r.payload(), {"zen"}).value_or("");
  return e;
}

}  // namespace

std::string Event::qualified_name() const { return action.empty() ? name : name + "." + action; }

bool is_typed(std::string_view name) {
  return name == "ping" || name == "pull_request" || name == "pull_request_review" ||
         name == "pull_request_review_comment" || name == "issue_comment" || name == "push" ||
         name == "installation" || name == "installation_repositories";
}

Event parse_event(std::string delivery, std::string name, std::string_view body) {
  Event e;
  e.delivery = std::move(delivery);
  e.name = std::move(name);
  if (!is_typed(e.name)) return e;  // nobody reads it: no need to parse it
  json::error_code ec;
  // One arena for the whole tree, freed with this scope: a 25 KB payload is hundreds of small
  // strings and objects. Its first block is this thread's, reused by every delivery it parses.
  thread_local std::unique_ptr<unsigned char[]> first_block(new unsigned char[first_block_size]);
  json::monotonic_resource arena(first_block.get(), first_block_size);
  json::parse_options options;
  options.max_depth = max_payload_depth;  // what the door let in (github/payload_scan.hpp)
  json::value payload = json::parse(body, ec, &arena, options);
  if (ec) throw PermanentError("payload is not valid JSON: " + ec.message());
  if (!payload.is_object()) throw PermanentError("payload is not a JSON object");
  e.action = json_string(payload, {"action"}).value_or("");
  Reader r(e.name, payload);
  if (e.name == "pull_request") {
    e.payload = about_pull_request<PullRequestEvent>(r);
  } else if (e.name == "pull_request_review") {
    e.payload = review_event(r);
  } else if (e.name == "pull_request_review_comment") {
    e.payload = review_comment_event(r);
  } else if (e.name == "issue_comment") {
    e.payload = issue_comment_event(r);
  } else if (e.name == "push") {
    e.payload = push_event(r);
  } else if (e.name == "installation") {
    e.payload = installation_event(r, "repositories");
  } else if (e.name == "installation_repositories") {
    e.payload = installation_event(r, "repositories_added");
  } else {
    e.payload = ping_event(r);
  }
  return e;
}

}  // namespace mentorbot::github
