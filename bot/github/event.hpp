#pragma once
// A webhook delivery as the features see it: parsed once, into the typed view of its event
// (the fields mentorbot uses, nothing else). A payload that cannot become its view is refused
// here, once, with the field named, instead of every feature guessing.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mentorbot::github {

// An account as a payload names it (`sender`, `pull_request.user`, `comment.user`, …).
struct User {
  std::string login;
  std::int64_t id = 0;
  std::string avatar_url;
  bool bot = false;  // its type is "Bot", or its login ends in "[bot]"
};

struct Repository {
  std::string full_name;       // owner/name
  std::string html_url;        // https://github.com/owner/name (or the Enterprise host's)
  std::string clone_url;       // empty when the payload gives none
  std::string default_branch;  // "main" when the payload does not say
  std::string owner_html_url;  // https://github.com/owner
};

struct PullRequest {
  std::int64_t number = 0;
  std::string title;
  std::string body;
  User author;               // pull_request.user
  std::string association;   // author_association, upper case
  std::string state = "open";
  bool draft = false;
  bool merged = false;
  std::optional<std::int64_t> merged_at;  // ms since the epoch
  std::optional<std::int64_t> created_at;  // ms
  std::optional<std::int64_t> updated_at;  // ms: the last change, e.g. the push a synchronize tells of
  std::optional<std::int64_t> closed_at;   // ms
  std::string head_sha;
  std::string base_sha;
  int additions = 0;
  int deletions = 0;
  int changed_files = 0;
};

struct Review {
  User user;
  std::string association;  // upper case
  std::string state;        // lower case: approved, changes_requested, commented, dismissed
  std::optional<std::int64_t> submitted_at;  // ms
};

struct Comment {
  std::int64_t id = 0;
  std::string body;
  User user;
  std::string association;  // upper case
  std::optional<std::int64_t> created_at;  // ms
};

struct Issue {
  std::int64_t number = 0;
  std::string title;
  User author;
  bool is_pull_request = false;  // a pull request's conversation (issue.pull_request is set)
};

// The fields every event about a repository has.
struct RepositoryEvent {
  std::string action;
  std::optional<std::int64_t> installation;  // absent when the hook is not an App's
  Repository repository;
  User sender;
};

// …and every event about a pull request.
struct PullRequestBasedEvent : RepositoryEvent {
  PullRequest pull_request;
};

struct PullRequestEvent : PullRequestBasedEvent {
  static constexpr std::string_view name = "pull_request";
};
struct PullRequestReviewEvent : PullRequestBasedEvent {
  static constexpr std::string_view name = "pull_request_review";
  Review review;
};
struct PullRequestReviewCommentEvent : PullRequestBasedEvent {
  static constexpr std::string_view name = "pull_request_review_comment";
  Comment comment;
};
struct IssueCommentEvent : RepositoryEvent {
  static constexpr std::string_view name = "issue_comment";
  Issue issue;
  Comment comment;
};
struct PushEvent : RepositoryEvent {
  static constexpr std::string_view name = "push";
  std::string ref;  // refs/heads/main
  bool deleted = false;
  std::vector<std::string> paths;  // added, modified or removed by the listed commits
  bool all_listed = true;          // false: GitHub lists 20 commits at most, and this push may have more
};
// `installation` and `installation_repositories`: the repositories it gives mentorbot.
struct InstallationEvent {
  static constexpr std::string_view name = "installation";
  std::string action;
  std::int64_t installation = 0;
  std::string account;                    // installation.account.login
  std::vector<std::string> repositories;  // full names added (created, or installation_repositories.added)
  User sender;
};
struct PingEvent {
  static constexpr std::string_view name = "ping";
  std::optional<std::int64_t> hook_id;
  std::string hook_type = "unknown";
  std::optional<std::int64_t> app_id;
  std::string zen;
};
// Any other event: acknowledged, and nothing in it is read.
struct OtherEvent {};

using Payload = std::variant<OtherEvent, PingEvent, PullRequestEvent, PullRequestReviewEvent,
                             PullRequestReviewCommentEvent, IssueCommentEvent, PushEvent, InstallationEvent>;

struct Event {
  std::string delivery;  // X-GitHub-Delivery
  std::string name;      // X-GitHub-Event
  std::string action;    // empty for events without one (ping, push)
  Payload payload;

  // "pull_request.opened", or "ping" when there is no action.
  std::string qualified_name() const;
};

// Whether `name` has a typed view (the others parse to OtherEvent without reading the body).
bool is_typed(std::string_view name);

// Parses the stored payload into its view. Throws PermanentError naming what is missing or
// malformed ("pull_request payload has no \"pull_request\" object", "… has no
// pull_request.number").
Event parse_event(std::string delivery, std::string name, std::string_view body);

}  // namespace mentorbot::github
