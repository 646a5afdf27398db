#include "support/test_database.hpp"

#include <fstream>
#include <random>
#include <stdexcept>

#include "store/postgres.hpp"

namespace testing {
namespace {

Backend chosen = Backend::sqlite;
std::string cluster_url;  // postgresql://postgres@127.0.0.1:PORT/postgres

std::string random_name() {
  static std::mt19937_64 rng{std::random_device{}()};
  static const char* hex = "0123456789abcdef";
  std::string out = "t_";
  for (int i = 0; i < 16; ++i) out += hex[rng() % 16];
  return out;
}

// The cluster's URL with another database name.
std::string url_of(const std::string& database) {
  auto slash = cluster_url.rfind('/');
  return cluster_url.substr(0, slash + 1) + database;
}

void admin(const std::string& sql) {
  auto db = mentorbot::store::postgres::open({cluster_url});
  db.exec(sql.c_str());
}

}  // namespace

Backend backend() { return chosen; }

void select_backend(const std::string& name, const std::string& pg_url_file) {
  if (name == "sqlite") return;
  if (name != "postgresql") throw std::runtime_error("--backend must be sqlite or postgresql, not " + name);
  if (pg_url_file.empty()) throw std::runtime_error("--backend postgresql needs --pg-url-file");
  std::ifstream in(pg_url_file);
  if (!std::getline(in, cluster_url) || cluster_url.empty()) {
    throw std::runtime_error("no PostgreSQL cluster URL in " + pg_url_file +
                             " (tests/support/pg-cluster.sh start writes it; did it fail?)");
  }
  admin("SELECT 1");  // reachable now, or the run fails here with libpq's reason
  chosen = Backend::postgresql;
}

TestDatabase::TestDatabase() {
  if (chosen == Backend::sqlite) {
    url_ = {mentorbot::DatabaseUrl::Kind::sqlite, dir_ / "db.sqlite"};
    return;
  }
  name_ = random_name();
  admin("CREATE DATABASE " + name_);
  url_ = {mentorbot::DatabaseUrl::Kind::postgresql, url_of(name_)};
}

TestDatabase::~TestDatabase() {
  if (name_.empty()) return;
  try {
    admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (...) {
  }
}

std::string TestDatabase::setting() const { return postgres() ? url_.target : "sqlite:" + url_.target; }

}  // namespace testing
