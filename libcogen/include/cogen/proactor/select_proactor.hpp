// SelectProactor: the select(2) backend. Facts and trade-offs: docs/proactors.md.
#pragma once
#include <memory>

#include "cogen/proactor/proactor.hpp"

namespace cogen {

/// Builds a select(2) proactor for `sched` (what ProactorKind::select selects).
///
///     cogen::Scheduler sched{{.proactor = cogen::ProactorKind::select}};
///
/// Refuses descriptors at or above FD_SETSIZE (1024): add() throws
/// UnsupportedBackend naming the fd, instead of corrupting the fd_set.
std::unique_ptr<Proactor> make_select_proactor(SchedulerCore& sched);

}  // namespace cogen
