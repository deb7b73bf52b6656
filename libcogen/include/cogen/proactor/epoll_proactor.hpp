// EpollProactor: the epoll(7) backend. Facts and trade-offs: docs/proactors.md.
#pragma once
#include <memory>

#include "cogen/proactor/proactor.hpp"

namespace cogen {

/// Builds a epoll(7) proactor for `sched` (what ProactorKind::epoll selects).
///
///     cogen::Scheduler sched{{.proactor = cogen::ProactorKind::epoll}};
std::unique_ptr<Proactor> make_epoll_proactor(SchedulerCore& sched);

}  // namespace cogen
