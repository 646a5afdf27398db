#pragma once
// The nudges that follow whose turn it is on a newcomer's pull request (the pipeline's rows,
// store/pipeline.hpp): when nobody has answered for `escalate_after_days`, one note to the
// configured `escalate_to` (after the reviewers' reminder found nobody); when it has been the
// author's turn for `author_nudge_days`, one kind note to the author. Each at most once per pull
// request, never on a draft, never for a regular, and only while the turn is still the same.
#include <cstdint>
#include <optional>

#include "features/repo_config.hpp"
#include "features/words.hpp"
#include "store/outbox.hpp"
#include "store/pipeline.hpp"

namespace mentorbot::features::nudge {

// Pure: the escalation for a pull request still waiting for a first response, or nothing.
std::optional<store::outbox::Write> decide_escalation(const store::pipeline::Entry& row, const RepoConfig& config,
                                                      std::int64_t now_ms, const Words& words);
// Pure: the note to an author whose turn it has been long enough, or nothing.
std::optional<store::outbox::Write> decide_author_nudge(const store::pipeline::Entry& row, const RepoConfig& config,
                                                        std::int64_t now_ms, const Words& words);

}  // namespace mentorbot::features::nudge
