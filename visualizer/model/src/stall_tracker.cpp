// StallTracker: the state reducer plus what the stall findings cite, and nothing that grows
// with the trace.
#include "cogen/viz/stall_tracker.hpp"

#include <algorithm>
#include <string>

#include "cogen/trace_event_view.hpp"
#include "cogen/viz/stall_detector.hpp"
#include "cogen/viz/state_reducer.hpp"
#include "cogen/viz/wait_graph.hpp"

namespace cogen::viz {
namespace {

constexpr std::uint64_t forget_every = std::uint64_t{1} << 18;

}  // namespace

// The detector's view of the tracker, with the extras that go with the state judged.
class StallTracker::Source final : public StallSource {
  public:
    Source(const StallTracker& tracker, const ModelState& state, const Extras& extras)
        : m_tracker(tracker), m_state(state), m_extras(extras) {}

    std::string_view text(std::uint32_t id) const override { return m_tracker.m_strings.get(id); }

    std::string coro_name(std::uint64_t coro) const override {
        // The latest state names coroutines, as TraceModel::coro_name does.
        const CoroutineState* c = m_tracker.m_state.find(coro);
        if (c && c->name != 0 && !text(c->name).empty()) return std::string(text(c->name));
        return default_coro_name(coro);
    }

    std::optional<SliceEnd> slice_end(std::uint64_t coro, std::uint64_t end_seq) const override {
        const auto it = m_extras.slice_ends.find(coro);
        if (it == m_extras.slice_ends.end() || it->second.seq != end_seq) return std::nullopt;
        return it->second.end;
    }

    std::size_t count_upto(std::uint64_t seq) const override { return m_tracker.count_upto(seq); }

    void runs_between(std::size_t begin, std::size_t end,
                      const std::function<void(const RunEvent&)>& visit) const override {
        const auto& runs = m_tracker.m_runs;
        auto it = std::partition_point(runs.begin(), runs.end(),
                                       [&](const RunRecord& r) { return r.index < begin; });
        for (; it != runs.end() && it->index < end; ++it) visit(it->event);
    }

    bool retry_had_wakers(const CoroutineState& c) const override {
        const auto it = m_extras.retries.find(c.id);
        if (it != m_extras.retries.end() && it->second.seq == c.retry_last_seq)
            return it->second.wakers;
        // Not recorded (a threshold below the tracker's): judge by the state at hand.
        return !possible_wakers(m_state, c.retry_place, c.id).empty();
    }

    std::uint64_t last_gap_upto(std::uint64_t seq) const override {
        // The tracker judges its latest state: the last gap is the one that counts.
        return m_tracker.m_last_gap_seq <= seq ? m_tracker.m_last_gap_seq : 0;
    }

  private:
    const StallTracker& m_tracker;
    const ModelState& m_state;
    const Extras& m_extras;
};

StallTracker::StallTracker(StallOptions options) : m_options(options) {}

void StallTracker::add_string(std::uint32_t id, std::string_view text) {
    if (id != 0) m_strings.set(id, text);
}

bool StallTracker::add_event(const TraceEvent& e) {
    if (e.kind == EventKind::trace_heartbeat) {
        m_heartbeat_t_ns = std::max(m_heartbeat_t_ns, e.t_ns);
        if (e.seq == 0 || (m_count != 0 && e.seq <= m_last_seq)) return true;
    }
    if (m_count != 0 && e.seq <= m_last_seq) {
        ++m_rejected;
        return false;
    }
    if (m_count == 0 || e.seq != m_last_seq + 1) m_stretches.push_back({e.seq, m_count});
    if (e.kind == EventKind::trace_drop) m_last_gap_seq = e.seq;
    const std::uint64_t index = m_count++;
    m_last_seq = e.seq;
    m_last_t_ns = e.t_ns;

    if (e.coro != 0 && !m_pending_op.empty()) resolve_awaited_op(e);
    reduce_event(m_state, e);
    if (e.coro != 0) {
        switch (e.kind) {
            case EventKind::coro_resume:
                m_runs.push_back({index, RunEvent{.coro = e.coro}});
                break;
            case EventKind::sched_active: {
                const auto change = EventView{e}.active_change();
                if (change == ActiveChange::front || change == ActiveChange::urgent)
                    m_runs.push_back({index, RunEvent{.coro = e.coro, .jump = true}});
                break;
            }
            case EventKind::coro_suspend:
            case EventKind::coro_finish:
            case EventKind::coro_fail:
            case EventKind::coro_kill:
                note_slice_end(e);
                break;
            case EventKind::op_timeout:
                note_timeout(e);
                break;
            default:
                break;
        }
    }
    while (!m_runs.empty() && m_runs.front().index + run_history < m_count) m_runs.pop_front();
    if (e.kind == EventKind::sched_run_end) m_at_end = AtEnd{m_state, m_extras};
    if (m_count % forget_every == 0) forget_old();
    return true;
}

void StallTracker::add_events(std::span<const TraceEvent> events) {
    for (const TraceEvent& e : events) add_event(e);
}

// The event closed a run slice: keep it if that slice is now the coroutine's longest.
void StallTracker::note_slice_end(const TraceEvent& e) {
    const CoroutineState* c = m_state.find(e.coro);
    if (c == nullptr || c->longest_slice.end_seq != e.seq) return;
    m_extras.slice_ends[e.coro] =
        SliceEndAt{e.seq, SliceEnd{.kind = e.kind, .op_type = e.op_type, .awaited_op = e.op}};
    if (e.op == 0 && e.kind == EventKind::coro_suspend) m_pending_op[e.coro] = e.seq;
}

// The coroutine's event after a coro.suspend with op 0: its op.process names the op.
void StallTracker::resolve_awaited_op(const TraceEvent& e) {
    const auto it = m_pending_op.find(e.coro);
    if (it == m_pending_op.end()) return;
    const std::uint64_t seq = it->second;
    m_pending_op.erase(it);
    if (e.kind != EventKind::op_process) return;
    const auto fill = [&](Extras& extras) {
        const auto found = extras.slice_ends.find(e.coro);
        if (found != extras.slice_ends.end() && found->second.seq == seq)
            found->second.end.awaited_op = e.op;
    };
    fill(m_extras);
    if (m_at_end) fill(m_at_end->extras);
}

// A timeout: past the retry-loop threshold, whether anyone could end the wait is decided on
// the state right now, which is the state at the coroutine's retry_last_seq.
void StallTracker::note_timeout(const TraceEvent& e) {
    if (m_options.retry_loop == 0) return;
    const CoroutineState* c = m_state.find(e.coro);
    if (c == nullptr || c->retry_last_seq != e.seq || c->timeouts_in_row < m_options.retry_loop)
        return;
    m_extras.retries[e.coro] =
        RetryAt{e.seq, !possible_wakers(m_state, c->retry_place, c->id).empty()};
}

void StallTracker::forget_old() {
    m_forget_marks.push_back(m_last_seq);
    if (m_forget_marks.size() <= keep_ended / forget_every) return;
    const std::uint64_t before = m_forget_marks.front();
    m_forget_marks.pop_front();
    m_state.forget_ended_before(before);
    const auto gone = [&](const auto& kv) { return m_state.find(kv.first) == nullptr; };
    std::erase_if(m_extras.slice_ends, gone);
    std::erase_if(m_extras.retries, gone);
    std::erase_if(m_pending_op, gone);
}

std::size_t StallTracker::count_upto(std::uint64_t seq) const noexcept {
    auto it = std::upper_bound(m_stretches.begin(), m_stretches.end(), seq,
                               [](std::uint64_t key, const Stretch& s) { return key < s.seq; });
    if (it == m_stretches.begin()) return 0;
    const std::uint64_t next = it == m_stretches.end() ? m_count : it->index;
    const Stretch& s = *(it - 1);
    return static_cast<std::size_t>(std::min(s.index + (seq - s.seq) + 1, next));
}

std::size_t StallTracker::approx_bytes() const noexcept {
    constexpr std::size_t node = 64;  // an unordered_map node and its bucket
    const auto extras = [&](const Extras& x) {
        return x.slice_ends.size() * (sizeof(SliceEndAt) + node) +
               x.retries.size() * (sizeof(RetryAt) + node);
    };
    std::size_t bytes = m_state.memory_bytes() + extras(m_extras) +
                        m_runs.size() * sizeof(RunRecord) +
                        m_stretches.capacity() * sizeof(Stretch) + m_pending_op.size() * node;
    if (m_at_end) bytes += m_at_end->state.memory_bytes() + extras(m_at_end->extras);
    return bytes;
}

std::vector<Finding> StallTracker::judge(const ModelState& state, const Extras& extras,
                                         std::uint64_t now_ns) const {
    const Source source{*this, state, extras};
    return find_stalls(source, state, now_ns, m_options);
}

std::vector<Finding> StallTracker::findings(std::uint64_t now_ns) const {
    return judge(m_state, m_extras, now_ns);
}

std::vector<Finding> StallTracker::findings_at_end() const {
    return m_at_end ? judge(m_at_end->state, m_at_end->extras, now_ns())
                    : judge(m_state, m_extras, now_ns());
}

}  // namespace cogen::viz
