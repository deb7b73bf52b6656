// Place: names of the diagram stations and the outcome -> place mapping.
#include "cogen/viz/place.hpp"

#include <array>

namespace cogen::viz {
namespace {

struct PlaceNames {
    std::string_view short_name;
    std::string_view sentence;
};

constexpr std::array<PlaceNames, place_kind_count> place_names = {{
    {"active", "in the active queue"},
    {"running", "running"},
    {"op.process", "inside op.process"},
    {"proactor", "waiting for its fd in the proactor"},
    {"op.run", "done with op.run on a ready fd"},
    {"wait:timer", "sleeping on the timer heap"},
    {"wait:signal", "waiting for a signal"},
    {"wait:join", "waiting for a coroutine to finish"},
    {"wait:queue", "waiting on a queue"},
    {"wait:pubsub", "waiting for a publish"},
    {"wait:pipe", "waiting on a pipe hand-off"},
    {"wait:call", "waiting for a called coroutine"},
    {"wait:other", "waiting on a user-defined operation"},
    {"op.finalize", "inside op.finalize, about to resume"},
    {"finished", "finished"},
    {"failed", "failed"},
    {"killed", "killed"},
}};

}  // namespace

std::string_view to_string(PlaceKind kind) noexcept {
    const auto i = static_cast<std::size_t>(kind);
    return i < place_names.size() ? place_names[i].short_name : std::string_view{"unknown"};
}

std::string_view describe(PlaceKind kind) noexcept {
    const auto i = static_cast<std::size_t>(kind);
    return i < place_names.size() ? place_names[i].sentence : std::string_view{"somewhere"};
}

std::string_view to_string(FdInterest interest) noexcept {
    switch (interest) {
        case FdInterest::read:
            return "read";
        case FdInterest::write:
            return "write";
        case FdInterest::none:
            break;
    }
    return "";
}

PlaceKind place_for_outcome(Outcome outcome) noexcept {
    switch (outcome) {
        case Outcome::proactor:
            return PlaceKind::proactor;
        case Outcome::timer:
            return PlaceKind::timer;
        case Outcome::signal:
            return PlaceKind::signal;
        case Outcome::join:
            return PlaceKind::join;
        case Outcome::queue:
            return PlaceKind::queue;
        case Outcome::pubsub:
            return PlaceKind::pubsub;
        case Outcome::pipe:
            return PlaceKind::pipe;
        case Outcome::call:
            return PlaceKind::call;
        case Outcome::other:
            return PlaceKind::other;
        case Outcome::ready:
        case Outcome::yield:
        case Outcome::timeout:
        case Outcome::cancel:
            break;
    }
    return PlaceKind::active;
}

bool is_waiting(PlaceKind kind) noexcept {
    return kind == PlaceKind::proactor || kind == PlaceKind::timer || is_coroutine_wait(kind);
}

bool is_ended(PlaceKind kind) noexcept {
    return kind == PlaceKind::finished || kind == PlaceKind::failed || kind == PlaceKind::killed;
}

bool is_coroutine_wait(PlaceKind kind) noexcept {
    switch (kind) {
        case PlaceKind::signal:
        case PlaceKind::join:
        case PlaceKind::queue:
        case PlaceKind::pubsub:
        case PlaceKind::pipe:
        case PlaceKind::call:
        case PlaceKind::other:
            return true;
        default:
            return false;
    }
}

}  // namespace cogen::viz
