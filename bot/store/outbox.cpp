#include "store/outbox.hpp"

#include <stdexcept>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "core/json.hpp"
#include "core/overloaded.hpp"
#include "store/notify.hpp"

namespace mentorbot::store::outbox {
namespace {

json::object inline_json(const InlineComment& c) {
  return {{"path", c.path}, {"line", c.line}, {"side", c.side}, {"body", c.body}, {"rule", c.rule}};
}

InlineComment inline_from(const json::value& v) {
  InlineComment c;
  c.path = json_string(v, {"path"}).value_or("");
  c.line = static_cast<int>(json_int(v, {"line"}).value_or(0));
  c.side = json_string(v, {"side"}).value_or("RIGHT");
  c.body = json_string(v, {"body"}).value_or("");
  c.rule = json_string(v, {"rule"}).value_or("");
  return c;
}

// The one place a change becomes stored text (the shapes are those of the first schema, so
// rows written by earlier versions read back the same).
std::string encode(const Change& change) {
  json::object o = std::visit(
      Overloaded{
          [](const Comment& c) { return json::object{{"body", c.body}}; },
          [](const Review& r) {
            json::object out;
            if (!r.commit_id.empty()) out["commit_id"] = r.commit_id;
            out["body"] = r.body;
            json::array comments;
            for (const auto& c : r.comments) comments.push_back(inline_json(c));
            out["comments"] = std::move(comments);
            return out;
          },
          [](const CommentEdit& e) { return json::object{{"of", e.of}, {"body", e.body}}; },
          [](const ReviewEdit& e) { return json::object{{"of", e.of}, {"body", e.body}}; },
          [](const ReviewComment& r) {
            json::object out;
            if (!r.commit_id.empty()) out["commit_id"] = r.commit_id;
            for (auto& [k, v] : inline_json(r.comment)) out[k] = v;
            return out;
          },
          [](const Labels& l) {
            json::array names;
            for (const auto& n : l.names) names.emplace_back(n);
            return json::object{{"labels", std::move(names)}};
          },
          [](const LabelUpsert& l) {
            return json::object{{"name", l.name}, {"color", l.color}, {"description", l.description}};
          },
      },
      change);
  return json::serialize(o);
}

// And back. Throws std::runtime_error for text that is not a change of this kind.
Change decode(std::string_view kind, const std::string& text) {
  json::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) throw std::runtime_error("its stored payload is not a JSON object");
  auto body = json_string(v, {"body"}).value_or("");
  if (kind == "comment") return Comment{body};
  if (kind == "review") {
    Review r{json_string(v, {"commit_id"}).value_or(""), body, {}};
    if (const auto* comments = json_find(v, {"comments"}); comments && comments->is_array()) {
      for (const auto& c : comments->as_array()) r.comments.push_back(inline_from(c));
    }
    return r;
  }
  if (kind == "comment_edit") return CommentEdit{json_string(v, {"of"}).value_or(""), body};
  if (kind == "review_edit") return ReviewEdit{json_string(v, {"of"}).value_or(""), body};
  if (kind == "review_comment") return ReviewComment{json_string(v, {"commit_id"}).value_or(""), inline_from(v)};
  if (kind == "labels") {
    Labels l;
    if (const auto* names = json_find(v, {"labels"}); names && names->is_array()) {
      for (const auto& n : names->as_array()) {
        if (n.is_string()) l.names.emplace_back(n.get_string());
      }
    }
    return l;
  }
  if (kind == "label_ensure") {
    return LabelUpsert{json_string(v, {"name"}).value_or(""), json_string(v, {"color"}).value_or("ededed"),
                       json_string(v, {"description"}).value_or("")};
  }
  throw std::runtime_error("mentorbot knows no write of kind \"" + std::string(kind) + "\"");
}

State state_of(std::string_view text) {
  if (text == "pending") return State::pending;
  if (text == "sending") return State::sending;
  if (text == "sent") return State::sent;
  if (text == "dry-run") return State::dry_run;
  return State::failed;
}

constexpr const char* columns =
    "SELECT id, key, delivery_seq, installation_id, repo, number, kind, payload, state, attempts, next_at,"
    " created_at, sent_at, result, last_error FROM outbox ";

Row read_row(const Stmt& s) {
  Row r;
  auto& w = r.write;
  std::string kind, payload, state;
  s.columns(r.id, w.key, r.delivery_seq, w.installation_id, w.repo, w.number, kind, payload, state, r.attempts,
            r.next_at, r.created_at, r.sent_at, r.result, r.last_error);
  try {
    w.change = decode(kind, payload);
  } catch (const std::exception& e) {
    r.unreadable = e.what();
  }
  r.state = state_of(state);
  return r;
}

std::vector<Row> read_rows(Stmt& s) {
  std::vector<Row> out;
  while (s.step()) out.push_back(read_row(s));
  s.reset();
  return out;
}

}  // namespace

std::string_view kind_of(const Change& change) {
  return std::visit(Overloaded{
                        [](const Comment&) { return "comment"; },
                        [](const Review&) { return "review"; },
                        [](const CommentEdit&) { return "comment_edit"; },
                        [](const ReviewEdit&) { return "review_edit"; },
                        [](const ReviewComment&) { return "review_comment"; },
                        [](const Labels&) { return "labels"; },
                        [](const LabelUpsert&) { return "label_ensure"; },
                    },
                    change);
}

std::string_view to_string(State state) {
  switch (state) {
    case State::pending: return "pending";
    case State::sending: return "sending";
    case State::sent: return "sent";
    case State::failed: return "failed";
    case State::dry_run: return "dry-run";
  }
  return "failed";
}

std::string marker(const std::string& key) {
  // "--" may not appear inside an HTML comment: a repository called a--b keeps its marker valid.
  std::string safe;
  for (char c : key) {
    if (c == '-' && !safe.empty() && safe.back() == '-') safe += '~';
    safe += c;
  }
  return "<!-- mentorbot:" + safe + " -->";
}

Added add(Db& db, const Write& w, std::optional<std::int64_t> delivery_seq, bool dry_run, std::int64_t now_ms) {
  if (w.key.empty() || w.key.find('>') != std::string::npos) {
    throw std::invalid_argument("outbox key \"" + w.key + "\" cannot be a marker");
  }
  auto kind = kind_of(w.change);
  auto payload = encode(w.change);
  Stmt& s = db.cached(
      "INSERT INTO outbox (key, delivery_seq, installation_id, repo, number, kind, payload, state,"
      " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING");
  s.bind(1, w.key).bind(2, delivery_seq).bind(3, w.installation_id).bind(4, w.repo).bind(5, w.number);
  s.bind(6, kind).bind(7, payload).bind(8, to_string(dry_run ? State::dry_run : State::pending)).bind(9, now_ms);
  s.run();
  if (db.changes() == 0) return Added::exists;
  if (!dry_run) notify::announce(db, notify::write);
  return Added::added;
}

void log_dry_run(const Write& w) {
  spdlog::info("dry-run: {} on {}#{} [{}]: {}", kind_of(w.change), w.repo, w.number, w.key, encode(w.change));
}

std::vector<Row> due_writes(Db& db, int limit, std::int64_t now_ms, std::int64_t after_id) {
  Stmt& s = db.cached(std::string(columns) +
                      "WHERE state = 'pending' AND id > $3 AND next_at <= $1 ORDER BY id LIMIT $2");
  s.bind(1, now_ms).bind(2, limit).bind(3, after_id);
  return read_rows(s);
}

std::optional<std::int64_t> next_write_due(Db& db) {
  Stmt& s = db.cached("SELECT min(next_at) FROM outbox WHERE state = 'pending'");
  std::optional<std::int64_t> out;
  if (s.step()) out = s.opt_int64(0);
  s.reset();
  return out;
}

std::optional<int> mark_sending(Db& db, std::int64_t id, std::string_view owner, std::int64_t lease_left_until) {
  Stmt& s = db.cached(
      "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = $1 AND state = 'pending'"
      " AND ($2 = '' OR EXISTS (SELECT 1 FROM write_lanes l WHERE l.installation_id = outbox.installation_id"
      " AND l.owner = $2 AND l.lease_until >= $3)) RETURNING attempts");
  s.bind(1, id).bind(2, owner).bind(3, lease_left_until);
  std::optional<int> earlier;
  if (s.step()) earlier = static_cast<int>(s.int64(0)) - 1;
  s.reset();
  return earlier;
}

void mark_sent(Db& db, std::int64_t id, const std::string& result, std::int64_t now_ms) {
  Stmt& s = db.cached("UPDATE outbox SET state = 'sent', result = $2, sent_at = $3, last_error = NULL WHERE id = $1");
  s.bind(1, id).bind(2, result).bind(3, now_ms);
  s.run();
}

void retry_write(Db& db, std::int64_t id, const std::string& error, std::int64_t next_at_ms) {
  Stmt& s = db.cached("UPDATE outbox SET state = 'pending', last_error = $2, next_at = $3 WHERE id = $1");
  s.bind(1, id).bind(2, error).bind(3, next_at_ms);
  s.run();
}

void release_write(Db& db, std::int64_t id, std::int64_t next_at_ms, const std::string& reason) {
  Stmt& s = db.cached(
      "UPDATE outbox SET state = 'pending', attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, next_at = $2, last_error = $3"
      " WHERE id = $1 AND state = 'sending'");
  s.bind(1, id).bind(2, next_at_ms).bind(3, reason);
  s.run();
}

void park_write(Db& db, std::int64_t id, const std::string& error, std::int64_t now_ms) {
  Stmt& s = db.cached("UPDATE outbox SET state = 'failed', last_error = $2, sent_at = $3 WHERE id = $1");
  s.bind(1, id).bind(2, error).bind(3, now_ms);
  s.run();
}

int requeue_sending(Db& db) {
  Stmt s = db.prepare("UPDATE outbox SET state = 'pending' WHERE state = 'sending'");
  s.run();
  return db.changes();
}

std::optional<Row> find_write(Db& db, const std::string& key) {
  Stmt s = db.prepare(std::string(columns) + "WHERE key = $1");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return read_row(s);
}

std::vector<Row> writes_of_delivery(Db& db, std::int64_t delivery_seq) {
  Stmt s = db.prepare(std::string(columns) + "WHERE delivery_seq = $1 ORDER BY id");
  s.bind(1, delivery_seq);
  return read_rows(s);
}

std::vector<Row> writes_on(Db& db, const std::string& repo, std::int64_t number) {
  Stmt& s = db.cached(std::string(columns) + "WHERE repo = $1 AND number = $2 ORDER BY id");
  s.bind(1, repo).bind(2, number);
  return read_rows(s);
}

std::map<std::string, std::int64_t> open_counts(Db& db) {
  std::map<std::string, std::int64_t> out{{"pending", 0}, {"sending", 0}};
  Stmt s = db.prepare("SELECT state, count(*) FROM outbox WHERE state IN ('pending', 'sending') GROUP BY state");
  while (s.step()) out[s.text(0)] = s.int64(1);
  return out;
}

}  // namespace mentorbot::store::outbox
