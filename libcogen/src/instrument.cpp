// Names of the trace event kinds and outcomes, and the tracer's factory slot.
#include "cogen/instrument.hpp"

#include <array>
#include <atomic>

namespace cogen {
namespace {

constexpr std::array<std::string_view, event_kind_count> kind_names = {
    "coro.spawn",
    "coro.resume",
    "coro.suspend",
    "coro.finish",
    "coro.fail",
    "coro.kill",
    "op.process",
    "op.run",
    "op.ready",
    "op.finalize",
    "op.timeout",
    "op.cleanup",
    "sched.active",
    "proactor.poll.begin",
    "proactor.poll.end",
    "proactor.register",
    "proactor.unregister",
    "timer.fire",
    "signal.emit",
    "sched.run.begin",
    "sched.run.end",
    "sched.note",
    "trace.drop",
    "trace.heartbeat",
    "timer.arm",
    "timer.cancel",
    "timer.done",
};

constexpr std::array<std::string_view, outcome_count> outcome_names = {
    "ready",     "proactor",  "wait:timer", "wait:signal", "wait:join", "wait:queue", "wait:pubsub",
    "wait:pipe", "wait:call", "yield",      "wait:other",  "timeout",   "cancel",
};

std::atomic<EnvInstrumentFactory> g_env_factory{nullptr};

}  // namespace

void set_env_instrument_factory(EnvInstrumentFactory factory) noexcept {
    g_env_factory.store(factory, std::memory_order_release);
}

EnvInstrumentFactory env_instrument_factory() noexcept {
    return g_env_factory.load(std::memory_order_acquire);
}

std::string_view to_string(EventKind kind) noexcept {
    const auto i = static_cast<std::size_t>(kind);
    return i < kind_names.size() ? kind_names[i] : std::string_view{"unknown"};
}

std::optional<EventKind> event_kind_from_string(std::string_view name) noexcept {
    for (std::size_t i = 0; i < kind_names.size(); ++i) {
        if (kind_names[i] == name) return static_cast<EventKind>(i);
    }
    return std::nullopt;
}

std::string_view to_string(Outcome outcome) noexcept {
    const auto i = static_cast<std::size_t>(outcome);
    return i < outcome_names.size() ? outcome_names[i] : std::string_view{"unknown"};
}

std::optional<Outcome> outcome_from_string(std::string_view name) noexcept {
    for (std::size_t i = 0; i < outcome_names.size(); ++i) {
        if (outcome_names[i] == name) return static_cast<Outcome>(i);
    }
    return std::nullopt;
}

std::string_view describe(ActiveChange change) noexcept {
    switch (change) {
        case ActiveChange::back:
            return "queued at the back";
        case ActiveChange::start_round:
            return "start round: frame made, back of the queue";
        case ActiveChange::front:
            return "queued at the front";
        case ActiveChange::urgent:
            return "urgent: runs at the next pick, before the queue";
        case ActiveChange::taken:
            return "taken from the front";
        case ActiveChange::dropped:
            return "dropped from the queue unrun";
    }
    return "changed the queue";
}

}  // namespace cogen
