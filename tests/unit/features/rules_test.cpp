// The review rules (rules/*.yml) on real-looking pull requests: each rule fires on a diff it is
// meant for, at the right line of the new file, and stays quiet on the look-alikes a first pull
// request often has. Precision matters more than recall: a wrong suggestion does harm.
//
// Secret-looking values are put together from pieces, so that this file does not look like a
// leaked key to mentorbot or to any other scanner.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "core/glob.hpp"
#include "features/review/diff.hpp"
#include "features/review/review.hpp"
#include "features/review/rules.hpp"

using namespace mentorbot;
using namespace mentorbot::features::review;
using mentorbot::github::ChangedFile;

namespace {

const std::vector<Rule>& all_rules() {
  static const auto rules = load_rules(MENTORBOT_SOURCE_DIR "/rules");
  return rules;
}

// Only `id`'s findings, so that each test is about one rule.
std::vector<Finding> run(const std::string& id, const PullRequestFacts& facts) {
  std::vector<Rule> one;
  for (const auto& r : all_rules()) {
    if (r.id == id) one.push_back(r);
  }
  REQUIRE(one.size() == 1);
  return evaluate(one, facts);
}

// A changed file as GitHub lists it; the counts come from the patch, which must be well formed.
ChangedFile changed(const std::string& path, const std::string& patch, const std::string& status = "modified") {
  auto parsed = parse_patch(patch);
  INFO(path);
  REQUIRE(parsed.complete);
  return {path, status, static_cast<int>(parsed.added.size()), parsed.removed, patch};
}

const std::string described = "Adds the tax to the cart total (#41). I tried it with an empty cart and with two items.";

PullRequestFacts pr(std::vector<ChangedFile> files, const std::string& body = described) {
  PullRequestFacts facts;
  facts.body = body;
  facts.files = std::move(files);
  return facts;
}

// Findings as "rule path:line", to compare exactly.
std::vector<std::string> where(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.rule + " " + f.path + ":" + std::to_string(f.line));
  return out;
}

// A hunk that adds `added` as line 11 of the new file, between two lines of context.
std::string one_line(const std::string& added) { return "@@ -10,2 +10,3 @@\n {\n+" + added + "\n }"; }

std::vector<std::string> on_line(const std::string& id, const std::string& path, const std::string& added) {
  return where(run(id, pr({changed(path, one_line(added))})));
}

struct Case {
  std::string path, line;
};

// Each case is flagged at line 11 of its file, by `id` only once.
void flagged(const std::string& id, const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    INFO(c.path << ": " << c.line);
    CHECK(on_line(id, c.path, c.line) == std::vector<std::string>{id + " " + c.path + ":11"});
  }
}

void not_flagged(const std::string& id, const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    INFO(c.path << ": " << c.line);
    CHECK(on_line(id, c.path, c.line).empty());
  }
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("rules: every rule file loads, and each rule is tested here", "[rules]") {
  std::set<std::string> ids;
  for (const auto& r : all_rules()) {
    ids.insert(r.id);
    CHECK(!r.summary.empty());
    CHECK(!r.suggestion.empty());
  }
  CHECK(ids == std::set<std::string>{"commented-out-code", "debug-print", "large-pr", "long-line", "merge-commits",
                                     "no-description", "no-tests", "secrets", "todo", "trailing-whitespace"});
}

TEST_CASE("rules: debug-print flags a console.log left in a component", "[rules]") {
  auto patch = R"(@@ -12,8 +12,9 @@ export function Cart({ items }) {
   const subtotal = items.reduce((sum, item) => sum + item.price * item.quantity, 0);
-  const tax = subtotal * 0.2;
+  const tax = subtotal * TAX_RATE;
+  console.log("tax", tax);

   return (
     <div className="cart">
       <CartItems items={items} />
       <Total value={subtotal + tax} />
     </div>)";
  auto found = run("debug-print", pr({changed("src/components/Cart.jsx", patch)}));
  REQUIRE(where(found) == std::vector<std::string>{"debug-print src/components/Cart.jsx:14"});
  CHECK(contains(found[0].message, "It looks like `console.log(` may be left over from debugging."));
  CHECK(found[0].question == "What were you looking for when you added `console.log(`, and did you find it?");
  CHECK(found[0].audience == Audience::newcomer);
}

TEST_CASE("rules: debug-print flags prints and breakpoints in Python, Ruby, PHP, Rust, Java", "[rules]") {
  auto patch = R"(@@ -40,6 +40,8 @@ def apply_discount(order, code):
     discount = lookup_discount(code)
     if discount is None:
         return order
+    print("here")
+    breakpoint()
     order.total -= discount.amount
     order.discount_code = code
     return order)";
  CHECK(where(run("debug-print", pr({changed("shop/discounts.py", patch)}))) ==
        std::vector<std::string>{"debug-print shop/discounts.py:43", "debug-print shop/discounts.py:44"});
  flagged("debug-print", {{"shop/orders.py", "        print(f\"debug: {order.total}\")"},
                          {"shop/orders.py", "    print(\"DEBUG\", order)"},
                          {"shop/jobs.py", "    import pdb; pdb.set_trace()"},
                          {"app/models/user.rb", "    binding.pry"},
                          {"api/orders.php", "    var_dump($order);"},
                          {"src/config.rs", "    dbg!(&config);"},
                          {"src/main/java/shop/Cart.java", "        System.out.println(\"DEBUG: \" + total);"},
                          {"src/config.rs", "    let rate = dbg!(base_rate * 1.2);"},
                          {"src/index.ts", "  debugger"}});
  auto found = run("debug-print", pr({changed("src/index.ts", one_line("  debugger;"))}));
  REQUIRE(found.size() == 1);
  CHECK(contains(found[0].message, "It looks like `debugger;` may be left over"));
}

TEST_CASE("rules: debug-print leaves tests, scripts and intended output alone", "[rules]") {
  not_flagged("debug-print",
              {{"src/components/__tests__/Cart.test.jsx", "    console.log(wrapper.debug());"},
               {"tests/e2e/checkout.spec.ts", "  console.log(\"order id\", orderId);"},
               {"scripts/release.js", "console.log(`Tagged v${version}`);"},
               {"examples/basic/index.js", "console.log(result);"},
               {"shop/tests/test_orders.py", "    print(\"here\")"},
               {"shop/settings.py", "    print(\"debug mode is on; do not use it in production\")"},
               {"shop/report.py", "    print(\"here are the totals:\", totals)"},
               {"shop/views.py", "    logger.debug(\"cart %s has %d items\", cart.id, len(cart.items))"},
               {"src/Panel.php", "        return $this->debugger;"},
               {"src/panel.js", "  // Opens the debugger with F12"},
               {"src/server.js", "app.listen(port, () => console.log(`Listening on ${port}`));"},
               {"src/log.js", "  if (options.verbose) console.log(\"resolved\", file);"},
               {"src/match.js", " * console.log(isMatch(\"a.js\", \"*.js\")); //=> true"},  // a doc example
               {"bench/levenshtein.js", "  console.log(results);"},
               {"src/debug/hooks.py", "def breakpoint():"},
               {"src/main.rs", "    println!(\"Listening on {}\", addr);"},
               {"src/main/java/shop/App.java", "        System.out.println(\"testing the connection to \" + host);"},
               {"docs/debugging.md", "console.log(cart);"}});
}

TEST_CASE("rules: todo flags a TODO note in code", "[rules]") {
  auto patch = R"(@@ -88,6 +88,8 @@ class GitHubClient:
     def fetch_pull_request(self, number):
         url = f"{self.base}/pulls/{number}"
         response = self.session.get(url, timeout=10)
+        # TODO(alice): retry on 502 and 503 as well
+        response.raise_for_status()
         return response.json()

     def fetch_files(self, number):)";
  auto found = run("todo", pr({changed("mentor/client.py", patch)}));
  REQUIRE(where(found) == std::vector<std::string>{"todo mentor/client.py:91"});
  CHECK(contains(found[0].message, "This adds a `# TODO` note."));
  CHECK(!found[0].question.empty());
  flagged("todo", {{"src/date.ts", "  // FIXME: assumes the server runs in UTC"},
                   {"src/date.c", "  /* TODO: handle leap seconds */"},
                   {"db/schema.sql", "  -- TODO drop this column after the migration"}});
}

TEST_CASE("rules: todo leaves prose files and to-do apps alone", "[rules]") {
  not_flagged("todo", {{"docs/roadmap.md", "- [ ] # TODO: translate the guide"},
                       {"CHANGELOG.md", "- Fixed: # TODO items could not be reordered"},
                       {"src/todos.js", "const todos = state.todos.filter((todo) => !todo.done);"},
                       {"src/TodoList.tsx", "export function TodoList({ todos }: Props) {"},
                       {"app/models.py", "class Todo(models.Model):"}});
}

TEST_CASE("rules: no-description flags an empty body and a template left as it was", "[rules]") {
  auto code = changed("src/cart.js", one_line("  return subtotal + tax;"));
  for (const std::string body : {"", "   \n", "wip",
                                 "<!-- Thanks for contributing! What does this change, and why? -->\n\n"
                                 "<!-- Link the issue it fixes: Fixes #... -->\n"}) {
    INFO(body);
    auto found = run("no-description", pr({code}, body));
    REQUIRE(where(found) == std::vector<std::string>{"no-description :0"});
    CHECK(contains(found[0].message, "The description is empty, or nearly so, for now."));
    CHECK(!found[0].question.empty());
  }
}

TEST_CASE("rules: no-description accepts a short issue link and a real description", "[rules]") {
  auto code = changed("src/cart.js", one_line("  return subtotal + tax;"));
  for (const std::string& body : std::vector<std::string>{"Fixes #128", described,
                                 "<!-- What does this change? -->\nShows the tax on its own line in the cart."}) {
    INFO(body);
    CHECK(run("no-description", pr({code}, body)).empty());
  }
}

TEST_CASE("rules: large-pr counts added lines, lock files and generated files left out", "[rules]") {
  auto big = pr({{"src/parser.py", "modified", 590, 120, std::nullopt}, {"src/lexer.py", "modified", 61, 20, std::nullopt}});
  auto found = run("large-pr", big);
  REQUIRE(where(found) == std::vector<std::string>{"large-pr :0"});
  CHECK(contains(found[0].message, "This pull request adds 651 lines."));

  // 600 is the limit: over it, not at it.
  CHECK(run("large-pr", pr({{"src/parser.py", "modified", 600, 150, std::nullopt}})).empty());
  // Deleting an obsolete module is long, not hard to review.
  CHECK(run("large-pr", pr({{"src/legacy/importer.py", "removed", 0, 2400, std::nullopt}})).empty());
  CHECK(run("large-pr", pr({{"package-lock.json", "modified", 4200, 1800, std::nullopt},
                            {"yarn.lock", "modified", 900, 300, std::nullopt},
                            {"web/dist/app.min.js", "modified", 1, 1, std::nullopt},
                            {"api/v1/service.pb.go", "modified", 2400, 0, std::nullopt},
                            {"src/index.js", "modified", 30, 5, std::nullopt}}))
            .empty());
}

TEST_CASE("rules: no-tests flags code changed with no test file", "[rules]") {
  std::string patch = "@@ -10,2 +10,12 @@\n def tokens(line):\n+    if not line:\n+        return []\n"
                      "+    parts = line.split()\n+    if parts[0] == '#':\n+        return []\n+    out = []\n"
                      "+    for p in parts:\n+        out.append(p.strip())\n+    out.sort()\n+    return out[1:]\n"
                      "     return tokens";
  auto found = run("no-tests", pr({changed("src/mentor/parser.py", patch),
                                   changed("README.md", one_line("Run `make check` first."))}));
  REQUIRE(where(found) == std::vector<std::string>{"no-tests :0"});
  CHECK(!found[0].question.empty());
  // A typo fixed in a comment changes code, but nobody writes a test for it.
  CHECK(run("no-tests", pr({changed("src/mentor/parser.py", "@@ -3,1 +3,1 @@\n-# Retruns the tokens\n+# Returns the tokens")}))
            .empty());
}

TEST_CASE("rules: no-tests leaves docs-only changes and changes with tests alone", "[rules]") {
  auto file = [](const std::string& path, const std::string& status = "modified") {
    return changed(path, one_line("x"), status);
  };
  std::vector<std::vector<ChangedFile>> quiet = {
      {file("README.md"), file("docs/setup.md")},
      {file("src/parser.py"), file("tests/test_parser.py")},
      {file("pkg/parse/parse.go"), file("pkg/parse/parse_test.go")},
      {file("polls/views.py"), file("polls/tests.py")},
      {file("src/components/Button.tsx"), file("src/components/Button.test.tsx")},
      {file("src/main/java/shop/Cart.java"), file("src/test/java/shop/CartTest.java")},
      {file("Sources/Shop/Cart.swift"), file("Tests/ShopTests/Helpers.swift")},
      {file("src/lib.rs")},  // Rust's unit tests live next to the code
      {file("scripts/bump_version.py"), file("docs/conf.py")},
      {file("src/old_api.py", "removed")},
  };
  for (const auto& files : quiet) {
    INFO(files[0].path);
    CHECK(run("no-tests", pr(files)).empty());
  }
}

TEST_CASE("rules: commented-out-code flags code an editor commented out", "[rules]") {
  auto patch = R"(@@ -21,4 +21,6 @@ def checkout(cart, user):
     total = cart.total()
     if user.is_member:
         total = apply_member_discount(total)
+    # total = apply_coupon(total, cart.coupon)
+    # send_receipt(user.email, total)
     return charge(user, total))";
  CHECK(where(run("commented-out-code", pr({changed("shop/checkout.py", patch)}))) ==
        std::vector<std::string>{"commented-out-code shop/checkout.py:24", "commented-out-code shop/checkout.py:25"});
  flagged("commented-out-code", {{"src/store.js", "    // this.fetchUser(id);"},
                                 {"src/store.js", "    //retries = 3;"},
                                 {"src/queue.cpp", "  // this->pending.clear();"},
                                 {"shop/cart.py", "    #print(len(cart.items))"},
                                 {"shop/cart.py", "# DEBUG = True"}});
}

TEST_CASE("rules: commented-out-code leaves notes, preprocessor lines and examples alone", "[rules]") {
  not_flagged("commented-out-code",
              {{"src/io.c", "#include <stdio.h>"},
               {"src/io.c", "#define MAX(a, b) ((a) > (b) ? (a) : (b))"},
               {"src/io.c", "#if defined(_WIN32)"},
               {"src/io.c", "#  include \"compat.h\""},
               {"src/io.h", "#pragma once"},
               {"src/parser.h", "//   parser.parse(input);"},  // an example in a doc comment
               {"src/parser.h", "// Keep this in sync with reset();"},
               {"src/parser.go", "//\tsrv.Serve(listener)"},
               {"shop/cart.py", "    # TODO(alice)"},
               {"shop/cart.py", "    # NOTE(bob): see compute_total() for the rounding"},
               {"shop/cart.py", "    # Returns (total, tax) for the receipt"},
               {"shop/cart.py", "    # then call main()"},
               {"shop/cart.py", "# -*- coding: utf-8 -*-"},
               {"shop/cart.py", "# LINT.IfChange(pricing)"},
               {"shop/lexer.py", "# SCALAR(value, plain, style)"},  // a list of token kinds
               {"src/Counter.js", "  #count = 0"},  // JavaScript private fields
               {"src/Counter.js", "  #listeners = []"},
               {"lib/shop.rb", "# frozen_string_literal: true"},
               {"src/main.rs", "#[derive(Debug, Clone)]"},
               {"scripts/run.sh", "#!/usr/bin/env bash"},
               {"docs/install.md", "# install()"}});
}

TEST_CASE("rules: trailing-whitespace flags spaces and tabs at the end of code", "[rules]") {
  std::string patch =
      "@@ -5,3 +5,5 @@ import { formatPrice } from \"./format\";\n"
      " \n"
      " export function Total({ value }) {\n"
      "+  const text = formatPrice(value);  \n"
      "+  const label = \"Total\";\t\n"
      "   return <span className=\"total\">{text}</span>;";
  CHECK(where(run("trailing-whitespace", pr({changed("src/Total.jsx", patch)}))) ==
        std::vector<std::string>{"trailing-whitespace src/Total.jsx:7", "trailing-whitespace src/Total.jsx:8"});
}

TEST_CASE("rules: trailing-whitespace leaves Markdown line breaks and CRLF files alone", "[rules]") {
  not_flagged("trailing-whitespace", {{"README.md", "Thanks to everyone who helped:  "},
                                      {"docs/guide.markdown", "First line,  "},
                                      {"pkg/report/testdata/summary.golden", "total:   "},
                                      {"src/Total.jsx", "  const text = formatPrice(value);"}});
  auto crlf = "@@ -1,2 +1,3 @@\r\n import os\r\n+import sys\r\n import re\r\n";
  CHECK(run("trailing-whitespace", pr({changed("tool/main.py", crlf)})).empty());
}

TEST_CASE("rules: long-line flags a line of code over 160 characters", "[rules]") {
  std::string long_line = "    raise ValueError(\"the database timeout must be a positive number of seconds, \"" +
                          std::string(" f\"got {timeout!r} from {path}; see the settings guide for the allowed values\")");
  REQUIRE(long_line.size() > 160);
  auto patch = "@@ -55,3 +55,4 @@ def load_settings(path):\n     with open(path) as f:\n         data = json.load(f)\n+" +
               long_line + "\n     return Settings(**data)";
  CHECK(where(run("long-line", pr({changed("shop/settings.py", patch)}))) ==
        std::vector<std::string>{"long-line shop/settings.py:57"});

  // Characters are counted, not bytes: "é" is two bytes.
  CHECK(on_line("long-line", "src/a.js", "x" + std::string(160, 'y')) == std::vector<std::string>{"long-line src/a.js:11"});
  CHECK(on_line("long-line", "src/a.js", std::string(160, 'y')).empty());
  std::string e_acute = "\xC3\xA9";
  std::string accents;
  for (int i = 0; i < 160; ++i) accents += e_acute;
  CHECK(on_line("long-line", "src/a.js", "// " + accents).size() == 1);
  CHECK(on_line("long-line", "src/a.js", accents).empty());
}

TEST_CASE("rules: long-line leaves prose, links, minified files and non-ASCII comments alone", "[rules]") {
  std::string long_prose(200, 'a');
  // 62 characters, 182 bytes in UTF-8.
  std::string chinese = "# \xE8\xBF\x99\xE6\x98\xAF\xE4\xB8\x80\xE4\xB8\xAA";  // "# 这是一个"
  for (int i = 0; i < 14; ++i) chinese += "\xE5\xBE\x88\xE9\x95\xBF\xE7\x9A\x84\xE6\xB3\xA8";  // "很长的注"
  REQUIRE(chinese.size() > 160);
  not_flagged("long-line",
              {{"README.md", long_prose},
               {"docs/guide.rst", long_prose},
               {"web/dist/app.min.js", long_prose},
               {"shop/cart.py", chinese},
               {"shop/cart.py", "# See https://github.com/octo-org/octo-repo/blob/0123456789abcdef0123456789abcdef01234567/"
                                "src/shop/pricing/rounding.py#L120-L180 for the rounding rules we follow here"}});
}

TEST_CASE("rules: merge-commits flags merges of the base branch, and names them", "[rules]") {
  auto facts = pr({changed("README.md", one_line("Run `make check` first."))});
  facts.commits = {{"3f1c2ab9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3", "Fix the typo in the install guide", 1, "", ""},
                   {"9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d", "Merge branch 'main' into fix-typo", 2, "", ""},
                   {"1234567abcdef1234567abcdef1234567abcdef1", "Merge branch 'main' of https://github.com/octo-org/octo-repo", 2, "", ""},
                   {"abcdef0123456789abcdef0123456789abcdef01",
                    "Merge remote-tracking branch 'upstream/main' into docs\n\n# Conflicts:\n#\tREADME.md", 2, "", ""}};
  auto found = run("merge-commits", facts);
  REQUIRE(where(found) == std::vector<std::string>{"merge-commits :0"});
  CHECK(contains(found[0].message, "The branch has merge commits (`9e8d7c6`, `1234567`, `abcdef0`) from"));
}

TEST_CASE("rules: merge-commits leaves ordinary commit messages alone", "[rules]") {
  auto facts = pr({changed("src/sort.c", one_line("  if (n < 2) return;"))});
  facts.commits = {{"3f1c2ab9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3", "Merge sort: handle an empty input", 1, "", ""},
                   {"4a1c2ab9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3", "Fix merging of user settings", 1, "", ""},
                   {"5b1c2ab9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3", "Merge branch handling into the parser", 1, "", ""},
                   {"6c1c2ab9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3", "Revert \"Merge branch 'main' into fix-typo\"", 1, "", ""}};
  CHECK(run("merge-commits", facts).empty());
}

TEST_CASE("rules: secrets flags keys and tokens in real formats, for everyone", "[rules]") {
  const std::string aws = "AKIA" "Z3MHQW7XKD4PLR2N";
  const std::string github = "ghp_" "R8fK2mQ9xLp4Tz7WvN3bYc6Hj1Ds5Ae0Gu2o";
  const std::string pem = "-----BEGIN RSA " "PRIVATE KEY-----";
  auto settings = "@@ -3,3 +3,5 @@ import os\n \n REGION = \"eu-west-1\"\n+AWS_ACCESS_KEY_ID = \"" + aws +
                  "\"\n+GITHUB_TOKEN = os.environ.get(\"GITHUB_TOKEN\", \"" + github + "\")\n DEBUG = False";
  auto key = "@@ -0,0 +1,3 @@\n+" + pem + "\n+MIIEowIBAAKCAQEAx3Lq\n+-----END RSA " "PRIVATE KEY-----";
  auto json = "@@ -0,0 +1 @@\n+  \"private_key\": \"-----BEGIN " "PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0\\n\",";
  auto found = run("secrets", pr({changed("shop/settings.py", settings), changed("deploy/app.pem", key, "added"),
                                  changed("deploy/service-account.json", json, "added")}));
  CHECK(where(found) == std::vector<std::string>{"secrets shop/settings.py:5", "secrets shop/settings.py:6",
                                                 "secrets deploy/app.pem:1", "secrets deploy/service-account.json:1"});
  for (const auto& f : found) CHECK(f.audience == Audience::everyone);
}

TEST_CASE("rules: secrets leaves placeholders and code that names a key's header alone", "[rules]") {
  not_flagged("secrets", {{"docs/aws.md", "export AWS_ACCESS_KEY_ID=AKIA" "EXAMPLE"},
                          {"docs/aws.md", "aws_access_key_id = AKIA" "IOSFODNN7EXAMPLE"},
                          {"README.md", "export GITHUB_TOKEN=ghp_" + std::string(36, 'x')},
                          {"README.md", "SLACK_TOKEN=xoxb-" "your-token-here"},
                          {"src/pem.cpp", "constexpr std::string_view header = \"-----BEGIN " "PRIVATE KEY-----\";"},
                          {"src/ids.py", "REQUEST_ID = \"AKIA" "Z3MHQW7XKD4PLR2NQ7\""},  // too long for a key id
                          {"src/hash.py", "digest = \"akia" "z3mhqw7xkd4plr2n\""}});
}

TEST_CASE("rules: parse_patch numbers added lines across hunks", "[rules][diff]") {
  auto p = parse_patch(R"(@@ -3,6 +3,7 @@ import os
 import sys

-from app import run
+from app import run, stop
+from app.config import load

 def main():
     run()
@@ -20,4 +21,5 @@ def main():
     stop()

 if __name__ == "__main__":
+    load()
     main())");
  CHECK(p.complete);
  CHECK(p.removed == 1);
  REQUIRE(p.added.size() == 3);
  CHECK(p.added[0].line == 5);
  CHECK(p.added[0].text == "from app import run, stop");
  CHECK(p.added[1].line == 6);
  CHECK(p.added[2].line == 24);
  CHECK(p.added[2].text == "    load()");
}

TEST_CASE("rules: parse_patch reads no-newline markers, short headers and new files", "[rules][diff]") {
  auto eof = parse_patch("@@ -1,3 +1,4 @@\n first\n second\n-third\n\\ No newline at end of file\n+third\n+fourth\n"
                         "\\ No newline at end of file");
  CHECK(eof.complete);
  CHECK(eof.removed == 1);
  REQUIRE(eof.added.size() == 2);
  CHECK(eof.added[0].line == 3);
  CHECK(eof.added[1].line == 4);
  CHECK(eof.added[1].text == "fourth");

  auto short_header = parse_patch("@@ -1 +1 @@\n-version = \"1.2.0\"\n+version = \"1.3.0\"");
  CHECK(short_header.complete);
  REQUIRE(short_header.added.size() == 1);
  CHECK(short_header.added[0].line == 1);
  CHECK(short_header.added[0].text == "version = \"1.3.0\"");

  auto created = parse_patch("@@ -0,0 +1,2 @@\n+# Shop\n+A small shop.");
  CHECK(created.complete);
  REQUIRE(created.added.size() == 2);
  CHECK(created.added[1].line == 2);
}

TEST_CASE("rules: parse_patch marks a cut-short patch incomplete", "[rules][diff]") {
  auto cut = parse_patch("@@ -10,5 +10,6 @@ def main():\n     a = 1\n+    b = 2\n     c = 3");
  CHECK_FALSE(cut.complete);
  REQUIRE(cut.added.size() == 1);
  CHECK(cut.added[0].line == 11);

  auto longer = parse_patch("@@ -1,1 +1,2 @@\n a\n+b\n+c\n+d");
  CHECK_FALSE(longer.complete);
  CHECK(longer.added.size() == 1);  // lines past what the header promised are not trusted

  CHECK_FALSE(parse_patch("@@ -1,x +1,2 @@\n+a\n+b").complete);
  CHECK(parse_patch("").complete);
  CHECK(parse_patch("").added.empty());
}

TEST_CASE("rules: glob_match", "[rules][glob]") {
  CHECK(glob_match("*.py", "a/b/c.py"));
  CHECK(glob_match("*.py", "c.py"));
  CHECK_FALSE(glob_match("*.py", "a/b/c.pyc"));
  CHECK(glob_match("**/tests/**", "tests/unit/x.cpp"));
  CHECK(glob_match("**/tests/**", "pkg/tests/x.py"));
  CHECK_FALSE(glob_match("**/tests/**", "pkg/testsuite/x.py"));
  CHECK_FALSE(glob_match("**/tests/**", "pkg/tests.py"));
  CHECK(glob_match("*_test.*", "pkg/parse/parse_test.go"));
  CHECK_FALSE(glob_match("*_test.*", "pkg/parse/latest.go"));
  CHECK_FALSE(glob_match("*_test.*", "pkg/parse/parse_test"));
  CHECK(glob_match("file?.txt", "file1.txt"));
  CHECK_FALSE(glob_match("file?.txt", "file10.txt"));
  CHECK_FALSE(glob_match("a?b", "a/b"));
  // With a '/' in the pattern, the whole path is matched and '*' stays within a folder.
  CHECK(glob_match("src/*.py", "src/cart.py"));
  CHECK_FALSE(glob_match("src/*.py", "src/shop/cart.py"));
  CHECK_FALSE(glob_match("src/*.py", "lib/src/cart.py"));
  CHECK(glob_match("src/**/*.py", "src/cart.py"));
  CHECK(glob_match("src/**/*.py", "src/shop/pricing/cart.py"));
  CHECK(glob_match("docs/**", "docs/guide/setup.md"));
  CHECK(glob_match("CHANGELOG*", "CHANGELOG.md"));
}

TEST_CASE("rules: select shows a newcomer a few suggestions, most useful first", "[rules][select]") {
  auto facts = pr({changed("src/components/Cart.jsx",
                           "@@ -12,2 +12,6 @@\n   const subtotal = sum(items);\n+  console.log(\"subtotal\", subtotal);\n"
                           "+  // TODO: round the tax\n+  const tax = subtotal * TAX_RATE; \n+  console.log(\"tax\", tax);\n"
                           "   return subtotal;"),
                   changed("src/config.js", one_line("  awsKeyId: \"AKIA" "Z3MHQW7XKD4PLR2N\","))},
                  "");
  auto findings = evaluate(all_rules(), facts);
  CHECK(where(findings) == std::vector<std::string>{
                               "debug-print src/components/Cart.jsx:13", "debug-print src/components/Cart.jsx:16",
                               "no-description :0", "secrets src/config.js:11", "todo src/components/Cart.jsx:14",
                               "trailing-whitespace src/components/Cart.jsx:15"});

  auto s = select(findings, true, 3);
  CHECK(where(s.inline_comments) ==
        std::vector<std::string>{"secrets src/config.js:11", "debug-print src/components/Cart.jsx:13"});
  CHECK(where(s.notes) == std::vector<std::string>{"no-description :0"});
  // secrets asks nothing; the first that does is debug-print.
  CHECK(s.questions == std::vector<std::string>{"What were you looking for when you added `console.log(`, and did you find it?"});

  auto two = select(findings, true, 2);
  CHECK(where(two.inline_comments).size() == 2);
  CHECK(two.notes.empty());
  CHECK(select(findings, true, 0).empty());

  auto regular = select(findings, false, 3);
  CHECK(where(regular.inline_comments) == std::vector<std::string>{"secrets src/config.js:11"});
  CHECK(regular.notes.empty());
  CHECK(regular.questions.empty());

  // A repository that turned them all off hears nothing.
  features::review::Settings quiet;
  quiet.disabled_rules = {"debug-print", "todo", "secrets", "no-description", "trailing-whitespace"};
  auto built_in = all_rules();
  CHECK(evaluate(rules_for(&built_in, quiet), facts).empty());
}

TEST_CASE("rules: a line moved or re-indented is not the contributor's writing", "[rules]") {
  // Wrapping old code in an `if` re-adds its TODO and its console.log: nothing is said.
  auto facts = pr({changed("src/cart.js",
                           "@@ -4,4 +4,6 @@\n function total(items) {\n-  // TODO: rounding\n-  console.log(items);\n"
                           "+  if (items.length) {\n+    // TODO: rounding\n+    console.log(items);\n+  }\n"
                           "   return sum(items);")});
  CHECK(evaluate(all_rules(), facts).empty());
  // A new one next to the moved one is.
  auto fresh = pr({changed("src/cart.js",
                           "@@ -4,3 +4,5 @@\n function total(items) {\n-  console.log(items);\n"
                           "+  console.log(items);\n+  console.log(\"total\", items.length);\n+  return 0;\n"
                           "   return sum(items);")});
  CHECK(where(evaluate(all_rules(), fresh)) == std::vector<std::string>{"debug-print src/cart.js:6"});
}

TEST_CASE("rules: parse_rules reports problems with their lines", "[rules][yaml]") {
  std::vector<YamlProblem> problems;
  auto rules = parse_rules(R"(id: shouting
summary: All capitals
audiense: everyone
when:
  added_line: '[A-Z{10,}'
suggestion: This line is in capitals.
)",
                           "rules/shouting.yml", problems);
  CHECK(rules.empty());
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].line == 3);
  CHECK(contains(problems[0].message, "unknown key `audiense`"));
  CHECK(contains(problems[0].message, "did you mean `audience`?"));
  CHECK(problems[1].line == 5);
  CHECK(contains(problems[1].message, "when.added_line is not a valid regular expression"));

  // In a list, the rule with a problem is left out and the others are kept.
  problems.clear();
  rules = parse_rules(R"(- id: first
  summary: One
  when: {pr: no_description}
  suggestion: Say what it does.
- id: second
  summary: Two
  when:
    pr: changed_lines_over
    line: 400
  suggestion: Smaller, please.
)",
                      "rules/two.yml", problems);
  REQUIRE(rules.size() == 1);
  CHECK(rules[0].id == "first");
  CHECK(rules[0].source == "rules/two.yml:1");
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].line == 9);
  CHECK(contains(problems[0].message, "unknown key `line` in when"));
  CHECK(problems[1].line == 8);
  CHECK(contains(problems[1].message, "changed_lines_over needs \"lines\""));
}

// Found by tests/fuzz/diff.cpp: a hunk that starts before the previous one ended gave two added
// lines the same number, and the patch still counted as complete.
TEST_CASE("rules: parse_patch does not trust hunks that go backwards", "[rules][diff]") {
  auto p = parse_patch("@@ -0,0 +1,1 @@\n+a\n@@ -0,0 +1,1 @@\n+b\n");
  CHECK_FALSE(p.complete);
  auto adjacent = parse_patch("@@ -0,0 +1,1 @@\n+a\n@@ -0,0 +2,1 @@\n+b\n");
  CHECK(adjacent.complete);
  // And a side that starts at line 0 (or below) yet holds lines.
  CHECK_FALSE(parse_patch("@@ -0,2 +0,3 @@\n+x\n").complete);
  CHECK_FALSE(parse_patch("@@ -1,1 +-1,1 @@\n+x\n").complete);
  CHECK(parse_patch("@@ -1,2 +0,0 @@\n-a\n-b\n").complete);  // a deleted file
}
