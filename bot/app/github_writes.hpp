#pragma once
// The outbox sender's GitHub, over the REST client: each kind of write as the REST call that
// makes it (one `std::visit`, so a kind without a call does not compile), with the write's
// hidden marker in every body, and the search for a marker that tells whether an earlier
// attempt already made it.
#include "app/outbox_sender.hpp"
#include "github/client.hpp"
#include "store/store.hpp"

namespace mentorbot::app {

class GitHubWritesOverRest final : public GitHubWrites {
 public:
  GitHubWritesOverRest(github::Client& client, store::Store& store) : client_(client), store_(store) {}
  std::string perform(const store::outbox::Write& write) override;
  std::optional<std::string> find_existing(const store::outbox::Write& write) override;

 private:
  // The GitHub id made by the write with key `of` (for edits); throws Unavailable until it exists.
  std::int64_t id_made_by(const std::string& of);
  std::string upsert_label(const store::outbox::Write& write, const store::outbox::LabelUpsert& label);

  github::Client& client_;
  store::Store& store_;
};

}  // namespace mentorbot::app
