// render_text: one readable, time-free line per event (see text_render.hpp).
#include "cogen/trace/text_render.hpp"

#include <cstdio>

#include "outcome_name.hpp"

namespace cogen::trace {
namespace {

using detail::outcome_name;

constexpr std::size_t seq_column = 6;    // "#12345"
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

std::string_view priority_name(std::int64_t code) {
    switch (code) {
        case 0:
            return "LAST";
        case 1:
            return "CORO";
        case 2:
            return "OP";
        case 3:
            return "FIRST";
        default:
            return "?";
    }
}

void pad(std::string& s, std::size_t width) {
    if (s.size() < width) s.append(width - s.size(), ' ');
}

}  // namespace

std::string format_duration(std::int64_t ns) {
    if (ns < 0) return "-" + format_duration(-ns);
    struct Unit {
        std::int64_t size;
        const char* name;
    };
    for (const Unit u : {Unit{1000000000, "s"}, Unit{1000000, "ms"}, Unit{1000, "us"}}) {
        if (ns >= u.size) {
            const std::int64_t whole = ns / u.size;
            const std::int64_t rest = ns % u.size;
            if (rest == 0) return std::to_string(whole) + u.name;
            char buf[48];
            std::snprintf(buf, sizeof buf, "%.3g%s",
                          static_cast<double>(ns) / static_cast<double>(u.size), u.name);
            return buf;
        }
    }
    return std::to_string(ns) + "ns";
}

TextRenderer::TextRenderer(const StringTable& strings, TextOptions options)
    : m_strings(strings), m_options(options) {}

std::uint64_t TextRenderer::coro_id(std::uint64_t raw) {
    if (!m_options.normalize_ids || raw == 0) return raw;
    return m_coro_ids.try_emplace(raw, m_coro_ids.size() + 1).first->second;
}

std::uint64_t TextRenderer::op_id(std::uint64_t raw) {
    if (!m_options.normalize_ids || raw == 0) return raw;
    return m_op_ids.try_emplace(raw, m_op_ids.size() + 1).first->second;
}

std::string TextRenderer::coro(std::uint64_t raw) {
    std::string out = "coro " + std::to_string(coro_id(raw));
    if (const auto it = m_names.find(raw); it != m_names.end() && !it->second.empty()) {
        out += " " + quoted(it->second);
    }
    return out;
}

std::string TextRenderer::op(const TraceEvent& e) {
    std::string type{m_strings.get(e.op_type)};
    std::string out = (type.empty() ? "op" : type) + "#" + std::to_string(op_id(e.op));
    if (e.fd >= 0) out += " fd " + std::to_string(e.fd);
    return out;
}

std::string TextRenderer::cause(const TraceEvent& e) {
    const auto seq_ref = [&](const char* what) {
        const auto b = static_cast<std::uint64_t>(e.b);
        std::uint64_t shown = b;
        if (m_options.normalize_ids) {
            const auto it = m_seq_positions.find(b);
            shown = it == m_seq_positions.end() ? 0 : it->second;
        }
        return std::string(" (") + what + " #" + std::to_string(shown) + ")";
    };
    const auto by = [&](const char* what) {
        return std::string(what) + coro(static_cast<std::uint64_t>(e.b));
    };
    switch (e.a) {
        case static_cast<int>(Outcome::proactor):
            return seq_ref("poll");
        case static_cast<int>(Outcome::timer):
        case static_cast<int>(Outcome::timeout):
            return seq_ref("timer.fire");
        case static_cast<int>(Outcome::signal):
            return by(" by ");
        case static_cast<int>(Outcome::join):
        case static_cast<int>(Outcome::call):
            return " (" + coro(static_cast<std::uint64_t>(e.b)) + " ended)";
        case static_cast<int>(Outcome::cancel):
            return e.b == 0 ? std::string(" from outside any coroutine") : by(" by ");
        case static_cast<int>(Outcome::queue):
        case static_cast<int>(Outcome::pubsub):
        case static_cast<int>(Outcome::pipe):
            return by(" by ");
        default:
            return {};
    }
}

std::string TextRenderer::details(const TraceEvent& e) {
    const std::string text{m_strings.get(e.text)};
    switch (e.kind) {
        case EventKind::coro_spawn: {
            m_names[e.coro] = text;
            const std::string who = coro(e.coro);
            const std::string parent =
                e.a == 0 ? "at top level" : "by " + coro(static_cast<std::uint64_t>(e.a));
            return who + "  spawned " + parent + ", priority " + std::string(priority_name(e.b));
        }
        case EventKind::coro_resume:
            if (e.a == static_cast<int>(ResumeMode::start)) return coro(e.coro) + "  starts";
            return coro(e.coro) + "  resumes from " + op(e) +
                   (e.a == static_cast<int>(ResumeMode::exception) ? " with an exception"
                                                                   : " with its value");
        case EventKind::coro_suspend:
            return coro(e.coro) + "  awaits " + op(e);
        case EventKind::coro_finish:
            return coro(e.coro) + "  finished";
        case EventKind::coro_fail:
            return coro(e.coro) + "  failed" + (e.op ? " in " + op(e) : "") + ": " + quoted(text);
        case EventKind::coro_kill:
            return coro(e.coro) + "  killed" + (e.op ? " in " + op(e) : "") +
                   (text.empty() ? "" : ": " + quoted(text));
        case EventKind::op_process:
            return coro(e.coro) + "  " + op(e) + "  -> " + std::string(outcome_name(e.a)) +
                   (text.empty() ? "" : " " + quoted(text)) + " (timeout " +
                   (e.b == 0 ? std::string("none") : format_duration(e.b)) + ")";
        case EventKind::op_run: {
            std::string what =
                e.a < 0 ? "error errno " + std::to_string(-e.a) : std::to_string(e.a) + " bytes";
            return coro(e.coro) + "  " + op(e) + "  run: " + what + (e.b ? ", done" : ", again");
        }
        case EventKind::op_ready:
            return coro(e.coro) + "  " + op(e) + "  ready: " + std::string(outcome_name(e.a)) +
                   cause(e);
        case EventKind::op_finalize:
            return coro(e.coro) + "  " + op(e) + "  finalize";
        case EventKind::op_timeout:
            return coro(e.coro) + "  " + op(e) + "  timed out after " + format_duration(e.a);
        case EventKind::op_cleanup:
            return coro(e.coro) + "  " + op(e) + "  cleanup (" + (e.a == 1 ? "cancel" : "timeout") +
                   ")";
        case EventKind::sched_active: {
            const std::string length = "active queue: " + std::to_string(e.a);
            if (e.coro == 0) return length;  // a trace from before the pair was named
            return coro(e.coro) + "  " + std::string(describe(static_cast<ActiveChange>(e.b))) +
                   " (" + length + ")";
        }
        case EventKind::proactor_poll_begin: {
            const char* wait = e.a < 0 ? "wait forever" : e.a == 0 ? "no wait" : "bounded wait";
            return "poll" + (text.empty() ? "" : " " + text) + ": " + std::to_string(e.b) +
                   " fds, " + wait;
        }
        case EventKind::proactor_poll_end:
            return std::to_string(e.a) + " ready";
        case EventKind::proactor_register:
            return coro(e.coro) + "  " + op(e) + "  register " + (e.a == 2 ? "write" : "read");
        case EventKind::proactor_unregister:
            return coro(e.coro) + "  " + op(e) + "  unregister (" +
                   (e.a == 1 ? "timeout/cancel" : "done") + ")";
        case EventKind::timer_fire:
            return coro(e.coro) + "  " + op(e) + "  timer fired";
        case EventKind::signal_emit:
            return coro(e.coro) + "  " + op(e) + "  emit " + quoted(text) + ": woke " +
                   std::to_string(e.a) + (e.b ? ", parked for more recipients" : "");
        case EventKind::sched_run_begin:
            return "run begins" + (text.empty() ? "" : " (" + text + ")");
        case EventKind::sched_run_end:
            return "run ends, " + std::to_string(e.a) + " coroutines alive";
        case EventKind::sched_note:
            return "note: " + quoted(text);
        case EventKind::trace_drop:
            return "dropped " + std::to_string(e.a) + " events";
        case EventKind::trace_heartbeat:
            return "heartbeat";
    }
    return {};
}

std::string TextRenderer::line(const TraceEvent& e) {
    ++m_position;
    m_seq_positions[e.seq] = m_position;
    std::string out = "#" + std::to_string(m_options.normalize_ids ? m_position : e.seq);
    pad(out, seq_column);
    out.push_back(' ');
    out.append(to_string(e.kind));
    pad(out, seq_column + 1 + kind_column);
    out.push_back(' ');
    out.append(details(e));
    return out;
}

std::string render_text(const TraceData& data, TextOptions options) {
    TextRenderer renderer{data.strings, options};
    std::string out;
    for (const TraceEvent& e : data.events) {
        out.append(renderer.line(e));
        out.push_back('\n');
    }
    return out;
}

}  // namespace cogen::trace
