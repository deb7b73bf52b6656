// Event text: the one wording of an event, a duration and an outcome (event_text.hpp).
#include "cogen/trace/event_text.hpp"

#include <cstdio>

#include "cogen/trace_event_view.hpp"

namespace cogen::trace {
namespace {

constexpr std::size_t kind_column = 20;  // longest kind is "proactor.unregister"

std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out.push_back('\\');
        if (c == '\n') {
            out.append("\\n");
            continue;
        }
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

std::string op(EventNames& names, const TraceEvent& e) {
    std::string type{names.text(e.op_type)};
    std::string out = (type.empty() ? "op" : type) + "#" + std::to_string(names.op_number(e.op));
    if (e.fd >= 0) out += " fd " + std::to_string(e.fd);
    return out;
}

std::string cause(EventNames& names, const ReadyCause& c) {
    const auto seq_ref = [&](const char* what) {
        return std::string(" (") + what + " #" + std::to_string(names.seq_number(c.seq)) + ")";
    };
    const auto by = [&] { return " by " + coro_mention(names, c.coro); };
    switch (c.outcome) {
        case Outcome::proactor:
            return seq_ref("poll");
        case Outcome::timer:
        case Outcome::timeout:
            return seq_ref("timer.fire");
        case Outcome::join:
        case Outcome::call:
            return " (" + coro_mention(names, c.coro) + " ended)";
        case Outcome::cancel:
            return c.coro == 0 ? std::string(" from outside any coroutine") : by();
        case Outcome::signal:
        case Outcome::queue:
        case Outcome::pubsub:
        case Outcome::pipe:
            return by();
        default:
            return {};
    }
}

}  // namespace

std::string format_duration(std::int64_t ns) {
    if (ns < 0) return "-" + format_duration(-ns);
    struct Unit {
        double scale;
        const char* name;
    };
    constexpr Unit units[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "us"}};
    const auto value = static_cast<double>(ns);
    for (std::size_t i = 0; i < std::size(units); ++i) {
        const Unit& u = units[i];
        if (value < u.scale) continue;
        const double v = value / u.scale;
        // 999.6 us would round to "1000 us": say "1 ms" (seconds have no next unit).
        if (i > 0 && v >= 999.5) return std::string("1 ") + units[i - 1].name;
        // Three significant digits, trailing zeros dropped: "1.25 ms", "1.5 ms", "100 ms".
        char buf[32];
        std::snprintf(buf, sizeof buf, v >= 99.95 ? "%.0f" : v >= 9.995 ? "%.1f" : "%.2f", v);
        std::string out = buf;
        if (out.find('.') != std::string::npos) {
            while (out.back() == '0') out.pop_back();
            if (out.back() == '.') out.pop_back();
        }
        return out + " " + u.name;
    }
    return std::to_string(ns) + " ns";
}

std::string outcome_name(std::int64_t code) {
    if (const auto o = EventView::as_outcome(code)) return std::string(to_string(*o));
    return "outcome " + std::to_string(code);
}

std::string coro_mention(EventNames& names, std::uint64_t coro) {
    std::string out = "coro " + std::to_string(names.coro_number(coro));
    if (const std::string_view name = names.coro_name(coro); !name.empty()) {
        out += " " + quoted(name);
    }
    return out;
}

std::string describe_details(const TraceEvent& e, EventNames& names, EventTextOptions options) {
    const EventView v{e};
    const std::string text{names.text(e.text)};
    const auto who = [&] { return coro_mention(names, e.coro); };
    const auto who_op = [&] { return who() + "  " + op(names, e); };
    // A callback timer's events name the coroutine only when one armed or cancelled it.
    const auto maybe_who_op = [&] { return e.coro == 0 ? op(names, e) : who_op(); };
    switch (e.kind) {
        case EventKind::coro_spawn: {
            const std::string parent =
                v.parent() == 0 ? "at top level" : "by " + coro_mention(names, v.parent());
            const auto priority = v.priority();
            return who() + "  spawned " + parent + ", priority " +
                   (priority ? to_string(*priority) : "?");
        }
        case EventKind::coro_resume:
            if (v.resume_mode() == ResumeMode::start) return who() + "  starts";
            return who() + "  resumes from " + op(names, e) +
                   (v.resume_mode() == ResumeMode::exception ? " with an exception"
                                                             : " with its value");
        case EventKind::coro_suspend:
            return who() + "  awaits " + op(names, e);
        case EventKind::coro_finish:
            return who() + "  finished";
        case EventKind::coro_fail:
            return who() + "  failed" + (e.op ? " in " + op(names, e) : "") + ": " + quoted(text);
        case EventKind::coro_kill:
            return who() + "  killed" + (e.op ? " in " + op(names, e) : "") +
                   (text.empty() ? "" : ": " + quoted(text));
        case EventKind::op_process: {
            std::string level;
            if (const auto q = v.queue_level()) {
                level = "; holds " + std::to_string(q->length) +
                        (q->maxsize != 0 ? " of " + std::to_string(q->maxsize) : "");
            } else if (const std::uint64_t moved = v.bytes_before_wait(); moved != 0) {
                level = "; moved " + std::to_string(moved) + " bytes first";
            }
            // A join or call names its coroutine by id (TraceEvent::target), not by a label.
            std::string label = text.empty() ? std::string{} : " " + quoted(text);
            if (const std::uint64_t joined = v.joined(); label.empty() && joined != 0)
                label = " " + quoted("coro " + std::to_string(names.coro_number(joined)));
            return who_op() + "  -> " + outcome_name(v.raw_outcome()) + label + " (timeout " +
                   (v.timeout_ns() == 0 ? std::string("none") : format_duration(v.timeout_ns())) +
                   level + ")";
        }
        case EventKind::op_run: {
            const std::string what = v.run_errno() != 0
                                         ? "error errno " + std::to_string(v.run_errno())
                                         : std::to_string(v.bytes()) + " bytes";
            return who_op() + "  run: " + what + (v.run_done() ? ", done" : ", again");
        }
        case EventKind::op_ready: {
            const auto c = v.cause();
            return who_op() + "  ready: " + outcome_name(v.raw_outcome()) +
                   (c ? cause(names, *c) : std::string{});
        }
        case EventKind::op_finalize:
            return who_op() + "  finalize";
        case EventKind::op_timeout:
            return who_op() + "  timed out after " + format_duration(v.timeout_ns());
        case EventKind::op_cleanup:
            return who_op() + "  cleanup (" +
                   (v.cleanup_reason() == CleanupReason::cancel ? "cancel" : "timeout") + ")";
        case EventKind::sched_active: {
            const std::string length = "active queue: " + std::to_string(v.queue_length());
            const auto change = v.active_change();
            if (!change) return length;  // a trace from before the pair was named
            return who() + "  " + std::string(describe(*change)) + " (" + length + ")";
        }
        case EventKind::proactor_poll_begin: {
            const std::int64_t t = v.poll_timeout_ns();
            const char* wait = t < 0 ? "wait forever" : t == 0 ? "no wait" : "bounded wait";
            return "poll" + (text.empty() ? "" : " " + text) + ": " +
                   std::to_string(v.fds_watched()) + " fds, " + wait;
        }
        case EventKind::proactor_poll_end:
            return std::to_string(v.ready_count()) + " ready" +
                   (options.measured ? " after " + format_duration(v.waited_ns()) : "");
        case EventKind::proactor_register:
            return who_op() + "  register " + (v.interest() == Interest::write ? "write" : "read");
        case EventKind::proactor_unregister:
            return who_op() + "  unregister (" + (v.unregister_done() ? "done" : "timeout/cancel") +
                   ")";
        case EventKind::timer_fire:
            return maybe_who_op() +
                   (v.fires_callback() ? "  timer fired, callback runs" : "  timer fired") +
                   (options.measured ? ", " + format_duration(v.lateness_ns()) + " late" : "");
        case EventKind::timer_arm:
            // (The delay is call_later's own, or measured for call_at: shown when measured.)
            return maybe_who_op() + "  armed" +
                   (options.measured ? ", due in " + format_duration(v.delay_ns()) : "");
        case EventKind::timer_cancel:
            return maybe_who_op() + (v.cancelled_by_teardown()
                                         ? "  destroyed unrun with the scheduler"
                                         : "  cancelled");
        case EventKind::timer_done:
            return op(names, e) + (v.callback_threw() ? "  callback threw: " + quoted(text)
                                                      : "  callback returned");
        case EventKind::signal_emit:
            return who_op() + "  emit " + quoted(text) + ": woke " + std::to_string(v.woken()) +
                   (v.parked() ? ", parked for more recipients" : "");
        case EventKind::sched_run_begin:
            return "run begins" + (text.empty() ? "" : " (" + text + ")");
        case EventKind::sched_run_end:
            return "run ends, " + std::to_string(v.alive()) + " coroutines alive";
        case EventKind::sched_note:
            return "note: " + quoted(text);
        case EventKind::trace_drop:
            return "dropped " + std::to_string(v.dropped()) + " events";
        case EventKind::trace_heartbeat:
            return "heartbeat";
    }
    return "unknown event";
}

std::string describe_event(const TraceEvent& e, EventNames& names, EventTextOptions options) {
    std::string out{to_string(e.kind)};
    if (out.size() < kind_column) out.append(kind_column - out.size(), ' ');
    out.push_back(' ');
    return out + describe_details(e, names, options);
}

}  // namespace cogen::trace
