// The nudges that follow the turn: one escalation when nobody has answered, one kind note to an
// author whose turn it has long been; each once, never on a draft, never for a regular, and
// never once the pull request has moved on.
#include <catch2/catch.hpp>

#include "support/fixed_ports.hpp"

#include <boost/asio/io_context.hpp>

#include "app/nudge_sweeper.hpp"
#include "features/nudge/turns.hpp"
#include "store/outbox.hpp"
#include "store/pipeline.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

using namespace mentorbot;
namespace nudge = features::nudge;
using store::pipeline::Entry;

namespace {

constexpr std::int64_t day = 24LL * 60 * 60 * 1000;
constexpr std::int64_t now = 1000 * day;

const features::Words& words() {
  static const features::Words w(&testing::source_templates(), "warm", {});
  return w;
}

Entry row(std::int64_t number, const char* turn, std::int64_t since_days) {
  Entry e;
  e.repo = "octo-org/shop";
  e.number = number;
  e.installation_id = 3;
  e.author = "nina-dev";
  e.title = "Fix the cart";
  e.newcomer = true;
  e.turn = turn;
  e.opened_at = e.ready_at = now - 30 * day;
  e.turn_since = now - since_days * day;
  return e;
}

std::string body(const std::optional<store::outbox::Write>& w) {
  REQUIRE(w);
  return std::get<store::outbox::Comment>(w->change).body;
}

}  // namespace

TEST_CASE("nudge turns: who gets a note, and when", "[nudge][pipeline]") {
  features::RepoConfig config;
  config.nudge.escalate_to = {"@octo-org/maintainers"};
  config.nudge.escalate_after_days = 20;
  config.nudge.author_nudge_days = 10;

  // The escalation: still waiting for a first response since it was opened (30 days).
  auto esc = nudge::decide_escalation(row(1, "first_response", 30), config, now, words());
  CHECK(esc->key == "escalation:octo-org/shop#1");
  CHECK(esc->installation_id == 3);
  CHECK_THAT(body(esc), Catch::StartsWith("@octo-org/maintainers, this pull request from a new contributor, @nina-dev,"));
  CHECK_THAT(body(esc), Catch::Contains("waited 30 days"));
  auto fresh = row(2, "first_response", 5);
  fresh.ready_at = now - 5 * day;  // marked ready five days ago: its wait began then
  CHECK_FALSE(nudge::decide_escalation(fresh, config, now, words()));
  CHECK_FALSE(nudge::decide_escalation(row(3, "review", 30), config, now, words()));  // someone answered
  auto once = row(4, "first_response", 30);
  once.escalated_at = now - day;
  CHECK_FALSE(nudge::decide_escalation(once, config, now, words()));
  features::RepoConfig no_team = config;
  no_team.nudge.escalate_to = {"not a team!"};
  CHECK_FALSE(nudge::decide_escalation(row(5, "first_response", 30), no_team, now, words()));

  // The author's note: their turn for ten days or more.
  auto note = nudge::decide_author_nudge(row(10, "author", 12), config, now, words());
  CHECK(note->key == "author-nudge:octo-org/shop#10");
  CHECK_THAT(body(note), Catch::StartsWith("@nina-dev, no rush with \"Fix the cart\"."));
  CHECK_THAT(body(note), Catch::Contains("ask here and someone will help"));
  CHECK_FALSE(nudge::decide_author_nudge(row(11, "author", 9), config, now, words()));
  CHECK_FALSE(nudge::decide_author_nudge(row(12, "review", 12), config, now, words()));
  auto draft = row(13, "author", 12);
  draft.draft = true;
  CHECK_FALSE(nudge::decide_author_nudge(draft, config, now, words()));
  auto regular = row(14, "author", 12);
  regular.newcomer = false;
  CHECK_FALSE(nudge::decide_author_nudge(regular, config, now, words()));
  auto noted = row(15, "author", 12);
  noted.author_nudged_at = now - day;
  CHECK_FALSE(nudge::decide_author_nudge(noted, config, now, words()));
  features::RepoConfig off = config;
  off.nudge.author_nudge_days = 0;
  CHECK_FALSE(nudge::decide_author_nudge(row(16, "author", 300), off, now, words()));
}

TEST_CASE("nudge turns: the sweep sends each note once, and not after the turn moved on", "[nudge][pipeline]") {
  testing::TempDir dir;
  auto s = store::Store::open({DatabaseUrl::Kind::sqlite, dir / "db.sqlite"});
  auto save = [&](const Entry& e) { s->writes().run([&](store::Db& db) { store::pipeline::save(db, e); }); };
  save(row(1, "author", 20));  // the default: a note after 14 days
  save(row(2, "author", 3));
  auto draft = row(3, "author", 20);
  draft.draft = true;
  save(draft);
  save(row(4, "first_response", 30));  // no escalate_to by default: no escalation
  boost::asio::io_context io;
  app::NudgeSweeper sweeper(io.get_executor(), *s, nullptr, &testing::source_templates(), {}, [] {});
  CHECK(sweeper.sweep(now) == 1);
  CHECK(sweeper.sweep(now + day) == 0);  // never a second one
  auto planned = s->read([](store::Db& db) { return store::outbox::writes_on(db, "octo-org/shop", 1); });
  REQUIRE(planned.size() == 1);
  CHECK(planned[0].write.key == "author-nudge:octo-org/shop#1");
  for (int n : {2, 3, 4}) {
    CHECK(s->read([n](store::Db& db) { return store::outbox::writes_on(db, "octo-org/shop", n); }).empty());
  }
  CHECK(s->read([](store::Db& db) { return store::pipeline::find(db, "octo-org/shop", 1); })->author_nudged_at == now);
  // A note decided on a row that moved on before it was stored is not stored.
  bool marked = true;
  s->writes().run([&](store::Db& db) { marked = store::pipeline::mark_author_nudged(db, "octo-org/shop", 2, "review", now); });
  CHECK_FALSE(marked);
}
