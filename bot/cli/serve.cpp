#include <spdlog/spdlog.h>

#include "app/app.hpp"
#include "app/registration.hpp"
#include "cli/verbs.hpp"
#include "core/errors.hpp"
#include "core/logging.hpp"
#include "core/webhook_secret.hpp"

namespace mentorbot::cli {
namespace {

std::string webhook_secret_of(const ServerConfig& config) {
  if (config.webhook_secret) return *config.webhook_secret;
  auto made = load_or_create_webhook_secret(config.data_dir);
  redact_in_logs(made.value);
  spdlog::warn("==========================================================================");
  spdlog::warn("WEBHOOK_SECRET is not set. mentorbot {} a secret and keeps it in", made.created ? "generated" : "is using");
  spdlog::warn("  {}", made.file.string());
  spdlog::warn("Put that file's content in your GitHub App's \"Webhook secret\" field, or set");
  spdlog::warn("WEBHOOK_SECRET. Deliveries without a matching signature are refused (401).");
  spdlog::warn("==========================================================================");
  return made.value;
}

}  // namespace

int serve(const ServerConfig& from_env, const Args& args) {
  if (!args.positional.empty()) throw ConfigError("serve takes no arguments");
  int listen_fd = -1;
  // Once more after an App is registered from /setup: the same process, the same listening
  // socket, now with the App's credentials.
  for (;;) {
    auto config = app::with_registration(from_env);
    auto secret = webhook_secret_of(config);
    if (config.dry_run()) {
      spdlog::warn("dry-run: {}; every GitHub write is logged and kept in the outbox, not sent",
                   config.force_dry_run ? "MENTORBOT_DRY_RUN=1" : "no APP_ID and private key given");
    }
    app::App::Served served;
    {
      app::App app(config, config.database);
      served = app.serve(secret, listen_fd);
    }
    listen_fd = served.listen_fd;  // the next server owns it (and closes it when it stops)
    if (listen_fd < 0) return served.exit_code;
  }
}

}  // namespace mentorbot::cli
