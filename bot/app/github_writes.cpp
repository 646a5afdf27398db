#include "app/github_writes.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/errors.hpp"

namespace mentorbot::app {

namespace http = boost::beast::http;

namespace {

std::string with_marker(const std::string& body, const std::string& key) {
  return body + "\n\n" + store::outbox::marker(key);
}

std::string made(const json::value& answer) {
  json::object o;
  if (auto id = json_int(answer, {"id"})) o["id"] = *id;
  if (auto url = json_string(answer, {"html_url"})) o["html_url"] = *url;
  return json::serialize(o);
}

json::value payload_of(const store::outbox::Row& w) {
  json::error_code ec;
  auto v = json::parse(w.payload, ec);
  if (ec || !v.is_object()) throw PermanentError("outbox write " + w.key + " has a damaged payload");
  return v;
}

}  // namespace

std::int64_t GitHubWritesOverRest::id_made_by(const std::string& of) {
  auto row = store_.read([&](store::Db& db) { return store::outbox::find(db, of); });
  if (!row) throw PermanentError("there is no write " + of + " to edit");
  if (row->state == "failed") throw PermanentError("the write " + of + " to edit was never made");
  std::optional<std::int64_t> id;
  if (row->result) id = json_int(json::parse(*row->result), {"id"});
  if (!id) throw github::Unavailable("the write " + of + " to edit is not made yet");
  return *id;
}

std::string GitHubWritesOverRest::perform(const store::outbox::Row& w) {
  auto p = payload_of(w);
  std::string repo = "/repos/" + w.repo;
  std::string number = std::to_string(w.number);
  auto body = json_string(p, {"body"}).value_or("");
  if (w.kind == "comment") {
    json::value req = {{"body", with_marker(body, w.key)}};
    return made(client_.request(w.installation_id, http::verb::post, repo + "/issues/" + number + "/comments", &req).body);
  }
  if (w.kind == "comment_edit") {
    auto of = json_string(p, {"of"}).value_or("");
    json::value req = {{"body", with_marker(body, of)}};
    auto id = std::to_string(id_made_by(of));
    return made(client_.request(w.installation_id, http::verb::patch, repo + "/issues/comments/" + id, &req).body);
  }
  if (w.kind == "labels") {
    json::value req = {{"labels", p.as_object().contains("labels") ? p.at("labels") : json::array()}};
    client_.request(w.installation_id, http::verb::post, repo + "/issues/" + number + "/labels", &req);
    return "{}";
  }
  if (w.kind == "review") {
    json::object req;
    if (auto commit = json_string(p, {"commit_id"})) req["commit_id"] = *commit;
    req["event"] = "COMMENT";
    req["body"] = with_marker(body, w.key);
    req["comments"] = p.as_object().contains("comments") ? p.at("comments") : json::array();
    json::value v = std::move(req);
    return made(client_.request(w.installation_id, http::verb::post, repo + "/pulls/" + number + "/reviews", &v).body);
  }
  if (w.kind == "review_edit") {
    auto of = json_string(p, {"of"}).value_or("");
    json::value req = {{"body", with_marker(body, of)}};
    auto id = std::to_string(id_made_by(of));
    return made(client_.request(w.installation_id, http::verb::put, repo + "/pulls/" + number + "/reviews/" + id, &req).body);
  }
  throw PermanentError("unknown kind of GitHub write: " + w.kind);
}

std::optional<std::string> GitHubWritesOverRest::find_existing(const store::outbox::Row& w) {
  std::string list;
  if (w.kind == "comment") {
    list = "/repos/" + w.repo + "/issues/" + std::to_string(w.number) + "/comments";
  } else if (w.kind == "review") {
    list = "/repos/" + w.repo + "/pulls/" + std::to_string(w.number) + "/reviews";
  } else {
    return std::nullopt;  // the other kinds can be repeated harmlessly
  }
  auto mark = store::outbox::marker(w.key);
  for (const auto& item : client_.get_all(w.installation_id, list)) {
    auto body = json_string(item, {"body"});
    if (body && body->find(mark) != std::string::npos) return made(item);
  }
  return std::nullopt;
}

}  // namespace mentorbot::app
