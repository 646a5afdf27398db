// The one Catch2 main for every test binary.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "history/git.hpp"

// libgit2 is set up once per process, as mentorbot's main() does.
static mentorbot::history::LibGit2 libgit2_for_tests;
