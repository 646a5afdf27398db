#pragma once
#include <filesystem>
#include <string>

namespace mentorbot {

struct WebhookSecret {
  std::string value;
  std::filesystem::path file;  // where it is kept
  bool created = false;        // true when this start made it
};

// The secret kept in DATA_DIR/webhook-secret, made (32 random bytes, hex, mode 0600) when absent.
WebhookSecret load_or_create_webhook_secret(const std::filesystem::path& data_dir);

}  // namespace mentorbot
