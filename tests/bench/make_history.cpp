// Writes a git fast-import stream of a large, realistic history, for the author index benchmark:
//   make_history [--commits 200000] [--authors 5000] [--from N] [--branch main] [--seed 1]
//   | git -C repo.git fast-import --quiet
// Authors are Zipf-distributed (a few with thousands of commits, most with one to three); 2 %
// of commits are merges of a one-commit side branch; 10 % of authors commit under GitHub's
// noreply address; 5 % also use an old address, joined to the new one by .mailmap (committed
// first). --from N continues an existing history (mark :N must be the tip) for incremental runs.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace {

struct Author {
  std::string name, email, old_email;
};

void data(const std::string& s) { std::printf("data %zu\n%s\n", s.size(), s.c_str()); }

}  // namespace

int main(int argc, char** argv) {
  long commits = 200000, authors_n = 5000, from = 0, seed = 1;
  std::string branch = "main";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--commits") commits = std::atol(argv[i + 1]);
    if (k == "--authors") authors_n = std::atol(argv[i + 1]);
    if (k == "--from") from = std::atol(argv[i + 1]);
    if (k == "--seed") seed = std::atol(argv[i + 1]);
    if (k == "--branch") branch = argv[i + 1];
  }
  std::mt19937_64 rng(static_cast<unsigned long>(seed + from));
  std::vector<Author> authors(static_cast<std::size_t>(authors_n));
  std::string mailmap;
  for (long i = 0; i < authors_n; ++i) {
    auto& a = authors[static_cast<std::size_t>(i)];
    a.name = "Author " + std::to_string(i);
    if (i % 10 == 3) {
      a.email = std::to_string(100000 + i) + "+author" + std::to_string(i) + "@users.noreply.github.com";
    } else {
      a.email = "author" + std::to_string(i) + "@example.org";
    }
    if (i % 20 == 7) {
      a.old_email = "a" + std::to_string(i) + "@old.example.com";
      mailmap += a.name + " <" + a.email + "> <" + a.old_email + ">\n";
    }
  }
  // Zipf weights: author i gets weight 1/(i+1).
  std::vector<double> cumulative(static_cast<std::size_t>(authors_n));
  double total = 0;
  for (long i = 0; i < authors_n; ++i) cumulative[static_cast<std::size_t>(i)] = total += 1.0 / static_cast<double>(i + 1);
  std::uniform_real_distribution<double> pick(0, total);
  auto author_for = [&]() -> const Author& {
    auto it = std::lower_bound(cumulative.begin(), cumulative.end(), pick(rng));
    return authors[static_cast<std::size_t>(std::min<long>(it - cumulative.begin(), authors_n - 1))];
  };

  long mark = from;
  long time = 1'500'000'000 + from * 60;
  auto commit = [&](const std::string& ref, const Author& a, bool old, long parent, long merge, const std::string& path,
                    const std::string& content) {
    ++mark;
    time += 60;
    const std::string& email = old && !a.old_email.empty() ? a.old_email : a.email;
    std::printf("commit refs/heads/%s\nmark :%ld\n", ref.c_str(), mark);
    std::printf("author %s <%s> %ld +0000\ncommitter %s <%s> %ld +0000\n", a.name.c_str(), email.c_str(), time,
                a.name.c_str(), email.c_str(), time);
    data("change " + std::to_string(mark));
    if (parent > 0) std::printf("from :%ld\n", parent);
    if (merge > 0) std::printf("merge :%ld\n", merge);
    std::printf("M 100644 inline %s\n", path.c_str());
    data(content);
    std::printf("\n");
    return mark;
  };

  long tip = from;
  if (from == 0) tip = commit(branch, authors[0], false, 0, 0, ".mailmap", mailmap);
  std::bernoulli_distribution old_address(0.5);
  for (long n = (from == 0 ? 1 : 0); n < commits; ++n) {
    const Author& a = author_for();
    std::string path = "src/file" + std::to_string(n % 97) + ".txt";
    if (n % 50 == 49) {
      long side = commit("side", author_for(), false, tip, 0, "side/file" + std::to_string(n % 13) + ".txt",
                         "side " + std::to_string(n));
      tip = commit(branch, a, old_address(rng), tip, side, path, "line " + std::to_string(n));
      ++n;  // the side commit counts too
    } else {
      tip = commit(branch, a, old_address(rng), tip, 0, path, "line " + std::to_string(n));
    }
  }
  std::fprintf(stderr, "last mark :%ld\n", tip);
  return 0;
}
