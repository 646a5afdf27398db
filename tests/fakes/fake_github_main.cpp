// The fake GitHub on its own, for walking the README's production steps by hand against it:
//   build/tests/fake_github [--port N]
// prints its address and the App it hands out from the manifest flow (id, webhook secret), then
// serves until SIGINT or SIGTERM and prints every request it answered and every comment made.
#include <csignal>
#include <iostream>
#include <string>

#include "fakes/fake_github.hpp"
#include "support/keys.hpp"

int main(int argc, char** argv) {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  std::uint16_t port = 0;
  if (argc == 3 && std::string(argv[1]) == "--port") port = static_cast<std::uint16_t>(std::stoi(argv[2]));
  testing::FakeGitHub github(testing::test_app_key().public_pem, "424242", port);
  testing::OfferedApp app;
  app.private_pem = testing::other_app_key().private_pkcs1;
  app.public_pem = testing::other_app_key().public_pem;
  app.webhook_secret = "fake-github-webhook-secret";
  github.offer_app(app);
  std::cout << "fake GitHub at http://" << github.host() << " (GHE_HOST=" << github.host()
            << " GHE_PROTOCOL=http); its manifest flow makes App " << app.id << " with webhook secret "
            << app.webhook_secret << std::endl;
  int signal = 0;
  sigwait(&stop, &signal);
  for (const auto& r : github.requests()) std::cout << r << "\n";
  std::cout << github.comment_count() << " comment(s) made" << std::endl;
  return 0;
}
