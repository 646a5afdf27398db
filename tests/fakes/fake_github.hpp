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
#include <string>
#include <thread>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace testing {

struct Fault {
  enum class Kind { bad_gateway, secondary_rate_limit, unauthorized, hang, drop } kind = Kind::bad_gateway;
  int times = 1;               // how many matching requests it hits
  bool after_effect = false;   // do the work first (the comment exists), then fail the answer
  int retry_after_s = 1;       // for secondary_rate_limit
  std::chrono::milliseconds hang{std::chrono::seconds(5)};
};

struct Comment {
  std::int64_t id = 0;
  std::string repo;
  std::int64_t number = 0;
  std::string body;
  std::string created_by;  // the token that made it
  std::chrono::steady_clock::time_point at;
};

class FakeGitHub {
 public:
  FakeGitHub(std::string public_key_pem, std::string app_id);
  ~FakeGitHub();
  FakeGitHub(const FakeGitHub&) = delete;
  FakeGitHub& operator=(const FakeGitHub&) = delete;

  std::uint16_t port() const { return port_; }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }

  // The next `fault.times` requests whose method matches and whose path (after /api/v3)
  // starts with `path_prefix` get the fault.
  void inject(const std::string& method, const std::string& path_prefix, Fault fault);

  std::vector<Comment> comments(const std::string& repo, std::int64_t number) const;
  std::size_t comment_count() const;
  std::vector<std::vector<std::string>> label_calls(const std::string& repo, std::int64_t number) const;
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
  void set_pr_commits(const std::string& repo, std::int64_t number, boost::json::array commits);
  // Inline comments made one at a time (POST /pulls/N/comments), not those inside reviews.
  std::vector<boost::json::value> review_comments(const std::string& repo, std::int64_t number) const;
  // The repository's labels (GET/POST/PATCH /repos/{repo}/labels).
  std::vector<boost::json::object> repo_labels(const std::string& repo) const;
  void add_repo_label(const std::string& repo, const std::string& name, const std::string& color,
                      const std::string& description);

 private:
  struct State;
  void serve(int fd);
  std::unique_ptr<State> state_;
  std::uint16_t port_ = 0;
  int listen_fd_ = -1;
  std::thread acceptor_;
};

}  // namespace testing
