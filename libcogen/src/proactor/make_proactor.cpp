// Backend selection: COGEN_PROACTOR overrides `automatic`; `automatic` is
// io_uring where it works, else epoll (with a note saying why).
#include "proactor/make_proactor.hpp"

#include <cstdlib>

#include "cogen/errors.hpp"
#include "cogen/proactor/epoll_proactor.hpp"
#include "cogen/proactor/poll_proactor.hpp"
#include "cogen/proactor/select_proactor.hpp"
#include "cogen/proactor/uring_proactor.hpp"

namespace cogen {

const char* to_string(ProactorKind kind) noexcept {
    switch (kind) {
        case ProactorKind::automatic:
            return "automatic";
        case ProactorKind::select:
            return "select";
        case ProactorKind::poll:
            return "poll";
        case ProactorKind::epoll:
            return "epoll";
        case ProactorKind::uring:
            return "uring";
    }
    return "?";
}

std::optional<ProactorKind> proactor_kind_from_string(std::string_view name) noexcept {
    if (name == "automatic" || name == "auto") return ProactorKind::automatic;
    if (name == "select") return ProactorKind::select;
    if (name == "poll") return ProactorKind::poll;
    if (name == "epoll") return ProactorKind::epoll;
    if (name == "uring" || name == "io_uring") return ProactorKind::uring;
    return std::nullopt;
}

std::unique_ptr<Proactor> detail::make_proactor(ProactorKind kind, SchedulerCore& sched,
                                                std::string& note) {
    if (kind == ProactorKind::automatic) {
        if (const char* env = std::getenv("COGEN_PROACTOR"); env && *env) {
            auto parsed = proactor_kind_from_string(env);
            if (!parsed)
                throw UnsupportedBackend(std::string("COGEN_PROACTOR=") + env +
                                         ": expected select, poll, epoll or uring");
            kind = *parsed;
        }
    }
    note.clear();
    switch (kind) {
        case ProactorKind::select:
            return make_select_proactor(sched);
        case ProactorKind::poll:
            return make_poll_proactor(sched);
        case ProactorKind::epoll:
            return make_epoll_proactor(sched);
        case ProactorKind::uring:
            if (std::string why = uring_unavailable_reason(); !why.empty())
                throw UnsupportedBackend("io_uring unavailable: " + why);
            return make_uring_proactor(sched);
        case ProactorKind::automatic:
            break;
    }
    std::string why = uring_unavailable_reason();
    if (why.empty()) {
        try {
            return make_uring_proactor(sched);
        } catch (const UnsupportedBackend& e) {
            why = e.what();  // the probe ring worked, a full-size one did not
        }
    }
    note = "io_uring unavailable: " + why + "; using epoll";
    return make_epoll_proactor(sched);
}

}  // namespace cogen
