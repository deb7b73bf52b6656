// TraceModel: ingest (events, indexes, lanes, checkpoints) and seeking.
#include "cogen/viz/trace_model.hpp"

#include <algorithm>

#include "cogen/viz/state_reducer.hpp"

namespace cogen::viz {
namespace {

constexpr std::uint32_t no_index = std::numeric_limits<std::uint32_t>::max();

}  // namespace

TraceModel::TraceModel(ModelOptions options) : m_options(options) {
    m_checkpoints.emplace_back();  // the empty state, full
}

TraceModel::TraceModel(const trace::TraceData& data, ModelOptions options) : TraceModel(options) {
    load(data);
}

void TraceModel::load(const trace::TraceData& data) {
    m_header = data.header;
    for (std::uint32_t id = 1; id < data.strings.size(); ++id) {
        if (!data.strings.get(id).empty()) add_string(id, data.strings.get(id));
    }
    m_prev_of_op.reserve(m_events.size() + data.events.size());
    for (const TraceEvent& e : data.events) add_event(e);
}

void TraceModel::add_string(std::uint32_t id, std::string_view text) {
    if (id != 0) m_strings.set(id, text);
}

bool TraceModel::add_event(const TraceEvent& event) {
    if (event.kind == EventKind::trace_heartbeat) {
        m_heartbeat_t_ns = std::max(m_heartbeat_t_ns, event.t_ns);
        // Live feeds send heartbeats outside the numbering (seq 0).
        if (event.seq == 0 || (!m_events.empty() && event.seq <= m_last_seq)) return true;
    }
    if (!m_events.empty() && event.seq <= m_last_seq) {
        ++m_rejected;
        return false;
    }
    const auto index = static_cast<std::uint32_t>(m_events.size());
    m_events.push_back(event);
    m_last_seq = event.seq;
    m_last_t_ns = event.t_ns;
    if (event.kind == EventKind::sched_run_end) m_last_run_end_seq = event.seq;

    // Op chain: each event links to the previous event of the same op.
    std::uint32_t prev = no_index;
    if (event.op != 0) {
        auto [it, inserted] = m_last_of_op.try_emplace(event.op, index);
        if (!inserted) {
            prev = it->second;
            it->second = index;
        }
    }
    m_prev_of_op.push_back(prev);

    const auto change = apply_event(m_latest, event);
    if (event.coro != 0) {
        auto [it, inserted] = m_history.try_emplace(event.coro);
        if (inserted) m_coro_order.push_back(event.coro);
        it->second.events.push_back(index);
    }
    if (change) {
        CoroHistory& history = m_history[change->coro];
        history.lane.push_back(LaneSegment{event.seq, event.t_ns, change->to});
        if (change->first_seen || change->from.kind != change->to.kind) {
            m_transitions.push_back(Transition{event.seq, event.t_ns, change->coro,
                                               change->from.kind, change->to.kind});
        }
    }
    maybe_checkpoint();
    if ((m_options.keep_events | m_options.keep_bytes) != 0) maybe_trim();
    return true;
}

std::size_t TraceModel::approx_bytes() const noexcept {
    std::size_t bytes = m_events.memory_bytes() + m_prev_of_op.capacity() * sizeof(std::uint32_t) +
                        m_last_of_op.size() * 32 + m_transitions.capacity() * sizeof(Transition) +
                        m_coro_order.capacity() * sizeof(std::uint64_t) + checkpoint_bytes() +
                        m_latest.memory_bytes();
    for (const auto& [id, h] : m_history) {
        bytes += 64 + h.events.capacity() * sizeof(std::uint32_t) +
                 h.lane.capacity() * sizeof(LaneSegment);
    }
    return bytes;
}

void TraceModel::maybe_trim() {
    std::size_t keep = m_options.keep_events;
    if (m_options.keep_bytes != 0) {
        // Bytes per event, measured now and then (approx_bytes walks the history).
        if (m_keep_by_bytes == 0 || m_events.size() % 65536 == 0) {
            const std::size_t per_event = std::max<std::size_t>(
                1, approx_bytes() / std::max<std::size_t>(1, m_events.size()));
            m_keep_by_bytes = std::max<std::size_t>(1024, m_options.keep_bytes / per_event);
        }
        keep = keep == 0 ? m_keep_by_bytes : std::min(keep, m_keep_by_bytes);
    }
    if (keep == 0) return;
    const std::size_t slack = std::max<std::size_t>(1, keep / 4);
    if (m_events.size() > keep + slack) trim(m_events.size() - keep);
}

void TraceModel::trim(std::size_t drop) {
    const std::size_t new_base = m_base + drop;
    const std::uint64_t first_kept_seq = m_events.seq(drop);
    // The state at the window's start: the nearest checkpoint, replayed up to it.
    std::size_t next = checkpoint_for(new_base);
    ModelState start;
    materialize(next, start);
    replay(start, new_base);
    start.forget_ended_before(first_kept_seq);
    // Re-encode the checkpoints that stay, each with the ended coroutines forgotten,
    // behind the window's first state.
    std::vector<Checkpoint> old = std::move(m_checkpoints);
    std::size_t old_full = next;
    while (!old[old_full].full) --old_full;
    ModelState base = std::move(old[old_full].state);  // what old deltas are relative to
    m_checkpoints.clear();
    m_last_full = 0;
    m_checkpoints.push_back(Checkpoint{.events_applied = start.events_applied,
                                       .seq = start.seq,
                                       .full = true,
                                       .state = std::move(start),
                                       .delta = {}});
    for (++next; next < old.size(); ++next) {
        if (old[next].full) base = std::move(old[next].state);
        ModelState kept = base;
        if (!old[next].full) old[next].delta.apply_to(kept);
        old[next] = Checkpoint{};
        kept.forget_ended_before(first_kept_seq);
        push_checkpoint(kept);
    }
    m_latest.forget_ended_before(first_kept_seq);

    m_dropped_upto_seq = m_events.seq(drop - 1);
    if (m_last_run_end_seq <= m_dropped_upto_seq) m_last_run_end_seq = 0;  // fell off
    m_events.drop_front(drop);
    m_prev_of_op.erase(m_prev_of_op.begin(),
                       m_prev_of_op.begin() + static_cast<std::ptrdiff_t>(drop));
    const auto shift = [drop](std::uint32_t i) {
        return i == no_index || i < drop ? no_index : static_cast<std::uint32_t>(i - drop);
    };
    for (std::uint32_t& prev : m_prev_of_op) prev = shift(prev);
    std::erase_if(m_last_of_op, [&](const auto& kv) { return kv.second < drop; });
    for (auto& kv : m_last_of_op) kv.second = shift(kv.second);
    for (auto it = m_history.begin(); it != m_history.end();) {
        CoroHistory& h = it->second;
        std::erase_if(h.events, [&](std::uint32_t i) { return i < drop; });
        for (std::uint32_t& i : h.events) i = shift(i);
        // Keep the lane segment in effect at the window's start, and the ones after.
        const auto first_after = std::upper_bound(
            h.lane.begin(), h.lane.end(), first_kept_seq,
            [](std::uint64_t key, const LaneSegment& seg) { return key < seg.seq; });
        if (first_after - h.lane.begin() > 1) h.lane.erase(h.lane.begin(), first_after - 1);
        if (h.events.empty() && m_latest.find(it->first) == nullptr) {
            it = m_history.erase(it);
        } else {
            ++it;
        }
    }
    std::erase_if(m_coro_order, [&](std::uint64_t id) { return !m_history.contains(id); });
    std::erase_if(m_transitions, [&](const Transition& t) { return t.seq < first_kept_seq; });
    m_base = new_base;
}

void TraceModel::maybe_checkpoint() {
    const std::size_t since = m_latest.events_applied - m_checkpoints.back().events_applied;
    const std::size_t by_size =
        m_latest.memory_bytes() / std::max<std::size_t>(1, m_options.checkpoint_bytes_per_event);
    const std::size_t spacing =
        std::min(std::max(m_options.checkpoint_interval, by_size),
                 std::max<std::size_t>(1, m_options.max_checkpoint_interval));
    if (since >= spacing) push_checkpoint(m_latest);
}

void TraceModel::push_checkpoint(const ModelState& state) {
    const ModelState& base = m_checkpoints[m_last_full].state;
    Checkpoint c;
    c.events_applied = state.events_applied;
    c.seq = state.seq;
    c.full = false;
    c.delta = StateDelta::between(base, state);
    if (c.delta.memory_bytes() * 2 >= state.memory_bytes()) {
        // The changes since the last full copy weigh half a copy: take a new one.
        c.full = true;
        c.delta = StateDelta{};
        c.state = state;
        m_last_full = m_checkpoints.size();
    }
    m_checkpoints.push_back(std::move(c));
}

void TraceModel::clear() {
    *this = TraceModel(m_options);
}

std::string TraceModel::coro_name(std::uint64_t id) const {
    const CoroutineState* c = m_latest.find(id);
    if (c && c->name != 0 && !text(c->name).empty()) return std::string(text(c->name));
    return "coro-" + std::to_string(id);
}

std::uint64_t TraceModel::first_seq() const noexcept {
    return m_events.empty() ? 0 : m_events.seq(0);
}

std::uint64_t TraceModel::last_seq() const noexcept {
    return m_events.empty() ? 0 : m_last_seq;
}

std::uint64_t TraceModel::last_t_ns() const noexcept {
    return m_events.empty() ? 0 : m_last_t_ns;
}

std::size_t TraceModel::count_upto(std::uint64_t seq) const noexcept {
    return m_events.count_upto(seq);
}

std::size_t TraceModel::index_of(std::uint64_t seq) const noexcept {
    const std::size_t n = count_upto(seq);
    return n > 0 && m_events.seq(n - 1) == seq ? n - 1 : npos;
}

std::optional<TraceEvent> TraceModel::find_event(std::uint64_t seq) const noexcept {
    const std::size_t i = index_of(seq);
    if (i == npos) return std::nullopt;
    return m_events[i];
}

// --- Seeking ---------------------------------------------------------------

std::size_t TraceModel::checkpoint_for(std::size_t count) const {
    auto it = std::upper_bound(
        m_checkpoints.begin(), m_checkpoints.end(), count,
        [](std::size_t key, const Checkpoint& c) { return key < c.events_applied; });
    // The first checkpoint (the empty state, or the window's start) always qualifies.
    return it == m_checkpoints.begin() ? 0
                                       : static_cast<std::size_t>(it - m_checkpoints.begin()) - 1;
}

void TraceModel::materialize(std::size_t checkpoint, ModelState& out) const {
    std::size_t full = checkpoint;
    while (!m_checkpoints[full].full) --full;  // the first checkpoint is always full
    out = m_checkpoints[full].state;
    if (full != checkpoint) m_checkpoints[checkpoint].delta.apply_to(out);
}

void TraceModel::replay(ModelState& state, std::size_t upto) const {
    for (std::size_t i = state.events_applied; i < upto; ++i) {
        apply_event(state, m_events[i - m_base]);
    }
}

ModelState TraceModel::state_at(std::uint64_t seq) const {
    ModelState state;
    seek(state, seq);
    return state;
}

void TraceModel::seek(ModelState& state, std::uint64_t seq) const {
    const std::size_t target = m_base + count_upto(seq);
    if (target == m_latest.events_applied) {
        state = m_latest;
        return;
    }
    const std::size_t checkpoint = checkpoint_for(target);
    // `state` is reusable when it is a state of this trace (its last event is
    // ours) that lies between the checkpoint and the target, or a few events
    // before the target (replaying them costs less than rebuilding a checkpoint).
    const std::size_t have = state.events_applied;
    const bool ours = have == m_base ? state.seq == m_checkpoints.front().seq &&
                                           (have != 0 || state.coroutines.empty())
                                     : have > m_base && have - m_base <= m_events.size() &&
                                           m_events.seq(have - m_base - 1) == state.seq;
    const bool reuse = ours && have <= target &&
                       (have >= m_checkpoints[checkpoint].events_applied ||
                        target - have <= m_options.checkpoint_interval);
    if (!reuse) materialize(checkpoint, state);
    replay(state, target);
}

std::size_t TraceModel::checkpoint_bytes() const noexcept {
    std::size_t bytes = 0;
    for (const Checkpoint& c : m_checkpoints) bytes += c.memory_bytes();
    return bytes;
}

std::size_t TraceModel::full_checkpoint_count() const noexcept {
    return static_cast<std::size_t>(std::count_if(m_checkpoints.begin(), m_checkpoints.end(),
                                                  [](const Checkpoint& c) { return c.full; }));
}

// --- History and indexes ---------------------------------------------------

std::span<const LaneSegment> TraceModel::lane(std::uint64_t coro) const noexcept {
    auto it = m_history.find(coro);
    return it == m_history.end() ? std::span<const LaneSegment>{} : it->second.lane;
}

std::span<const LaneSegment> TraceModel::lane_upto(std::uint64_t coro,
                                                   std::uint64_t seq) const noexcept {
    const auto all = lane(coro);
    auto it = std::upper_bound(all.begin(), all.end(), seq,
                               [](std::uint64_t key, const LaneSegment& s) { return key < s.seq; });
    return all.first(static_cast<std::size_t>(it - all.begin()));
}

std::span<const Transition> TraceModel::transitions_between(std::uint64_t after_seq,
                                                            std::uint64_t upto_seq) const noexcept {
    auto by_seq = [](const Transition& t, std::uint64_t key) { return t.seq <= key; };
    auto first = std::partition_point(m_transitions.begin(), m_transitions.end(),
                                      [&](const Transition& t) { return by_seq(t, after_seq); });
    auto last = std::partition_point(first, m_transitions.end(),
                                     [&](const Transition& t) { return by_seq(t, upto_seq); });
    return {first, last};
}

const Transition* TraceModel::transition_at(std::uint64_t seq) const noexcept {
    const auto found = transitions_between(seq - 1, seq);
    return found.empty() ? nullptr : &found.front();
}

std::span<const std::uint32_t> TraceModel::events_of(std::uint64_t coro) const noexcept {
    auto it = m_history.find(coro);
    return it == m_history.end() ? std::span<const std::uint32_t>{} : it->second.events;
}

std::size_t TraceModel::previous_of_op(std::size_t index) const noexcept {
    if (index >= m_prev_of_op.size() || m_prev_of_op[index] == no_index) return npos;
    return m_prev_of_op[index];
}

std::size_t TraceModel::last_of_op(std::uint64_t op) const noexcept {
    auto it = m_last_of_op.find(op);
    return it == m_last_of_op.end() ? npos : it->second;
}

}  // namespace cogen::viz
