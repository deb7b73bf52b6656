// Backend selection: COGEN_PROACTOR overrides `automatic`.
#include "proactor/make_proactor.hpp"

#include <cstdlib>

#include "cogen/errors.hpp"
#include "cogen/proactor/poll_proactor.hpp"

namespace cogen {

const char* to_string(ProactorKind kind) noexcept {
    switch (kind) {
        case ProactorKind::automatic: return "automatic";
        case ProactorKind::select: return "select";
        case ProactorKind::poll: return "poll";
        case ProactorKind::epoll: return "epoll";
        case ProactorKind::uring: return "uring";
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

std::unique_ptr<Proactor> detail::make_proactor(ProactorKind kind, Scheduler& sched,
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
    switch (kind) {
        case ProactorKind::automatic:
        case ProactorKind::poll:
            return make_poll_proactor(sched);
        default:
            break;
    }
    note.clear();
    throw UnsupportedBackend(std::string("proactor backend '") + to_string(kind) +
                             "' is not built yet");
}

}  // namespace cogen

