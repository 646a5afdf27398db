#include "store/db.hpp"

#include <string>
#include <unordered_map>

#include <spdlog/spdlog.h>

namespace mentorbot::store {

struct Db::Cache {
  std::unordered_map<std::string, Stmt> statements;
};

Db::Db(std::unique_ptr<detail::Connection> connection)
    : connection_(std::move(connection)), cache_(std::make_unique<Cache>()) {}

Db::~Db() {
  cache_.reset();  // statements before the connection
}

Db::Db(Db&&) noexcept = default;

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    cache_.reset();
    connection_ = std::move(other.connection_);
    cache_ = std::move(other.cache_);
  }
  return *this;
}

Stmt& Db::cached(std::string_view sql) {
  auto it = cache_->statements.find(std::string(sql));
  if (it == cache_->statements.end()) {
    it = cache_->statements.emplace(std::string(sql), Stmt(connection_->prepare(sql, true))).first;
  } else {
    it->second.reset();
  }
  return it->second;
}

Txn::Txn(Db& db) : db_(db) { db_.exec(db_.engine() == Engine::sqlite ? "BEGIN IMMEDIATE" : "BEGIN"); }

void Txn::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

Txn::~Txn() {
  if (done_ || !db_.usable()) return;
  try {
    db_.exec("ROLLBACK");
  } catch (const std::exception& e) {
    spdlog::error("rollback failed: {}", e.what());
  }
}

}  // namespace mentorbot::store
