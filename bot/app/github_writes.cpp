#include "app/github_writes.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/errors.hpp"
#include "core/overloaded.hpp"

namespace mentorbot::app {

namespace http = boost::beast::http;
namespace outbox = store::outbox;

namespace {

std::string with_marker(const std::string& body, const std::string& key) { return body + "\n\n" + outbox::marker(key); }

std::string made(const json::value& answer) {
  json::object o;
  if (auto id = json_int(answer, {"id"})) o["id"] = *id;
  if (auto url = json_string(answer, {"html_url"})) o["html_url"] = *url;
  return json::serialize(o);
}

// Only the fields GitHub knows go out (a planned comment also names its rule).
json::object inline_request(const outbox::InlineComment& c, const std::string& body) {
  return {{"path", c.path}, {"line", c.line}, {"side", c.side}, {"body", body}};
}

}  // namespace

std::int64_t GitHubWritesOverRest::id_made_by(const std::string& of) {
  auto row = store_.read([&](store::Db& db) { return outbox::find_write(db, of); });
  if (!row) throw PermanentError("there is no write " + of + " to edit");
  if (row->state == outbox::State::failed) throw PermanentError("the write " + of + " to edit was never made");
  std::optional<std::int64_t> id;
  if (row->result) id = json_int(json::parse(*row->result), {"id"});
  if (!id) throw github::Unavailable("the write " + of + " to edit is not made yet");
  return *id;
}

// The label exists as configured afterwards: created, or its colour and description put right.
std::string GitHubWritesOverRest::upsert_label(const outbox::Write& w, const outbox::LabelUpsert& label) {
  std::string labels = "/repos/" + w.repo + "/labels";
  std::optional<json::value> existing;
  try {
    existing = client_.get(w.installation_id, labels + "/" + github::url_encode(label.name)).body;
  } catch (const github::ApiError& e) {
    if (e.status != 404) throw;
  }
  if (!existing) {
    json::value req = {{"name", label.name}, {"color", label.color}, {"description", label.description}};
    try {
      client_.request(w.installation_id, http::verb::post, labels, &req);
      return json::serialize(json::object{{"label", label.name}, {"created", true}});
    } catch (const github::ApiError& e) {
      if (e.status != 422) throw;  // 422: someone made it meanwhile; put it right below
      existing = json::object{};
    }
  }
  auto has_color = json_string(*existing, {"color"});
  auto has_description = json_string(*existing, {"description"}).value_or("");
  if (has_color && *has_color == label.color && has_description == label.description) {
    return json::serialize(json::object{{"label", label.name}, {"unchanged", true}});
  }
  json::value req = {{"color", label.color}, {"description", label.description}};
  client_.request(w.installation_id, http::verb::patch, labels + "/" + github::url_encode(label.name), &req);
  return json::serialize(json::object{{"label", label.name}, {"updated", true}});
}

std::string GitHubWritesOverRest::perform(const outbox::Write& w) {
  std::string repo = "/repos/" + w.repo;
  std::string number = std::to_string(w.number);
  auto send = [&](http::verb method, const std::string& target, json::value body) {
    return made(client_.request(w.installation_id, method, target, &body).body);
  };
  return std::visit(
      Overloaded{
          [&](const outbox::Comment& c) {
            return send(http::verb::post, repo + "/issues/" + number + "/comments",
                        json::object{{"body", with_marker(c.body, w.key)}});
          },
          [&](const outbox::Review& r) {
            json::object req;
            if (!r.commit_id.empty()) req["commit_id"] = r.commit_id;
            req["event"] = "COMMENT";
            req["body"] = with_marker(r.body, w.key);
            json::array comments;
            for (const auto& c : r.comments) comments.push_back(inline_request(c, c.body));
            req["comments"] = std::move(comments);
            return send(http::verb::post, repo + "/pulls/" + number + "/reviews", std::move(req));
          },
          [&](const outbox::CommentEdit& e) {
            auto id = std::to_string(id_made_by(e.of));
            return send(http::verb::patch, repo + "/issues/comments/" + id,
                        json::object{{"body", with_marker(e.body, e.of)}});
          },
          [&](const outbox::ReviewEdit& e) {
            auto id = std::to_string(id_made_by(e.of));
            return send(http::verb::put, repo + "/pulls/" + number + "/reviews/" + id,
                        json::object{{"body", with_marker(e.body, e.of)}});
          },
          [&](const outbox::ReviewComment& r) {
            auto req = inline_request(r.comment, with_marker(r.comment.body, w.key));
            if (!r.commit_id.empty()) req["commit_id"] = r.commit_id;
            return send(http::verb::post, repo + "/pulls/" + number + "/comments", std::move(req));
          },
          [&](const outbox::Labels& l) {
            json::array names;
            for (const auto& n : l.names) names.emplace_back(n);
            send(http::verb::post, repo + "/issues/" + number + "/labels", json::object{{"labels", std::move(names)}});
            return std::string("{}");
          },
          [&](const outbox::LabelUpsert& l) { return upsert_label(w, l); },
      },
      w.change);
}

std::optional<std::string> GitHubWritesOverRest::find_existing(const outbox::Write& w) {
  std::string pull = "/repos/" + w.repo + "/pulls/" + std::to_string(w.number);
  auto list = std::visit(Overloaded{
                             [&](const outbox::Comment&) {
                               return "/repos/" + w.repo + "/issues/" + std::to_string(w.number) + "/comments";
                             },
                             [&](const outbox::Review&) { return pull + "/reviews"; },
                             [&](const outbox::ReviewComment&) { return pull + "/comments"; },
                             // The other kinds can be repeated harmlessly.
                             [](const outbox::CommentEdit&) { return std::string(); },
                             [](const outbox::ReviewEdit&) { return std::string(); },
                             [](const outbox::Labels&) { return std::string(); },
                             [](const outbox::LabelUpsert&) { return std::string(); },
                         },
                         w.change);
  if (list.empty()) return std::nullopt;
  auto mark = outbox::marker(w.key);
  for (const auto& item : client_.get_all(w.installation_id, list)) {
    auto body = json_string(item, {"body"});
    if (body && body->find(mark) != std::string::npos) return made(item);
  }
  return std::nullopt;
}

}  // namespace mentorbot::app
