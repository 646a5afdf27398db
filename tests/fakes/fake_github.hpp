#pragma once
// A fake GitHub REST API on loopback for integration tests (after Prow's fakeghserver): real
// HTTP, App JWTs verified against the public key, installation tokens issued and required,
// comments, reviews and labels recorded, PR files and file contents served, and faults injected
// on request: 502, 403 secondary rate limit with Retry-After, 401, a hang, a dropped connection.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace testing {

struct Fault {
  // late: wait `hang`, then do the work and answer, whoever still listens (GitHub finishing a
  // request after the bot stopped waiting)
  enum class Kind { bad_gateway, secondary_rate_limit, unauthorized, hang, drop, late } kind = Kind::bad_gateway;
  int times = 1;               // how many matching requests it hits
  bool after_effect = false;   // do the work first (the comment exists), then fail the answer
  int retry_after_s = 1;       // for secondary_rate_limit
  std::chrono::milliseconds hang{std::chrono::seconds(5)};
};

// Faults at random, for the soak (tests/soak): each API request fails with probability `rate`,
// in one of seven ways taken in turn at random: 502; 403 secondary rate limit with Retry-After;
// 401 (at most once per token, never on a token request); no answer before the bot's timeout
// (`hang`); the connection dropped unanswered; the work done and then the answer lost (a write's
// effect is there, the bot never hears of it); the work done late, after `hang`, and answered
// when the bot has stopped waiting.
struct RandomFaults {
  double rate = 0.10;
  std::uint64_t seed = 1;
  std::chrono::milliseconds hang{std::chrono::seconds(3)};
  int retry_after_s = 1;
  // How late a late answer comes: within the bot's timeout, as GitHub's own limit on a request
  // (about 10 s) is below a client's (30 s); what it shows is a write finished after the bot that
  // sent it was killed.
  std::chrono::milliseconds late{std::chrono::seconds(1)};
};

struct Comment {
  std::int64_t id = 0;
  std::string repo;
  std::int64_t number = 0;
  std::string body;
  std::string created_by;  // the token that made it
  std::chrono::steady_clock::time_point at;
};

// The App the next manifest conversion hands out (GitHub makes it when someone confirms the
// manifest form); from then on the fake checks JWTs against its key and id.
struct OfferedApp {
  std::string id = "4242";
  std::string slug = "mentorbot-test";
  std::string name = "mentorbot (test)";
  std::string owner = "octo-org";
  std::string private_pem;
  std::string public_pem;
  std::string webhook_secret;
};

class FakeGitHub {
 public:
  // Listens on 127.0.0.1:`port` (0: any free port).
  FakeGitHub(std::string public_key_pem, std::string app_id, std::uint16_t port = 0);
  ~FakeGitHub();
  FakeGitHub(const FakeGitHub&) = delete;
  FakeGitHub& operator=(const FakeGitHub&) = delete;

  std::uint16_t port() const { return port_; }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }

  // The next `fault.times` requests whose method matches and whose path (after /api/v3)
  // starts with `path_prefix` get the fault.
  void inject(const std::string& method, const std::string& path_prefix, Fault fault);
  // From now on (nullopt: no more) faults at random, besides the injected ones.
  void set_random_faults(std::optional<RandomFaults> faults);
  // The random faults made so far, by kind ("502", "403 secondary", "401", "hang", "drop",
  // "answer lost"), and the API requests seen.
  std::map<std::string, std::size_t> random_faults_made() const;
  std::size_t api_requests() const;

  std::vector<Comment> comments(const std::string& repo, std::int64_t number) const;
  std::size_t comment_count() const;
  std::vector<std::vector<std::string>> label_calls(const std::string& repo, std::int64_t number) const;
  // Every comment and review body on every issue and pull request, as "repo#n" -> bodies.
  std::map<std::string, std::vector<std::string>> all_bodies() const;
  // The labels on each issue or pull request ("repo#n"), a set as GitHub keeps them.
  std::map<std::string, std::set<std::string>> all_issue_labels() const;
  std::vector<boost::json::value> reviews(const std::string& repo, std::int64_t number) const;
  std::size_t tokens_issued() const;
  std::vector<std::string> tokens() const;
  // The installation a token was issued for ("" for one it never issued).
  std::string installation_of(const std::string& token) const;
  std::vector<std::string> jwt_rejections() const;
  // "METHOD /path -> status", in order.
  std::vector<std::string> requests() const;

  void set_pr_files(const std::string& repo, std::int64_t number, boost::json::array files);
  void set_content(const std::string& repo, const std::string& path, const std::string& content);
  // A file as it is at `ref` (a pull request's head, say), over the default branch's; nullopt:
  // removed there.
  void set_content_at(const std::string& repo, const std::string& ref, const std::string& path,
                      std::optional<std::string> content);
  // Every contents read with ?ref=, as "repo@ref:path", in order.
  std::vector<std::string> reads_at_refs() const;
  // The repository's issues, as the REST API shows them (number, title, state, user, labels,
  // assignees, html_url), for the search API's `is:issue` queries.
  void set_issues(const std::string& repo, boost::json::array issues);
  // A pull request of the past as GET /repos/{repo}/pulls lists it (number, title, user,
  // author_association, created_at, merged_at, closed_at, draft), with its reviews (GET
  // …/reviews) and people's comments (GET …/issues/N/comments).
  void add_past_pull(const std::string& repo, boost::json::object pull, boost::json::array reviews,
                     boost::json::array comments);
  void set_pr_commits(const std::string& repo, std::int64_t number, boost::json::array commits);
  // Inline comments made one at a time (POST /pulls/N/comments), not those inside reviews.
  std::vector<boost::json::value> review_comments(const std::string& repo, std::int64_t number) const;
  // The repository's labels (GET/POST/PATCH /repos/{repo}/labels).
  std::vector<boost::json::object> repo_labels(const std::string& repo) const;
  // GitHub's manifest flow: POST /settings/apps/new (or /organizations/ORG/settings/apps/new)
  // with a `manifest` form field answers 302 to its redirect_url with a one-time code, and
  // POST /api/v3/app-manifests/CODE/conversions hands out `app`, once.
  void offer_app(OfferedApp app);
  // The manifest posted to the new-App form, and for whom ("" for a user account).
  std::optional<boost::json::value> posted_manifest() const;
  std::string posted_for() const;

  void add_repo_label(const std::string& repo, const std::string& name, const std::string& color,
                      const std::string& description);

  struct State;  // opaque; public so the request handlers in fake_github.cpp can take it

 private:
  void serve(int fd);
  std::unique_ptr<State> state_;
  std::uint16_t port_ = 0;
  int listen_fd_ = -1;
  std::thread acceptor_;
};

}  // namespace testing
