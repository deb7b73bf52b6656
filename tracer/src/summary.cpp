// summarize: one pass over the events, following each coroutine's state (see summary.hpp).
#include "cogen/trace/summary.hpp"

#include <unordered_map>

#include "cogen/trace/event_text.hpp"
#include "cogen/trace_event_view.hpp"

namespace cogen::trace {
namespace {

std::string fmt_ns(std::uint64_t ns) {
    return format_duration(static_cast<std::int64_t>(ns));
}

}  // namespace

void SummaryBuilder::leave(CoroState& c, std::uint64_t now) {
    TraceSummary& s = m_summary;
    const std::uint64_t spent = now > c.since ? now - c.since : 0;
    if (c.where == Where::queued) s.queued_ns += spent;
    if (c.where == Where::runnable) {
        s.runnable_ns += spent;
        s.max_runnable_ns = std::max(s.max_runnable_ns, spent);
    }
    if (c.where == Where::running) s.running_ns += spent;
    if (c.where == Where::waiting) s.waiting_ns[c.wait_outcome] += spent;
    c.since = now;
}

void SummaryBuilder::close_op(std::uint64_t op, std::uint64_t now) {
    const auto it = m_open_ops.find(op);
    if (it == m_open_ops.end()) return;
    TraceSummary::OpStats& stats = m_summary.ops[it->second.type];
    const std::uint64_t waited = now > it->second.since ? now - it->second.since : 0;
    stats.wait_ns += waited;
    stats.max_wait_ns = std::max(stats.max_wait_ns, waited);
    m_open_ops.erase(it);
}

void SummaryBuilder::add(const TraceEvent& e, const StringTable& strings) {
    TraceSummary& s = m_summary;
    if (e.kind == EventKind::trace_heartbeat) return;
    if (s.events++ == 0) m_first = e.t_ns;
    m_last = std::max(m_last, e.t_ns);
    const auto type = [&] {
        const std::string_view t = strings.get(e.op_type);
        return t.empty() ? std::string("op") : std::string(t);
    };
    const EventView v{e};
    switch (e.kind) {
        case EventKind::coro_spawn:
            ++s.coroutines;
            m_coros[e.coro] = CoroState{Where::queued, e.t_ns};
            break;
        case EventKind::coro_resume: {
            CoroState& c = m_coros[e.coro];
            leave(c, e.t_ns);
            c.where = Where::running;
            break;
        }
        case EventKind::coro_suspend: {
            CoroState& c = m_coros[e.coro];
            leave(c, e.t_ns);
            c.where = Where::waiting;
            c.wait_outcome = "wait";
            break;
        }
        case EventKind::coro_finish:
        case EventKind::coro_fail:
        case EventKind::coro_kill: {
            const auto it = m_coros.try_emplace(e.coro).first;
            leave(it->second, e.t_ns);
            m_coros.erase(it);  // its time is counted; nothing more happens to it
            if (e.kind == EventKind::coro_finish) ++s.finished;
            if (e.kind == EventKind::coro_fail) ++s.failed;
            if (e.kind == EventKind::coro_kill) ++s.killed;
            break;
        }
        case EventKind::op_process: {
            TraceSummary::OpStats& stats = s.ops[type()];
            ++stats.count;
            if (v.outcome() != Outcome::ready) ++stats.parked;
            m_open_ops[e.op] = OpenOp{type(), e.t_ns};
            if (auto it = m_coros.find(e.coro);
                it != m_coros.end() && it->second.where == Where::waiting) {
                if (v.outcome() == Outcome::yield) {  // back in the active queue
                    leave(it->second, e.t_ns);
                    it->second.where = Where::runnable;
                } else {
                    it->second.wait_outcome = outcome_name(v.raw_outcome());
                }
            }
            if (const auto level = v.queue_level(); level && e.text != 0) {
                TraceSummary::QueueStats& q = s.queues[std::string(strings.get(e.text))];
                q.length = level->length;
                q.maxsize = level->maxsize;
                q.max_length = std::max(q.max_length, level->length);
                ++q.ops;
            }
            break;
        }
        case EventKind::op_ready:
            if (auto it = m_coros.find(e.coro);
                it != m_coros.end() && it->second.where == Where::waiting) {
                leave(it->second, e.t_ns);  // woken: its turn comes when the loop picks it
                it->second.where = Where::runnable;
            }
            break;
        case EventKind::op_finalize:
            close_op(e.op, e.t_ns);
            break;
        case EventKind::op_cleanup:
            if (v.cleanup_reason() == CleanupReason::cancel) ++s.ops[type()].cancelled;
            close_op(e.op, e.t_ns);
            break;
        case EventKind::op_timeout:
            ++s.ops[type()].timeouts;
            break;
        case EventKind::proactor_poll_end:
            ++s.polls;
            if (v.ready_count() == 0) ++s.empty_polls;
            s.poll_ready += static_cast<std::uint64_t>(std::max<std::int64_t>(v.ready_count(), 0));
            s.poll_wait_ns += static_cast<std::uint64_t>(v.waited_ns());
            break;
        case EventKind::trace_drop:
            s.dropped += static_cast<std::uint64_t>(std::max<std::int64_t>(v.dropped(), 0));
            break;
        default:
            break;
    }
}

TraceSummary SummaryBuilder::finish() {
    for (auto& [id, c] : m_coros) leave(c, m_last);
    m_coros.clear();
    m_summary.duration_ns = m_last - m_first;
    return std::move(m_summary);
}

TraceSummary summarize(const TraceData& data) {
    SummaryBuilder builder;
    for (const TraceEvent& e : data.events) builder.add(e, data.strings);
    return builder.finish();
}

std::string format_summary(const TraceSummary& s, const TraceHeader& header) {
    std::string out;
    const auto line = [&out](const std::string& text) { out += text + "\n"; };
    line("program      " + (header.program.empty() ? std::string("?") : header.program) +
         (header.pid ? " (pid " + std::to_string(header.pid) + ")" : "") +
         (header.backend.empty() ? "" : ", backend " + header.backend) + ", clock " + header.clock);
    line("events       " + std::to_string(s.events) + " over " + fmt_ns(s.duration_ns) +
         (s.dropped ? ", " + std::to_string(s.dropped) + " DROPPED" : ""));
    line("coroutines   " + std::to_string(s.coroutines) + ": " + std::to_string(s.finished) +
         " finished, " + std::to_string(s.failed) + " failed, " + std::to_string(s.killed) +
         " killed, " + std::to_string(s.alive()) + " still alive");
    line("");
    line("time in each state (summed over coroutines)");
    line("  queued        " + fmt_ns(s.queued_ns));
    line("  runnable      " + fmt_ns(s.runnable_ns) + " (woken, waiting for its turn; longest " +
         fmt_ns(s.max_runnable_ns) + ")");
    line("  running       " + fmt_ns(s.running_ns));
    for (const auto& [outcome, ns] : s.waiting_ns) {
        std::string label = "  " + outcome;
        label.resize(std::max<std::size_t>(label.size() + 1, 16), ' ');
        line(label + fmt_ns(ns));
    }
    line("");
    line("operations        count  parked  timeouts  cancelled  mean wait  max wait");
    for (const auto& [type, st] : s.ops) {
        char buf[160];
        const std::uint64_t closed = st.count ? st.count : 1;
        std::snprintf(buf, sizeof buf, "  %-16s %5llu  %6llu  %8llu  %9llu  %9s  %8s", type.c_str(),
                      static_cast<unsigned long long>(st.count),
                      static_cast<unsigned long long>(st.parked),
                      static_cast<unsigned long long>(st.timeouts),
                      static_cast<unsigned long long>(st.cancelled),
                      fmt_ns(st.wait_ns / closed).c_str(), fmt_ns(st.max_wait_ns).c_str());
        line(buf);
    }
    if (!s.queues.empty()) {
        line("");
        line("queues              max length  at end  bound");
        for (const auto& [label, q] : s.queues) {
            char buf[200];
            std::snprintf(buf, sizeof buf, "  %-16s %11llu  %6llu  %s", label.c_str(),
                          static_cast<unsigned long long>(q.max_length),
                          static_cast<unsigned long long>(q.length),
                          q.maxsize != 0 ? std::to_string(q.maxsize).c_str() : "unbounded");
            line(buf);
        }
    }
    line("");
    line("proactor     " + std::to_string(s.polls) + " polls, " + std::to_string(s.empty_polls) +
         " empty, " + std::to_string(s.poll_ready) + " ops made ready, " + fmt_ns(s.poll_wait_ns) +
         " waiting in poll");
    return out;
}

}  // namespace cogen::trace
