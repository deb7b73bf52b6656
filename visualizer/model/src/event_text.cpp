// Event text: durations, coroutine references and one line per event kind.
#include "cogen/viz/event_text.hpp"

#include <algorithm>
#include <cstdio>

#include "cogen/viz/place.hpp"
#include "cogen/viz/trace_model.hpp"

namespace cogen::viz {
namespace {

std::string quoted(std::string_view s) {
    return "'" + std::string(s) + "'";
}

std::string op_ref(const TraceModel& model, const TraceEvent& e) {
    std::string out = model.text(e.op_type).empty() ? "op" : std::string(model.text(e.op_type));
    if (e.op != 0) out += " op " + std::to_string(e.op);
    return out;
}

std::string outcome_name(std::int64_t code) {
    if (code < 0 || code >= outcome_count) return "outcome " + std::to_string(code);
    return std::string(to_string(static_cast<Outcome>(code)));
}

std::string timeout_text(std::int64_t ns) {
    return ns < 0 ? "infinite" : format_duration(static_cast<std::uint64_t>(ns));
}

std::string process_text(const TraceModel& model, const TraceEvent& e) {
    std::string out = op_ref(model, e) + " -> " + outcome_name(e.a);
    if (!model.text(e.text).empty()) out += " " + quoted(model.text(e.text));
    if (e.fd >= 0) out += " fd " + std::to_string(e.fd);
    if (e.b > 0) out += ", timeout " + format_duration(static_cast<std::uint64_t>(e.b));
    return out;
}

std::string body(const TraceModel& model, const TraceEvent& e) {
    const std::string text(model.text(e.text));
    switch (e.kind) {
        case EventKind::coro_spawn:
            return "spawned" +
                   (e.a != 0 ? " by " + coro_ref(model, static_cast<std::uint64_t>(e.a)) : "");
        case EventKind::coro_resume:
            if (e.a == static_cast<std::int64_t>(ResumeMode::start)) return "started";
            return "resumed from " + op_ref(model, e) +
                   (e.a == static_cast<std::int64_t>(ResumeMode::exception) ? " with an exception"
                                                                            : "");
        case EventKind::coro_suspend:
            return "awaits " + op_ref(model, e);
        case EventKind::coro_finish:
            return "finished";
        case EventKind::coro_fail:
            return "failed: " + text;
        case EventKind::coro_kill:
            return "killed" + (text.empty() ? "" : ": " + text);
        case EventKind::op_process:
            return process_text(model, e);
        case EventKind::op_run:
            return op_ref(model, e) + " run on fd " + std::to_string(e.fd) + ": " +
                   (e.a < 0 ? "errno " + std::to_string(-e.a) : std::to_string(e.a) + " bytes") +
                   (e.b == 1 ? ", done" : ", again");
        case EventKind::op_ready:
            return op_ref(model, e) + " ready (cause " + outcome_name(e.a) + " " +
                   std::to_string(e.b) + ")";
        case EventKind::op_finalize:
            return op_ref(model, e) + " finalize";
        case EventKind::op_timeout:
            return op_ref(model, e) + " timed out after " +
                   format_duration(static_cast<std::uint64_t>(e.a));
        case EventKind::op_cleanup:
            return op_ref(model, e) + " cleanup (" + (e.a == 0 ? "timeout" : "cancel") + ")";
        case EventKind::sched_active: {
            const std::string length = "active queue length " + std::to_string(e.a);
            if (e.coro == 0) return length;  // a trace from before the pair was named
            return std::string(describe(static_cast<ActiveChange>(e.b))) + " (" + length + ")";
        }
        case EventKind::proactor_poll_begin:
            return "poll " + text + ": " + std::to_string(e.b) + " fds, timeout " +
                   timeout_text(e.a);
        case EventKind::proactor_poll_end:
            return "poll returned " + std::to_string(e.a) + " ready after " +
                   format_duration(static_cast<std::uint64_t>(std::max<std::int64_t>(e.b, 0)));
        case EventKind::proactor_register:
            return op_ref(model, e) + " registers fd " + std::to_string(e.fd) + " for " +
                   std::string(to_string(static_cast<FdInterest>(e.a == 1 || e.a == 2 ? e.a : 0)));
        case EventKind::proactor_unregister:
            return op_ref(model, e) + " unregisters fd " + std::to_string(e.fd) +
                   (e.a == 0 ? " (done)" : " (timeout/cancel)");
        case EventKind::timer_fire:
            return op_ref(model, e) + " timer fired, " +
                   format_duration(static_cast<std::uint64_t>(std::max<std::int64_t>(e.a, 0))) +
                   " late";
        case EventKind::signal_emit:
            return "signal " + quoted(text) + " emitted, woke " + std::to_string(e.a) +
                   (e.b == 1 ? " (parked)" : "");
        case EventKind::sched_run_begin:
            return "run() begins" + (text.empty() ? "" : " on " + text);
        case EventKind::sched_run_end:
            return "run() returns, " + std::to_string(e.a) + " coroutines alive";
        case EventKind::sched_note:
            return text;
        case EventKind::trace_drop:
            return std::to_string(e.a) + " events dropped";
        case EventKind::trace_heartbeat:
            return "heartbeat";
    }
    return "unknown event";
}

}  // namespace

std::string format_duration(std::uint64_t ns) {
    struct Unit {
        double scale;
        const char* name;
    };
    constexpr Unit units[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "us"}};
    for (const Unit& u : units) {
        if (static_cast<double>(ns) >= u.scale) {
            const double v = static_cast<double>(ns) / u.scale;
            char buf[32];
            std::snprintf(buf, sizeof buf,
                          v >= 100  ? "%.0f %s"
                          : v >= 10 ? "%.1f %s"
                                    : "%.2f %s",
                          v, u.name);
            return buf;
        }
    }
    return std::to_string(ns) + " ns";
}

std::string coro_ref(const TraceModel& model, std::uint64_t coro) {
    return quoted(model.coro_name(coro)) + " (coro " + std::to_string(coro) + ")";
}

std::string describe_event(const TraceModel& model, const TraceEvent& event) {
    std::string out(to_string(event.kind));
    out += " ";
    if (event.coro != 0) out += coro_ref(model, event.coro) + ": ";
    return out + body(model, event);
}

std::string wait_target(const TraceModel& model, const Place& place) {
    std::string out;
    auto add = [&out](std::string_view s) {
        if (s.empty()) return;
        if (!out.empty()) out += ", ";
        out += s;
    };
    switch (place.kind) {
        case PlaceKind::proactor:
            add("fd " + std::to_string(place.fd) +
                (place.interest == FdInterest::none
                     ? std::string{}
                     : " " + std::string(to_string(place.interest))));
            break;
        case PlaceKind::signal:
            add("signal '" + std::string(model.text(place.label)) + "'");
            break;
        case PlaceKind::join:
        case PlaceKind::call:
            add(place.target
                    ? model.coro_name(place.target) + " (" + std::to_string(place.target) + ")"
                    : std::string(model.text(place.label)));
            break;
        case PlaceKind::queue:
        case PlaceKind::pubsub:
        case PlaceKind::pipe:
        case PlaceKind::other:
            add(std::string(to_string(place.kind).substr(5)) + " '" +
                std::string(model.text(place.label)) + "'");
            break;
        case PlaceKind::io_ready:
            if (place.fd >= 0) add("fd " + std::to_string(place.fd));
            break;
        default:
            break;
    }
    if (place.timeout_ns > 0 && is_waiting(place.kind)) {
        add("timeout " + format_duration(static_cast<std::uint64_t>(place.timeout_ns)));
    }
    return out;
}

std::string op_text(const TraceModel& model, std::uint64_t op, std::uint32_t op_type) {
    if (op == 0) return {};
    std::string name{model.text(op_type)};
    if (name.empty()) name = "op";
    return name + " #" + std::to_string(op);
}

}  // namespace cogen::viz
