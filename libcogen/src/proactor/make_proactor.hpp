// make_proactor: the one place that turns a ProactorKind (and COGEN_PROACTOR)
// into a backend, with the fallback rules of docs/proactors.md.
#pragma once
#include <memory>
#include <string>

#include "cogen/proactor/proactor.hpp"

namespace cogen::detail {

/// Builds the backend for `kind`. `automatic` honours COGEN_PROACTOR, else
/// picks the best available; when it had to fall back, `note` says why. An
/// explicit kind that is unavailable throws UnsupportedBackend.
std::unique_ptr<Proactor> make_proactor(ProactorKind kind, SchedulerCore& sched, std::string& note);

}  // namespace cogen::detail
