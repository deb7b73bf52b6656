// Why woken: walks an op's events backwards (op chain links), reads op.ready's
// cause, and hops to the causing coroutine's own resume.
#include "cogen/viz/wake_chain.hpp"

#include <algorithm>
#include <array>

#include "cogen/trace_event_view.hpp"
#include "cogen/viz/event_text.hpp"
#include "cogen/viz/trace_model.hpp"

namespace cogen::viz {
namespace {

constexpr std::size_t npos = TraceModel::npos;

// The events of one op before its resume, newest of each kind.
struct OpEvents {
    std::size_t process = npos;
    std::size_t ready = npos;
    std::size_t run_done = npos;
    std::size_t registered = npos;
    std::size_t fired = npos;
    std::size_t timed_out = npos;
};

std::string plural(std::int64_t n, std::string_view word) {
    return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

class ChainBuilder {
  public:
    ChainBuilder(const TraceModel& model, std::size_t max_hops)
        : m_model(model), m_max_hops(std::max<std::size_t>(max_hops, 1)) {}

    void hop(std::size_t resume, std::size_t depth);
    std::vector<WakeStep> take() { return std::move(m_steps); }

  private:
    TraceEvent ev(std::size_t i) const { return m_model.events()[i]; }
    std::string who(std::uint64_t coro) const { return coro_ref(m_model, coro); }
    std::string op_name(const TraceEvent& e) const {
        const auto type = m_model.text(e.op_type);
        return (type.empty() ? std::string("op") : std::string(type)) +
               (e.op != 0 ? " op " + std::to_string(e.op) : std::string());
    }
    void add(std::size_t index, std::uint64_t coro, WakeCause cause, std::string text) {
        m_steps.push_back(
            WakeStep{index == npos ? 0 : ev(index).seq, coro, cause, std::move(text)});
    }
    OpEvents collect(std::size_t from) const;
    std::size_t last_of_coro_before(std::uint64_t coro, std::size_t before,
                                    std::initializer_list<EventKind> kinds) const;
    template <class Match>
    std::size_t nearest(std::uint64_t coro, std::size_t ready, Match match) const;
    void continue_with(std::uint64_t coro, std::size_t before, std::size_t depth);
    void explain_start(const TraceEvent& resume, std::size_t index, std::size_t depth);
    void explain_not_woken(const TraceEvent& resume, const OpEvents& op);
    void explain_cause(const TraceEvent& resume, const OpEvents& op, std::size_t depth);
    void explain_proactor(const OpEvents& op, std::size_t poll_seq);
    void explain_timer(const TraceEvent& resume, const OpEvents& op, bool timeout);

    const TraceModel& m_model;
    std::size_t m_max_hops;
    std::vector<WakeStep> m_steps;
};

OpEvents ChainBuilder::collect(std::size_t from) const {
    OpEvents op;
    auto keep = [](std::size_t& slot, std::size_t i) {
        if (slot == npos) slot = i;
    };
    for (std::size_t i = m_model.previous_of_op(from); i != npos; i = m_model.previous_of_op(i)) {
        const TraceEvent& e = ev(i);
        switch (e.kind) {
            case EventKind::op_process:
                keep(op.process, i);
                break;
            case EventKind::op_ready:
                keep(op.ready, i);
                break;
            case EventKind::op_run:
                if (EventView{e}.run_done()) keep(op.run_done, i);
                break;
            case EventKind::proactor_register:
                keep(op.registered, i);
                break;
            case EventKind::timer_fire:
                keep(op.fired, i);
                break;
            case EventKind::op_timeout:
                keep(op.timed_out, i);
                break;
            default:
                break;
        }
        if (e.kind == EventKind::op_process) break;  // nothing of this op comes before it
    }
    return op;
}

std::size_t ChainBuilder::last_of_coro_before(std::uint64_t coro, std::size_t before,
                                              std::initializer_list<EventKind> kinds) const {
    const CoroEvents events = m_model.events_of(coro);
    for (std::size_t k = events.lower_bound(before); k-- > 0;) {
        if (std::find(kinds.begin(), kinds.end(), ev(events[k]).kind) != kinds.end())
            return events[k];
    }
    return npos;
}

// The event of coroutine `coro` that caused an op.ready at index `ready`. The
// runtime reports some causes just before the op.ready (a signal.emit) and
// some just after (the op.process of the put that handed an item over), so
// look forward within the causing coroutine's same step first, then back.
template <class Match>
std::size_t ChainBuilder::nearest(std::uint64_t coro, std::size_t ready, Match match) const {
    const CoroEvents events = m_model.events_of(coro);
    for (std::size_t k = events.upper_bound(ready); k < events.size(); ++k) {
        const TraceEvent& e = ev(events[k]);
        if (match(e)) return events[k];
        if (e.kind == EventKind::coro_resume || e.kind == EventKind::coro_suspend) break;
    }
    for (std::size_t k = events.lower_bound(ready); k-- > 0;) {
        if (match(ev(events[k]))) return events[k];
    }
    return npos;
}

void ChainBuilder::continue_with(std::uint64_t coro, std::size_t before, std::size_t depth) {
    if (coro == 0 || depth + 1 >= m_max_hops) return;
    const std::size_t resume = last_of_coro_before(coro, before, {EventKind::coro_resume});
    if (resume != npos) hop(resume, depth + 1);
}

void ChainBuilder::hop(std::size_t index, std::size_t depth) {
    const TraceEvent& resume = ev(index);
    if (resume.op == 0) {
        // No op: a start, or a coroutine handed the CPU with nothing (a pipe
        // producer); the latter has an op.ready without an op just before.
        const std::size_t ready = last_of_coro_before(
            resume.coro, index,
            {EventKind::op_ready, EventKind::coro_resume, EventKind::coro_suspend});
        if (ready != npos && ev(ready).kind == EventKind::op_ready && ev(ready).op == 0) {
            add(index, resume.coro, WakeCause::resumed,
                who(resume.coro) + " resumed at seq " + std::to_string(resume.seq) +
                    " with nothing to finalize.");
            OpEvents op;
            op.ready = ready;
            explain_cause(resume, op, depth);
            return;
        }
        explain_start(resume, index, depth);
        return;
    }
    const bool thrown = EventView{resume}.resume_mode() == ResumeMode::exception;
    add(index, resume.coro, WakeCause::resumed,
        who(resume.coro) + " resumed at seq " + std::to_string(resume.seq) +
            (thrown ? " with an exception from " : " with the result of ") + op_name(resume) + ".");
    const OpEvents op = collect(index);
    if (op.ready == npos) {
        explain_not_woken(resume, op);
        return;
    }
    explain_cause(resume, op, depth);
}

void ChainBuilder::explain_start(const TraceEvent& resume, std::size_t index, std::size_t depth) {
    add(index, resume.coro, WakeCause::started,
        who(resume.coro) + " started at seq " + std::to_string(resume.seq) +
            ": its first resume, taken from the active queue.");
    // The start round (cogen's rule): the first turn made the frame and, others being
    // runnable, sent it to the back of the queue; its sched.active says so (the pick that
    // took it out again comes after).
    std::size_t round = last_of_coro_before(resume.coro, index, {EventKind::sched_active});
    const auto change = [&](std::size_t i) {
        const TraceEvent e = ev(i);
        return EventView{e}.active_change();
    };
    while (round != npos && change(round) == ActiveChange::taken)
        round = last_of_coro_before(resume.coro, round, {EventKind::sched_active});
    if (round != npos && change(round) == ActiveChange::start_round) {
        const TraceEvent round_event = ev(round);
        add(round, resume.coro, WakeCause::start_round,
            who(resume.coro) + " had its start round at seq " + std::to_string(ev(round).seq) +
                ": its frame was made and it went to the back of the active queue, behind " +
                std::to_string(EventView{round_event}.queue_length() - 1) + " other pair(s).");
    }
    const std::size_t spawn = last_of_coro_before(resume.coro, index, {EventKind::coro_spawn});
    if (spawn == npos) return;
    const TraceEvent spawn_event = ev(spawn);
    const std::uint64_t parent = EventView{spawn_event}.parent();
    add(spawn, resume.coro, WakeCause::spawned,
        who(resume.coro) + " was spawned at seq " + std::to_string(ev(spawn).seq) +
            (parent != 0 ? " by " + who(parent) + "." : " from outside any coroutine."));
    continue_with(parent, spawn, depth);
}

void ChainBuilder::explain_not_woken(const TraceEvent& resume, const OpEvents& op) {
    if (op.process == npos) {
        add(npos, resume.coro, WakeCause::unknown,
            "The trace holds no op.process or op.ready for " + op_name(resume) +
                " (events missing?).");
        return;
    }
    const TraceEvent& p = ev(op.process);
    const auto outcome = EventView{p}.outcome();
    if (outcome == Outcome::yield) {
        add(op.process, resume.coro, WakeCause::yielded,
            who(resume.coro) + " yielded at seq " + std::to_string(p.seq) +
                " and came back from the back of the active queue.");
    } else if (outcome == Outcome::ready) {
        add(op.process, resume.coro, WakeCause::completed_at_once,
            op_name(p) + " completed at once in op.process (seq " + std::to_string(p.seq) +
                "): nothing had to wake it.");
    } else {
        add(npos, resume.coro, WakeCause::unknown,
            op_name(p) + " parked (" + trace::outcome_name(EventView{p}.raw_outcome()) +
                ") but the trace holds no op.ready for it.");
    }
}

void ChainBuilder::explain_proactor(const OpEvents& op, std::size_t poll_seq) {
    if (op.run_done != npos) {
        const TraceEvent& r = ev(op.run_done);
        add(op.run_done, r.coro, WakeCause::fd_ready,
            "op.run on fd " + std::to_string(r.fd) + " moved " +
                plural(EventView{r}.bytes(), "byte") + " and completed the op (seq " +
                std::to_string(r.seq) + ").");
    }
    if (const std::size_t poll = m_model.index_of(poll_seq); poll != npos) {
        const TraceEvent& p = ev(poll);
        add(poll, 0, WakeCause::polled,
            "The proactor poll ending at seq " + std::to_string(p.seq) + " reported " +
                plural(EventView{p}.ready_count(), "ready fd") + " after blocking " +
                format_duration(EventView{p}.waited_ns()) + ".");
    }
    if (op.registered != npos) {
        const TraceEvent& r = ev(op.registered);
        add(op.registered, r.coro, WakeCause::registered,
            op_name(r) + " had registered fd " + std::to_string(r.fd) + " for " +
                (EventView{r}.interest() == Interest::write ? "write" : "read") + " at seq " +
                std::to_string(r.seq) + ".");
    }
}

void ChainBuilder::explain_timer(const TraceEvent& resume, const OpEvents& op, bool timeout) {
    const TraceEvent& ready = ev(op.ready);
    if (timeout && op.timed_out != npos) {
        const TraceEvent& t = ev(op.timed_out);
        add(op.timed_out, resume.coro, WakeCause::timed_out,
            "The " + format_duration(std::max<std::int64_t>(EventView{t}.timeout_ns(), 0)) +
                " timeout of " + op_name(t) + " expired first (seq " + std::to_string(t.seq) +
                ").");
    }
    const auto cause = EventView{ready}.cause();
    std::size_t fired = cause ? m_model.index_of(cause->seq) : npos;
    if (fired == npos || ev(fired).kind != EventKind::timer_fire) fired = op.fired;
    if (fired != npos) {
        const TraceEvent& f = ev(fired);
        add(fired, resume.coro, WakeCause::timer_fired,
            "The timer fired at seq " + std::to_string(f.seq) + ", " +
                format_duration(EventView{f}.lateness_ns()) + " after its deadline.");
    }
    const TraceEvent process_event = op.process != npos ? ev(op.process) : TraceEvent{};
    if (op.process != npos && EventView{process_event}.timeout_ns() > 0) {
        const TraceEvent& p = ev(op.process);
        add(op.process, resume.coro, WakeCause::armed,
            op_name(p) + " armed a " + format_duration(EventView{p}.timeout_ns()) +
                " deadline at seq " + std::to_string(p.seq) + ".");
    }
}

void ChainBuilder::explain_cause(const TraceEvent& resume, const OpEvents& op, std::size_t depth) {
    const TraceEvent& ready = ev(op.ready);
    const auto wake = EventView{ready}.cause();
    const Outcome cause = wake ? wake->outcome : Outcome::other;
    const std::uint64_t by = wake ? wake->id() : 0;  // a coroutine, or a poll's seq
    const std::string_view label =
        op.process != npos ? m_model.text(ev(op.process).text) : std::string_view{};
    add(op.ready, resume.coro, WakeCause::woken,
        op_name(ready) + " became ready at seq " + std::to_string(ready.seq) + " (cause " +
            trace::outcome_name(EventView{ready}.raw_outcome()) + ").");
    switch (cause) {
        case Outcome::proactor:
            explain_proactor(op, by);
            return;
        case Outcome::timer:
            explain_timer(resume, op, false);
            return;
        case Outcome::timeout:
            explain_timer(resume, op, true);
            return;
        case Outcome::signal: {
            const std::size_t emit = nearest(by, op.ready, [&](const TraceEvent& e) {
                return e.kind == EventKind::signal_emit &&
                       (label.empty() || m_model.text(e.text) == label);
            });
            if (emit == npos) {
                add(npos, by, WakeCause::signalled, who(by) + " signalled it.");
                continue_with(by, op.ready, depth);
                return;
            }
            const TraceEvent& s = ev(emit);
            add(emit, by, WakeCause::signalled,
                who(by) + " emitted signal '" + std::string(m_model.text(s.text)) + "' at seq " +
                    std::to_string(s.seq) + ", waking " + plural(EventView{s}.woken(), "waiter") +
                    ".");
            continue_with(by, emit, depth);
            return;
        }
        case Outcome::join:
        case Outcome::call: {
            const std::size_t end = last_of_coro_before(
                by, op.ready + 1,
                {EventKind::coro_finish, EventKind::coro_fail, EventKind::coro_kill});
            if (end == npos) {
                add(npos, by, WakeCause::joinee_finished, who(by) + " ended.");
                return;
            }
            const TraceEvent& f = ev(end);
            const std::string how = f.kind == EventKind::coro_finish ? "finished"
                                    : f.kind == EventKind::coro_fail ? "failed"
                                                                     : "was killed";
            const std::string why = m_model.text(f.text).empty()
                                        ? std::string()
                                        : ": " + std::string(m_model.text(f.text));
            add(end, by, WakeCause::joinee_finished,
                who(by) + " " + how + " at seq " + std::to_string(f.seq) + why + ".");
            continue_with(by, end, depth);
            return;
        }
        case Outcome::queue:
        case Outcome::pubsub:
        case Outcome::pipe: {
            const std::size_t put = nearest(by, op.ready, [&](const TraceEvent& e) {
                return e.kind == EventKind::op_process &&
                       (label.empty() || m_model.text(e.text) == label);
            });
            if (put == npos) {
                add(npos, by, WakeCause::released,
                    who(by) + " released it" +
                        (label.empty() ? "" : " on '" + std::string(label) + "'") + ".");
                continue_with(by, op.ready, depth);
                return;
            }
            const TraceEvent& p = ev(put);
            add(put, by, WakeCause::released,
                who(by) + " did " + op_name(p) +
                    (label.empty() ? "" : " on '" + std::string(label) + "'") + " at seq " +
                    std::to_string(p.seq) + ", releasing it.");
            continue_with(by, put, depth);
            return;
        }
        case Outcome::cancel:
            if (by == 0) {
                add(op.ready, 0, WakeCause::cancelled,
                    "It was cancelled from outside any coroutine.");
                return;
            }
            add(op.ready, by, WakeCause::cancelled, who(by) + " cancelled it.");
            continue_with(by, op.ready, depth);
            return;
        default:
            add(op.ready, by, WakeCause::unknown,
                "Cause id " + std::to_string(by) + " (" + std::string(to_string(cause)) + ").");
            return;
    }
}

constexpr std::array<std::string_view, static_cast<std::size_t>(WakeCause::unknown) + 1>
    cause_names = {
        "resumed", "started",   "start-round",     "spawned",    "completed-at-once", "yielded",
        "woken",   "fd-ready",  "polled",          "registered", "timer-fired",       "timed-out",
        "armed",   "signalled", "joinee-finished", "released",   "cancelled",         "unknown",
};

}  // namespace

std::string_view to_string(WakeCause cause) noexcept {
    const auto i = static_cast<std::size_t>(cause);
    return i < cause_names.size() ? cause_names[i] : std::string_view{"unknown"};
}

std::vector<WakeStep> why_woken(const TraceModel& model, std::uint64_t seq, std::size_t max_hops) {
    std::size_t index = model.index_of(seq);
    if (index == npos) return {};
    const TraceEvent& e = model.events()[index];
    if (e.kind == EventKind::op_ready || e.kind == EventKind::op_finalize) {
        // Answer for the resume this op leads to.
        const CoroEvents events = model.events_of(e.coro);
        const std::size_t ready = index;
        index = npos;
        for (std::size_t k = events.upper_bound(ready); k < events.size(); ++k) {
            const TraceEvent& next = model.events()[events[k]];
            if (next.kind == EventKind::coro_resume) {
                if (next.op == e.op) index = events[k];
                break;
            }
        }
        if (index == npos) return {};
    } else if (e.kind != EventKind::coro_resume) {
        return {};
    }
    ChainBuilder builder(model, max_hops);
    builder.hop(index, 0);
    return builder.take();
}

}  // namespace cogen::viz
