#include <spdlog/spdlog.h>

#include "app/app.hpp"
#include "cli/verbs.hpp"
#include "core/errors.hpp"
#include "core/logging.hpp"
#include "core/webhook_secret.hpp"

namespace mentorbot::cli {

int serve(const ServerConfig& config, const Args& args) {
  if (!args.positional.empty()) throw ConfigError("serve takes no arguments");
  std::string secret;
  if (config.webhook_secret) {
    secret = *config.webhook_secret;
  } else {
    auto made = load_or_create_webhook_secret(config.data_dir);
    secret = made.value;
    redact_in_logs(secret);
    spdlog::warn("==========================================================================");
    spdlog::warn("WEBHOOK_SECRET is not set. mentorbot {} a secret and keeps it in", made.created ? "generated" : "is using");
    spdlog::warn("  {}", made.file.string());
    spdlog::warn("Put that file's content in your GitHub App's \"Webhook secret\" field, or set");
    spdlog::warn("WEBHOOK_SECRET. Deliveries without a matching signature are refused (401).");
    spdlog::warn("==========================================================================");
  }
  if (config.dry_run()) {
    spdlog::warn("dry-run: {}; every GitHub write is logged and kept in the outbox, not sent",
                 config.force_dry_run ? "MENTORBOT_DRY_RUN=1" : "no APP_ID and private key given");
  }
  app::App app(config, config.database);
  return app.serve(secret);
}

}  // namespace mentorbot::cli
