// TraceModel: ingest (events, indexes, lanes, checkpoints) and seeking.
#include "cogen/viz/trace_model.hpp"

#include <algorithm>
#include <atomic>

#include "cogen/trace_event_view.hpp"
#include "cogen/viz/helper_thread.hpp"
#include "cogen/viz/shared_loop.hpp"
#include "cogen/viz/state_reducer.hpp"

namespace cogen::viz {

TraceModel::TraceModel(ModelOptions options) : m_options(options) {
    m_checkpoints.emplace_back();  // the empty state, full
    m_checkpoint_bytes = m_checkpoints.front().memory_bytes();
}

TraceModel::TraceModel(const trace::TraceData& data, ModelOptions options) : TraceModel(options) {
    load(data);
}

TraceModel::~TraceModel() = default;
TraceModel::TraceModel(TraceModel&&) noexcept = default;
TraceModel& TraceModel::operator=(TraceModel&&) noexcept = default;

void TraceModel::load(const trace::TraceData& data) {
    m_header = data.header;
    for (std::uint32_t id = 1; id < data.strings.size(); ++id) {
        if (!data.strings.get(id).empty()) add_string(id, data.strings.get(id));
    }
    add_events(data.events);
}

void TraceModel::add_string(std::uint32_t id, std::string_view text) {
    if (id != 0) m_strings.set(id, text);
}

TraceModel::Accept TraceModel::accept(const TraceEvent& event) {
    // Accepted before: stored, or about to be (add_events decides a whole span first).
    const bool any = !m_events.empty() || m_pending != 0;
    if (event.kind == EventKind::trace_heartbeat) {
        m_heartbeat_t_ns = std::max(m_heartbeat_t_ns, event.t_ns);
        // Live feeds send heartbeats outside the numbering (seq 0).
        if (event.seq == 0 || (any && event.seq <= m_last_seq)) return Accept::skip;
    }
    if (any && event.seq <= m_last_seq) {
        ++m_rejected;
        return Accept::reject;
    }
    m_last_seq = event.seq;
    m_last_t_ns = event.t_ns;
    if (event.kind == EventKind::sched_run_end) m_last_run_end_seq = event.seq;
    if (event.kind == EventKind::trace_drop) m_gap_seqs.push_back(event.seq);
    return Accept::store;
}

TraceModel::CoroHistory* TraceModel::history_of(const TraceEvent& event) {
    if (event.coro == 0) return nullptr;
    auto [history, inserted] = m_history.try_emplace(event.coro);
    if (inserted) m_coro_order.push_back(event.coro);
    if (event.kind == EventKind::coro_spawn && event.text != 0) history->name = event.text;
    return history;
}

void TraceModel::store(const TraceEvent& event, std::uint64_t global) {
    m_events.push_back(event);
    // Op chain of events naming no coroutine (the others: through their coroutine).
    if (event.op != 0 && event.coro == 0) {
        auto [it, inserted] = m_orphan_last.try_emplace(event.op, global);
        if (!inserted) {
            m_orphan_prev.emplace(global, it->second);
            it->second = global;
        }
    }
}

bool TraceModel::names_forgotten(const TraceEvent& event) const {
    const auto gone = [&](std::uint64_t coro) {
        return coro != 0 && m_latest.find(coro) == nullptr;
    };
    if (gone(event.coro)) return true;
    const auto cause = EventView{event}.cause();
    return cause && gone(cause->coro);
}

TraceModel::LaneNote TraceModel::apply_latest(const TraceEvent& event) {
    const bool trimmed = m_dropped_upto_seq != 0;
    const std::size_t uses = trimmed ? m_latest.name_uses() : 0;
    const auto change = apply_event_brief(m_latest, event);
    // A window that lost its start keeps the latest state (and the checkpoints taken from
    // it) as forgetful as the states seek() hands out: a new use may name a forgotten one.
    // Only that needs the pass over every use (which, at each new use, made a trimmed
    // window take events in several times slower): the reducer's uses name the event's own
    // coroutine or, for an op.ready, the one that woke it (state_reducer.cpp, add_use).
    if (trimmed && m_latest.name_uses() != uses && names_forgotten(event))
        m_latest.forget_gone_uses();
    if (!change) return LaneNote{};
    if (change->to == PlaceKind::finished || change->to == PlaceKind::killed)
        m_latest_oldest_end = std::min(m_latest_oldest_end, event.seq);
    return LaneNote{.changed = true,
                    .first_seen = change->first_seen,
                    .from = static_cast<std::uint8_t>(change->from),
                    .to = static_cast<std::uint8_t>(change->to)};
}

void TraceModel::log_lane(LaneNote note, std::uint64_t global, CoroHistory* history) {
    // One tag per stored event, in order.
    const bool moved =
        history != nullptr && note.changed && (note.first_seen || note.from != note.to);
    m_transitions.push(moved ? TransitionLog::tag(static_cast<PlaceKind>(note.from),
                                                  static_cast<PlaceKind>(note.to))
                             : TransitionLog::none);
    if (history == nullptr) return;
    // One entry per event of the coroutine; marked (kind + 1) where its lane has a segment.
    history->events.push_back(global, note.changed ? std::uint32_t{note.to} + 1 : 0);
    if (!note.changed) return;
    // An ended coroutine's log will not grow any more: give back its spare room.
    if (is_ended(static_cast<PlaceKind>(note.to))) history->events.shrink_to_fit();
}

void TraceModel::replay_event(const TraceEvent& event, std::uint64_t global, CoroHistory* history) {
    log_lane(apply_latest(event), global, history);
    maybe_checkpoint();
}

bool TraceModel::add_event(const TraceEvent& event) {
    switch (accept(event)) {
        case Accept::skip:
            return true;
        case Accept::reject:
            return false;
        case Accept::store:
            break;
    }
    const std::uint64_t global = m_base + m_events.size();
    CoroHistory* history = history_of(event);
    store(event, global);
    replay_event(event, global, history);
    if ((m_options.keep_events | m_options.keep_bytes) != 0) maybe_trim();
    return true;
}

TraceModel::Appended TraceModel::add_events(std::span<const TraceEvent> events) {
    Appended out;
    const bool bounded = (m_options.keep_events | m_options.keep_bytes) != 0;
    if (m_options.build_threads < 2 || bounded || events.size() < parallel_min_events ||
        m_latest.coroutines.size() < m_options.build_threads_min_coroutines) {
        for (const TraceEvent& e : events) {
            const std::size_t before = m_events.size() + m_base;
            add_event(e);
            if (m_events.size() + m_base != before) {
                ++out.events;
                out.max_t_ns = std::max(out.max_t_ns, e.t_ns);
            }
        }
        return out;
    }
    // What to store, decided first (it moves the last seq), with each one's history node:
    // the nodes do not move while the map grows, and each thread touches its own log.
    struct Job {
        const TraceEvent* event;
        CoroHistory* history;
    };
    std::vector<Job> jobs;
    jobs.reserve(events.size());
    for (const TraceEvent& e : events) {
        if (accept(e) != Accept::store) continue;
        ++m_pending;
        jobs.push_back(Job{&e, history_of(e)});
        out.max_t_ns = std::max(out.max_t_ns, e.t_ns);
    }
    m_pending = 0;
    out.events = jobs.size();
    const std::uint64_t first = m_base + m_events.size();
    if (!m_helper) {
        m_helper = std::make_unique<HelperThread>();
        m_shared = std::make_unique<SharedLoop>();
    }
    // The helper replays the state (the critical path). This thread stores the events, then
    // logs the histories (with the lanes' marks) and the transitions behind the replay from
    // its notes (`replayed` of them ready), and takes pieces of the checkpoints' encodes
    // (SharedLoop): it looks in every `poll` events while storing, and is woken every `publish`
    // events replayed after.
    std::vector<LaneNote> notes(jobs.size());
    // The two threads share only these, each written by one of them and read by the other
    // rarely: nothing the helper reads at every event lies on a cache line this thread
    // writes (a line written by one core and read by the other moves at each write).
    const Job* const job = jobs.data();
    const std::size_t n = jobs.size();
    LaneNote* const note = notes.data();
    alignas(64) std::atomic<std::size_t> replayed{0};
    m_shared->open();
    m_delta_work.loop = m_shared.get();
    m_delta_work.piece = m_options.build_threads_piece;
    constexpr std::size_t poll = 64;
    constexpr std::size_t publish = 512;
    // Both threads touch a different coroutine's data at almost every event, each touch a
    // cache miss: they ask for it `ahead` events early (the node first, then what it
    // points to, once the node is in).
    constexpr std::size_t ahead = 8;
    m_helper->start([this, job, n, note, &replayed] {
        struct Close {  // however the replay ends: the storing thread stops serving
            SharedLoop& loop;
            ~Close() { loop.close(); }
        } close{*m_shared};
        for (std::size_t k = 0; k < n; ++k) {
            if (k + ahead < n) m_latest.prefetch(job[k + ahead].event->coro);
            note[k] = apply_latest(*job[k].event);
            if ((k + 1) % publish == 0) {
                replayed.store(k + 1, std::memory_order_release);
                m_shared->poke();
            }
            maybe_checkpoint();
        }
        replayed.store(n, std::memory_order_release);
    });
    alignas(64) std::size_t logged = 0;
    const auto log_lanes = [&] {
        const std::size_t upto = replayed.load(std::memory_order_acquire);
        if (upto == logged) return false;
        // The jobs' histories are known for the whole span (only the notes wait for the
        // replay): ask for them further ahead than the replay has gone.
        for (std::size_t i = logged; i < upto; ++i) {
            if (i + 4 * ahead < n && job[i + 4 * ahead].history != nullptr) {
                // The log's fields span two cache lines (CoroHistory is 64-byte aligned).
                const auto* node = reinterpret_cast<const char*>(job[i + 4 * ahead].history);
                __builtin_prefetch(node, 1);
                __builtin_prefetch(node + 64, 1);
            }
            if (i + 2 * ahead < n && job[i + 2 * ahead].history != nullptr)
                job[i + 2 * ahead].history->events.prefetch_back();
            log_lane(note[i], first + i, job[i].history);
        }
        logged = upto;
        return true;
    };
    // The helper reads `jobs` and writes the state: wait for it even if this thread throws.
    try {
        for (std::size_t k = 0; k < n; ++k) {
            if (k % poll == 0) m_shared->help();
            store(*job[k].event, first + k);
        }
        m_shared->serve(log_lanes);
        log_lanes();  // the replay is over: the last notes
    } catch (...) {
        m_helper->wait();
        m_delta_work.loop = nullptr;
        throw;
    }
    m_helper->wait();
    m_delta_work.loop = nullptr;
    return out;
}

ModelMemory TraceModel::memory() const noexcept {
    ModelMemory m;
    m.events = m_events.memory_bytes();
    m.transitions = m_transitions.memory_bytes();
    m.op_chain = (m_orphan_prev.size() + m_orphan_last.size()) * 40;
    m.coroutines = m_coro_order.capacity() * sizeof(std::uint64_t) + m_history.memory_bytes();
    m_history.for_each([&](std::uint64_t, const CoroHistory& h) {
        m.coroutine_events += h.events.memory_bytes();
    });
    m.checkpoints = checkpoint_bytes();
    m.latest = m_latest.memory_bytes();
    return m;
}

std::size_t TraceModel::approx_bytes() const noexcept {
    return memory().total();
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
    // The checkpoints after it stay as they are: their deltas still have their full copy,
    // which is the anchor when it fell before the window (the window's first state is then
    // a delta of it too). What they hold of coroutines that ended before the window, seek()
    // forgets in every state it hands out, as it forgets the horizon's; it goes when they
    // fall off in turn. (Re-encoding each of them against the new first state, with the
    // ended ones forgotten, copied, diffed and encoded a whole state per checkpoint: most
    // of a trim's time, 1.5 s for a 20M-event window.)
    std::vector<Checkpoint> old = std::move(m_checkpoints);
    m_checkpoint_due = 0;
    std::size_t old_full = next;
    while (old_full > 0 && !old[old_full].full) --old_full;
    if (old[old_full].full) m_anchor = std::move(old[old_full].state);  // else: the anchor's
    std::size_t next_full = next + 1;
    while (next_full < old.size() && !old[next_full].full) ++next_full;
    // The window's first state: a full copy when no delta after it needs the anchor, else
    // a delta of the anchor.
    const bool anchored = next_full != next + 1;
    if (!anchored) m_anchor = ModelState{};
    Checkpoint first;
    first.events_applied = start.events_applied;
    first.seq = start.seq;
    first.full = !anchored;
    if (anchored) {
        first.delta = StateDelta::between(m_anchor, start, m_delta_work);
    } else {
        first.state = std::move(start);
    }
    m_checkpoints.clear();
    begin_checkpoints(std::move(first));
    for (++next; next < old.size(); ++next) {
        if (old[next].full) m_last_full = m_checkpoints.size();
        m_checkpoint_bytes += old[next].memory_bytes();
        m_checkpoints.push_back(std::move(old[next]));
    }
    m_latest.forget_ended_before(first_kept_seq);

    m_dropped_upto_seq = m_events.seq(drop - 1);
    if (m_last_run_end_seq <= m_dropped_upto_seq) m_last_run_end_seq = 0;  // fell off
    m_history.erase_if([&](std::uint64_t id, CoroHistory& h) {
        h.events.drop_below(new_base);
        // Keep the lane segment in effect at the window's start (its event falls off:
        // kept decoded), and the ones after.
        const std::size_t marks_before = h.events.marked_before(h.events.lower_bound(new_base));
        if (marks_before > 0) {
            DeltaLog::Decoded cache;
            const DeltaLog::Entry e = h.events.marked_at(marks_before - 1, cache);
            const std::size_t local = static_cast<std::size_t>(e.value) - m_base;
            h.before = LaneSegment{m_events.seq(local), m_events.t_ns(local),
                                   static_cast<PlaceKind>(e.tag - 1)};
            h.has_before = true;
        }
        h.events.drop_below(new_base);
        return h.events.empty() && m_latest.find(id) == nullptr;
    });
    std::erase_if(m_coro_order, [&](std::uint64_t id) { return m_history.find(id) == nullptr; });
    m_transitions.drop_front(drop);
    std::erase_if(m_orphan_prev, [&](const auto& kv) { return kv.first < new_base; });
    std::erase_if(m_orphan_last, [&](const auto& kv) { return kv.second < new_base; });
    m_events.drop_front(drop);
    m_base = new_base;
}

void TraceModel::maybe_checkpoint() {
    // Most events: before the earliest a checkpoint can be due, one compare.
    if (m_latest.events_applied < m_checkpoint_due) return;
    const std::size_t last = m_checkpoints.back().events_applied;
    const std::size_t since = m_latest.events_applied - last;
    const std::size_t least = std::max(
        m_spacing_floor, std::min(m_options.checkpoint_interval,
                                  std::max<std::size_t>(1, m_options.max_checkpoint_interval)));
    if (since < least) {
        m_checkpoint_due = last + least;
        return;
    }
    const std::size_t by_size =
        m_latest.memory_bytes() / std::max<std::size_t>(1, m_options.checkpoint_bytes_per_event);
    const std::size_t spacing =
        std::min(std::max(m_options.checkpoint_interval, by_size),
                 std::max<std::size_t>(1, m_options.max_checkpoint_interval));
    if (since < spacing) return;
    retire_latest();
    push_checkpoint(m_latest);
    const std::size_t budget =
        std::max(m_options.checkpoint_budget_bytes,
                 m_options.checkpoint_budget_per_event * (m_latest.events_applied - m_base));
    if (m_checkpoint_bytes > budget && m_checkpoints.size() > 2 &&
        std::max(spacing, m_spacing_floor) * 2 <= m_options.max_replay_events) {
        m_spacing_floor = std::max(spacing, m_spacing_floor) * 2;
        thin_checkpoints();
    }
}

// The coroutines ended before the horizon leave the latest state before each checkpoint
// is taken from it (so neither grows with every coroutine ever spawned); between two, the
// states handed out forget them (forget_retired).
void TraceModel::retire_latest() {
    const std::uint64_t before = retired_before(m_latest.seq);
    if (before <= m_latest_retired) return;
    m_latest_retired = before;
    if (m_latest_oldest_end >= before) return;  // none ended that long ago: no scan
    m_latest.forget_ended_before(before);
    m_latest_oldest_end = ~std::uint64_t{0};
    for (const CoroutineState& c : m_latest.coroutines) {
        if (c.place.kind == PlaceKind::finished || c.place.kind == PlaceKind::killed)
            m_latest_oldest_end = std::min(m_latest_oldest_end, c.end_seq);
    }
}

void TraceModel::thin_checkpoints() {
    // Every other checkpoint stays (the first, the window's start, always), each
    // re-encoded against the new sequence of full copies — unless its delta's full copy
    // stayed and is still the last one: then the delta is the same and moves as it is (the
    // usual case, one full copy at the start: nothing is re-encoded, where re-encoding them
    // all held the model for ~100 ms at 20,000 live coroutines).
    m_checkpoint_due = 0;  // the last checkpoint may go
    std::vector<Checkpoint> old = std::move(m_checkpoints);
    m_checkpoints.clear();
    m_checkpoints.reserve(old.size());  // `base` may point into the first one
    begin_checkpoints(std::move(old.front()));
    // What old deltas are relative to: the first checkpoint, or the anchor it is a delta of.
    const ModelState* base = m_last_full == 0 ? &m_checkpoints.front().state : &m_anchor;
    ModelState held;                // a dropped full copy, still a base
    bool base_is_last_full = true;  // `base` is the new sequence's last full copy
    for (std::size_t i = 1; i < old.size(); ++i) {
        const bool keep = i % 2 == 0;
        if (old[i].full) {
            held = std::move(old[i].state);
            base = &held;
            base_is_last_full = false;
        }
        if (!keep) continue;
        if (!old[i].full && base_is_last_full) {
            m_checkpoint_bytes += old[i].memory_bytes();
            m_checkpoints.push_back(std::move(old[i]));
            continue;
        }
        ModelState kept = *base;
        if (!old[i].full) old[i].delta.apply_to(kept);
        old[i] = Checkpoint{};
        push_checkpoint(kept);
    }
}

void TraceModel::begin_checkpoints(Checkpoint first) {
    m_last_full = first.full ? 0 : no_full;
    m_checkpoint_bytes = first.memory_bytes() + (first.full ? 0 : m_anchor.memory_bytes());
    m_checkpoints.push_back(std::move(first));
}

void TraceModel::push_checkpoint(const ModelState& state) {
    const ModelState& base = m_last_full == no_full ? m_anchor : m_checkpoints[m_last_full].state;
    Checkpoint c;
    c.events_applied = state.events_applied;
    c.seq = state.seq;
    c.full = false;
    c.delta = StateDelta::between(base, state, m_delta_work);
    if (c.delta.memory_bytes() * 2 >= state.memory_bytes()) {
        // The changes since the last full copy weigh half a copy: take a new one.
        c.full = true;
        c.delta = StateDelta{};
        c.state = state;
        m_last_full = m_checkpoints.size();
    }
    m_checkpoint_bytes += c.memory_bytes();
    m_checkpoints.push_back(std::move(c));
}

void TraceModel::clear() {
    *this = TraceModel(m_options);
}

std::string TraceModel::coro_name(std::uint64_t id) const {
    const CoroutineState* c = m_latest.find(id);
    std::uint32_t name = c != nullptr ? c->name : 0;
    if (name == 0) {  // past the horizon (or never spawned in the trace)
        if (const CoroHistory* h = m_history.find(id)) name = h->name;
    }
    if (name != 0 && !text(name).empty()) return std::string(text(name));
    return default_coro_name(id);
}

std::uint64_t TraceModel::first_seq() const noexcept {
    return m_events.empty() ? 0 : m_events.seq(0);
}

std::uint64_t TraceModel::last_seq() const noexcept {
    return m_events.empty() ? 0 : m_last_seq;
}

std::uint64_t TraceModel::last_gap_upto(std::uint64_t seq) const noexcept {
    const auto after = std::upper_bound(m_gap_seqs.begin(), m_gap_seqs.end(), seq);
    return after == m_gap_seqs.begin() ? 0 : *(after - 1);
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
    while (full > 0 && !m_checkpoints[full].full) --full;
    // The first checkpoint is a full copy, or a delta of the anchor (a trimmed window).
    out = m_checkpoints[full].full ? m_checkpoints[full].state : m_anchor;
    if (!m_checkpoints[checkpoint].full) m_checkpoints[checkpoint].delta.apply_to(out);
}

void TraceModel::replay(ModelState& state, std::size_t upto) const {
    for (std::size_t i = state.events_applied; i < upto; ++i) {
        reduce_event(state, m_events[i - m_base]);
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
        // It forgets the coroutines ended before the horizon at each checkpoint only.
        if (m_options.ended_horizon != 0) forget_retired(state);
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
    const std::uint64_t retired_then = retired_before(state.seq);
    const std::size_t uses = state.name_uses();
    if (!reuse) materialize(checkpoint, state);
    replay(state, target);
    // A state handed out before has forgotten what it had to: when the horizon has not
    // moved and the replay named no one new, there is nothing more (a step costs no scan).
    const bool settled = reuse && m_dropped_upto_seq == 0 &&
                         retired_before(state.seq) == retired_then && state.name_uses() == uses;
    if (!settled) forget_retired(state);
}

// Every state handed out forgets the coroutines that ended before the window (in a window
// that has lost its start, as the checkpoints do when the window moves) and those ended
// before the horizon (as the latest state does while events come in): a state replayed
// from the window's start, one from a later checkpoint and the latest then agree.
void TraceModel::forget_retired(ModelState& state) const {
    const std::uint64_t before =
        std::max(m_dropped_upto_seq != 0 ? m_dropped_upto_seq + 1 : 0, retired_before(state.seq));
    if (before != 0) state.forget_ended_before(before);
}

// The horizon moves in steps of a sixteenth of itself, so that the latest state forgets
// now and then, not at every event; a function of the seq alone, so every way to a state
// forgets the same.
std::uint64_t TraceModel::retired_before(std::uint64_t seq) const noexcept {
    const std::uint64_t horizon = m_options.ended_horizon;
    if (horizon == 0 || seq <= horizon) return 0;
    const std::uint64_t step = std::max<std::uint64_t>(1, horizon / 16);
    return (seq - horizon) / step * step;
}

std::size_t TraceModel::checkpoint_bytes() const noexcept {
    return m_checkpoint_bytes;
}

std::size_t TraceModel::full_checkpoint_count() const noexcept {
    return static_cast<std::size_t>(std::count_if(m_checkpoints.begin(), m_checkpoints.end(),
                                                  [](const Checkpoint& c) { return c.full; }));
}

// --- History and indexes ---------------------------------------------------

LaneView TraceModel::lane(std::uint64_t coro) const noexcept {
    const CoroHistory* found = m_history.find(coro);
    if (found == nullptr) return {};
    const CoroHistory& h = *found;
    return LaneView{&h.events, &m_events, m_base, h.has_before ? &h.before : nullptr};
}

Place TraceModel::place_at(std::uint64_t coro, std::uint64_t seq) const {
    const ModelState state = state_at(seq);
    if (const CoroutineState* c = state.find(coro)) return c->place;
    // Ended before the horizon: its lane still says where it ended.
    const LaneView segments = lane(coro);
    const std::size_t after = segments.upper_bound_seq(seq);
    if (after == 0) return Place{};
    const PlaceKind kind = segments[after - 1].kind;
    return kind == PlaceKind::finished || kind == PlaceKind::killed ? Place{.kind = kind} : Place{};
}

Transition TraceModel::transition_of(std::size_t local, PlaceKind from,
                                     PlaceKind to) const noexcept {
    return Transition{.seq = m_events.seq(local),
                      .t_ns = m_events.t_ns(local),
                      .coro = m_events.coro(local),
                      .from = from,
                      .to = to};
}

std::vector<Transition> TraceModel::transitions() const {
    return transitions_between(0, std::numeric_limits<std::uint64_t>::max());
}

std::vector<Transition> TraceModel::transitions_between(std::uint64_t after_seq,
                                                        std::uint64_t upto_seq) const {
    std::vector<Transition> out;
    if (upto_seq <= after_seq) return out;
    const std::size_t first = count_upto(after_seq);
    const std::size_t last = count_upto(upto_seq);
    out.reserve(m_transitions.count_between(first, last));
    m_transitions.for_each_between(first, last, [&](std::size_t i, PlaceKind from, PlaceKind to) {
        out.push_back(transition_of(i, from, to));
    });
    return out;
}

std::size_t TraceModel::transition_count_between(std::uint64_t after_seq,
                                                 std::uint64_t upto_seq) const noexcept {
    if (upto_seq <= after_seq) return 0;
    return m_transitions.count_between(count_upto(after_seq), count_upto(upto_seq));
}

std::optional<Transition> TraceModel::transition_at(std::uint64_t seq) const {
    const std::size_t index = index_of(seq);
    if (index == npos) return std::nullopt;
    if (index >= m_transitions.size()) return std::nullopt;
    const std::uint16_t tag = m_transitions[index];
    if (tag == TransitionLog::none) return std::nullopt;
    return transition_of(index, TransitionLog::from_of(tag), TransitionLog::to_of(tag));
}

CoroEvents TraceModel::events_of(std::uint64_t coro) const noexcept {
    const CoroHistory* h = m_history.find(coro);
    return h == nullptr ? CoroEvents{} : CoroEvents{&h->events, m_base};
}

std::size_t TraceModel::previous_of_op(std::size_t index) const noexcept {
    if (index >= m_events.size()) return npos;
    const std::uint64_t op = m_events.op(index);
    if (op == 0) return npos;
    const std::uint64_t global = m_base + index;
    // Among the events that name no coroutine: the chain kept for them.
    std::uint64_t orphan = 0;  // global index + 1 of the latest one before `index`
    if (auto last = m_orphan_last.find(op); last != m_orphan_last.end()) {
        std::uint64_t at = last->second;
        while (at >= global) {
            auto prev = m_orphan_prev.find(at);
            if (prev == m_orphan_prev.end()) break;
            at = prev->second;
        }
        if (at < global) orphan = at + 1;
    }
    const std::uint64_t coro = m_events.coro(index);
    if (coro != 0) {
        // Among the coroutine's events, back to the first one of another op: a
        // coroutine awaits one op at a time, so an op's events are one run of them.
        if (const CoroHistory* h = m_history.find(coro); h != nullptr) {
            const DeltaLog& mine = h->events;
            DeltaLog::Decoded cache;
            for (std::size_t k = mine.lower_bound(global); k-- > 0;) {
                const std::uint64_t g = mine.at(k, cache).value;
                if (g < orphan) break;
                const std::uint64_t other = m_events.op(static_cast<std::size_t>(g) - m_base);
                if (other == op) return static_cast<std::size_t>(g) - m_base;
                if (other != 0) break;
            }
        }
    }
    return orphan == 0 ? npos : static_cast<std::size_t>(orphan - 1) - m_base;
}

std::size_t TraceModel::last_of_op(std::uint64_t op) const noexcept {
    if (op == 0) return npos;
    for (std::size_t i = m_events.size(); i-- > 0;) {
        if (m_events.op(i) == op) return i;
    }
    return npos;
}

}  // namespace cogen::viz
