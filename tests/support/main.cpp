// The one Catch2 main for every test binary. `--backend postgresql --pg-url-file FILE` runs the
// store tests against the throwaway PostgreSQL cluster whose URL FILE holds (tests/CMakeLists.txt
// starts it); without them they run on SQLite.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <iostream>

#include "history/git.hpp"
#include "support/test_database.hpp"

int main(int argc, char* argv[]) {
  // libgit2 is set up once per process, as mentorbot's main() does.
  mentorbot::history::LibGit2 libgit2;
  Catch::Session session;
  std::string backend = "sqlite", url_file;
  using Catch::clara::Opt;
  session.cli(session.cli() | Opt(backend, "sqlite|postgresql")["--backend"]("the database the store tests use") |
              Opt(url_file, "file")["--pg-url-file"]("holds the URL of the PostgreSQL cluster to use"));
  if (int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
  try {
    testing::select_backend(backend, url_file);
  } catch (const std::exception& e) {
    // Never a silent skip: a PostgreSQL run that cannot reach its cluster fails, and says why.
    std::cerr << "test database: " << e.what() << "\n";
    return 2;
  }
  return session.run();
}
