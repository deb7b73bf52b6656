// UringProactor: the io_uring backend (liburing). Facts and trade-offs: docs/proactors.md.
#pragma once
#include <memory>
#include <string>

#include "cogen/proactor/proactor.hpp"

namespace cogen {

/// Builds an io_uring proactor for `sched` (what ProactorKind::uring selects).
///
///     cogen::Scheduler sched{{.proactor = cogen::ProactorKind::uring}};
///
/// Throws UnsupportedBackend (with the reason) when io_uring cannot be set up:
/// a build without liburing, a kernel without io_uring, or one that forbids it.
std::unique_ptr<Proactor> make_uring_proactor(SchedulerCore& sched);

/// Why io_uring is unavailable here ("" when it works). Tries a small ring once.
std::string uring_unavailable_reason();

}  // namespace cogen
