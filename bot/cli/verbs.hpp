#pragma once
// One function per verb of `mentorbot` (bot/cli/<verb>.cpp). Each returns the exit code; a bad
// flag or setting throws ConfigError (one line on stderr, exit code 2).
#include "cli/args.hpp"
#include "core/config.hpp"

namespace mentorbot::cli {

int serve(const ServerConfig& config, const Args& args);
int replay(ServerConfig config, const Args& args);
int render_template(const Args& args);
int check_config(const Args& args);
int inbox(const ServerConfig& config, const Args& args);
int history(const Args& args);
int sprint(const ServerConfig& config, const Args& args);
// The pipeline's rows for a repository's past pull requests, from GitHub.
int backfill(const ServerConfig& config, const Args& args);
// The newcomer pipeline's numbers as Markdown.
int report(const ServerConfig& config, const Args& args);
// The App manifest for a server at --url (default MENTORBOT_PUBLIC_URL), as JSON.
int manifest(const ServerConfig& config, const Args& args);

}  // namespace mentorbot::cli
