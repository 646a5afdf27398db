#include "github/manifest.hpp"

#include <stdexcept>

#include <boost/json/parse.hpp>

#include "github/app_manifest.hpp"
#include "github/permissions.hpp"

namespace mentorbot::github {

json::value app_manifest_template() { return json::parse(app_manifest_json); }

json::value app_manifest(std::string_view public_url, std::string_view webhook_path) {
  auto manifest = app_manifest_template();
  auto& o = manifest.as_object();
  std::string base(public_url);
  o["url"] = base;
  o["hook_attributes"].as_object()["url"] = base + std::string(webhook_path);
  o["redirect_url"] = base + "/setup/callback";
  return manifest;
}

Registration parse_registration(const json::value& answer) {
  Registration r;
  auto id = json_int(answer, {"id"});
  auto slug = json_string(answer, {"slug"});
  auto pem = json_string(answer, {"pem"});
  auto secret = json_string(answer, {"webhook_secret"});
  if (!id || *id <= 0) throw std::runtime_error("GitHub's answer has no App id");
  if (!slug || slug->empty()) throw std::runtime_error("GitHub's answer has no App slug");
  if (!pem || pem->find("PRIVATE KEY") == std::string::npos) throw std::runtime_error("GitHub's answer has no private key");
  if (!secret || secret->empty()) throw std::runtime_error("GitHub's answer has no webhook secret");
  r.app_id = std::to_string(*id);
  r.slug = *slug;
  r.name = json_string(answer, {"name"}).value_or(*slug);
  r.html_url = json_string(answer, {"html_url"}).value_or("");
  r.owner = json_string(answer, {"owner", "login"}).value_or("");
  r.private_key_pem = *pem;
  r.webhook_secret = *secret;
  return r;
}

Registration convert_manifest_code(const std::string& api_base_url, const std::string& code,
                                   const HttpClient::Options& options) {
  if (code.empty() || code.size() > 200 || code.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != std::string::npos) {
    throw std::runtime_error("the code GitHub sent back is not one it makes");
  }
  HttpClient client(parse_api_url(api_base_url), options);
  HttpRequest req;
  req.method = boost::beast::http::verb::post;
  req.target = "/app-manifests/" + code + "/conversions";
  if (!endpoint_for(req.method, req.target)) throw std::logic_error("the conversion endpoint is not in github/permissions.cpp");
  req.headers = {{"Accept", "application/vnd.github+json"}, {"X-GitHub-Api-Version", "2022-11-28"}};
  HttpResponse res;
  try {
    res = client.send(req);
  } catch (const NetworkError& e) {
    throw std::runtime_error(std::string("GitHub did not answer: ") + e.what());
  }
  json::error_code ec;
  auto body = json::parse(res.body, ec);
  if (res.status != 201 && res.status != 200) {
    auto message = ec ? std::string() : json_string(body, {"message"}).value_or("");
    throw std::runtime_error("GitHub answered " + std::to_string(res.status) +
                             (message.empty() ? std::string() : ": " + message.substr(0, 200)));
  }
  if (ec) throw std::runtime_error("GitHub's answer is not JSON");
  return parse_registration(body);
}

}  // namespace mentorbot::github
