// Property tests (issue 12): hundreds of random cases per run, reproducible with Catch's
// --rng-seed (each case prints its own seed on failure).
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "features/review/diff.hpp"
#include "render/escape.hpp"
#include "store/coins.hpp"
#include "store/store.hpp"
#include "support/awards.hpp"
#include "support/test_database.hpp"

using namespace mentorbot;

namespace {

std::uint32_t base_seed() { return Catch::rngSeed() ? Catch::rngSeed() : 20261204u; }

std::string random_text(std::mt19937& rng, std::size_t max_length, std::string_view alphabet) {
  std::uniform_int_distribution<std::size_t> length(0, max_length), pick(0, alphabet.size() - 1);
  std::string s;
  for (auto n = length(rng); n > 0; --n) s += alphabet[pick(rng)];
  return s;
}

// One line of a random edit script over the old file.
struct Op {
  char kind;  // ' ' kept, '-' removed, '+' added
  std::string text;
};

}  // namespace

// The diff parser's line mapping agrees with a naive reference: a random edit script is written
// as unified-diff hunks (context, gaps between hunks, "\ No newline" markers, CRLF), and every
// added line must come back with the number it has in the new file, counted by walking the script.
TEST_CASE("property: the diff parser maps added lines as a naive walk of the edit does", "[property][diff]") {
  for (int c = 0; c < 400; ++c) {
    auto seed = base_seed() + static_cast<std::uint32_t>(c);
    std::mt19937 rng(seed);
    INFO("seed " << seed);
    std::uniform_int_distribution<int> percent(0, 99);
    // The script over the whole file.
    std::vector<Op> ops;
    int old_lines = std::uniform_int_distribution<int>(0, 60)(rng);
    for (int i = 0; i < old_lines || percent(rng) < 10;) {
      auto text = random_text(rng, 12, "abc xyz+-@ \\\t{}");
      int p = percent(rng);
      if (p < 15) {
        ops.push_back({'+', text});
      } else if (p < 30 && i < old_lines) {
        ops.push_back({'-', text});
        ++i;
      } else if (i < old_lines) {
        ops.push_back({' ', text});
        ++i;
      } else {
        ops.push_back({'+', text});
        break;
      }
    }
    // The reference: new-file numbers of the added lines.
    std::vector<std::pair<int, std::string>> expected;
    int new_line = 0;
    for (const auto& op : ops) {
      if (op.kind != '-') ++new_line;
      if (op.kind == '+') expected.emplace_back(new_line, op.text);
    }
    // Hunks: runs of the script, split at random; a hunk may leave out kept lines at its edges
    // (they are then a gap between hunks, as GitHub's 3-line context leaves them).
    std::string patch;
    bool crlf = percent(rng) < 10;
    int old_at = 1, new_at = 1;
    for (std::size_t i = 0; i < ops.size();) {
      std::size_t end = std::min(ops.size(), i + 1 + std::uniform_int_distribution<std::size_t>(0, 12)(rng));
      // Kept lines at the start of this stretch may be skipped (a gap).
      while (i < end && ops[i].kind == ' ' && percent(rng) < 40) {
        ++old_at;
        ++new_at;
        ++i;
      }
      if (i == end) continue;
      int old_count = 0, new_count = 0;
      for (auto k = i; k < end; ++k) {
        if (ops[k].kind != '+') ++old_count;
        if (ops[k].kind != '-') ++new_count;
      }
      patch += "@@ -" + std::to_string(old_at) + "," + std::to_string(old_count) + " +" + std::to_string(new_at) + "," +
               std::to_string(new_count) + " @@ context\n";
      for (auto k = i; k < end; ++k) {
        patch += ops[k].kind + ops[k].text + (crlf ? "\r\n" : "\n");
        if (percent(rng) < 3) patch += "\\ No newline at end of file\n";
      }
      old_at += old_count;
      new_at += new_count;
      i = end;
    }
    if (!patch.empty() && percent(rng) < 30) patch.pop_back();  // no final newline
    auto parsed = features::review::parse_patch(patch);
    INFO(patch);
    CHECK(parsed.complete);
    REQUIRE(parsed.added.size() == expected.size());
    for (std::size_t k = 0; k < expected.size(); ++k) {
      CHECK(parsed.added[k].line == expected[k].first);
      CHECK(parsed.added[k].text == expected[k].second);
    }
    auto removed = std::count_if(ops.begin(), ops.end(), [](const Op& o) { return o.kind == '-'; });
    CHECK(parsed.removed == removed);
  }
}

// Whatever the input, text escaped for a comment holds no live @mention, no raw HTML tag and no
// control character; defusing mentions twice changes nothing more; plain text passes unchanged.
TEST_CASE("property: escaped text never pings, never carries a tag or a control character", "[property][escape]") {
  const std::string alphabet = std::string("ab@-_/<>&`*[]()#|!~\\ \n\r\t\x01\x7f") + "\xc2\x85" + "\xe2\x80\xae" + "\xc3\xa9";
  for (int c = 0; c < 1000; ++c) {
    auto seed = base_seed() + static_cast<std::uint32_t>(c);
    std::mt19937 rng(seed);
    auto input = random_text(rng, 40, alphabet);
    INFO("seed " << seed << ", input \"" << input << "\"");
    for (const auto& out : {render::escape_text(input), render::code_span(input), render::defuse_mentions(input)}) {
      INFO("output \"" << out << "\"");
      for (std::size_t i = 0; i < out.size(); ++i) {
        auto b = static_cast<unsigned char>(out[i]);
        CHECK((b >= 0x20 && b != 0x7f));
        // A mention is "@" followed by a letter, digit, "-" or "_": never left live.
        if (out[i] == '@' && i + 1 < out.size()) {
          char next = out[i + 1];
          CHECK_FALSE((std::isalnum(static_cast<unsigned char>(next)) || next == '-' || next == '_'));
        }
      }
      CHECK(render::printable(out));
    }
    auto escaped = render::escape_text(input);
    CHECK(escaped.find('<') == std::string::npos);  // no tag can open
    auto once = render::defuse_mentions(input);
    CHECK(render::defuse_mentions(once) == once);  // idempotent
    auto plain = random_text(rng, 30, "abcdefghij XYZ0123456789.,:;'\"?");
    CHECK(render::escape_text(plain) == plain);
  }
}

// The ledger's totals equal the number of distinct merged pull requests, whatever the order and
// however often each merge is delivered (redeliveries, replays, two replicas at once).
TEST_CASE("property: coins equal distinct merged pull requests, for any order and repetition", "[property][coins][store]") {
  testing::TestDatabase database;
  auto s = store::Store::open(database.url());
  const std::vector<std::string> people = {"ana", "bo", "cy"};
  const std::vector<std::string> repos = {"octo/a", "octo/b"};
  std::map<std::string, std::set<std::string>> distinct;
  std::mt19937 rng(base_seed());
  for (int round = 0; round < 200; ++round) {
    // A handful of merges, each delivered one to four times, shuffled.
    std::vector<store::coins::Award> deliveries;
    for (int m = 0; m < 5; ++m) {
      auto repo = repos[rng() % repos.size()];
      auto number = static_cast<std::int64_t>(rng() % 40 + 1);
      const auto& login = people[static_cast<std::size_t>(number) % people.size()];  // a pull request has one author
      auto a = testing::award(login, "merge", 1000 + round, false, repo);
      a.number = number;
      a.key = "merge:" + repo + "#" + std::to_string(number);
      distinct[login].insert(a.key);
      for (int r = 1 + static_cast<int>(rng() % 4); r > 0; --r) deliveries.push_back(a);
    }
    std::shuffle(deliveries.begin(), deliveries.end(), rng);
    s->writes().run([&](store::Db& db) {
      for (const auto& a : deliveries) store::coins::award(db, a);
    });
  }
  s->read([&](store::Db& db) {
    for (const auto& login : people) {
      INFO(login);
      CHECK(store::coins::total(db, login) == static_cast<std::int64_t>(distinct[login].size()));
    }
    return 0;
  });
}
