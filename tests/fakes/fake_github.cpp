#include "fakes/fake_github.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <ctime>
#include <list>
#include <random>
#include <set>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "core/base64.hpp"
#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "http/form.hpp"

namespace testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace json = boost::json;
using mentorbot::json_int;
using mentorbot::json_string;

struct FakeGitHub::State {
  std::string public_key_pem;
  std::string app_id;
  mutable std::mutex mutex;
  struct Injected {
    std::string method, prefix;
    Fault fault;
  };
  std::vector<Injected> faults;
  std::set<std::string> tokens;
  std::size_t tokens_issued = 0;
  std::map<std::string, std::string> token_installation;
  std::vector<std::string> jwt_rejections;
  std::int64_t next_id = 1000;
  std::vector<Comment> comments;
  std::map<std::string, std::vector<std::vector<std::string>>> labels;  // "repo#n"
  std::map<std::string, std::vector<json::value>> reviews;              // "repo#n"
  std::map<std::string, json::array> files;                            // "repo#n"
  std::map<std::string, json::array> commits;                          // "repo#n"
  std::map<std::string, std::vector<json::value>> review_comments;     // "repo#n"
  std::map<std::string, std::map<std::string, json::object>> repo_labels;  // repo -> name
  std::map<std::string, std::string> contents;                         // "repo:path"
  std::map<std::string, std::optional<std::string>> contents_at;       // "repo@ref:path"; nullopt: removed there
  std::vector<std::string> ref_reads;                                  // "repo@ref:path" asked with ?ref=
  std::map<std::string, json::array> issues;                           // repo -> its issues
  std::map<std::string, json::array> pulls;                            // repo -> its pull requests, newest first
  std::map<std::string, json::array> past_comments;                    // "repo#n": people's comments
  std::vector<std::string> requests;
  std::optional<OfferedApp> offered;
  std::optional<json::value> posted_manifest;
  std::string posted_for;
  std::map<std::string, std::int64_t> manifest_codes;  // code -> when it was made (ms)
  std::optional<RandomFaults> random;
  std::mt19937_64 rng;
  std::set<std::string> tokens_refused;  // tokens that had their one random 401
  std::map<std::string, std::size_t> random_made;
  std::size_t api_requests = 0;
  std::atomic<bool> stopping{false};
  std::set<int> open_fds;
  // Connection threads; finished ones are joined as new connections come (a soak makes many).
  struct Connection {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::list<Connection> connections;
};

namespace {

struct Answer {
  unsigned status = 200;
  std::string body = "{}";
  std::vector<std::pair<std::string, std::string>> headers;
};

Answer error(unsigned status, const std::string& message) {
  return {status, json::serialize(json::object{{"message", message}, {"documentation_url", "https://docs.github.com"}}), {}};
}

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    parts.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return parts;
}

std::string query_value(const std::string& query, const std::string& name) {
  std::size_t start = 0;
  while (start <= query.size()) {
    auto end = query.find('&', start);
    auto pair = query.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (pair.rfind(name + "=", 0) == 0) return pair.substr(name.size() + 1);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return {};
}

// The files of `repo` at `ref` (its default branch when empty): those set for the ref over those
// of the default branch. A folder lists its entries as the contents API does.
using Contents = std::map<std::string, std::string>;
using ContentsAt = std::map<std::string, std::optional<std::string>>;

std::map<std::string, std::string> files_at(const Contents& contents, const ContentsAt& contents_at,
                                            const std::string& repo, const std::string& ref) {
  std::map<std::string, std::string> out;
  for (const auto& [key, text] : contents) {
    if (key.starts_with(repo + ":")) out[key.substr(repo.size() + 1)] = text;
  }
  if (ref.empty()) return out;
  std::string prefix = repo + "@" + ref + ":";
  for (const auto& [key, text] : contents_at) {
    if (!key.starts_with(prefix)) continue;
    if (text) {
      out[key.substr(prefix.size())] = *text;
    } else {
      out.erase(key.substr(prefix.size()));
    }
  }
  return out;
}

Answer contents_of(const Contents& contents, const ContentsAt& contents_at, const std::string& repo,
                   const std::string& file, const std::string& ref) {
  auto files = files_at(contents, contents_at, repo, ref);
  if (auto it = files.find(file); it != files.end()) {
    return {200,
            json::serialize(json::object{{"type", "file"}, {"encoding", "base64"}, {"path", file},
                                         {"name", file.substr(file.rfind('/') + 1)},
                                         {"content", mentorbot::base64_encode(it->second)}}),
            {}};
  }
  std::map<std::string, bool> entries;  // name -> a folder
  for (const auto& [path, text] : files) {
    if (!path.starts_with(file + "/")) continue;
    auto rest = path.substr(file.size() + 1);
    auto slash = rest.find('/');
    entries[rest.substr(0, slash)] |= slash != std::string::npos;
  }
  if (entries.empty()) return error(404, "Not Found");
  json::array list;
  for (const auto& [name, dir] : entries) {
    list.push_back(json::object{{"type", dir ? "dir" : "file"}, {"name", name}, {"path", file + "/" + name}});
  }
  return {200, json::serialize(list), {}};
}

// GitHub's issue search, as far as the bot uses it for issues: `repo:R is:issue is:open`, with
// `no:assignee` and `label:"a","b"` (any of them) when asked; anything else finds nothing.
Answer search_issues(FakeGitHub::State& s, const std::string& q) {
  json::array items;
  auto term = [&](const std::string& prefix) {
    auto at = q.find(prefix);
    if (at == std::string::npos) return std::string();
    auto end = q.find(' ', at);
    return q.substr(at + prefix.size(), end == std::string::npos ? std::string::npos : end - at - prefix.size());
  };
  if (q.find("is:issue") != std::string::npos) {
    // label:"a","b" (quoted names may hold spaces)
    std::vector<std::string> labels;
    if (auto at = q.find("label:"); at != std::string::npos) {
      auto i = at + 6;
      while (i < q.size() && q[i] == '"') {
        auto close = q.find('"', i + 1);
        if (close == std::string::npos) break;
        labels.push_back(q.substr(i + 1, close - i - 1));
        i = close + 1;
        if (i < q.size() && q[i] == ',') ++i;
      }
    }
    bool unassigned = q.find("no:assignee") != std::string::npos;
    std::lock_guard lock(s.mutex);
    for (const auto& v : s.issues[term("repo:")]) {
      const auto& issue = v.as_object();
      if (issue.at("state") != "open") continue;
      if (unassigned && !issue.at("assignees").as_array().empty()) continue;
      bool labelled = labels.empty();
      for (const auto& l : issue.at("labels").as_array()) {
        if (std::find(labels.begin(), labels.end(), std::string(l.at("name").as_string())) != labels.end()) labelled = true;
      }
      if (labelled) items.push_back(v);
    }
  }
  auto total = static_cast<std::int64_t>(items.size());
  return {200, json::serialize(json::object{{"total_count", total}, {"incomplete_results", false}, {"items", items}}), {}};
}

// per_page / page over a list, with a Link header as GitHub sends it.
Answer page_of(const json::array& all, const std::string& path, const std::string& query) {
  int per_page = 30, page = 1;
  if (auto v = query_value(query, "per_page"); !v.empty()) per_page = std::clamp(std::stoi(v), 1, 100);
  if (auto v = query_value(query, "page"); !v.empty()) page = std::max(1, std::stoi(v));
  json::array slice;
  for (std::size_t i = static_cast<std::size_t>((page - 1) * per_page);
       i < all.size() && slice.size() < static_cast<std::size_t>(per_page); ++i) {
    slice.push_back(all[i]);
  }
  Answer a{200, json::serialize(slice), {}};
  if (static_cast<std::size_t>(page * per_page) < all.size()) {
    a.headers.emplace_back("Link", "<https://api.github.com/api/v3" + path + "?per_page=" + std::to_string(per_page) +
                                       "&page=" + std::to_string(page + 1) + ">; rel=\"next\"");
  }
  return a;
}

// Checks an App JWT as GitHub does; "" when good, else the reason.
std::string check_jwt(const std::string& jwt, const std::string& public_pem, const std::string& app_id) {
  auto first = jwt.find('.');
  auto second = jwt.find('.', first + 1);
  if (first == std::string::npos || second == std::string::npos) return "A JSON web token could not be decoded";
  auto header = mentorbot::base64_decode(jwt.substr(0, first));
  auto claims = mentorbot::base64_decode(jwt.substr(first + 1, second - first - 1));
  auto signature = mentorbot::base64_decode(jwt.substr(second + 1));
  if (!header || !claims || !signature) return "A JSON web token could not be decoded";
  json::error_code ec;
  auto h = json::parse(*header, ec);
  if (ec || json_string(h, {"alg"}) != "RS256") return "'alg' must be RS256";
  auto c = json::parse(*claims, ec);
  if (ec) return "A JSON web token could not be decoded";

  BIO* bio = BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  auto signed_part = jwt.substr(0, second);
  bool ok = key && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
                             reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  if (!ok) return "A JSON web token could not be decoded (signature does not match the App's public key)";

  auto iss = json_string(c, {"iss"});
  if (!iss) {
    if (auto n = json_int(c, {"iss"})) iss = std::to_string(*n);
  }
  if (iss != app_id) return "'Issuer' claim ('iss') must be the App's id";
  auto iat = json_int(c, {"iat"}), exp = json_int(c, {"exp"});
  std::int64_t now = std::time(nullptr);
  if (!iat || !exp) return "'Issued at' and 'Expiration time' claims are required";
  if (*exp - *iat > 600) return "'Expiration time' claim ('exp') is too far in the future";
  if (*iat > now + 60) return "'Issued at' claim ('iat') must be an Integer representing a time in the past";
  if (*exp <= now) return "'Expiration time' claim ('exp') must be a numeric value representing the future time";
  return {};
}

// The new-App form: GitHub shows the manifest for confirmation; the fake confirms at once.
Answer manifest_form(FakeGitHub::State& s, const std::string& path, const std::string& query, const std::string& body) {
  auto manifest_text = mentorbot::http::form_field(body, "manifest");
  auto state = mentorbot::http::form_field(query, "state").value_or("");
  json::error_code ec;
  auto manifest = manifest_text ? json::parse(*manifest_text, ec) : json::value();
  auto redirect = json_string(manifest, {"redirect_url"});
  if (!manifest_text || ec || !json_string(manifest, {"url"}) || !json_string(manifest, {"hook_attributes", "url"}) ||
      !redirect) {
    return error(422, "the manifest is missing or lacks url, hook_attributes.url or redirect_url");
  }
  std::lock_guard lock(s.mutex);
  s.posted_manifest = manifest;
  s.posted_for = path.rfind("/organizations/", 0) == 0 ? split(path)[1] : "";
  auto code = "v1." + std::to_string(s.next_id++) + "abc";
  s.manifest_codes[code] = mentorbot::unix_ms();
  Answer a{302, "", {}};
  a.headers.emplace_back("Location", *redirect + "?code=" + code + (state.empty() ? "" : "&state=" + state));
  return a;
}

Answer manifest_conversion(FakeGitHub::State& s, const std::string& path, const std::string& web) {
  auto code = split(path)[1];
  std::lock_guard lock(s.mutex);
  auto it = s.manifest_codes.find(code);
  if (it == s.manifest_codes.end() || !s.offered || mentorbot::unix_ms() - it->second > 3600 * 1000) return error(404, "Not Found");
  s.manifest_codes.erase(it);  // one conversion per code
  const auto& app = *s.offered;
  s.public_key_pem = app.public_pem;
  s.app_id = app.id;
  return {201,
          json::serialize(json::object{{"id", std::stoll(app.id)},
                                       {"slug", app.slug},
                                       {"name", app.name},
                                       {"html_url", web + "/apps/" + app.slug},
                                       {"owner", json::object{{"login", app.owner}}},
                                       {"pem", app.private_pem},
                                       {"webhook_secret", app.webhook_secret},
                                       {"client_id", "Iv1.fake"},
                                       {"client_secret", "fake-client-secret"}}),
          {}};
}

// One roll of the dice for a request, when faults at random are on.
std::optional<Fault> random_fault(FakeGitHub::State& s, const std::string& path, const std::string& auth) {
  std::lock_guard lock(s.mutex);
  if (path.find("/settings/apps/new") != std::string::npos || path.rfind("/app-manifests/", 0) == 0) return std::nullopt;
  ++s.api_requests;
  if (!s.random || std::uniform_real_distribution<double>(0, 1)(s.rng) >= s.random->rate) return std::nullopt;
  Fault f;
  f.retry_after_s = s.random->retry_after_s;
  f.hang = s.random->hang;
  std::string token = auth.rfind("token ", 0) == 0 ? auth.substr(6) : "";
  switch (std::uniform_int_distribution<int>(0, 6)(s.rng)) {
    case 0: f.kind = Fault::Kind::bad_gateway; break;
    case 1: f.kind = Fault::Kind::secondary_rate_limit; break;
    case 2:
      // Once per installation token; a token request (a JWT) gets a 502 instead.
      if (!token.empty() && s.tokens_refused.insert(token).second) {
        f.kind = Fault::Kind::unauthorized;
      } else {
        f.kind = Fault::Kind::bad_gateway;
      }
      break;
    case 3: f.kind = Fault::Kind::hang; break;
    case 4: f.kind = Fault::Kind::drop; break;
    case 5:
      f.kind = Fault::Kind::late;
      f.hang = s.random->late;
      break;
    default:
      f.kind = Fault::Kind::drop;
      f.after_effect = true;
      break;
  }
  static const std::map<Fault::Kind, std::string> names = {{Fault::Kind::bad_gateway, "502"},
                                                           {Fault::Kind::secondary_rate_limit, "403 secondary"},
                                                           {Fault::Kind::unauthorized, "401"},
                                                           {Fault::Kind::hang, "hang"},
                                                           {Fault::Kind::drop, "drop"},
                                                           {Fault::Kind::late, "answer late"}};
  ++s.random_made[f.after_effect ? "answer lost" : names.at(f.kind)];
  return f;
}

}  // namespace

FakeGitHub::FakeGitHub(std::string public_key_pem, std::string app_id, std::uint16_t port)
    : state_(std::make_unique<State>()) {
  state_->public_key_pem = std::move(public_key_pem);
  state_->app_id = std::move(app_id);
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::listen(listen_fd_, 128);
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] {
    for (;;) {
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      std::lock_guard lock(state_->mutex);
      if (state_->stopping) {
        ::close(fd);
        return;
      }
      state_->connections.remove_if([](State::Connection& c) {
        if (!*c.done) return false;
        c.thread.join();
        return true;
      });
      state_->open_fds.insert(fd);
      auto done = std::make_shared<std::atomic<bool>>(false);
      state_->connections.push_back({std::thread([this, fd, done] {
                                       serve(fd);
                                       *done = true;
                                     }),
                                     done});
    }
  });
}

FakeGitHub::~FakeGitHub() {
  state_->stopping = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  ::close(listen_fd_);
  acceptor_.join();
  std::list<State::Connection> connections;
  {
    std::lock_guard lock(state_->mutex);
    for (int fd : state_->open_fds) ::shutdown(fd, SHUT_RDWR);
    connections.swap(state_->connections);
  }
  for (auto& c : connections) c.thread.join();
}

void FakeGitHub::inject(const std::string& method, const std::string& path_prefix, Fault fault) {
  std::lock_guard lock(state_->mutex);
  state_->faults.push_back({method, path_prefix, fault});
}

void FakeGitHub::set_random_faults(std::optional<RandomFaults> faults) {
  std::lock_guard lock(state_->mutex);
  state_->random = faults;
  if (faults) state_->rng.seed(faults->seed);
}

std::map<std::string, std::size_t> FakeGitHub::random_faults_made() const {
  std::lock_guard lock(state_->mutex);
  return state_->random_made;
}

std::size_t FakeGitHub::api_requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->api_requests;
}

std::map<std::string, std::vector<std::string>> FakeGitHub::all_bodies() const {
  std::lock_guard lock(state_->mutex);
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& c : state_->comments) out[c.repo + "#" + std::to_string(c.number)].push_back(c.body);
  for (const auto& [where, reviews] : state_->reviews) {
    for (const auto& r : reviews) out[where].push_back(json_string(r, {"body"}).value_or(""));
  }
  return out;
}

std::map<std::string, std::set<std::string>> FakeGitHub::all_issue_labels() const {
  std::lock_guard lock(state_->mutex);
  std::map<std::string, std::set<std::string>> out;
  for (const auto& [where, calls] : state_->labels) {
    for (const auto& call : calls) out[where].insert(call.begin(), call.end());
  }
  return out;
}

void FakeGitHub::serve(int fd) {
  net::io_context io;
  net::ip::tcp::socket socket(io);
  beast::error_code ec;
  socket.assign(net::ip::tcp::v4(), fd, ec);
  beast::flat_buffer buffer;
  auto& s = *state_;
  for (;;) {
    http::request<http::string_body> req;
    http::read(socket, buffer, req, ec);
    if (ec) break;
    std::string target(req.target());
    auto qmark = target.find('?');
    std::string path = target.substr(0, qmark);
    std::string query = qmark == std::string::npos ? "" : target.substr(qmark + 1);
    if (path.rfind("/api/v3", 0) == 0) path = path.substr(7);
    std::string method(req.method_string());
    std::string auth(req[http::field::authorization]);

    // A fault for this request?
    std::optional<Fault> fault;
    {
      std::lock_guard lock(s.mutex);
      for (auto& f : s.faults) {
        if (f.fault.times > 0 && f.method == method && path.rfind(f.prefix, 0) == 0) {
          --f.fault.times;
          fault = f.fault;
          break;
        }
      }
    }
    if (!fault) fault = random_fault(s, path, auth);
    if (fault && fault->kind == Fault::Kind::late) {
      // Slow, not failed: the work is done after the wait and answered, whoever still listens.
      std::this_thread::sleep_for(fault->hang);
      fault.reset();
    }
    auto fail_now = fault && !fault->after_effect;

    Answer a;
    if (fail_now) {
      a = {};
    } else if (method == "POST" && (target.rfind("/settings/apps/new", 0) == 0 ||
                                    (target.rfind("/organizations/", 0) == 0 && path.ends_with("/settings/apps/new")))) {
      a = manifest_form(s, path, query, req.body());
    } else if (method == "POST" && path.rfind("/app-manifests/", 0) == 0 && path.ends_with("/conversions")) {
      a = manifest_conversion(s, path, "http://" + std::string(req[http::field::host]));
    } else if (method == "POST" && path.rfind("/app/installations/", 0) == 0 && path.ends_with("/access_tokens")) {
      std::string jwt = auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : "";
      auto reason = check_jwt(jwt, s.public_key_pem, s.app_id);
      std::lock_guard lock(s.mutex);
      if (!reason.empty()) {
        s.jwt_rejections.push_back(reason);
        a = error(401, reason);
      } else {
        auto token = "ghs_fake" + std::to_string(++s.tokens_issued) + "x" + std::to_string(s.next_id++);
        s.tokens.insert(token);
        auto id_start = std::string("/app/installations/").size();
        s.token_installation[token] = path.substr(id_start, path.find('/', id_start) - id_start);
        a = {201,
             json::serialize(json::object{{"token", token},
                                          {"expires_at", mentorbot::format_iso8601((std::time(nullptr) + 3600) * 1000LL)},
                                          {"permissions", json::object{{"issues", "write"}, {"pull_requests", "write"}}},
                                          {"repository_selection", "all"}}),
             {}};
      }
    } else {
      std::string token = auth.rfind("token ", 0) == 0 ? auth.substr(6) : auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : "";
      bool known;
      {
        std::lock_guard lock(s.mutex);
        known = s.tokens.count(token) > 0;
      }
      auto parts = split(path);
      // /repos/{o}/{r}/...
      std::string repo = parts.size() >= 3 && parts[0] == "repos" ? parts[1] + "/" + parts[2] : "";
      auto body = req.body().empty() ? json::value() : json::parse(req.body(), ec);
      if (!known) {
        a = error(401, "Bad credentials");
      } else if (method == "POST" && parts.size() == 6 && parts[3] == "issues" && parts[5] == "comments") {
        std::lock_guard lock(s.mutex);
        Comment c{s.next_id++, repo, std::stoll(parts[4]), json_string(body, {"body"}).value_or(""), token,
                  std::chrono::steady_clock::now()};
        s.comments.push_back(c);
        a = {201,
             json::serialize(json::object{{"id", c.id},
                                          {"body", c.body},
                                          {"html_url", "https://github.com/" + repo + "/pull/" + parts[4] + "#issuecomment-" + std::to_string(c.id)},
                                          {"user", json::object{{"login", "mentorbot[bot]"}, {"type", "Bot"}}}}),
             {}};
      } else if (method == "GET" && parts.size() == 4 && parts[3] == "pulls") {
        std::lock_guard lock(s.mutex);
        a = page_of(s.pulls[repo], path, query);
      } else if (method == "GET" && parts.size() == 6 && parts[3] == "issues" && parts[5] == "comments") {
        std::lock_guard lock(s.mutex);
        json::array all = s.past_comments[repo + "#" + parts[4]];
        for (const auto& c : s.comments) {
          if (c.repo == repo && c.number == std::stoll(parts[4])) all.push_back(json::object{{"id", c.id}, {"body", c.body}});
        }
        a = page_of(all, path, query);
      } else if (method == "PATCH" && parts.size() == 6 && parts[3] == "issues" && parts[4] == "comments") {
        std::lock_guard lock(s.mutex);
        a = error(404, "Not Found");
        for (auto& c : s.comments) {
          if (c.repo == repo && c.id == std::stoll(parts[5])) {
            c.body = json_string(body, {"body"}).value_or(c.body);
            a = {200, json::serialize(json::object{{"id", c.id}, {"body", c.body}}), {}};
          }
        }
      } else if (method == "POST" && parts.size() == 6 && parts[3] == "issues" && parts[5] == "labels") {
        std::vector<std::string> names;
        if (const auto* arr = body.is_object() && body.as_object().contains("labels") ? body.at("labels").if_array() : nullptr) {
          for (const auto& l : *arr) {
            if (l.is_string()) names.emplace_back(l.get_string());
          }
        }
        std::lock_guard lock(s.mutex);
        s.labels[repo + "#" + parts[4]].push_back(names);
        json::array out;
        for (const auto& n : names) out.push_back(json::object{{"name", n}, {"color", "ededed"}});
        a = {200, json::serialize(out), {}};
      } else if (parts.size() >= 6 && parts[3] == "pulls" && parts[5] == "reviews") {
        std::lock_guard lock(s.mutex);
        auto& list = s.reviews[repo + "#" + parts[4]];
        if (method == "POST") {
          json::object r = body.is_object() ? body.as_object() : json::object();
          r["id"] = s.next_id++;
          r["state"] = "COMMENTED";
          list.push_back(r);
          a = {200, json::serialize(r), {}};
        } else if (method == "GET" && parts.size() == 6) {
          json::array all;
          for (const auto& r : list) all.push_back(r);
          a = page_of(all, path, query);
        } else if (method == "PUT" && parts.size() == 7) {
          a = error(404, "Not Found");
          for (auto& r : list) {
            if (json_int(r, {"id"}) == std::stoll(parts[6])) {
              r.as_object()["body"] = json_string(body, {"body"}).value_or("");
              a = {200, json::serialize(r), {}};
            }
          }
        } else {
          a = error(404, "Not Found");
        }
      } else if (parts.size() == 6 && parts[3] == "pulls" && parts[5] == "comments" &&
                 (method == "POST" || method == "GET")) {
        std::lock_guard lock(s.mutex);
        auto& list = s.review_comments[repo + "#" + parts[4]];
        if (method == "POST") {
          json::object c = body.is_object() ? body.as_object() : json::object();
          c["id"] = s.next_id++;
          list.push_back(c);
          a = {201, json::serialize(c), {}};
        } else {
          json::array all;
          for (const auto& c : list) all.push_back(c);
          a = page_of(all, path, query);
        }
      } else if (method == "GET" && parts.size() == 6 && parts[3] == "pulls" && parts[5] == "commits") {
        std::lock_guard lock(s.mutex);
        a = page_of(s.commits[repo + "#" + parts[4]], path, query);
      } else if (parts.size() >= 4 && parts.size() <= 5 && parts[3] == "labels") {
        std::lock_guard lock(s.mutex);
        auto& labels = s.repo_labels[repo];
        std::string name = parts.size() == 5 ? mentorbot::http::percent_decode(parts[4], false).value_or(parts[4]) : json_string(body, {"name"}).value_or("");
        auto it = labels.find(name);
        if (method == "GET" && parts.size() == 5) {
          a = it == labels.end() ? error(404, "Not Found") : Answer{200, json::serialize(it->second), {}};
        } else if (method == "POST" && parts.size() == 4) {
          if (it != labels.end()) {
            a = error(422, "Validation Failed");
          } else {
            json::object l{{"id", s.next_id++}, {"name", name}, {"color", json_string(body, {"color"}).value_or("ededed")},
                           {"description", json_string(body, {"description"}).value_or("")}};
            labels[name] = l;
            a = {201, json::serialize(l), {}};
          }
        } else if (method == "PATCH" && parts.size() == 5) {
          if (it == labels.end()) {
            a = error(404, "Not Found");
          } else {
            if (auto c = json_string(body, {"color"})) it->second["color"] = *c;
            if (auto d = json_string(body, {"description"})) it->second["description"] = *d;
            a = {200, json::serialize(it->second), {}};
          }
        } else {
          a = error(404, "Not Found");
        }
      } else if (method == "GET" && parts.size() == 6 && parts[3] == "pulls" && parts[5] == "files") {
        std::lock_guard lock(s.mutex);
        a = page_of(s.files[repo + "#" + parts[4]], path, query);
      } else if (method == "GET" && parts.size() >= 5 && parts[3] == "contents") {
        std::string file = mentorbot::http::percent_decode(path.substr(path.find("/contents/") + 10), false).value_or("");
        std::lock_guard lock(s.mutex);
        auto ref = mentorbot::http::percent_decode(query_value(query, "ref"), true).value_or("");
        if (!ref.empty()) s.ref_reads.push_back(repo + "@" + ref + ":" + file);
        a = contents_of(s.contents, s.contents_at, repo, file, ref);
      } else if (method == "GET" && path == "/search/issues") {
        a = search_issues(s, mentorbot::http::percent_decode(query_value(query, "q"), true).value_or(""));
      } else {
        a = error(404, "Not Found");
      }
    }

    if (fault) {
      switch (fault->kind) {
        case Fault::Kind::bad_gateway: a = error(502, "Server Error"); break;
        case Fault::Kind::secondary_rate_limit:
          a = error(403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.");
          a.headers.emplace_back("Retry-After", std::to_string(fault->retry_after_s));
          break;
        case Fault::Kind::unauthorized: a = error(401, "Bad credentials"); break;
        case Fault::Kind::late: break;  // waited for before the work
        case Fault::Kind::hang: std::this_thread::sleep_for(fault->hang); [[fallthrough]];
        case Fault::Kind::drop: {
          std::lock_guard lock(s.mutex);
          s.requests.push_back(method + " " + path + " -> dropped");
          socket.close(ec);
          goto done;
        }
      }
    }
    {
      std::lock_guard lock(s.mutex);
      s.requests.push_back(method + " " + path + " -> " + std::to_string(a.status));
    }
    {
      http::response<http::string_body> res(static_cast<http::status>(a.status), 11);
      res.set(http::field::content_type, "application/json; charset=utf-8");
      res.set("X-RateLimit-Limit", "5000");
      res.set("X-RateLimit-Remaining", "4999");
      res.set("X-RateLimit-Resource", "core");
      for (const auto& [k, v] : a.headers) res.set(k, v);
      res.body() = a.body;
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      http::write(socket, res, ec);
      if (ec || !req.keep_alive()) break;
    }
  }
done:
  std::lock_guard lock(s.mutex);
  s.open_fds.erase(fd);
}

std::vector<Comment> FakeGitHub::comments(const std::string& repo, std::int64_t number) const {
  std::lock_guard lock(state_->mutex);
  std::vector<Comment> out;
  for (const auto& c : state_->comments) {
    if (c.repo == repo && c.number == number) out.push_back(c);
  }
  return out;
}

std::size_t FakeGitHub::comment_count() const {
  std::lock_guard lock(state_->mutex);
  return state_->comments.size();
}

std::vector<std::vector<std::string>> FakeGitHub::label_calls(const std::string& repo, std::int64_t number) const {
  std::lock_guard lock(state_->mutex);
  auto it = state_->labels.find(repo + "#" + std::to_string(number));
  return it == state_->labels.end() ? std::vector<std::vector<std::string>>{} : it->second;
}

std::vector<json::value> FakeGitHub::reviews(const std::string& repo, std::int64_t number) const {
  std::lock_guard lock(state_->mutex);
  auto it = state_->reviews.find(repo + "#" + std::to_string(number));
  return it == state_->reviews.end() ? std::vector<json::value>{} : it->second;
}

std::size_t FakeGitHub::tokens_issued() const {
  std::lock_guard lock(state_->mutex);
  return state_->tokens_issued;
}

std::string FakeGitHub::installation_of(const std::string& token) const {
  std::lock_guard lock(state_->mutex);
  auto it = state_->token_installation.find(token);
  return it == state_->token_installation.end() ? "" : it->second;
}

std::vector<std::string> FakeGitHub::tokens() const {
  std::lock_guard lock(state_->mutex);
  return {state_->tokens.begin(), state_->tokens.end()};
}

void FakeGitHub::offer_app(OfferedApp app) {
  std::lock_guard lock(state_->mutex);
  state_->offered = std::move(app);
}

std::optional<json::value> FakeGitHub::posted_manifest() const {
  std::lock_guard lock(state_->mutex);
  return state_->posted_manifest;
}

std::string FakeGitHub::posted_for() const {
  std::lock_guard lock(state_->mutex);
  return state_->posted_for;
}

std::vector<std::string> FakeGitHub::jwt_rejections() const {
  std::lock_guard lock(state_->mutex);
  return state_->jwt_rejections;
}

std::vector<std::string> FakeGitHub::requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

void FakeGitHub::set_pr_files(const std::string& repo, std::int64_t number, json::array files) {
  std::lock_guard lock(state_->mutex);
  state_->files[repo + "#" + std::to_string(number)] = std::move(files);
}

void FakeGitHub::add_past_pull(const std::string& repo, boost::json::object pull, boost::json::array reviews,
                               boost::json::array comments) {
  std::lock_guard lock(state_->mutex);
  auto key = repo + "#" + std::to_string(pull.at("number").as_int64());
  auto& list = state_->reviews[key];
  for (auto& r : reviews) list.push_back(r);
  state_->past_comments[key] = std::move(comments);
  // Newest first, as GET /pulls?sort=created&direction=desc lists them.
  auto& pulls = state_->pulls[repo];
  auto created = pull.at("created_at").as_string();
  auto at = std::find_if(pulls.begin(), pulls.end(), [&](const json::value& p) { return p.at("created_at").as_string() < created; });
  pulls.insert(at, std::move(pull));
}

void FakeGitHub::set_issues(const std::string& repo, boost::json::array issues) {
  std::lock_guard lock(state_->mutex);
  state_->issues[repo] = std::move(issues);
}

void FakeGitHub::set_content(const std::string& repo, const std::string& path, const std::string& content) {
  std::lock_guard lock(state_->mutex);
  state_->contents[repo + ":" + path] = content;
}

std::vector<std::string> FakeGitHub::reads_at_refs() const {
  std::lock_guard lock(state_->mutex);
  return state_->ref_reads;
}

void FakeGitHub::set_content_at(const std::string& repo, const std::string& ref, const std::string& path,
                                std::optional<std::string> content) {
  std::lock_guard lock(state_->mutex);
  state_->contents_at[repo + "@" + ref + ":" + path] = std::move(content);
}

void FakeGitHub::set_pr_commits(const std::string& repo, std::int64_t number, boost::json::array commits) {
  std::lock_guard lock(state_->mutex);
  state_->commits[repo + "#" + std::to_string(number)] = std::move(commits);
}

std::vector<boost::json::value> FakeGitHub::review_comments(const std::string& repo, std::int64_t number) const {
  std::lock_guard lock(state_->mutex);
  auto it = state_->review_comments.find(repo + "#" + std::to_string(number));
  return it == state_->review_comments.end() ? std::vector<boost::json::value>{} : it->second;
}

std::vector<boost::json::object> FakeGitHub::repo_labels(const std::string& repo) const {
  std::lock_guard lock(state_->mutex);
  std::vector<boost::json::object> out;
  auto it = state_->repo_labels.find(repo);
  if (it != state_->repo_labels.end()) {
    for (const auto& [name, label] : it->second) out.push_back(label);
  }
  return out;
}

void FakeGitHub::add_repo_label(const std::string& repo, const std::string& name, const std::string& color,
                                const std::string& description) {
  std::lock_guard lock(state_->mutex);
  state_->repo_labels[repo][name] =
      boost::json::object{{"id", state_->next_id++}, {"name", name}, {"color", color}, {"description", description}};
}

}  // namespace testing
