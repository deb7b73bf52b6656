// PollProactor: the poll(2) backend. Facts and trade-offs: docs/proactors.md.
#pragma once
#include <memory>

#include "cogen/proactor/proactor.hpp"

namespace cogen {

/// Builds a poll(2) proactor for `sched` (what ProactorKind::poll selects).
std::unique_ptr<Proactor> make_poll_proactor(SchedulerCore& sched);

}  // namespace cogen
