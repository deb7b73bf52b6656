// The stall detector: one function per finding kind, each over one state.
#include "cogen/viz/stall_detector.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <tuple>

#include "cogen/priority.hpp"
#include "cogen/viz/event_text.hpp"
#include "cogen/viz/stall_source.hpp"
#include "cogen/viz/trace_model.hpp"
#include "cogen/viz/wait_graph.hpp"

namespace cogen::viz {
namespace {

constexpr std::array<std::string_view, finding_kind_count> kind_names = {
    "untimed-wait",     "orphan-signal", "deadlock",   "cpu-hog", "fd-never-ready",
    "unjoined-failure", "starved",       "retry-loop", "backlog", "stalled-io",
};

std::uint64_t elapsed(std::uint64_t now, std::uint64_t since) {
    return now > since ? now - since : 0;
}

// "readable", "writable" ("" for none).
std::string able(FdInterest interest) {
    switch (interest) {
        case FdInterest::read:
            return "readable";
        case FdInterest::write:
            return "writable";
        case FdInterest::none:
            break;
    }
    return "";
}

std::uint64_t ns(std::chrono::nanoseconds d) {
    return d.count() > 0 ? static_cast<std::uint64_t>(d.count()) : 0;
}

// "812 bytes", "3.93 MB (3932160 bytes)".
std::string format_bytes(std::uint64_t n) {
    if (n < 1000) return std::to_string(n) + (n == 1 ? " byte" : " bytes");
    const char* unit = n < 1'000'000 ? "kB" : n < 1'000'000'000 ? "MB" : "GB";
    const double scaled = static_cast<double>(n) / (n < 1'000'000       ? 1e3
                                                    : n < 1'000'000'000 ? 1e6
                                                                        : 1e9);
    char buf[32];
    std::snprintf(buf, sizeof buf,
                  scaled >= 99.95   ? "%.0f"
                  : scaled >= 9.995 ? "%.1f"
                                    : "%.2f",
                  scaled);
    return std::string(buf) + " " + unit + " (" + std::to_string(n) + " bytes)";
}

// "1000/s" for `count` events over `span_ns`.
std::string rate(std::uint64_t count, std::uint64_t span_ns) {
    if (span_ns == 0) return std::to_string(count);
    const double per_s = static_cast<double>(count) * 1e9 / static_cast<double>(span_ns);
    char buf[32];
    std::snprintf(buf, sizeof buf, per_s >= 10 ? "%.0f/s" : "%.1f/s", per_s);
    return buf;
}

// Who ran while a coroutine sat in the active queue (events in a seq range).
struct Others {
    struct Runner {
        std::uint64_t coro = 0;
        std::uint64_t resumes = 0;
        std::uint64_t jumps = 0;  // queued at the front or in the urgent slot
    };
    std::uint64_t resumes = 0;    // coro.resume of other coroutines
    std::uint64_t jumps = 0;      // times they were queued ahead (front, urgent slot)
    std::vector<Runner> by_coro;  // most resumes first
};

class Detector {
  public:
    Detector(const StallSource& source, const ModelState& state, std::uint64_t now,
             const StallOptions& options)
        : m_source(source),
          m_state(state),
          m_now(std::max(now, state.t_ns)),
          m_options(options),
          m_stuck_at_end(options.run_end_means_stuck && state.run_end_seq != 0 && !state.in_run),
          m_graph(WaitForGraph::build(state)) {}

    std::vector<Finding> run() {
        untimed_waits();
        orphan_signals();
        deadlocks();
        cpu_hogs();
        fd_waits();
        unjoined_failures();
        starvation();
        retry_loops();
        backlogs();
        stalled_io();
        after_gaps();
        std::stable_sort(m_out.begin(), m_out.end(), [](const Finding& x, const Finding& y) {
            return std::tie(x.kind, x.coro, x.since_seq) < std::tie(y.kind, y.coro, y.since_seq);
        });
        return std::move(m_out);
    }

  private:
    // A finding that began before events were lost (trace.drop) may be about a coroutine
    // that moved on unseen: its resume or its end may have been among them. Say so.
    void after_gaps() {
        const std::uint64_t gap = m_source.last_gap_upto(m_state.seq);
        if (gap == 0) return;
        for (Finding& f : m_out) {
            if (f.coro == 0 || f.since_seq > gap) continue;
            f.explanation += " Events were lost at #" + std::to_string(gap) +
                             ", after this began: it may have ended unseen.";
        }
    }
    Finding start(FindingKind kind, const CoroutineState& c) const;
    /// start(), blaming the fd wait `reg` (its op, fd and interest) of coroutine `c`.
    Finding start(FindingKind kind, const CoroutineState& c, const Registration& reg) const;
    Blame blame_of(const CoroutineState& c) const;
    /// "'worker' (coro 3)".
    std::string ref(std::uint64_t coro) const {
        return "'" + m_source.coro_name(coro) + "' (coro " + std::to_string(coro) + ")";
    }
    std::string waits_on(const CoroutineState& c) const { return waits_for(c.place, c.since_seq); }
    std::string waits_for(const Place& place, std::uint64_t since_seq) const;
    std::string names(const std::vector<std::uint64_t>& coros, std::size_t at_most = 3) const;
    Others ran_between(std::uint64_t coro, std::uint64_t after_seq, std::uint64_t upto_seq);
    std::string end_note() const {
        return m_stuck_at_end ? ", and run() returned without waking it" : "";
    }
    bool over(std::uint64_t duration, std::chrono::nanoseconds threshold) const {
        return duration > ns(threshold);
    }

    void untimed_waits();
    void orphan_signals();
    void deadlocks();
    void cpu_hogs();
    void fd_waits();
    void unjoined_failures();
    void starvation();
    void retry_loops();
    void backlogs();
    void stalled_io();

    const StallSource& m_source;
    const ModelState& m_state;
    std::uint64_t m_now;
    const StallOptions& m_options;
    bool m_stuck_at_end;
    WaitForGraph m_graph;
    std::vector<Finding> m_out;
    std::size_t m_scan_budget = 4'000'000;  // events ran_between may read per run()
};

Finding Detector::start(FindingKind kind, const CoroutineState& c) const {
    Finding f;
    f.kind = kind;
    f.coro = c.id;
    f.coro_name = m_source.coro_name(c.id);
    f.blame = blame_of(c);
    f.since_seq = c.since_seq;
    f.since_t_ns = c.since_t_ns;
    f.duration_ns = elapsed(m_now, c.since_t_ns);
    return f;
}

Finding Detector::start(FindingKind kind, const CoroutineState& c, const Registration& reg) const {
    Finding f = start(kind, c);
    f.blame.op = reg.op;
    f.blame.op_type = std::string(m_source.text(reg.op_type));
    f.blame.fd = reg.fd;
    f.blame.interest = reg.interest;
    return f;
}

Blame Detector::blame_of(const CoroutineState& c) const {
    Blame b;
    b.op = c.place.op != 0 ? c.place.op : c.op;
    b.op_type = std::string(m_source.text(c.place.op_type != 0 ? c.place.op_type : c.op_type));
    b.fd = c.place.fd;
    b.interest = c.place.interest;
    const std::string label(m_source.text(c.place.label));
    switch (c.place.kind) {
        case PlaceKind::signal:
            b.signal = label;
            break;
        case PlaceKind::join:
        case PlaceKind::call:
            b.joined = c.place.target;
            if (b.joined != 0) b.joined_name = m_source.coro_name(b.joined);
            break;
        case PlaceKind::queue:
        case PlaceKind::pubsub:
        case PlaceKind::pipe:
        case PlaceKind::other:
            b.queue = label;
            b.queue_side = c.place.side;
            b.queue_length = c.place.queue_length;
            b.queue_maxsize = c.place.queue_maxsize;
            break;
        case PlaceKind::proactor:
            if (const Registration* reg = m_state.registration(c.place.op)) b.bytes = reg->bytes;
            break;
        default:
            break;
    }
    if (c.place.kind == PlaceKind::signal) {
        if (auto it = m_state.last_signals.find(c.place.label); it != m_state.last_signals.end()) {
            b.last_sender = it->second.coro;
            if (b.last_sender != 0) b.last_sender_name = m_source.coro_name(b.last_sender);
        }
    }
    return b;
}

// What a wait is for, precisely: "an item in queue 'jobs' (empty)", "room in queue
// 'results' (full: 8 of 8)", "signal 'go' (last sent by 'starter' (coro 3) at seq 12,
// before this wait began)", "'worker' (coro 4) to finish", "fd 5 to become writable
// (SendAll, 3.93 MB (3932160 bytes) moved so far)" ...
std::string Detector::waits_for(const Place& place, std::uint64_t since_seq) const {
    const std::string label(m_source.text(place.label));
    switch (place.kind) {
        case PlaceKind::signal: {
            std::string out = "signal '" + label + "'";
            const auto it = m_state.last_signals.find(place.label);
            if (it == m_state.last_signals.end()) return out + " (never sent so far)";
            const SignalRecord& last = it->second;
            out += " (last sent by " +
                   (last.coro != 0 ? ref(last.coro) : std::string("no coroutine")) + " at seq " +
                   std::to_string(last.seq);
            if (last.seq < since_seq) out += ", before this wait began: signals are not kept";
            return out + ")";
        }
        case PlaceKind::join:
        case PlaceKind::call:
            return place.target != 0 ? ref(place.target) + " to finish"
                                     : "'" + label + "' to finish";
        case PlaceKind::queue:
        case PlaceKind::pubsub: {
            const std::string what =
                (place.kind == PlaceKind::queue ? "queue '" : "pubsub '") + label + "'";
            if (place.side == QueueSide::get) {
                return (place.kind == PlaceKind::queue ? "an item in " : "a message on ") + what +
                       (place.queue_length == 0 ? " (empty)" : "");
            }
            if (place.side == QueueSide::put) {
                return "room in " + what + " (full: " + std::to_string(place.queue_length) +
                       " of " + std::to_string(place.queue_maxsize) + ")";
            }
            return what;
        }
        case PlaceKind::pipe:
            return "pipe '" + label + "'";
        case PlaceKind::proactor: {
            const std::string interest = able(place.interest);
            std::string out = "fd " + std::to_string(place.fd) +
                              (interest.empty() ? "" : " to become " + interest) + " (" +
                              std::string(m_source.text(place.op_type));
            if (const Registration* reg = m_state.registration(place.op); reg && reg->bytes != 0) {
                out += ", " + format_bytes(reg->bytes) + " moved so far";
            }
            return out + ")";
        }
        default:
            return std::string(m_source.text(place.op_type)) + " '" + label + "'";
    }
}

std::string Detector::names(const std::vector<std::uint64_t>& coros, std::size_t at_most) const {
    std::string out;
    for (std::size_t i = 0; i < coros.size() && i < at_most; ++i) {
        out += (i == 0 ? "" : i + 1 == coros.size() ? " and " : ", ") + ref(coros[i]);
    }
    if (coros.size() > at_most) out += " and " + std::to_string(coros.size() - at_most) + " more";
    return out.empty() ? "none" : out;
}

Others Detector::ran_between(std::uint64_t coro, std::uint64_t after_seq, std::uint64_t upto_seq) {
    Others out;
    const std::size_t begin = m_source.count_upto(after_seq);
    const std::size_t end =
        std::max(begin, std::min(m_source.count_upto(upto_seq), begin + m_scan_budget));
    m_scan_budget -= end - begin;
    std::map<std::uint64_t, Others::Runner> runners;
    m_source.runs_between(begin, end, [&](const RunEvent& e) {
        if (e.coro == coro) return;
        if (e.jump) {
            ++out.jumps;
            ++runners[e.coro].jumps;
        } else {
            ++out.resumes;
            ++runners[e.coro].resumes;
        }
    });
    for (auto& [id, r] : runners) {
        r.coro = id;
        if (r.resumes != 0) out.by_coro.push_back(r);
    }
    std::stable_sort(out.by_coro.begin(), out.by_coro.end(),
                     [](const auto& x, const auto& y) { return x.resumes > y.resumes; });
    return out;
}

// (a) Untimed waits on another coroutine. Calls are left out: the callee is
// the one to look at, and it gets its own finding.
void Detector::untimed_waits() {
    for (const CoroutineState& c : m_state.coroutines) {
        if (!is_coroutine_wait(c.place.kind) || c.place.kind == PlaceKind::call) continue;
        if (c.place.timeout_ns != 0) continue;
        const std::uint64_t waited = elapsed(m_now, c.since_t_ns);
        if (!over(waited, m_options.untimed_wait) && !m_stuck_at_end) continue;
        Finding f = start(FindingKind::untimed_wait, c);
        f.explanation = ref(c.id) + " has waited " + format_duration(waited) + " for " +
                        waits_on(c) + " with no timeout" + end_note() + ".";
        m_out.push_back(std::move(f));
    }
}

// (b) Signal waits with no live coroutine that ever emitted the signal.
void Detector::orphan_signals() {
    for (const WaitNode& node : m_graph.nodes()) {
        if (node.place.kind != PlaceKind::signal || m_graph.has_wakers(node)) continue;
        const CoroutineState& c = *m_state.find(node.coro);
        const std::uint64_t waited = elapsed(m_now, c.since_t_ns);
        if (!over(waited, m_options.orphan_signal) && !m_stuck_at_end) continue;
        const auto it = std::lower_bound(m_state.signal_emitters.begin(),
                                         m_state.signal_emitters.end(), NameUse{c.place.label, 0});
        const bool ever = it != m_state.signal_emitters.end() && it->name == c.place.label;
        Finding f = start(FindingKind::orphan_signal, c);
        f.explanation = ref(c.id) + " waits for signal '" +
                        std::string(m_source.text(c.place.label)) + "', but " +
                        (ever ? "every coroutine that emitted it has ended"
                              : "no coroutine has ever emitted it") +
                        (c.place.timeout_ns != 0 ? " (it will time out)" : "") + ".";
        m_out.push_back(std::move(f));
    }
}

// (c) Wait cycles: every member waits, untimed, on coroutines of the cycle.
void Detector::deadlocks() {
    for (const std::vector<std::uint64_t>& cycle : m_graph.cycles()) {
        std::uint64_t closed_t = 0;
        std::uint64_t closed_seq = 0;
        std::string chain;
        // A cycle of untimed waits whose wakers are all inside it is not a matter of time:
        // it is reported the moment it closes. Only a signal wait names its wakers by guess
        // (whoever emitted that name before; a first emitter may not have run yet), so a
        // cycle through one waits out the threshold, like an orphan signal.
        bool certain = true;
        for (std::uint64_t id : cycle) {
            const CoroutineState& c = *m_state.find(id);
            certain = certain && c.place.kind != PlaceKind::signal;
            closed_t = std::max(closed_t, c.since_t_ns);
            closed_seq = std::max(closed_seq, c.since_seq);
            chain += (chain.empty() ? "" : "; ") + ref(id) + " waits for " + waits_on(c);
        }
        if (!certain && !over(elapsed(m_now, closed_t), m_options.deadlock) && !m_stuck_at_end)
            continue;
        Finding f = start(FindingKind::deadlock, *m_state.find(cycle.front()));
        f.since_seq = closed_seq;
        f.since_t_ns = closed_t;
        f.duration_ns = elapsed(m_now, closed_t);
        f.cycle = cycle;
        f.explanation = "Deadlock of " + std::to_string(cycle.size()) + " coroutine" +
                        (cycle.size() == 1 ? "" : "s") + ": " + chain +
                        "; none of them can wake the others.";
        m_out.push_back(std::move(f));
    }
}

// (d) CPU hogs: the slice running now if it is already too long, else the
// longest finished slice.
void Detector::cpu_hogs() {
    for (const CoroutineState& c : m_state.coroutines) {
        const bool running = c.place.kind == PlaceKind::running && c.current_slice.resume_seq != 0;
        const std::uint64_t ongoing = running ? elapsed(m_now, c.current_slice.start_t_ns) : 0;
        const bool now_hogging = over(ongoing, m_options.cpu_hog);
        if (!now_hogging && !over(c.longest_slice.duration_ns, m_options.cpu_hog)) continue;
        const RunSlice& slice = now_hogging ? c.current_slice : c.longest_slice;
        Finding f = start(FindingKind::cpu_hog, c);
        f.since_seq = slice.resume_seq;
        f.since_t_ns = slice.start_t_ns;
        f.duration_ns = now_hogging ? ongoing : slice.duration_ns;
        if (now_hogging) {
            f.explanation = ref(c.id) + " has been running for " + format_duration(ongoing) +
                            " without suspending (since seq " + std::to_string(slice.resume_seq) +
                            ").";
        } else {
            std::string next = "its next suspension";
            if (const auto end = m_source.slice_end(c.id, slice.end_seq)) {
                f.blame.op = end->awaited_op;
                f.blame.op_type = std::string(m_source.text(end->op_type));
                next = end->kind != EventKind::coro_suspend ? "its end"
                       : f.blame.op != 0
                           ? "awaiting " + f.blame.op_type + " op " + std::to_string(f.blame.op)
                           : "awaiting " + f.blame.op_type;
            }
            f.explanation = ref(c.id) + " ran " + format_duration(slice.duration_ns) +
                            " without suspending, from seq " + std::to_string(slice.resume_seq) +
                            " to " + next + " at seq " + std::to_string(slice.end_seq) + ".";
        }
        m_out.push_back(std::move(f));
    }
}

// (e) fd waits that never saw a single op.run since their registration.
void Detector::fd_waits() {
    for (const auto& [op, reg] : m_state.registrations) {
        if (reg.run_attempts != 0 || reg.bytes != 0) continue;  // progress: see stalled_io
        const std::uint64_t waited = elapsed(m_now, reg.t_ns);
        if (!over(waited, m_options.fd_never_ready)) continue;
        const CoroutineState* c = m_state.find(reg.coro);
        if (c == nullptr) continue;
        Finding f = start(FindingKind::fd_never_ready, *c, reg);
        f.since_seq = reg.seq;
        f.since_t_ns = reg.t_ns;
        f.duration_ns = waited;
        const std::string interest = able(reg.interest);
        f.explanation =
            ref(c->id) + " has waited " + format_duration(waited) + " for fd " +
            std::to_string(reg.fd) + (interest.empty() ? "" : " to become " + interest) + " (" +
            f.blame.op_type + " op " + std::to_string(reg.op) + ") and it never became ready.";
        m_out.push_back(std::move(f));
    }
}

// (f) Failed coroutines whose exception nobody joined (or called) for.
void Detector::unjoined_failures() {
    for (const CoroutineState& c : m_state.coroutines) {
        if (c.place.kind != PlaceKind::failed || c.joiners != 0) continue;
        Finding f = start(FindingKind::unjoined_failure, c);
        f.blame.error = std::string(m_source.text(c.error));
        f.since_seq = c.end_seq;
        f.since_t_ns = c.end_t_ns;
        f.duration_ns = elapsed(m_now, c.end_t_ns);
        f.explanation = ref(c.id) + " failed at seq " + std::to_string(c.end_seq) +
                        (f.blame.error.empty() ? "" : " (" + f.blame.error + ")") +
                        " and no coroutine joined it, so the error went nowhere.";
        m_out.push_back(std::move(f));
    }
}

// (g) Starvation: a stay in the active queue longer than the threshold while other
// coroutines were resumed (twice at least: a single long run is a cpu-hog). The stay
// going on now if it is already too long, else the longest past one.
void Detector::starvation() {
    for (const CoroutineState& c : m_state.coroutines) {
        const bool queued = c.alive() && c.place.kind == PlaceKind::active;
        const std::uint64_t ongoing = queued ? elapsed(m_now, c.since_t_ns) : 0;
        const bool now_starving = over(ongoing, m_options.starved);
        if (!now_starving && !over(c.longest_runnable.duration_ns, m_options.starved)) continue;
        const std::uint64_t from = now_starving ? c.since_seq : c.longest_runnable.resume_seq;
        const std::uint64_t upto = now_starving ? m_state.seq : c.longest_runnable.end_seq;
        const Others others = ran_between(c.id, from, upto);
        if (others.resumes < 2) continue;
        Finding f = start(FindingKind::starved, c);
        f.since_seq = from;
        f.since_t_ns = now_starving ? c.since_t_ns : c.longest_runnable.start_t_ns;
        f.duration_ns = now_starving ? ongoing : c.longest_runnable.duration_ns;
        std::string who;
        for (std::size_t i = 0; i < others.by_coro.size() && i < 3; ++i) {
            const Others::Runner& r = others.by_coro[i];
            f.blame.others.push_back(r.coro);
            who += (i == 0 ? "" : ", ") + ref(r.coro) + " " + std::to_string(r.resumes) + " times";
            if (r.jumps != 0) {
                who += " (queued at the front " + std::to_string(r.jumps) +
                       " times: a CORO, OP or FIRST priority)";
            } else if (const CoroutineState* o = m_state.find(r.coro);
                       o && o->priority >= 0 && o->priority <= 3) {
                who += std::string(" (priority ") + to_string(static_cast<Priority>(o->priority)) +
                       ")";
            }
        }
        if (others.by_coro.size() > 3) who += ", and others";
        f.explanation = ref(c.id) + (now_starving ? " has been" : " was") + " runnable for " +
                        format_duration(f.duration_ns) + " (from seq " + std::to_string(from) +
                        (now_starving ? "" : " to seq " + std::to_string(upto)) +
                        ") while others ran " + std::to_string(others.resumes) +
                        " times instead: " + who + ".";
        m_out.push_back(std::move(f));
    }
}

// (h) Retry loops: a run of timeouts on one wait, with no success of it in between and
// nobody alive who could end it.
void Detector::retry_loops() {
    for (const CoroutineState& c : m_state.coroutines) {
        if (m_options.retry_loop == 0 || c.timeouts_in_row < m_options.retry_loop) continue;
        // Could anyone have ended the wait while it kept timing out? Then it is an idle
        // poll (a consumer with a timeout, a heartbeat), not a loop that cannot succeed.
        if (m_source.retry_had_wakers(c)) continue;
        Finding f = start(FindingKind::retry_loop, c);
        {
            CoroutineState then = c;  // blame the wait it kept retrying, not where it is now
            then.place = c.retry_place;
            f.blame = blame_of(then);
        }
        f.blame.timeouts = c.timeouts_in_row;
        f.since_seq = c.retry_first_seq;
        f.since_t_ns = c.retry_first_t_ns;
        f.duration_ns = elapsed(m_now, c.retry_first_t_ns);
        const Place& p = c.retry_place;
        const std::string nobody =
            p.kind == PlaceKind::proactor ? "the descriptor never became ready in time"
            : p.kind == PlaceKind::signal ? "no live coroutine has ever sent it"
            : p.side == QueueSide::get    ? "no live coroutine puts into it"
            : p.side == QueueSide::put    ? "no live coroutine takes from it"
                                          : "no live coroutine can end that wait";
        f.explanation =
            ref(c.id) + " timed out " + std::to_string(c.timeouts_in_row) +
            " times in a row waiting for " + waits_for(p, c.retry_first_seq) +
            (p.timeout_ns > 0
                 ? " (timeout " + format_duration(static_cast<std::uint64_t>(p.timeout_ns)) +
                       " each)"
                 : "") +
            ", over " + format_duration(elapsed(c.retry_last_t_ns, c.retry_first_t_ns)) +
            ", with no success in between; " + nobody + ".";
        m_out.push_back(std::move(f));
    }
}

// (i) Backlogs: unbounded queues (and pubsubs) that grew past a size, or keep growing.
// A bounded queue cannot: its producers wait instead (blame: room in a full queue).
void Detector::backlogs() {
    for (const auto& [label, q] : m_state.queues) {
        if (q.maxsize != 0) continue;
        const std::uint64_t nonempty = elapsed(m_now, q.empty_t_ns);
        const bool growing = q.length >= m_options.backlog_growing_items &&
                             !(nonempty < ns(m_options.backlog_window)) && q.gets * 2 < q.puts;
        const bool peaked = q.max_length >= m_options.backlog_items;
        if (!growing && !peaked) continue;
        std::vector<std::uint64_t> producers = m_state.queue_users(label, QueueSide::put);
        std::vector<std::uint64_t> consumers = m_state.queue_users(label, QueueSide::get);
        const std::uint64_t coro = !consumers.empty()   ? consumers.front()
                                   : !producers.empty() ? producers.front()
                                                        : 0;
        Finding f;
        f.kind = FindingKind::backlog;
        f.coro = coro;
        if (coro != 0) f.coro_name = m_source.coro_name(coro);
        const std::string name(m_source.text(label));
        f.blame.queue = name;
        f.blame.queue_length = q.length;
        f.blame.queue_maxsize = 0;
        f.blame.others = producers;
        f.blame.consumers = consumers;
        const std::string what = std::string(q.pubsub ? "pubsub '" : "queue '") + name + "'";
        std::string sentence;
        if (growing) {
            f.since_seq = q.empty_seq;
            f.since_t_ns = q.empty_t_ns;
            f.duration_ns = nonempty;
            const std::uint64_t span = elapsed(m_state.t_ns, q.empty_t_ns);
            sentence = what + " holds " + std::to_string(q.length) + " items and has not been " +
                       "empty for " + format_duration(nonempty) + ": " + names(producers) +
                       " put " + std::to_string(q.puts) + " (" + rate(q.puts, span) + "), " +
                       names(consumers) + " took " + std::to_string(q.gets) + " (" +
                       rate(q.gets, span) + ")";
            if (q.max_length > q.length)
                sentence += "; it held " + std::to_string(q.max_length) + " at most";
        } else {
            f.since_seq = q.max_seq;
            f.since_t_ns = q.max_t_ns;
            f.duration_ns = elapsed(m_now, q.max_t_ns);
            const std::uint64_t span = elapsed(q.last_t_ns, q.first_t_ns);
            sentence = what + " held " + std::to_string(q.max_length) + " items at seq " +
                       std::to_string(q.max_seq) + " (" + std::to_string(q.length) +
                       " now): " + names(producers) + " put " + std::to_string(q.total_puts) +
                       " (" + rate(q.total_puts, span) + "), " + names(consumers) + " took " +
                       std::to_string(q.total_gets) + " (" + rate(q.total_gets, span) + ")";
        }
        f.explanation = sentence + (consumers.empty() ? "; nobody takes from it" : "") + ".";
        m_out.push_back(std::move(f));
    }
}

// (j) Stalled I/O: an fd wait that moved bytes, then none for longer than the threshold.
void Detector::stalled_io() {
    for (const auto& [op, reg] : m_state.registrations) {
        if (reg.bytes == 0) continue;
        const std::uint64_t idle = elapsed(m_now, reg.progress_t_ns);
        if (!over(idle, m_options.stalled_io)) continue;
        const CoroutineState* c = m_state.find(reg.coro);
        if (c == nullptr) continue;
        Finding f = start(FindingKind::stalled_io, *c, reg);
        f.blame.bytes = reg.bytes;
        f.since_seq = reg.progress_seq;
        f.since_t_ns = reg.progress_t_ns;
        f.duration_ns = idle;
        const std::string interest = able(reg.interest);
        f.explanation =
            ref(c->id) + " moved " + format_bytes(reg.bytes) + " on fd " + std::to_string(reg.fd) +
            " (" + f.blame.op_type + " op " + std::to_string(reg.op) + ", last at seq " +
            std::to_string(reg.progress_seq) + ") and then nothing for " + format_duration(idle) +
            (interest.empty() ? "" : ": it waits for the fd to become " + interest) + ".";
        m_out.push_back(std::move(f));
    }
}

}  // namespace

std::string_view to_string(FindingKind kind) noexcept {
    const auto i = static_cast<std::size_t>(kind);
    return i < kind_names.size() ? kind_names[i] : std::string_view{"unknown"};
}

std::vector<Finding> find_stalls(const StallSource& source, const ModelState& state,
                                 std::uint64_t now_ns, const StallOptions& options) {
    return Detector(source, state, now_ns, options).run();
}

std::vector<Finding> find_stalls(const TraceModel& model, const ModelState& state,
                                 std::uint64_t now_ns, const StallOptions& options) {
    return find_stalls(ModelStallSource{model}, state, now_ns, options);
}

std::vector<Finding> find_stalls_at_end(const TraceModel& model, const StallOptions& options) {
    // The last sched.run.end, which the model keeps track of (no scan of the events).
    const std::uint64_t run_end = model.last_run_end_seq();
    const std::uint64_t at = run_end != 0 ? run_end : model.last_seq();
    const ModelState state = model.state_at(at);
    return find_stalls(model, state, model.now_ns(), options);
}

}  // namespace cogen::viz
