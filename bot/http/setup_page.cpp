#include "http/setup_page.hpp"

#include <openssl/crypto.h>

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "core/random.hpp"
#include "http/form.hpp"
#include "render/badge.hpp"

namespace mentorbot::http {
namespace {

using render::xml_escape;

// What a GitHub login can be: letters, digits and single hyphens, 1 to 39 characters.
bool plain_login(std::string_view s) {
  if (s.empty() || s.size() > 39 || s.front() == '-' || s.back() == '-') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!(std::isalnum(c) || c == '-')) return false;
    if (c == '-' && i > 0 && s[i - 1] == '-') return false;
  }
  return true;
}

bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Response page(unsigned status, std::string_view title, const std::string& body, const std::string& github_url) {
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<meta name=\"referrer\" content=\"no-referrer\">\n<link rel=\"icon\" href=\"data:,\">\n"
           "<link rel=\"stylesheet\" href=\"/assets/setup.css\">\n<title>" +
           xml_escape(title) +
           " · mentorbot</title>\n</head>\n<body>\n<header class=\"masthead\">\n"
           "<p class=\"kicker\">mentorbot · set-up</p>\n<h1>" +
           xml_escape(title) + "</h1>\n</header>\n<main>\n" + body + "</main>\n</body>\n</html>\n";
  // The page runs no script at all; its forms go to this server or to GitHub.
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
                         "form-action 'self' " + github_url + "; frame-ancestors 'none'");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

std::string what_it_asks(const json::value& manifest) {
  std::string out = "<p>On GitHub you can change its name before you create it. It asks to ";
  std::string sep;
  for (const auto& [name, level] : manifest.at("default_permissions").as_object()) {
    std::string n(name);
    for (auto& c : n) c = c == '_' ? ' ' : c;
    out += sep + (level == "write" ? "read and write " : "read ") + xml_escape(n);
    sep = ", ";
  }
  out += ", and hears about ";
  static const std::map<std::string_view, std::string_view> events = {
      {"issue_comment", "comments"},        {"pull_request", "pull requests"},
      {"pull_request_review", "reviews"},   {"pull_request_review_comment", "review comments"},
      {"push", "pushes"}};
  sep.clear();
  const auto& list = manifest.at("default_events").as_array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string_view e = list[i].as_string();
    auto it = events.find(e);
    out += sep + xml_escape(it == events.end() ? e : it->second);
    sep = i + 2 == list.size() ? " and " : ", ";
  }
  return out + ".</p>\n";
}

}  // namespace

SetupPage::SetupPage(SetupParts parts) : parts_(std::move(parts)) {}

SetupPage::~SetupPage() { wait(); }

void SetupPage::wait() {
  std::thread running;
  {
    std::lock_guard lock(mutex_);
    running = std::move(exchange_);
  }
  if (running.joinable()) running.join();
}

std::string SetupPage::new_state() {
  auto state = random_id(32);  // 256 bits, hex: safe in a URL as it is
  auto now = parts_.now_ms();
  std::lock_guard lock(mutex_);
  std::erase_if(states_, [now](const auto& s) { return s.second <= now; });
  while (states_.size() >= most_states) {
    auto oldest = std::min_element(states_.begin(), states_.end(),
                                   [](const auto& a, const auto& b) { return a.second < b.second; });
    states_.erase(oldest);
  }
  states_[state] = now + state_lifetime_ms;
  return state;
}

bool SetupPage::take_state(const std::string& state) {
  std::lock_guard lock(mutex_);
  auto it = states_.find(state);
  if (it == states_.end()) return false;
  bool fresh = it->second > parts_.now_ms();
  states_.erase(it);  // single use, whatever happens next
  return fresh;
}

void SetupPage::handle(Request&& request, Responder respond) {
  if (done()) return respond(text(404, "no such route"));
  auto method = request.method();
  if (method != beast_http::verb::get && method != beast_http::verb::head) return respond(method_not_allowed("GET"));
  auto path = path_of(request);
  if (path == "/setup") return respond(start(query_of(request)));
  callback(query_of(request), std::move(respond));
}

Response SetupPage::start(std::string_view query) {
  auto key = form_field(query, "key");
  if (!key || !same(*key, parts_.key)) {
    return page(403, "Open the set-up link",
                "<p>Registering mentorbot needs the set-up link it printed when it started (look in its log for "
                "<code>/setup?key=</code>). The key in it makes sure only whoever runs this server can connect it "
                "to GitHub.</p>\n",
                parts_.github_url);
  }
  std::string intro =
      "<p>mentorbot is running in dry-run mode: it has no GitHub App yet, so it keeps what it would write in its "
      "outbox instead of posting it. Register it as a GitHub App and it starts welcoming people for real, without a "
      "restart.</p>\n";
  if (parts_.public_url.empty()) {
    return page(200, "Register mentorbot on GitHub",
                intro + "<p>First, tell mentorbot where GitHub can reach it: set <code>MENTORBOT_PUBLIC_URL</code> to "
                        "this server's public https address (for example <code>https://mentorbot.example.org</code>) and "
                        "start it again. GitHub sends its webhooks there.</p>\n",
                parts_.github_url);
  }
  auto manifest = github::app_manifest(parts_.public_url, parts_.webhook_path);
  auto manifest_field = "<input type=\"hidden\" name=\"manifest\" value=\"" + xml_escape(json::serialize(manifest)) + "\">\n";
  auto org = form_field(query, "org").value_or(parts_.default_org);
  std::string body = intro + "<p>GitHub will send webhooks to <code>" +
                     xml_escape(parts_.public_url + parts_.webhook_path) + "</code>.</p>\n" + what_it_asks(manifest);
  std::string state = new_state();
  body += "<section class=\"choice\">\n<h2>For your own account</h2>\n<form method=\"post\" action=\"" +
          xml_escape(parts_.github_url + "/settings/apps/new?state=" + state) + "\">\n" + manifest_field +
          "<button type=\"submit\">Register mentorbot on GitHub</button>\n</form>\n</section>\n";
  body += "<section class=\"choice\">\n<h2>For an organisation</h2>\n";
  if (!org.empty() && plain_login(org)) {
    body += "<form method=\"post\" action=\"" +
            xml_escape(parts_.github_url + "/organizations/" + org + "/settings/apps/new?state=" + state) + "\">\n" +
            manifest_field + "<button type=\"submit\">Register mentorbot for " + xml_escape(org) +
            " on GitHub</button>\n</form>\n<p>Another organisation?</p>\n";
  } else if (!org.empty()) {
    body += "<p class=\"problem\">\"" + xml_escape(org.substr(0, 60)) +
            "\" cannot be a GitHub organisation name: letters, digits and single hyphens, up to 39.</p>\n";
  }
  body += "<form method=\"get\" action=\"/setup\">\n<input type=\"hidden\" name=\"key\" value=\"" + xml_escape(parts_.key) +
          "\">\n<label>Organisation name <input name=\"org\" autocomplete=\"off\" spellcheck=\"false\" maxlength=\"39\" "
          "required></label>\n<button type=\"submit\" class=\"quiet\">Continue</button>\n</form>\n"
          "<p class=\"small\">You need to be an owner of the organisation.</p>\n</section>\n"
          "<p class=\"small\">You can also create the App by hand: "
          "<code>mentorbot manifest --url " +
          xml_escape(parts_.public_url) + "</code> prints what to fill in.</p>\n";
  return page(200, "Register mentorbot on GitHub", body, parts_.github_url);
}

void SetupPage::callback(std::string_view query, Responder respond) {
  auto again = "<p><a href=\"/setup?key=" + xml_escape(parts_.key) +
               "\">Start again</a>. If GitHub already created the App, delete it in its settings first.</p>\n";
  auto state = form_field(query, "state");
  auto code = form_field(query, "code");
  if (!state || !code || state->empty() || code->empty()) {
    return respond(page(400, "That link is not complete", "<p>GitHub's answer should carry a code and a state.</p>\n" + again,
                        parts_.github_url));
  }
  if (!take_state(*state)) {
    return respond(page(400, "That link has expired",
                        "<p>This registration was already finished, is more than an hour old, or was not started "
                        "here.</p>\n" + again,
                        parts_.github_url));
  }
  std::lock_guard lock(mutex_);
  if (exchanging_ || done()) {
    return respond(page(409, "A registration is under way", "<p>Another registration is finishing; reload in a moment.</p>\n",
                        parts_.github_url));
  }
  exchanging_ = true;
  if (exchange_.joinable()) exchange_.join();
  // GitHub may take a while: not on the server's threads.
  exchange_ = std::thread([this, code = *code, again, respond = std::move(respond)] {
    Response answer;
    try {
      auto app = parts_.register_app(code);
      done_ = true;
      auto install = app.html_url.empty() ? parts_.github_url + "/apps/" + app.slug : app.html_url;
      install += "/installations/new";
      answer = page(200, "mentorbot is registered",
                    "<p>GitHub created the App <strong>" + xml_escape(app.name) +
                        "</strong>, and mentorbot uses it from now on: what it writes goes to GitHub for real.</p>\n"
                        "<p>Next, choose the repositories it looks after:</p>\n<p><a class=\"button\" href=\"" +
                        xml_escape(install) + "\">Install " + xml_escape(app.name) +
                        " on your repositories</a></p>\n<p class=\"small\">Then, if you like, add a "
                        "<code>.github/mentorbot.yml</code> to a repository to choose its tone. The App's key and "
                        "webhook secret are kept in mentorbot's data folder, readable only by it.</p>\n",
                    parts_.github_url);
    } catch (const std::exception& e) {
      spdlog::error("registration: {}", e.what());
      answer = page(502, "GitHub did not hand over the App", "<p>" + xml_escape(e.what()) + "</p>\n" + again,
                    parts_.github_url);
    }
    {
      // Free before answering: the browser may try again as soon as it reads a failure.
      std::lock_guard finished(mutex_);
      exchanging_ = false;
    }
    respond(std::move(answer));
  });
}

}  // namespace mentorbot::http
