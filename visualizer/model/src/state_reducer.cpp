// The state reducer: one function per event family, each saying what that
// moment of the loop does to the replayed state (docs/trace-format.md).
#include "cogen/viz/state_reducer.hpp"

#include <algorithm>
#include <limits>
#include <type_traits>
#include <variant>

#include "cogen/trace_event_view.hpp"

namespace cogen::viz {
namespace {

// The change of an event's coroutine, noted by move_to() (the one place that sets a
// coroutine's place) while an apply<Report::brief> runs on this thread: no copy of the place
// before every event, and a comparison only where it moves.
struct ChangeProbe {
    bool moved = false;    // move_to() ran
    bool changed = false;  // ... and set a place that differs from the one it replaced
    PlaceKind from = PlaceKind::active;  // the kind before the first move
};
thread_local ChangeProbe* t_probe = nullptr;

// Points t_probe at an apply's probe for the call only, however it ends (On = false: no
// probe, nothing done).
template <bool On>
struct ProbeScope {
    explicit ProbeScope(std::monostate&) noexcept {}
};
template <>
struct ProbeScope<true> {
    explicit ProbeScope(ChangeProbe& probe) noexcept { t_probe = &probe; }
    ~ProbeScope() { t_probe = nullptr; }
    ProbeScope(const ProbeScope&) = delete;
    ProbeScope& operator=(const ProbeScope&) = delete;
};

Registration& find_or_add_registration(ModelState& s, const TraceEvent& e) {
    return s.registrations.try_emplace(
        e.op, Registration{.op = e.op, .coro = e.coro, .seq = e.seq, .t_ns = e.t_ns});
}

void add_timer(ModelState& s, const TraceEvent& e) {
    s.timers.insert_or_assign(
        e.op, PendingTimer{
                  .op = e.op,
                  .coro = e.coro,
                  .op_type = e.op_type,
                  .armed_seq = e.seq,
                  .deadline_ns = e.t_ns + static_cast<std::uint64_t>(EventView{e}.timeout_ns())});
}

void forget_op(ModelState& s, std::uint64_t op) {
    s.timers.erase(op);
    s.registrations.erase(op);
}

void add_use(std::vector<NameUse>& uses, std::uint32_t name, std::uint64_t coro) {
    if (name == 0 || coro == 0) return;
    const NameUse use{name, coro};
    auto it = std::lower_bound(uses.begin(), uses.end(), use);
    if (it == uses.end() || *it != use) uses.insert(it, use);
}

QueueSide side_of(cogen::QueueSide side) {
    return side == cogen::QueueSide::put ? QueueSide::put : QueueSide::get;
}

// A queue op reported the queue's level: keep the queue's record (length, peak, rates).
void on_queue_level(ModelState& s, const TraceEvent& e, const QueueLevel& level, bool completed,
                    bool pubsub) {
    if (e.text == 0) return;
    QueueRecord& r = s.queues
                         .try_emplace(e.text, QueueRecord{.label = e.text,
                                                          .first_t_ns = e.t_ns,
                                                          .empty_seq = e.seq,
                                                          .empty_t_ns = e.t_ns})
                         .first->second;
    r.pubsub = r.pubsub || pubsub;
    r.length = level.length;
    r.maxsize = level.maxsize;
    r.last_t_ns = e.t_ns;
    if (completed) {
        const bool put = level.side == cogen::QueueSide::put;
        ++(put ? r.puts : r.gets);
        ++(put ? r.total_puts : r.total_gets);
    }
    if (level.length > r.max_length) {
        r.max_length = level.length;
        r.max_seq = e.seq;
        r.max_t_ns = e.t_ns;
    }
    if (level.length == 0) {
        r.empty_seq = e.seq;
        r.empty_t_ns = e.t_ns;
        r.puts = r.gets = 0;
    }
}

// A parked queue op completed (op.ready): count it on its side.
void count_woken(ModelState& s, const Place& place) {
    if (place.side == QueueSide::unknown || place.label == 0) return;
    auto it = s.queues.find(place.label);
    if (it == s.queues.end()) return;
    const bool put = place.side == QueueSide::put;
    ++(put ? it->second.puts : it->second.gets);
    ++(put ? it->second.total_puts : it->second.total_gets);
}

// The same wait for the retry-loop finding: same op type on the same object.
bool same_wait(const Place& x, const Place& y) {
    return x.op_type == y.op_type && x.label == y.label && x.fd == y.fd && x.target == y.target;
}

void on_timeout(ModelState& s, CoroutineState& c, const TraceEvent& e) {
    s.timers.erase(e.op);
    if (!c.alive() || c.place.op != e.op) return;
    if (c.timeouts_in_row == 0 || !same_wait(c.retry_place, c.place)) {
        c.timeouts_in_row = 0;
        c.retry_first_seq = e.seq;
        c.retry_first_t_ns = e.t_ns;
    }
    ++c.timeouts_in_row;
    c.retry_last_seq = e.seq;
    c.retry_last_t_ns = e.t_ns;
    c.retry_place = c.place;
}

// A new place keeps its "since" only when it is the same station for the same op.
void move_to(CoroutineState& c, const Place& place, const TraceEvent& e) {
    if (c.place.kind == PlaceKind::active && place.kind != PlaceKind::active) {
        c.queue_seq = 0;  // it left the queue: its position there means nothing now
        // Its stay in the active queue ends (op.finalize or coro.resume: its turn came).
        const std::uint64_t stay = e.t_ns > c.since_t_ns ? e.t_ns - c.since_t_ns : 0;
        c.runnable_ns += stay;
        if (c.longest_runnable.resume_seq == 0 || stay > c.longest_runnable.duration_ns) {
            c.longest_runnable = RunSlice{.resume_seq = c.since_seq,
                                          .end_seq = e.seq,
                                          .start_t_ns = c.since_t_ns,
                                          .duration_ns = stay};
        }
    }
    if (place.kind != c.place.kind || place.op != c.place.op) {
        c.since_seq = e.seq;
        c.since_t_ns = e.t_ns;
    }
    if (ChangeProbe* probe = t_probe; probe != nullptr) {
        if (!probe->moved) {
            probe->moved = true;
            probe->from = c.place.kind;
        }
        if (!probe->changed && !(place == c.place)) probe->changed = true;
    }
    c.place = place;
}

void move_kind(CoroutineState& c, PlaceKind kind, const TraceEvent& e) {
    Place place = c.place;
    place.kind = kind;
    move_to(c, place, e);
}

void close_slice(ModelState& s, CoroutineState& c, const TraceEvent& e) {
    if (c.place.kind != PlaceKind::running) return;
    RunSlice slice = c.current_slice;
    slice.end_seq = e.seq;
    slice.duration_ns = e.t_ns > slice.start_t_ns ? e.t_ns - slice.start_t_ns : 0;
    c.run_ns += slice.duration_ns;
    if (c.longest_slice.resume_seq == 0 || slice.duration_ns > c.longest_slice.duration_ns) {
        c.longest_slice = slice;
    }
    c.current_slice = {};
    if (s.running == c.id) s.running = 0;
}

// --- coroutine lifecycle ---------------------------------------------------

void on_spawn(CoroutineState& c, const TraceEvent& e) {
    const EventView v{e};
    c.parent = v.parent();
    c.priority = v.priority() ? static_cast<int>(*v.priority()) : e.b;  // unknown: as written
    c.name = v.coro_name();
    c.spawn_seq = e.seq;
    c.spawn_t_ns = e.t_ns;
    if (c.alive()) move_to(c, Place{.kind = PlaceKind::active}, e);
}

void on_resume(ModelState& s, CoroutineState& c, const TraceEvent& e) {
    if (!c.alive()) return;
    Place place{.kind = PlaceKind::running, .op = e.op};
    if (e.op != 0 && e.op == c.op) place.op_type = c.op_type;
    move_to(c, place, e);
    ++c.resumes;
    c.current_slice = RunSlice{.resume_seq = e.seq, .start_t_ns = e.t_ns};
    s.running = c.id;
}

void on_suspend(ModelState& s, CoroutineState& c, const TraceEvent& e) {
    if (!c.alive()) return;
    ++c.suspensions;
    c.op = e.op;
    c.op_type = e.op_type;
    if (c.place.kind == PlaceKind::running) {
        close_slice(s, c, e);
        move_to(c, Place{.kind = PlaceKind::processing, .op = e.op, .op_type = e.op_type}, e);
    }
}

void on_end(ModelState& s, CoroutineState& c, const TraceEvent& e, PlaceKind end) {
    if (!c.alive()) return;
    close_slice(s, c, e);
    forget_op(s, c.op);
    forget_op(s, c.place.op);
    Place place = c.place;
    place.kind = end;
    move_to(c, place, e);
    c.end_seq = e.seq;
    c.end_t_ns = e.t_ns;
    if (e.kind != EventKind::coro_finish) c.error = e.text;
    --s.alive;
    if (end == PlaceKind::finished) ++s.finished;
    if (end == PlaceKind::failed) ++s.failed;
    if (end == PlaceKind::killed) ++s.killed;
}

// --- the operation protocol ------------------------------------------------

void on_process(ModelState& s, CoroutineState& c, const TraceEvent& e) {
    if (!c.alive()) return;
    close_slice(s, c, e);  // no-op when coro.suspend came first, as it should
    c.op = e.op;
    c.op_type = e.op_type;
    const EventView v{e};
    const auto wait = v.wait();
    const Outcome outcome = v.outcome().value_or(Outcome::other);
    Place place{.kind = place_for_outcome(outcome),
                .op = e.op,
                .op_type = e.op_type,
                .label = e.text,
                .fd = e.fd,
                .timeout_ns = v.timeout_ns()};
    if (wait && (wait->outcome == Outcome::join || wait->outcome == Outcome::call)) {
        // The event names the awaited coroutine by id (0 in a trace from before the field:
        // op.ready's cause then still names who ended, see on_ready).
        place.target = wait->coro;
        if (CoroutineState* target = s.find(place.target)) ++target->joiners;
    } else if (e.text != 0 && outcome != Outcome::signal) {
        // Whoever names a queue (pubsub, pipe...) in an op, parked or not, may wake its waiters.
        add_use(s.label_users, e.text, c.id);
    }
    if (const auto level = v.queue_level()) {
        place.side = side_of(level->side);
        place.queue_length = level->length;
        place.queue_maxsize = level->maxsize;
        add_use(place.side == QueueSide::put ? s.queue_putters : s.queue_getters, e.text, c.id);
        on_queue_level(s, e, *level, outcome == Outcome::ready, outcome == Outcome::pubsub);
    }
    place.moved = v.bytes_before_wait();
    if (outcome == Outcome::proactor) {
        Registration& reg = find_or_add_registration(s, e);
        reg.fd = e.fd;
        reg.op_type = e.op_type;
        place.interest = reg.interest;
        reg.bytes = place.moved;
        if (place.moved != 0) {
            reg.progress_seq = e.seq;
            reg.progress_t_ns = e.t_ns;
        }
    }
    if (v.timeout_ns() > 0) add_timer(s, e);
    move_to(c, place, e);
}

void on_run(ModelState& s, CoroutineState* c, const TraceEvent& e) {
    if (Registration* reg = s.registrations.find(e.op)) {
        ++reg->run_attempts;
        const EventView v{e};
        reg->last_bytes = v.run_errno() != 0 ? -v.run_errno() : v.bytes();  // as the panel shows
        if (v.bytes() > 0) {
            reg->bytes += static_cast<std::uint64_t>(v.bytes());
            reg->progress_seq = e.seq;
            reg->progress_t_ns = e.t_ns;
        }
    }
    if (c && EventView{e}.run_done() && c->place.kind == PlaceKind::proactor &&
        c->place.op == e.op) {
        move_kind(*c, PlaceKind::io_ready, e);
    }
}

bool is_parked(PlaceKind kind) {
    return is_waiting(kind) || kind == PlaceKind::io_ready || kind == PlaceKind::processing;
}

void on_ready(ModelState& s, CoroutineState& c, const TraceEvent& e) {
    s.timers.erase(e.op);
    c.last_ready_seq = e.seq;
    const auto wake = EventView{e}.cause();
    if (!wake) {
        if (is_parked(c.place.kind)) move_kind(c, PlaceKind::active, e);
        return;
    }
    const Outcome cause = wake->outcome;
    const std::uint64_t releaser = wake->coro;
    if (cause == Outcome::signal) add_use(s.signal_emitters, c.place.label, releaser);
    if (cause == Outcome::queue || cause == Outcome::pubsub || cause == Outcome::pipe) {
        add_use(s.label_users, c.place.label, releaser);
        // A getter is woken by a putter, a putter (on a full queue) by a getter.
        if (c.place.side == QueueSide::get) add_use(s.queue_putters, c.place.label, releaser);
        if (c.place.side == QueueSide::put) add_use(s.queue_getters, c.place.label, releaser);
        count_woken(s, c.place);
    }
    // A join or call whose op.process did not name its target still tells who ended.
    if ((cause == Outcome::join || cause == Outcome::call) && c.place.target != releaser) {
        if (CoroutineState* target = s.find(releaser)) ++target->joiners;
    }
    if (is_parked(c.place.kind)) move_kind(c, PlaceKind::active, e);
}

void on_finalize(ModelState& s, CoroutineState& c, const TraceEvent& e) {
    forget_op(s, e.op);
    if (c.timeouts_in_row != 0 && c.place.op == e.op && same_wait(c.place, c.retry_place)) {
        c.timeouts_in_row = 0;  // the wait it kept retrying succeeded at last
    }
    if (c.alive() && c.place.kind != PlaceKind::running) {
        Place place = c.place;
        place.kind = PlaceKind::finalizing;
        place.op = e.op;
        if (e.op_type != 0) place.op_type = e.op_type;
        move_to(c, place, e);
    }
}

void on_cleanup(ModelState& s, CoroutineState& c, const TraceEvent& e) {
    forget_op(s, e.op);
    if (is_parked(c.place.kind)) move_kind(c, PlaceKind::active, e);
}

// --- scheduler and proactor ------------------------------------------------

void on_register(ModelState& s, CoroutineState* c, const TraceEvent& e) {
    Registration& reg = find_or_add_registration(s, e);
    reg.coro = e.coro;
    reg.fd = e.fd;
    reg.interest = static_cast<FdInterest>(EventView{e}.interest());
    if (e.op_type != 0) reg.op_type = e.op_type;
    if (c && c->place.op == e.op && c->place.kind == PlaceKind::proactor) {
        Place place = c->place;
        place.interest = reg.interest;
        place.fd = e.fd;
        move_to(*c, place, e);
    }
}

void on_poll_begin(ModelState& s, const TraceEvent& e) {
    const EventView v{e};
    s.poll_ring[s.poll_count % ModelState::poll_history] =
        PollRecord{.begin_seq = e.seq,
                   .t_ns = e.t_ns,
                   .timeout_ns = v.poll_timeout_ns(),
                   .fds = v.fds_watched(),
                   .backend = e.text};
    ++s.poll_count;
    if (e.text != 0) s.backend = e.text;
}

void on_poll_end(ModelState& s, const TraceEvent& e) {
    PollRecord* last =
        s.poll_count > 0 ? &s.poll_ring[(s.poll_count - 1) % ModelState::poll_history] : nullptr;
    if (last == nullptr || last->end_seq != 0) {
        s.poll_ring[s.poll_count % ModelState::poll_history] = PollRecord{.t_ns = e.t_ns};
        last = &s.poll_ring[s.poll_count % ModelState::poll_history];
        ++s.poll_count;
    }
    last->end_seq = e.seq;
    last->ready = EventView{e}.ready_count();
    last->waited_ns = EventView{e}.waited_ns();
}

// sched.active names the pair's coroutine: keep its position in the queue. (It
// may still be "running" here: a yield queues itself before its op.process.)
void on_queue_change(ModelState& s, const TraceEvent& e) {
    CoroutineState* c = s.find(e.coro);
    if (c == nullptr) return;
    const auto change = EventView{e}.active_change();
    if (!change) return;  // a trace from before the pair was named
    const auto seq = static_cast<std::int64_t>(e.seq);
    switch (*change) {
        case ActiveChange::start_round:
            // Sent to the back unrun: it counts as a fresh arrival there.
            c->since_seq = e.seq;
            c->since_t_ns = e.t_ns;
            [[fallthrough]];
        case ActiveChange::back:
            c->queue_key = seq;
            break;
        case ActiveChange::front:
            c->queue_key = -seq;
            break;
        case ActiveChange::urgent:
            c->queue_key = std::numeric_limits<std::int64_t>::min() + seq;
            break;
        case ActiveChange::taken:
        case ActiveChange::dropped:
            c->queue_seq = 0;
            return;
    }
    c->queue_seq = e.seq;
}

void on_scheduler_event(ModelState& s, const TraceEvent& e) {
    switch (e.kind) {
        case EventKind::sched_active:
            s.active_length = EventView{e}.queue_length();
            if (e.coro != 0) on_queue_change(s, e);
            break;
        case EventKind::proactor_poll_begin:
            on_poll_begin(s, e);
            break;
        case EventKind::proactor_poll_end:
            on_poll_end(s, e);
            break;
        case EventKind::proactor_unregister:
            s.registrations.erase(e.op);
            break;
        case EventKind::timer_fire:
        case EventKind::timer_cancel:
            s.timers.erase(e.op);
            break;
        case EventKind::timer_arm:  // a callback timer (call_later): pending, no coroutine waits
            s.timers.insert_or_assign(
                e.op, PendingTimer{.op = e.op,
                                   .op_type = e.op_type,
                                   .armed_seq = e.seq,
                                   .deadline_ns = static_cast<std::uint64_t>(
                                       std::max<std::int64_t>(EventView{e}.deadline_ns(), 0))});
            break;
        case EventKind::signal_emit:
            add_use(s.signal_emitters, e.text, e.coro);
            if (e.text != 0) {
                s.last_signals[e.text] = SignalRecord{
                    .coro = e.coro, .seq = e.seq, .t_ns = e.t_ns, .woken = EventView{e}.woken()};
            }
            break;
        case EventKind::sched_run_begin:
            s.in_run = true;
            s.run_end_seq = 0;
            if (e.text != 0) s.backend = e.text;
            break;
        case EventKind::sched_run_end:
            s.in_run = false;
            s.run_end_seq = e.seq;
            break;
        case EventKind::trace_drop:
            s.dropped_events +=
                static_cast<std::uint64_t>(std::max<std::int64_t>(EventView{e}.dropped(), 0));
            break;
        default:
            break;
    }
}

bool names_coroutine(EventKind kind) {
    switch (kind) {
        case EventKind::sched_active:
        case EventKind::proactor_poll_begin:
        case EventKind::proactor_poll_end:
        case EventKind::sched_run_begin:
        case EventKind::sched_run_end:
        case EventKind::sched_note:
        case EventKind::trace_drop:
        case EventKind::trace_heartbeat:
            return false;
        default:
            return true;
    }
}

// apply_event (Report::full), apply_event_brief (Report::brief) and reduce_event
// (Report::none): the same state, told more or less of what changed.
enum class Report : std::uint8_t { none, brief, full };
template <Report R>
using ReportOf =
    std::conditional_t<R == Report::full, std::optional<PlaceChange>, std::optional<KindChange>>;

template <Report R>
ReportOf<R> apply(ModelState& state, const TraceEvent& event) {
    // A live feed's heartbeat stands outside the numbering and says nothing
    // about the scheduler's state (TraceModel::now_ns() keeps its time).
    if (event.kind == EventKind::trace_heartbeat && event.seq == 0) return ReportOf<R>{};
    state.seq = event.seq;
    state.t_ns = std::max(state.t_ns, event.t_ns);
    ++state.events_applied;
    if (event.coro == 0 || !names_coroutine(event.kind)) {
        on_scheduler_event(state, event);
        return ReportOf<R>{};
    }

    const std::size_t count_before = state.coroutines.size();
    CoroutineState& c = state.find_or_add(event.coro);
    const bool first_seen = state.coroutines.size() != count_before;
    if (first_seen) {
        c.since_seq = event.seq;
        c.since_t_ns = event.t_ns;
    }
    Place before{};
    if constexpr (R == Report::full) before = c.place;
    std::conditional_t<R == Report::brief, ChangeProbe, std::monostate> probe;
    const ProbeScope<R == Report::brief> scope{probe};

    switch (event.kind) {
        case EventKind::coro_spawn:
            on_spawn(c, event);
            break;
        case EventKind::coro_resume:
            on_resume(state, c, event);
            break;
        case EventKind::coro_suspend:
            on_suspend(state, c, event);
            break;
        case EventKind::coro_finish:
            on_end(state, c, event, PlaceKind::finished);
            break;
        case EventKind::coro_fail:
            on_end(state, c, event, PlaceKind::failed);
            break;
        case EventKind::coro_kill:
            on_end(state, c, event, PlaceKind::killed);
            break;
        case EventKind::op_process:
            on_process(state, c, event);
            break;
        case EventKind::op_run:
            on_run(state, &c, event);
            break;
        case EventKind::op_ready:
            on_ready(state, c, event);
            break;
        case EventKind::op_finalize:
            on_finalize(state, c, event);
            break;
        case EventKind::op_timeout:
            on_timeout(state, c, event);
            break;
        case EventKind::op_cleanup:
            on_cleanup(state, c, event);
            break;
        case EventKind::proactor_register:
            on_register(state, &c, event);
            break;
        default:
            on_scheduler_event(state, event);
            break;
    }

    if constexpr (R == Report::none) {
        return ReportOf<R>{};
    } else if constexpr (R == Report::brief) {
        if (!first_seen && !probe.changed) return ReportOf<R>{};
        return KindChange{.from = first_seen ? c.place.kind : probe.from,
                          .to = c.place.kind,
                          .first_seen = first_seen};
    } else {
        if (!first_seen && c.place == before) return ReportOf<R>{};
        return PlaceChange{.coro = c.id,
                           .from = first_seen ? c.place : before,
                           .to = c.place,
                           .first_seen = first_seen};
    }
}

}  // namespace

std::optional<PlaceChange> apply_event(ModelState& state, const TraceEvent& event) {
    return apply<Report::full>(state, event);
}

std::optional<KindChange> apply_event_brief(ModelState& state, const TraceEvent& event) {
    return apply<Report::brief>(state, event);
}

void reduce_event(ModelState& state, const TraceEvent& event) {
    apply<Report::none>(state, event);
}

}  // namespace cogen::viz
