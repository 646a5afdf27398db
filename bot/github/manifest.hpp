#pragma once
// The App manifest (deploy/app-manifest.json, compiled in) and GitHub's manifest flow: the
// manifest filled in with this server's address, and the exchange of the code GitHub hands back
// for the new App's id, key and webhook secret.
#include <string>
#include <string_view>

#include "core/json.hpp"
#include "github/http_client.hpp"

namespace mentorbot::github {

// deploy/app-manifest.json with its addresses made from `public_url` (no trailing slash):
// url, hook_attributes.url (public_url + webhook_path) and redirect_url (public_url + /setup/callback).
json::value app_manifest(std::string_view public_url, std::string_view webhook_path);

// The manifest as it is in deploy/app-manifest.json.
json::value app_manifest_template();

// What GitHub answers for a manifest's code: the new App. The key and the secret are never logged.
struct Registration {
  std::string app_id;
  std::string slug;
  std::string name;
  std::string html_url;  // https://github.com/apps/SLUG
  std::string owner;     // the account it was made for
  std::string private_key_pem;
  std::string webhook_secret;
};

// Reads a conversion answer; throws std::runtime_error naming what is missing.
Registration parse_registration(const json::value& answer);

// POST /app-manifests/{code}/conversions (no authentication; within an hour of the code). Throws
// std::runtime_error with a one-line reason (GitHub's message when it refused).
Registration convert_manifest_code(const std::string& api_base_url, const std::string& code,
                                   const HttpClient::Options& options);

}  // namespace mentorbot::github
