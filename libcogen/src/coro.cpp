// Coroutine records: state names and default names.
#include "cogen/coro.hpp"

namespace cogen {

Coroutine::~Coroutine() = default;

const char* to_string(CoroState state) noexcept {
    switch (state) {
        case CoroState::not_started:
            return "not_started";
        case CoroState::running:
            return "running";
        case CoroState::suspended:
            return "suspended";
        case CoroState::finished:
            return "finished";
        case CoroState::failed:
            return "failed";
        case CoroState::killed:
            return "killed";
    }
    return "?";
}

}  // namespace cogen
