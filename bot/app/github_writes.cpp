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

// The label exists as configured afterwards: created, or its colour and description put right.
std::string GitHubWritesOverRest::ensure_label(const store::outbox::Row& w, const json::value& p) {
  auto name = json_string(p, {"name"}).value_or("");
  auto color = json_string(p, {"color"}).value_or("ededed");
  auto description = json_string(p, {"description"}).value_or("");
  std::string labels = "/repos/" + w.repo + "/labels";
  std::optional<json::value> existing;
  try {
    existing = client_.get(w.installation_id, labels + "/" + github::url_encode(name)).body;
  } catch (const github::ApiError& e) {
    if (e.status != 404) throw;
  }
  if (!existing) {
    json::value req = {{"name", name}, {"color", color}, {"description", description}};
    try {
      client_.request(w.installation_id, http::verb::post, labels, &req);
      return json::serialize(json::object{{"label", name}, {"created", true}});
    } catch (const github::ApiError& e) {
      if (e.status != 422) throw;  // 422: someone made it meanwhile; put it right below
      existing = json::object{};
    }
  }
  auto has_color = json_string(*existing, {"color"});
  auto has_description = json_string(*existing, {"description"}).value_or("");
  if (has_color && *has_color == color && has_description == description) {
    return json::serialize(json::object{{"label", name}, {"unchanged", true}});
  }
  json::value req = {{"color", color}, {"description", description}};
  client_.request(w.installation_id, http::verb::patch, labels + "/" + github::url_encode(name), &req);
  return json::serialize(json::object{{"label", name}, {"updated", true}});
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
    // Only the fields GitHub knows go out (the stored comments also name their rule).
    json::array comments;
    if (const auto* planned = json_find(p, {"comments"}); planned && planned->is_array()) {
      for (const auto& c : planned->as_array()) {
        json::object out;
        for (const char* field : {"path", "line", "side", "start_line", "start_side", "body"}) {
          if (const auto* v = json_find(c, {field})) out[field] = *v;
        }
        comments.push_back(std::move(out));
      }
    }
    req["comments"] = std::move(comments);
    json::value v = std::move(req);
    return made(client_.request(w.installation_id, http::verb::post, repo + "/pulls/" + number + "/reviews", &v).body);
  }
  if (w.kind == "review_edit") {
    auto of = json_string(p, {"of"}).value_or("");
    json::value req = {{"body", with_marker(body, of)}};
    auto id = std::to_string(id_made_by(of));
    return made(client_.request(w.installation_id, http::verb::put, repo + "/pulls/" + number + "/reviews/" + id, &req).body);
  }
  if (w.kind == "review_comment") {
    json::object req;
    for (const char* field : {"commit_id", "path", "line", "side"}) {
      if (const auto* v = json_find(p, {field})) req[field] = *v;
    }
    req["body"] = with_marker(body, w.key);
    json::value v = std::move(req);
    return made(client_.request(w.installation_id, http::verb::post, repo + "/pulls/" + number + "/comments", &v).body);
  }
  if (w.kind == "label_ensure") return ensure_label(w, p);
  throw PermanentError("unknown kind of GitHub write: " + w.kind);
}

std::optional<std::string> GitHubWritesOverRest::find_existing(const store::outbox::Row& w) {
  std::string list;
  if (w.kind == "comment") {
    list = "/repos/" + w.repo + "/issues/" + std::to_string(w.number) + "/comments";
  } else if (w.kind == "review") {
    list = "/repos/" + w.repo + "/pulls/" + std::to_string(w.number) + "/reviews";
  } else if (w.kind == "review_comment") {
    list = "/repos/" + w.repo + "/pulls/" + std::to_string(w.number) + "/comments";
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
