// TraceBuilder: writes synthetic event streams for the visualizer model tests
// as readable calls (spawn, sleep, wait_signal, emit, ready, wake ...), with
// seq numbering, a clock and a string table handled for the test.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cogen/instrument.hpp"
#include "cogen/trace/trace_data.hpp"
#include "cogen/viz/place.hpp"
#include "cogen/viz/state_reducer.hpp"
#include "cogen/viz/trace_model.hpp"

namespace cogen::viz::test {

/// A parked (coroutine, op) that an event wakes.
struct Waiter {
    std::uint64_t coro = 0;
    std::uint64_t op = 0;
};

/// Builds a trace event by event. Every call returns the seq of the event it
/// wrote (the last one when it writes several).
///
///     TraceBuilder t;
///     t.spawn(1, "main");
///     t.start(1);
///     t.sleep(1, 10, 100'000'000);
///     t.advance_ms(100);
///     t.timer_fire(1, 10);
class TraceBuilder {
  public:
    // --- clock and strings ---------------------------------------------------

    void advance_ms(double ms) { m_now += static_cast<std::uint64_t>(ms * 1e6); }
    void advance_ns(std::uint64_t ns) { m_now += ns; }
    std::uint64_t now() const { return m_now; }
    std::uint64_t last_seq() const { return m_seq; }

    std::uint32_t str(std::string_view s) {
        if (s.empty()) return 0;
        auto [it, inserted] = m_ids.try_emplace(std::string(s), m_next_id);
        if (inserted) m_data.strings.set(m_next_id++, s);
        return it->second;
    }

    // --- raw events ----------------------------------------------------------

    std::uint64_t event(EventKind kind, std::uint64_t coro = 0, std::uint64_t op = 0,
                        std::int64_t a = 0, std::int64_t b = 0, std::string_view text = {},
                        std::string_view op_type = {}, std::int32_t fd = -1) {
        TraceEvent e;
        e.seq = ++m_seq;
        e.t_ns = m_now;
        e.kind = kind;
        e.coro = coro;
        e.op = op;
        e.a = a;
        e.b = b;
        e.text = str(text);
        e.op_type = str(op_type.empty() ? op_type_of(op) : op_type);
        if (!op_type.empty() && op != 0) m_op_types[op] = std::string(op_type);
        e.fd = fd;
        m_data.events.push_back(e);
        return e.seq;
    }

    // --- coroutine lifecycle -------------------------------------------------

    std::uint64_t spawn(std::uint64_t coro, std::string_view name, std::uint64_t parent = 0) {
        return event(EventKind::coro_spawn, coro, 0, static_cast<std::int64_t>(parent), 0, name);
    }
    std::uint64_t start(std::uint64_t coro) {
        return event(EventKind::coro_resume, coro, 0, static_cast<std::int64_t>(ResumeMode::start));
    }
    std::uint64_t resume(std::uint64_t coro, std::uint64_t op,
                         ResumeMode mode = ResumeMode::value) {
        return event(EventKind::coro_resume, coro, op, static_cast<std::int64_t>(mode));
    }
    std::uint64_t finish(std::uint64_t coro) { return event(EventKind::coro_finish, coro); }
    std::uint64_t fail(std::uint64_t coro, std::string_view what) {
        return event(EventKind::coro_fail, coro, 0, 0, 0, what);
    }
    std::uint64_t kill(std::uint64_t coro, std::string_view reason = "cancelled") {
        return event(EventKind::coro_kill, coro, 0, 0, 0, reason);
    }

    // --- the operation protocol ----------------------------------------------

    /// coro.suspend then op.process with `outcome` (a running coroutine awaits an op).
    std::uint64_t await_op(std::uint64_t coro, std::uint64_t op, std::string_view type,
                           Outcome outcome, std::string_view label = {},
                           std::int64_t timeout_ns = 0, std::int32_t fd = -1) {
        event(EventKind::coro_suspend, coro, op, 0, 0, {}, type);
        return event(EventKind::op_process, coro, op, static_cast<std::int64_t>(outcome),
                     timeout_ns, label, type, fd);
    }
    std::uint64_t sleep(std::uint64_t coro, std::uint64_t op, double ms) {
        return await_op(coro, op, "Sleep", Outcome::timer, {}, static_cast<std::int64_t>(ms * 1e6));
    }
    std::uint64_t wait_signal(std::uint64_t coro, std::uint64_t op, std::string_view name,
                              std::int64_t timeout_ns = 0) {
        return await_op(coro, op, "WaitForSignal", Outcome::signal, name, timeout_ns);
    }
    /// As the runtime writes it: the label for people, the target by id (TraceEvent::target).
    std::uint64_t join(std::uint64_t coro, std::uint64_t op, std::uint64_t target,
                       std::int64_t timeout_ns = 0) {
        const std::uint64_t seq =
            await_op(coro, op, "Join", Outcome::join, "coro " + std::to_string(target), timeout_ns);
        m_data.events.back().target = target;
        return seq;
    }
    std::uint64_t queue_get(std::uint64_t coro, std::uint64_t op, std::string_view queue) {
        return await_op(coro, op, "QGet", Outcome::queue, queue);
    }
    /// A put that completes at once, as the runtime reports it: coro.suspend,
    /// the waiting getter's op.ready if there is one (released by this
    /// coroutine), then op.process `ready`. Returns the op.process seq.
    std::uint64_t queue_put(std::uint64_t coro, std::uint64_t op, std::string_view queue,
                            Waiter getter = {}) {
        event(EventKind::coro_suspend, coro, op, 0, 0, {}, "QPut");
        if (getter.coro != 0)
            ready(getter.coro, getter.op, Outcome::queue, static_cast<std::int64_t>(coro));
        return event(EventKind::op_process, coro, op, static_cast<std::int64_t>(Outcome::ready), 0,
                     queue, "QPut");
    }
    std::uint64_t recv(std::uint64_t coro, std::uint64_t op, std::int32_t fd,
                       std::int64_t timeout_ns = 0) {
        await_op(coro, op, "Recv", Outcome::proactor, {}, timeout_ns, fd);
        return register_fd(coro, op, fd, FdInterest::read);
    }
    /// A Signal op, as the runtime reports it: coro.suspend, signal.emit, the
    /// woken waiters' op.ready, then op.process (`yield`: the signaler is
    /// queued). Returns the signal.emit seq.
    std::uint64_t emit(std::uint64_t coro, std::uint64_t op, std::string_view name,
                       std::vector<Waiter> waiters = {}) {
        event(EventKind::coro_suspend, coro, op, 0, 0, {}, "Signal");
        const auto seq = event(EventKind::signal_emit, coro, op,
                               static_cast<std::int64_t>(waiters.size()), 0, name, "Signal");
        for (const Waiter& w : waiters) {
            ready(w.coro, w.op, Outcome::signal, static_cast<std::int64_t>(coro));
        }
        event(EventKind::op_process, coro, op, static_cast<std::int64_t>(Outcome::yield), 0, name,
              "Signal");
        return seq;
    }
    std::uint64_t ready(std::uint64_t coro, std::uint64_t op, Outcome cause,
                        std::int64_t cause_id = 0) {
        return event(EventKind::op_ready, coro, op, static_cast<std::int64_t>(cause), cause_id);
    }
    std::uint64_t finalize(std::uint64_t coro, std::uint64_t op) {
        return event(EventKind::op_finalize, coro, op);
    }
    /// op.finalize then coro.resume: the scheduler resumes a ready coroutine.
    std::uint64_t wake(std::uint64_t coro, std::uint64_t op, ResumeMode mode = ResumeMode::value) {
        finalize(coro, op);
        return resume(coro, op, mode);
    }
    std::uint64_t timeout(std::uint64_t coro, std::uint64_t op, std::int64_t ns) {
        return event(EventKind::op_timeout, coro, op, ns);
    }
    std::uint64_t cleanup(std::uint64_t coro, std::uint64_t op, std::int64_t cancel = 0) {
        return event(EventKind::op_cleanup, coro, op, cancel);
    }

    // --- scheduler and proactor ----------------------------------------------

    std::uint64_t register_fd(std::uint64_t coro, std::uint64_t op, std::int32_t fd,
                              FdInterest interest) {
        return event(EventKind::proactor_register, coro, op, static_cast<std::int64_t>(interest), 0,
                     {}, {}, fd);
    }
    std::uint64_t unregister_fd(std::uint64_t coro, std::uint64_t op, std::int32_t fd) {
        return event(EventKind::proactor_unregister, coro, op, 0, 0, {}, {}, fd);
    }
    /// poll.begin, `waited_ms` later poll.end; returns the poll.end seq.
    std::uint64_t poll(std::int64_t fds, std::int64_t ready_count, double waited_ms = 0) {
        event(EventKind::proactor_poll_begin, 0, 0, -1, fds, "epoll");
        advance_ms(waited_ms);
        return event(EventKind::proactor_poll_end, 0, 0, ready_count,
                     static_cast<std::int64_t>(waited_ms * 1e6));
    }
    std::uint64_t run_op(std::uint64_t coro, std::uint64_t op, std::int32_t fd, std::int64_t bytes,
                         bool done) {
        return event(EventKind::op_run, coro, op, bytes, done ? 1 : 0, {}, {}, fd);
    }
    std::uint64_t timer_fire(std::uint64_t coro, std::uint64_t op, std::int64_t lateness_ns = 0) {
        return event(EventKind::timer_fire, coro, op, lateness_ns,
                     static_cast<std::int64_t>(m_now) - lateness_ns);
    }
    std::uint64_t active(std::int64_t length) {
        return event(EventKind::sched_active, 0, 0, length);
    }
    /// A new coroutine's first turn sent it to the back of a queue now `length` long.
    std::uint64_t start_round(std::uint64_t coro, std::int64_t length) {
        return queued(coro, length, ActiveChange::start_round);
    }
    /// The sched.active of `coro`'s pair: queued (back, front, urgent), taken, dropped.
    std::uint64_t queued(std::uint64_t coro, std::int64_t length, ActiveChange change) {
        return event(EventKind::sched_active, coro, 0, length, static_cast<std::int64_t>(change));
    }
    std::uint64_t run_begin() { return event(EventKind::sched_run_begin, 0, 0, 0, 0, "epoll"); }
    std::uint64_t run_end(std::int64_t alive) {
        return event(EventKind::sched_run_end, 0, 0, alive);
    }
    /// A live feed's trace.heartbeat: seq 0, outside the numbering. Returns 0.
    std::uint64_t heartbeat() {
        TraceEvent e;
        e.t_ns = m_now;
        e.kind = EventKind::trace_heartbeat;
        m_data.events.push_back(e);
        return 0;
    }

    // --- results -------------------------------------------------------------

    const trace::TraceData& data() const { return m_data; }
    TraceModel model(ModelOptions options = {}) const { return TraceModel(m_data, options); }
    /// The state after every event up to `seq`, replayed from scratch (what seeks must give).
    ModelState replayed_to(std::uint64_t seq) const {
        ModelState s;
        for (const TraceEvent& e : m_data.events) {
            if (e.seq > seq) break;
            apply_event(s, e);
        }
        return s;
    }

  private:
    std::string_view op_type_of(std::uint64_t op) const {
        auto it = m_op_types.find(op);
        return it == m_op_types.end() ? std::string_view{} : std::string_view{it->second};
    }

    trace::TraceData m_data;
    std::map<std::string, std::uint32_t> m_ids;
    std::map<std::uint64_t, std::string> m_op_types;
    std::uint32_t m_next_id = 1;
    std::uint64_t m_seq = 0;
    std::uint64_t m_now = 1'000;
};

}  // namespace cogen::viz::test
