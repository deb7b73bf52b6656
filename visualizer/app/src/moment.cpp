// Moments of a trace named on the command line (see moment.hpp).
#include "moment.hpp"

#include <charconv>

namespace cogen::viz {
namespace {

std::optional<std::uint64_t> number(std::string_view text) {
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || p != text.data() + text.size() || text.empty()) return std::nullopt;
    return v;
}

// Replays the trace once, counting the waiting coroutines after each event.
std::uint64_t busiest(const TraceModel& model) {
    ModelState state;
    std::uint64_t best = model.last_seq();
    std::size_t most = 0;
    std::size_t waiting = 0;
    for (const TraceEvent& e : model.events()) {
        const CoroutineState* before = e.coro ? state.find(e.coro) : nullptr;
        const bool was = before && is_waiting(before->place.kind);
        model.seek(state, e.seq);
        const CoroutineState* after = e.coro ? state.find(e.coro) : nullptr;
        const bool is = after && is_waiting(after->place.kind);
        waiting = waiting + (is ? 1 : 0) - (was ? 1 : 0);
        if (waiting > most) {
            most = waiting;
            best = e.seq;
        }
    }
    return best;
}

}  // namespace

bool is_moment(std::string_view text) noexcept {
    return text == "end" || text == "run-end" || text == "busiest" || number(text).has_value();
}

std::optional<std::uint64_t> resolve_moment(const TraceModel& model, std::string_view text) {
    if (auto n = number(text)) return n;
    if (model.empty()) return std::nullopt;
    if (text == "end") return model.last_seq();
    if (text == "run-end") {
        if (const std::uint64_t seq = model.last_run_end_seq(); seq != 0) return seq;
        return model.last_seq();
    }
    if (text == "busiest") return busiest(model);
    return std::nullopt;
}

}  // namespace cogen::viz
