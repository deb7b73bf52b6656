// Scheduler: the event loop. One pass = run the active queue, poll the
// proactor, check timeouts (docs/design.md, "One loop iteration").
#include "cogen/scheduler.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "cogen/errors.hpp"
#include "cogen/event_record.hpp"
#include "cogen/record_ring.hpp"
#include "cogen/scheduler_core.hpp"
#include "cogen/scheduler_observer.hpp"
#include "cogen/tick_clock.hpp"
#include "detail/callback_slab.hpp"
#include "detail/signal_table.hpp"
#include "detail/timer_heap.hpp"
#include "proactor/make_proactor.hpp"

namespace cogen {

using std::chrono::nanoseconds;

namespace {

std::string describe(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown exception";
    }
}

bool is_cancellation(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const Cancelled&) {
        return true;
    } catch (...) {
        return false;
    }
}

}  // namespace

Scheduler::Scheduler(Options options)
    : m_options(std::move(options)),
      m_clock(m_options.clock ? m_options.clock : &m_steady),
      m_core(new SchedulerCore(*this)),
      m_timers(std::make_unique<detail::TimerHeap>()),
      m_callbacks(std::make_unique<detail::CallbackSlab>()),
      m_signals(std::make_unique<detail::SignalTable>()) {
    m_t0 = m_clock->now().count();
    if (m_options.instrument) {
        m_instrument = m_options.instrument;
    } else if (auto factory = env_instrument_factory()) {
        m_owned_instrument = factory();
        m_instrument = m_owned_instrument.get();
    }
    adopt_ring();
    std::string note;
    m_proactor = detail::make_proactor(m_options.proactor, *m_core, note);
    if (!note.empty() && tracing())
        emit(EventKind::sched_note, nullptr, nullptr, -1, 0, 0, intern(note));
}

Scheduler::~Scheduler() {
    // Pending callback timers are destroyed unrun, while everything they may
    // refer to (coroutines, this scheduler) still exists.
    drop_callbacks();
    // Undo every registration first (timers, waiter lists, proactor), while
    // every frame still exists; then destroy the frames, callees before
    // callers (higher ids first), so nothing points into a dead frame.
    std::vector<Coroutine*> live;
    for (auto& r : m_records) live.push_back(r.get());
    std::sort(live.begin(), live.end(),
              [](const Coroutine* x, const Coroutine* y) { return x->id() > y->id(); });
    for (Coroutine* c : live) {
        Operation* op = c->m_op;
        if (!op || c->m_state != CoroState::suspended) continue;
        m_timers->remove(*op);
        if (!c->m_queued && op->m_coro == c) {  // process() ran: undo its registration
            try {
                op->cleanup(*m_core, *c);
            } catch (...) {
                // Teardown goes on: a failing cleanup must not leak the rest.
            }
        }
    }
    for (Coroutine* c : live) kill(*c, "scheduler destroyed");
    m_active.clear();
    m_records.clear();
    m_live.clear();
    if (m_instrument) m_instrument->on_close();
}

std::string_view Scheduler::proactor_name() const {
    return m_proactor->name();
}

// (Read through m_core: valid only while its scheduler lives, like the pointer it returns.)
Scheduler* Coroutine::scheduler() const noexcept {
    return m_core ? &m_core->scheduler() : nullptr;
}

// ---------------------------------------------------------------------------
// This loop is the event loop. run() is step() repeated; each step() is one
// transition of the diagram in docs/design.md:
//
//   pick      take the urgent pair, else the front of the active queue
//   resume    finalize its op and resume the coroutine until its next co_await
//   process   op.process(): ready now -> resume again; parked -> end of the step
//   poll      run the proactor (or sleep until the next timer)
//   timers    expire deadlines (timeouts, Sleep wake-ups)
// ---------------------------------------------------------------------------

void Scheduler::run() {
    m_stop.store(false, std::memory_order_relaxed);
    emit_run_begin();
    advance<false>();  // step() until it would return false, without leaving the loop
    emit_run_end();
}

void Scheduler::emit_run_begin() {
    if (tracing())
        emit(EventKind::sched_run_begin, nullptr, nullptr, -1, 0, 0, intern(m_proactor->name()));
}

void Scheduler::emit_run_end() {
    emit(EventKind::sched_run_end, nullptr, nullptr, -1, static_cast<std::int64_t>(alive()));
}

bool Scheduler::step() {
    return advance<true>();
}

void Scheduler::stop() noexcept {
    m_stop.store(true, std::memory_order_relaxed);
    if (m_proactor) m_proactor->wakeup();
}

std::vector<ReadyPair> Scheduler::ready_pairs() const {
    std::vector<ReadyPair> out;
    out.reserve(m_active.size() + 1);
    if (m_urgent.coro) out.push_back({m_urgent.coro, m_urgent.op, true});
    for (std::size_t i = 0; i < m_active.size(); ++i)
        out.push_back({m_active[i].coro, m_active[i].op, false});
    return out;
}

bool Scheduler::poll_would_idle() const noexcept {
    const bool runnable = !m_active.empty() || m_urgent.coro;
    if (m_proactor->pending() > 0) return !m_options.proactor_greedy && runnable;
    return runnable || m_timers->empty();
}

bool Scheduler::timers_would_idle() const noexcept {
    return m_timers->empty() || m_timers->earliest() > m_clock->now().count();
}

// A choice is possible at the pick phase, and also in the poll and timers
// phases when they would do nothing before reaching it.
bool Scheduler::at_pick() const noexcept {
    if (m_phase == Phase::pick) return true;
    if (m_phase == Phase::poll) return poll_would_idle() && timers_would_idle();
    if (m_phase == Phase::timers) return timers_would_idle();
    return false;
}

bool Scheduler::step_pick(std::size_t index) {
    const std::size_t first_active = m_urgent.coro ? 1 : 0;
    // Between chains (poll or timers next), a chosen ready pair runs now: the learner's pick is
    // the next transition, and the poll and the timer check come after it, as after any pick.
    // (at_pick() alone is not enough: a timer may have expired since the learner looked.)
    if ((m_phase == Phase::poll || m_phase == Phase::timers) &&
        (at_pick() || index < m_active.size() + first_active))
        m_phase = Phase::pick;
    if (m_phase != Phase::pick || index == 0 || index >= m_active.size() + first_active)
        return step();
    // Move the chosen pair into the urgent slot: pick takes it first.
    const std::size_t i = index - first_active;
    const Pair chosen = m_active[i];
    m_active.erase_at(i);
    emit_active(chosen.coro, ActiveChange::urgent);
    if (m_urgent.coro) push(m_urgent, Placement::front);
    m_urgent = chosen;
    return step();
}

std::optional<nanoseconds> Scheduler::next_timer_delta() const {
    if (!m_active.empty() || m_urgent.coro) return nanoseconds{0};
    if (m_timers->empty()) return std::nullopt;
    const auto left = m_timers->earliest() - m_clock->now().count();
    return nanoseconds{std::max<std::int64_t>(left, 0)};
}

// Resume a coroutine with its op's finalize() (or its stored exception). A
// coroutine never started first gets cogen's "creates its frame" round: it
// behaves like a cooperative yield and its body runs on its next turn (Q24).
// (Inlined into advance(), the loop of run(): its call was ~12 instructions of a switch.)
template <bool defer>
[[gnu::always_inline]] inline Scheduler::Phase Scheduler::resume(Pair pair) {
    Coroutine& c = *pair.coro;
    c.m_queued = false;
    if (!c.m_started) {
        c.m_started = true;
        if (!m_active.empty() || m_urgent.coro) {
            // Its sched.active says start_round: a trace shows why it went behind
            // the others without running.
            push({&c, nullptr}, Placement::back, ActiveChange::start_round);
            return Phase::poll;
        }
    }
    Operation* op = pair.op;
    ResumeMode mode = ResumeMode::start;
    if (op) {
        m_timers->remove(*op);
        mode = op->m_error ? ResumeMode::exception : ResumeMode::value;
    } else if (c.m_state != CoroState::not_started) {
        mode = ResumeMode::value;
    }
    // op.finalize (an op that did not fail) then coro.resume.
    if (tracing()) [[unlikely]] {
        if (defer && m_deferred == Deferred::step_ready && op == m_current.op &&
            mode == ResumeMode::value) [[likely]] {
            // The whole co_await of an op that was ready: suspend, process, finalize and
            // resume in one record.
            m_deferred = Deferred::none;
            push_tick_record(EventKind::coro_resume, false, c.id(), op->id(),
                             awaited_op_type(c, *op), m_deferred_fd,
                             static_cast<std::int64_t>(m_deferred_target), m_deferred_timeout,
                             m_deferred_text, 0, EventRecord::after_suspend | EventRecord::resumed);
        } else if (defer && m_deferred == Deferred::taken && op && mode == ResumeMode::value &&
                   m_deferred_queue <= 0xFFFFFFFFu) [[likely]] {
            // The pick, the op.finalize and the coro.resume in one record.
            m_deferred = Deferred::none;
            push_tick_record(EventKind::coro_resume, false, c.id(), op->id(),
                             awaited_op_type(c, *op), -1,
                             static_cast<std::int64_t>(ResumeMode::value), 0,
                             static_cast<std::uint32_t>(m_deferred_queue), 0,
                             EventRecord::after_finalize | EventRecord::taken);
        } else {
            settle_deferred();  // what the resume's record could not carry goes first
            emit_resume(c, op, mode, op && mode == ResumeMode::value);
        }
    }
    c.m_state = CoroState::running;
    c.m_op = nullptr;
    m_running = &c;
    c.m_handle.resume();
    m_running = nullptr;
    if (c.m_handle.done()) return finish(c);

    Operation& next = *c.m_op;
    next.m_id = ++m_next_op_id;  // ids name awaits: the suspend event carries it
    c.m_state = CoroState::suspended;
    const std::string_view op_name = next.name();
    c.m_last_op_name = op_name.data();
    c.m_last_op_length = static_cast<std::uint16_t>(std::min<std::size_t>(op_name.size(), 0xFFFF));
    ++c.m_suspensions;
    if (tracing()) [[unlikely]] {
        if (defer && m_tick_ring) [[likely]] {
            // The coro.suspend waits for the op.process that comes next (m_deferred); its
            // time and the name's id are taken now.
            c.m_last_op_type = name_id(op_name.data(), op_name.size());
            m_tick_stamp = std::max(m_tick_stamp, m_ticks->now() - m_tick0);
            m_deferred = Deferred::suspend;
        } else {
            emit_suspend(c, next, op_name);
        }
    }
    m_current = {&c, &next};
    return Phase::process;
}

// op.process(): the op completes now (resume again at once), hands another
// pair to run now, or parks. An exception from process() is thrown into the
// coroutine at once.
[[gnu::always_inline]] inline Scheduler::Phase Scheduler::process(Pair pair) {
    Coroutine& c = *pair.coro;
    Operation& op = *pair.op;
    op.m_coro = &c;
    if (op.m_error) op.m_error = nullptr;
    op.m_prio = resolve(op.m_prio);
    m_now = {};

    Disposition d = Disposition::complete;
    if (c.m_cancel_requested) {
        c.m_cancel_requested = false;
        op.m_error = std::make_exception_ptr(Cancelled{});
    } else {
        try {
            d = op.process(*m_core, c);
        } catch (...) {
            m_timers->remove(op);
            op.m_error = std::current_exception();
            d = Disposition::complete;
            m_now = {};
        }
    }

    if (tracing()) {
        const Operation::WaitFacts facts = op.wait_facts();  // one call: fd, outcome, target
        Outcome outcome = Outcome::ready;
        if (d == Disposition::parked) outcome = c.m_queued ? Outcome::yield : facts.waits_on;
        const std::int64_t timeout =
            detail::TimerHeap::armed(op) ? m_timers->deadline(op) - m_clock->now().count() : 0;
        const std::uint32_t text = facts.labelled ? label_of(op) : 0;
        if (m_deferred != Deferred::none) [[likely]] {
            // (ready, and resumed next with its value: no other pair to run, no error)
            emit_step(c, op, facts.fd, outcome, timeout, text, facts.target,
                      d == Disposition::complete && !m_now.coro && !op.m_error);
        } else {
            emit_hot(EventKind::op_process, &c, &op, facts.fd, static_cast<std::int64_t>(outcome),
                     timeout, text);
        }
    }
    if (m_now.coro) {
        m_current = std::exchange(m_now, {});
        return Phase::resume;
    }
    if (d == Disposition::complete) {
        m_timers->remove(op);
        m_current = {&c, &op};
        return Phase::resume;
    }
    return Phase::poll;
}

// The phase machine of step(). run() is step() repeated; rather than return after every
// transition and come back through the dispatch (a measurable share of a parked request),
// run() instantiates the same machine with one_step = false: each `return true` below
// ("a transition happened") becomes "go on". The transitions, their order and their events
// are the same in both: only the return to the caller between them is gone.
//
// The hot path of run() — pick, then resume and process until the chain parks, then the
// poll and timer checks — goes from one phase to the next by falling through, with the next
// phase in a register, instead of storing it and dispatching on it again (the dispatch was
// an eighth of a switch's instructions). m_phase is still stored before each transition:
// cancel() and the observers read it.
template <bool one_step>
bool Scheduler::advance() {
    for (;;) {
        switch (m_phase) {
            case Phase::pick:
                if (m_stop.load(std::memory_order_relaxed)) [[unlikely]] {
                    m_stop.store(false, std::memory_order_relaxed);
                    return false;
                }
                if (m_urgent.coro) {
                    m_current = std::exchange(m_urgent, {});
                } else if (!m_active.empty()) {
                    m_current = m_active.front();
                    m_active.pop_front();
                    prefetch_ahead();
                    emit_taken<!one_step>();
                } else {
                    // Nothing runnable: idle unless an fd or a timer is pending.
                    if (m_proactor->pending() == 0 && m_timers->empty()) return false;
                    m_phase = Phase::poll;
                    continue;
                }
                m_phase = Phase::resume;
                [[fallthrough]];
            case Phase::resume:
            case Phase::process: {
                Phase next =
                    m_phase == Phase::resume ? resume<!one_step>(m_current) : process(m_current);
                m_phase = next;
                if (one_step) return true;
                while (next != Phase::poll) {  // run(): the chain until it parks
                    next = next == Phase::process ? process(m_current) : resume<true>(m_current);
                    m_phase = next;
                }
            }
                [[fallthrough]];
            case Phase::poll:
                m_phase = Phase::timers;
                // (poll_would_idle(), inline: most passes of a busy loop poll nothing)
                if (m_proactor->pending() > 0 ||
                    (m_active.empty() && !m_urgent.coro && !m_timers->empty())) {
                    if (poll_phase() && one_step) return true;
                }
                [[fallthrough]];
            case Phase::timers:
                m_phase = Phase::pick;
                if (!m_timers->empty() && timers_phase() && one_step) return true;
                continue;
        }
    }
}

// A coroutine returned or threw. A called one resumes its caller now; a
// top-level one resumes its most recent joiner now. Its frame is destroyed.
Scheduler::Phase Scheduler::finish(Coroutine& c) {
    Coroutine* caller = c.m_caller;
    if (c.m_error) {
        if (c.m_cancelled && is_cancellation(c.m_error)) {
            c.m_state = CoroState::killed;
            if (tracing()) emit(EventKind::coro_kill, &c, nullptr, -1, 0, 0, intern("cancelled"));
        } else {
            c.m_state = CoroState::failed;
            if (tracing())
                emit(EventKind::coro_fail, &c, nullptr, -1, 0, 0, intern(describe(c.m_error)));
            if (!caller) report_failure(c);
        }
    } else {
        c.m_state = CoroState::finished;
        emit(EventKind::coro_finish, &c);
    }
    c.m_handle.destroy();
    c.m_handle = {};

    Pair now{};
    if (caller) {
        Operation* call_op = caller->m_op;
        if (c.m_error) call_op->m_error = c.m_error;
        emit(EventKind::op_ready, caller, call_op, -1, static_cast<std::int64_t>(Outcome::call),
             static_cast<std::int64_t>(c.id()));
        now = {caller, call_op};
        wake_joiners(c, nullptr);
    } else if (detail::EndHook* hook = c.end_hook()) {
        // An event tied to this end (a pipe's consumer) may take the CPU first.
        if (Operation* next = hook->on_end(c)) now = {next->m_coro, next};
        wake_joiners(c, now.coro ? nullptr : &now);
    } else {
        wake_joiners(c, &now);
    }
    forget(c);
    if (now.coro) {
        m_current = now;
        return Phase::resume;
    }
    return Phase::poll;
}

// Joiners of a finished coroutine: the most recent runs now (when `now` is
// free to take it), the others go front (reversed) under a non-zero
// default priority, else back in registration order.
void Scheduler::wake_joiners(Coroutine& c, Pair* now) {
    std::vector<Operation*> joiners = c.take_joiners();
    if (joiners.empty()) return;
    std::exception_ptr error = c.m_error;
    if (!error && c.m_state == CoroState::killed) error = std::make_exception_ptr(Cancelled{});
    for (Operation* j : joiners) {
        if (error) j->m_error = error;
    }
    if (now) {
        Operation* last = joiners.back();
        joiners.pop_back();
        m_timers->remove(*last);
        emit(EventKind::op_ready, last->m_coro, last, -1, static_cast<std::int64_t>(Outcome::join),
             static_cast<std::int64_t>(c.id()));
        *now = {last->m_coro, last};
    }
    const Placement where =
        m_options.default_priority != Priority::LAST ? Placement::front : Placement::back;
    for (Operation* j : joiners) schedule(*j, where, Outcome::join, c.id());
}

void Scheduler::report_failure(Coroutine& c) {
    if (c.m_reported) return;
    c.m_reported = true;
    std::string msg = "cogen: coroutine " + std::to_string(c.id()) + " '" + c.name() + "' failed";
    if (c.m_last_op_length > 0)
        msg += " (last op: " + std::string(c.m_last_op_name, c.m_last_op_length) + ")";
    msg += ": " + describe(c.m_error);
    if (m_options.error_sink) {
        m_options.error_sink(msg);
    } else {
        std::fprintf(stderr, "%s\n", msg.c_str());
    }
}

// Destroy a coroutine's frame without resuming it (cancellation of one not
// started, scheduler teardown). Its registrations must be undone already.
void Scheduler::kill(Coroutine& c, std::string_view reason) {
    if (!c.alive()) return;
    if (!c.m_error) c.m_error = std::make_exception_ptr(Cancelled{std::string(reason)});
    c.m_state = CoroState::killed;
    if (tracing()) emit(EventKind::coro_kill, &c, c.m_op, -1, 0, 0, intern(reason));
    if (c.m_handle) {
        auto h = std::exchange(c.m_handle, {});
        h.destroy();
    }
}

void Scheduler::forget(Coroutine& c) {
    const std::size_t i = c.m_live_index;
    const std::size_t last = m_records.size() - 1;
    std::shared_ptr<Coroutine> keep = std::move(m_records[i]);  // freed after the swap
    if (i != last) {
        m_records[i] = std::move(m_records[last]);
        m_live[i] = m_live[last];
        m_records[i]->m_live_index = static_cast<std::uint32_t>(i);
    }
    m_records.pop_back();
    m_live.pop_back();
}

void Scheduler::cancel(Coroutine& c) {
    if (!c.alive() || c.m_core != m_core.get()) return;
    c.m_cancelled = true;
    const bool awaiting_process = m_current.coro == &c && m_phase == Phase::process;
    if (c.m_state == CoroState::running || awaiting_process) {
        c.m_cancel_requested = true;  // delivered at its next (or pending) process()
        return;
    }
    if (!c.m_op) {
        // Its body never ran: drop it from the queue and destroy the frame.
        if (m_active.erase_if([&](const Pair& p) { return p.coro == &c; }) > 0 ||
            m_urgent.coro == &c)
            emit_active(&c, ActiveChange::dropped);
        if (m_urgent.coro == &c) m_urgent = {};
        c.m_queued = false;
        kill(c, "cancelled");
        if (Coroutine* caller = c.m_caller) {
            caller->m_op->m_error = c.m_error;
            schedule(*caller->m_op, Placement::back, Outcome::cancel,
                     m_running ? m_running->id() : 0);
        }
        const std::vector<Operation*> joiners = c.take_joiners();
        for (Operation* j : joiners) j->m_error = c.m_error;
        for (Operation* j : joiners) schedule(*j, Placement::back, Outcome::cancel, c.id());
        forget(c);
        return;
    }
    Operation& op = *c.m_op;
    if (c.m_queued) {
        op.m_error = std::make_exception_ptr(Cancelled{});  // resumes with Cancelled instead
        return;
    }
    m_timers->remove(op);
    emit(EventKind::op_cleanup, &c, &op, op.fd(), 1);
    op.cleanup(*m_core, c);
    op.m_error = std::make_exception_ptr(Cancelled{});
    schedule(op, Placement::back, Outcome::cancel, m_running ? m_running->id() : 0);
}

void detail::cancel_coroutine(Coroutine& coro) {
    if (coro.alive()) coro.scheduler()->cancel(coro);
}

// ---------------------------------------------------------------------------
// Arrows of the diagram, for operations.

void Scheduler::schedule(Operation& op, Placement where, Outcome cause, std::uint64_t cause_id) {
    m_timers->remove(op);
    emit(EventKind::op_ready, op.m_coro, &op, op.fd(), static_cast<std::int64_t>(cause),
         static_cast<std::int64_t>(cause_id));
    push({op.m_coro, &op}, where);
}

void Scheduler::run_now(Coroutine& coro, Operation* op, Outcome cause, std::uint64_t cause_id) {
    if (op) m_timers->remove(*op);
    emit(EventKind::op_ready, &coro, op, op ? op->fd() : -1, static_cast<std::int64_t>(cause),
         static_cast<std::int64_t>(cause_id));
    m_now = {&coro, op};
}

void Scheduler::schedule_error(Operation& op, std::exception_ptr error, Placement where) {
    op.m_error = std::move(error);
    schedule(op, where, Outcome::other, m_running ? m_running->id() : 0);
}

void Scheduler::add_joiner(Coroutine& target, Operation& join_op) {
    target.extras().joiners.push_back(&join_op);
}

void Scheduler::remove_joiner(Coroutine& target, Operation& join_op) noexcept {
    if (target.m_extras) std::erase(target.m_extras->joiners, &join_op);
}

// cogen's I/O completion rules (docs/priorities.md): the last completion of
// a poll batch becomes urgent; the others run inside the poll (ops_greedy,
// or one step under the OP bit) or are queued (front under the CORO bit).
// Most completions of a busy poll are none of the rarer cases (traced, the last of the
// batch, ops_greedy, an op priority bit): their coroutine goes to the queue with no call
// and no register saves; the rest take io_completed_slow().
// (An armed timer or a full queue also takes the slow path: the fast one calls nothing, so
// it saves no registers.)
// Where a completion's pair goes (the three io_completed functions): the urgent
// slot for the poll's last one (its previous holder pushed to the front first), else the
// front or the back of the queue by the op's coroutine bit. Returns the change for its
// sched.active event, which the caller writes.
[[gnu::always_inline]] inline ActiveChange Scheduler::place_completed(Pair pair, bool last) {
    pair.coro->m_queued = true;
    if (last) {
        if (m_urgent.coro) push(m_urgent, Placement::front);
        m_urgent = pair;
        return ActiveChange::urgent;
    }
    if (has_coro_bit(pair.op->m_prio)) {
        m_active.push_front(pair);
        return ActiveChange::front;
    }
    m_active.push_back(pair);
    return ActiveChange::back;
}

void Scheduler::io_completed(Operation& op, bool last) {
    if (last || tracing() || m_options.ops_greedy || has_op_bit(op.m_prio) ||
        detail::TimerHeap::armed(op) || m_active.full()) [[unlikely]] {
        io_completed_slow(op, last);
        return;
    }
    emit_active(op.m_coro, place_completed({op.m_coro, &op}, false));
}
[[gnu::noinline]] void Scheduler::io_completed_slow(Operation& op, bool last) {
    Coroutine& c = *op.m_coro;
    m_timers->remove(op);
    if (tracing()) {  // op.fd() is a virtual call: only when someone listens
        emit(EventKind::op_ready, &c, &op, op.fd(), static_cast<std::int64_t>(Outcome::proactor),
             static_cast<std::int64_t>(m_last_poll_seq));
    }
    const Pair pair{&c, &op};
    if (!last && m_options.ops_greedy) {
        run_chain(pair);
        return;
    }
    if (!last && has_op_bit(op.m_prio)) {
        Phase next = resume(pair);
        if (next == Phase::process) next = process(m_current);
        if (next == Phase::resume) {
            const bool coro_bit = m_current.op && has_coro_bit(m_current.op->m_prio);
            push(m_current, coro_bit ? Placement::front : Placement::back);
        }
        return;
    }
    emit_active(&c, place_completed(pair, last));
}

// A traced completion from the proactor's poll: op.run, proactor.unregister, op.ready and
// sched.active in one ring record when nothing comes between them — the op becomes urgent
// with the slot empty, or joins the queue — else the four events one by one and the
// general path.
void Scheduler::io_completed_traced(Operation& op, bool last, int fd) {
    Coroutine& c = *op.m_coro;
    if (!m_tick_ring || m_options.ops_greedy || has_op_bit(op.m_prio) || (last && m_urgent.coro)) {
        emit(EventKind::op_run, &c, &op, fd, op.transferred(), 1);
        emit(EventKind::proactor_unregister, &c, &op, fd, 0);
        io_completed_slow(op, last);
        return;
    }
    m_timers->remove(op);
    const ActiveChange change = place_completed({&c, &op}, last);  // the slot is empty: no event
    // (A poll inside an op.process would find a suspension deferred.)
    settle_deferred();
    push_tick_record(EventKind::op_run, false, c.id(), op.id(), awaited_op_type(c, op), fd,
                     op.transferred(), static_cast<std::int64_t>(m_last_poll_seq),
                     static_cast<std::uint32_t>(m_active.size()), 0, EventRecord::completed,
                     static_cast<std::uint16_t>(change));
}

void Scheduler::run_chain(Pair pair) {
    Phase next = resume(pair);
    while (next == Phase::resume || next == Phase::process) {
        next = next == Phase::resume ? resume(m_current) : process(m_current);
    }
}

// Poll the proactor when ops wait on fds (not while coroutines are runnable
// unless proactor_greedy), with the nearest deadline as timeout. With only
// timers pending, sleep until the earliest one (cogen busy-spins here).
bool Scheduler::poll_phase() {
    const bool runnable = !m_active.empty() || m_urgent.coro;
    if (m_proactor->pending() > 0) {
        if (!m_options.proactor_greedy && runnable) return false;
        const auto delta = next_timer_delta();
        if (m_clock->manual() && delta && delta->count() > 0) {
            // A manual clock does not move while the poll waits, so waiting for the next
            // deadline would wait forever (the deadline never comes). Look at the fds
            // without waiting; when none was ready, move the clock to the deadline instead.
            m_proactor->poll(nanoseconds{0});
            if (m_active.empty() && !m_urgent.coro)
                m_clock->advance_to(nanoseconds{m_timers->earliest()});
            return true;
        }
        m_proactor->poll(delta ? *delta : m_options.proactor_resolution);
        return true;
    }
    if (runnable || m_timers->empty()) return false;
    const auto delta = *next_timer_delta();
    if (delta.count() <= 0) return false;
    if (m_clock->manual()) {
        m_clock->advance_to(nanoseconds{m_timers->earliest()});
    } else {
        m_proactor->poll(delta);
    }
    return true;
}

// Pop every deadline that has passed, earliest first. Sleep wakes up; anything
// else times out: cleanup() and OperationTimeout thrown at its co_await (back of
// the queue). A callback timer runs here and now. Only the deadlines armed before
// the check started are popped: a callback that arms a due timer (call_later(0))
// leaves it to the next check, so callbacks cannot keep the loop in this phase.
bool Scheduler::timers_phase() {
    if (m_timers->empty()) return false;
    const std::int64_t now = m_clock->now().count();
    if (m_timers->earliest() > now) return false;
    const std::uint64_t armed_before = m_timers->arming_count();
    while (!m_timers->empty() && m_timers->earliest() <= now &&
           m_timers->earliest_order() < armed_before) {
        // (A weak timeout's node already holds the last progress + length:
        // TimerHeap::progress moves it when the op records progress.)
        const detail::TimerHeap::Node fired = m_timers->pop();
        const std::int64_t deadline = fired.deadline;
        if (detail::CallbackSlot* callback = fired.callback()) {
            fire_callback(*callback, deadline, now);
            continue;
        }
        Operation& op = *fired.op();
        Coroutine& c = *op.m_coro;
        emit(EventKind::timer_fire, &c, &op, -1, now - deadline, deadline - m_t0);
        const std::uint64_t fire_seq = m_seq;
        if (op.completes_at_deadline()) {
            schedule(op, Placement::back, Outcome::timer, fire_seq);
            continue;
        }
        emit(EventKind::op_timeout, &c, &op, -1, fired.length);
        emit(EventKind::op_cleanup, &c, &op, op.fd(), 0);
        op.cleanup(*m_core, c);
        op.m_error =
            std::make_exception_ptr(OperationTimeout(&op, std::string(op.name()) + " timed out"));
        schedule(op, Placement::back, Outcome::timeout, fire_seq);
    }
    return true;
}

// A callback timer's deadline came: run its callable in place (its slot's chunk
// never moves, even if it arms more timers), then destroy it and free the slot. Its
// exception is reported as a failed coroutine's is, and the loop goes on.
void Scheduler::fire_callback(detail::CallbackSlot& slot, std::int64_t deadline, std::int64_t now) {
    const std::uint64_t id = slot.id;
    emit_timer(EventKind::timer_fire, id, now - deadline, deadline - m_t0);
    std::exception_ptr error;
    try {
        slot.ops->run(slot);
    } catch (...) {
        error = std::current_exception();
    }
    slot.ops->destroy(slot);
    m_callbacks->release(slot);
    if (!error) {
        emit_timer(EventKind::timer_done, id);
        return;
    }
    const std::string what = describe(error);
    if (tracing()) emit_timer(EventKind::timer_done, id, 1, 0, intern(what));
    const std::string msg = "cogen: timer callback " + std::to_string(id) + " failed: " + what;
    if (m_options.error_sink) {
        m_options.error_sink(msg);
    } else {
        std::fprintf(stderr, "%s\n", msg.c_str());
    }
}

// ---------------------------------------------------------------------------
// Coroutine records.

void Scheduler::adopt_record(std::shared_ptr<Coroutine> record, std::coroutine_handle<> handle,
                             detail::PromiseBase& promise, std::string name, std::uint64_t parent,
                             Priority prio) {
    Coroutine& c = *record;
    c.m_id = ++m_next_coro_id;
    c.m_core = m_core.get();
    c.m_handle = handle;
    c.m_parent_id = parent;
    c.m_spawn_prio = static_cast<std::int8_t>(resolve(prio));
    promise.m_record = &c;
    if (!name.empty()) c.extras().name = std::move(name);  // else "coro-<id>" when asked
    c.m_live_index = static_cast<std::uint32_t>(m_records.size());
    m_live.push_back(&c);
    m_records.push_back(std::move(record));
    if (tracing()) announce(c, prio);
}

// ---------------------------------------------------------------------------
// Tracing.

void Scheduler::announce(const Coroutine& c, Priority prio) {
    // A coroutine without a name of its own has none in the trace either (text 0: readers
    // say default_coro_name()): a "coro-<id>" string per coroutine would stay in the string
    // table, the tracer's and every viewer's, for as long as the program runs.
    const bool named =
        c.m_extras && !c.m_extras->name.empty() && c.m_extras->name != default_coro_name(c.m_id);
    emit(EventKind::coro_spawn, &c, nullptr, -1, static_cast<std::int64_t>(c.m_parent_id),
         static_cast<std::int64_t>(resolve(prio)), named ? intern(c.m_extras->name) : 0);
}

void Scheduler::set_instrument(Instrument* instrument) {
    m_instrument = instrument;
    adopt_ring();
    if (!m_instrument) return;
    // The strings keep their ids: tell the newcomer the ones interned so far, in order.
    std::vector<std::pair<std::uint32_t, std::string_view>> known;
    known.reserve(m_strings.size());
    for (const auto& [text, id] : m_strings) known.emplace_back(id, text);
    std::sort(known.begin(), known.end());
    for (const auto& [id, text] : known) m_instrument->on_string(id, text);
    emit(EventKind::sched_note, nullptr, nullptr, -1, 0, 0,
         intern("instrument attached: the coroutines alive now are announced by coro.spawn"));
    for (const Coroutine* c : m_live) announce(*c, static_cast<Priority>(c->m_spawn_prio));
}

Instrument* Scheduler::exchange_instrument(Instrument* instrument) noexcept {
    Instrument* const old = std::exchange(m_instrument, instrument);
    adopt_ring();
    return old;
}

void Scheduler::adopt_ring() {
    settle_deferred();  // into the ring it was made for
    m_ring = m_instrument ? m_instrument->record_ring() : nullptr;
    m_tick_ring = m_clock == &m_steady ? m_ring : nullptr;
    // Names looked up at traced suspensions (emit_suspend) may be stale now: the ops the
    // coroutines await were not all looked up under this ring. 0 = ask the op.
    for (const std::shared_ptr<Coroutine>& c : m_records) {
        if (c) c->m_last_op_type = 0;
    }
    if (!m_ring || m_ticks) return;
    // The tick count at m_t0: now, minus the scheduler time gone by since (none when the
    // instrument comes with the scheduler; an estimate when it is attached later).
    m_ticks = &TickClock::instance();
    const std::uint64_t now = m_ticks->now();
    const std::int64_t since = m_clock->now().count() - m_t0;
    const auto back =
        since > 0 ? static_cast<std::uint64_t>(static_cast<double>(since) / m_ticks->ns_per_tick())
                  : 0;
    m_tick0 = back < now ? now - back : 0;
}

std::uint32_t Scheduler::intern(std::string_view text) {
    if (text.empty() || !m_instrument) return 0;
    auto it = m_strings.find(std::string(text));
    if (it != m_strings.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(m_strings.size() + 1);
    m_strings.emplace(std::string(text), id);
    m_instrument->on_string(id, text);
    return id;
}

// Operation names are string literals: cache their ids by address.
// Consecutive events usually name the same op: try the last hit first.
std::uint32_t Scheduler::intern_name(std::string_view name) {
    if (m_last_name.data == name.data() && m_last_name.size == name.size()) return m_last_name.id;
    for (const auto& e : m_name_cache) {
        if (e.data == name.data() && e.size == name.size()) {
            m_last_name = e;
            return e.id;
        }
    }
    const std::uint32_t id = intern(name);
    m_name_cache.push_back({name.data(), name.size(), id});
    m_last_name = m_name_cache.back();
    return id;
}

namespace {

// An op.process says what it waits for in TraceEvent::target (Operation::wait_target(),
// decoded by EventView): the joined or called coroutine, a queue's level and side, the bytes
// a socket op moved before it parked. The outcome (`a`) is small: it rides beside a packed
// target in the ring's record.
std::uint64_t target_of(EventKind kind, const Operation* op) {
    if (kind != EventKind::op_process || !op) return 0;
    return op->wait_target();
}

}  // namespace

template <bool clock, bool process>
void Scheduler::emit_ring(EventKind kind, const Coroutine* coro, const Operation* op, int fd,
                          std::int64_t a, std::int64_t b, std::uint64_t text) {
    settle_deferred();
    ring_event<clock, process>(kind, coro, op, fd, a, b, text);
}
template void Scheduler::emit_ring<false, false>(EventKind, const Coroutine*, const Operation*, int,
                                                 std::int64_t, std::int64_t, std::uint64_t);
template void Scheduler::emit_ring<true, false>(EventKind, const Coroutine*, const Operation*, int,
                                                std::int64_t, std::int64_t, std::uint64_t);
template void Scheduler::emit_ring<false, true>(EventKind, const Coroutine*, const Operation*, int,
                                                std::int64_t, std::int64_t, std::uint64_t);

// The op.process of a deferred suspension, with it (and what came between them) in one
// record when that fits: a register on the op's own fd, a requeue with room for its queue
// size where the process has neither text nor target. Else they are written one by one.
[[gnu::always_inline]] inline void Scheduler::emit_step(Coroutine& c, Operation& op, int fd,
                                                        Outcome outcome, std::int64_t timeout,
                                                        std::uint32_t text, std::uint64_t target,
                                                        bool resumes) {
    if (resumes && m_deferred == Deferred::suspend) {
        // The resume that comes next writes the whole step (resume()).
        m_deferred = Deferred::step_ready;
        m_deferred_fd = fd;
        m_deferred_timeout = timeout;
        m_deferred_text = text;
        m_deferred_target = target;
        return;
    }
    std::uint8_t flags = EventRecord::after_suspend;
    std::uint32_t names_text = text;
    std::uint16_t aux = 0;
    switch (m_deferred) {
        case Deferred::suspend_read:
        case Deferred::suspend_write:
            if (m_deferred_fd != fd) {
                write_deferred();  // the suspend and the register, then the process apart
                flags = 0;
                break;
            }
            flags |= m_deferred == Deferred::suspend_read ? EventRecord::registered_read
                                                          : EventRecord::registered_write;
            break;
        case Deferred::suspend_queued:
            if (text != 0 || target != 0 || m_deferred_queue > 0xFFFFFFFFu) {
                write_deferred();  // the suspend and the sched.active, then the process apart
                flags = 0;
                break;
            }
            flags |= EventRecord::queued;
            names_text = static_cast<std::uint32_t>(m_deferred_queue);
            aux = static_cast<std::uint16_t>(m_deferred_change);
            break;
        default:
            break;
    }
    m_deferred = Deferred::none;
    push_tick_record(EventKind::op_process, false, c.id(), op.id(), awaited_op_type(c, op), fd,
                     static_cast<std::int64_t>(outcome), timeout, names_text, target, flags, aux);
}

// A deferred coro.suspend (and the proactor.register or sched.active after it) written on
// its own: another event came before the op.process. Their time is the suspension's
// (m_tick_stamp, not read since). Or a pick's sched.active whose resume could not carry it.
void Scheduler::write_deferred() {
    const Deferred d = std::exchange(m_deferred, Deferred::none);
    const Coroutine& c = *m_current.coro;
    if (d == Deferred::taken) {  // the pick's sched.active (its pair may have no op)
        push_tick_record(EventKind::sched_active, false, c.id(), 0, 0, -1,
                         static_cast<std::int64_t>(m_deferred_queue),
                         static_cast<std::int64_t>(ActiveChange::taken), 0, 0);
        return;
    }
    const Operation& op = *m_current.op;
    const std::uint32_t op_type = awaited_op_type(c, op);
    push_tick_record(EventKind::coro_suspend, false, c.id(), op.id(), op_type, -1, 0, 0, 0, 0);
    if (d == Deferred::suspend_queued) {
        push_tick_record(EventKind::sched_active, false, c.id(), 0, 0, -1,
                         static_cast<std::int64_t>(m_deferred_queue),
                         static_cast<std::int64_t>(m_deferred_change), 0, 0);
    } else if (d == Deferred::step_ready) {
        push_tick_record(EventKind::op_process, false, c.id(), op.id(), op_type, m_deferred_fd,
                         static_cast<std::int64_t>(Outcome::ready), m_deferred_timeout,
                         m_deferred_text, m_deferred_target);
    } else if (d != Deferred::suspend) {
        push_tick_record(EventKind::proactor_register, false, c.id(), op.id(), op_type,
                         m_deferred_fd, d == Deferred::suspend_read ? 1 : 2, 0, 0, 0);
    }
}

// The interned wait_label() of an op that may have one (a queue's, a signal's name).
std::uint32_t Scheduler::label_of(const Operation& op) {
    const std::string label = op.wait_label();
    return label.empty() ? 0 : intern(label);
}

std::uint32_t Scheduler::name_id_slow(const char* data, std::size_t size) {
    const std::uint32_t id = intern_name({data, size});
    m_name_slots[(reinterpret_cast<std::uintptr_t>(data) >> 3) & (name_slots - 1)] = {data, size,
                                                                                      id};
    return id;
}

std::uint32_t Scheduler::op_type_of(const Operation& op) {
    // The address alone could be a new op in the old one's place (a frame's temporary):
    // the id tells them apart.
    if (&op == m_named_op && op.id() == m_named_op_id) return m_named_op_type;
    m_named_op = &op;
    m_named_op_id = op.id();
    m_named_op_type = intern_name(op.name());
    return m_named_op_type;
}

// Inlined into both callers: the ring path stays one function, as it was.
[[gnu::always_inline]] inline void Scheduler::emit_ids(EventKind kind, std::uint64_t coro,
                                                       std::uint64_t op, std::uint32_t op_type,
                                                       int fd, std::int64_t a, std::int64_t b,
                                                       std::uint64_t text, std::uint64_t target) {
    if (m_tick_ring) [[likely]] {  // stamped in ticks, straight into the tracer's ring
        settle_deferred();
        push_tick_record(kind, reads_clock(kind), coro, op, op_type, fd, a, b, text, target);
        return;
    }
    if (reads_clock(kind)) m_stamp = std::max(m_stamp, m_clock->now().count() - m_t0);
    TraceEvent e{
        .seq = ++m_seq,
        .t_ns = static_cast<std::uint64_t>(m_stamp),
        .kind = kind,
        .fd = fd,
        .coro = coro,
        .op = op,
        .op_type = op_type,
        .text = static_cast<std::uint32_t>(text),
        .a = a,
        .b = b,
        .target = target,
    };
    if (kind == EventKind::proactor_poll_end) m_last_poll_seq = e.seq;
    if (m_ring) {  // a ring instrument on another clock: stamped in ns
        m_ring->push(to_record(e));
    } else {
        m_instrument->on_event(e);
    }
}

void Scheduler::emit_slow(EventKind kind, const Coroutine* coro, const Operation* op, int fd,
                          std::int64_t a, std::int64_t b, std::uint64_t text) {
    // The calls come first (see emit_ids).
    const std::uint32_t op_type = op ? op_type_of(*op) : 0;
    emit_ids(kind, coro ? coro->id() : 0, op ? op->id() : 0, op_type, fd, a, b, text,
             target_of(kind, op));
}

void Scheduler::emit_timer_slow(EventKind kind, std::uint64_t id, std::int64_t a, std::int64_t b,
                                std::uint64_t text) {
    const std::uint32_t op_type = intern_name("callback");
    emit_ids(kind, m_running ? m_running->id() : 0, id, op_type, -1, a, b, text, 0);
}

}  // namespace cogen
