// ModelStallSource: the stall detector's questions answered from a TraceModel's events.
#include "cogen/viz/stall_source.hpp"

#include <algorithm>
#include <optional>

#include "cogen/viz/trace_model.hpp"
#include "cogen/viz/wait_graph.hpp"

namespace cogen::viz {

std::string_view ModelStallSource::text(std::uint32_t id) const {
    return m_model.text(id);
}

std::string ModelStallSource::coro_name(std::uint64_t coro) const {
    return m_model.coro_name(coro);
}

std::optional<SliceEnd> ModelStallSource::slice_end(std::uint64_t coro,
                                                    std::uint64_t end_seq) const {
    const std::optional<TraceEvent> end = m_model.find_event(end_seq);
    if (!end) return std::nullopt;
    SliceEnd out{.kind = end->kind, .op_type = end->op_type, .awaited_op = end->op};
    if (end->op == 0 && end->kind == EventKind::coro_suspend) {
        // The op may be numbered in process(): the coroutine's next event, its op.process,
        // has it.
        const CoroEvents events = m_model.events_of(coro);
        const std::size_t k = events.upper_bound(m_model.index_of(end_seq));
        if (k < events.size()) {
            const TraceEvent& next = m_model.events()[events[k]];
            if (next.kind == EventKind::op_process) out.awaited_op = next.op;
        }
    }
    return out;
}

std::size_t ModelStallSource::count_upto(std::uint64_t seq) const {
    return m_model.count_upto(seq);
}

void ModelStallSource::runs_between(std::size_t begin, std::size_t end,
                                    const std::function<void(const RunEvent&)>& visit) const {
    const auto events = m_model.events();
    end = std::min(end, events.size());
    for (std::size_t i = begin; i < end; ++i) {
        // Three columns of the event, not the whole of it: this scan reads millions.
        const EventColumns::Brief e = events.brief(i);
        if (e.coro == 0) continue;
        if (e.kind == EventKind::coro_resume) {
            visit(RunEvent{.coro = e.coro});
        } else if (e.kind == EventKind::sched_active) {
            // EventView::active_change() of the whole event.
            if (e.b == static_cast<std::int64_t>(ActiveChange::front) ||
                e.b == static_cast<std::int64_t>(ActiveChange::urgent))
                visit(RunEvent{.coro = e.coro, .jump = true});
        }
    }
}

bool ModelStallSource::retry_had_wakers(const CoroutineState& c) const {
    return !possible_wakers(m_model.state_at(c.retry_last_seq), c.retry_place, c.id).empty();
}

std::uint64_t ModelStallSource::last_gap_upto(std::uint64_t seq) const {
    return m_model.last_gap_upto(seq);
}

}  // namespace cogen::viz
