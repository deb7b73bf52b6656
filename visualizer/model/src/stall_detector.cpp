// The stall detector: one function per finding kind, each over one state.
#include "cogen/viz/stall_detector.hpp"

#include <algorithm>
#include <array>
#include <tuple>

#include "cogen/viz/event_text.hpp"
#include "cogen/viz/trace_model.hpp"
#include "cogen/viz/wait_graph.hpp"

namespace cogen::viz {
namespace {

constexpr std::array<std::string_view, finding_kind_count> kind_names = {
    "untimed-wait", "orphan-signal", "deadlock", "cpu-hog", "fd-never-ready", "unjoined-failure",
};

std::uint64_t elapsed(std::uint64_t now, std::uint64_t since) {
    return now > since ? now - since : 0;
}

std::uint64_t ns(std::chrono::nanoseconds d) {
    return d.count() > 0 ? static_cast<std::uint64_t>(d.count()) : 0;
}

class Detector {
  public:
    Detector(const TraceModel& model, const ModelState& state, std::uint64_t now,
             const StallOptions& options)
        : m_model(model),
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
        std::stable_sort(m_out.begin(), m_out.end(), [](const Finding& x, const Finding& y) {
            return std::tie(x.kind, x.coro, x.since_seq) < std::tie(y.kind, y.coro, y.since_seq);
        });
        return std::move(m_out);
    }

  private:
    Finding start(FindingKind kind, const CoroutineState& c) const;
    Blame blame_of(const CoroutineState& c) const;
    std::uint64_t awaited_op(const TraceEvent& suspend) const;
    std::string waits_on(const CoroutineState& c) const;
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

    const TraceModel& m_model;
    const ModelState& m_state;
    std::uint64_t m_now;
    const StallOptions& m_options;
    bool m_stuck_at_end;
    WaitForGraph m_graph;
    std::vector<Finding> m_out;
};

// The op a coro.suspend awaits. The event may carry op 0 when the runtime
// numbers ops in process(); the coroutine's next event, its op.process, has it.
std::uint64_t Detector::awaited_op(const TraceEvent& suspend) const {
    if (suspend.op != 0 || suspend.kind != EventKind::coro_suspend) return suspend.op;
    const auto events = m_model.events_of(suspend.coro);
    const std::size_t index = m_model.index_of(suspend.seq);
    auto it = std::upper_bound(events.begin(), events.end(), index,
                               [](std::size_t key, std::uint32_t i) { return key < i; });
    if (it == events.end()) return 0;
    const TraceEvent& next = m_model.events()[*it];
    return next.kind == EventKind::op_process ? next.op : 0;
}

Finding Detector::start(FindingKind kind, const CoroutineState& c) const {
    Finding f;
    f.kind = kind;
    f.coro = c.id;
    f.coro_name = m_model.coro_name(c.id);
    f.blame = blame_of(c);
    f.since_seq = c.since_seq;
    f.since_t_ns = c.since_t_ns;
    f.duration_ns = elapsed(m_now, c.since_t_ns);
    return f;
}

Blame Detector::blame_of(const CoroutineState& c) const {
    Blame b;
    b.op = c.place.op != 0 ? c.place.op : c.op;
    b.op_type = std::string(m_model.text(c.place.op_type != 0 ? c.place.op_type : c.op_type));
    b.fd = c.place.fd;
    b.interest = c.place.interest;
    const std::string label(m_model.text(c.place.label));
    switch (c.place.kind) {
        case PlaceKind::signal:
            b.signal = label;
            break;
        case PlaceKind::join:
        case PlaceKind::call:
            b.joined = c.place.target;
            if (b.joined != 0) b.joined_name = m_model.coro_name(b.joined);
            break;
        case PlaceKind::queue:
        case PlaceKind::pubsub:
        case PlaceKind::pipe:
        case PlaceKind::other:
            b.queue = label;
            break;
        default:
            break;
    }
    return b;
}

// "signal 'go'", "'worker' (coro 4) to finish", "queue 'jobs'" ...
std::string Detector::waits_on(const CoroutineState& c) const {
    const std::string label(m_model.text(c.place.label));
    switch (c.place.kind) {
        case PlaceKind::signal:
            return "signal '" + label + "'";
        case PlaceKind::join:
        case PlaceKind::call:
            return c.place.target != 0 ? coro_ref(m_model, c.place.target) + " to finish"
                                       : "'" + label + "' to finish";
        case PlaceKind::queue:
            return "queue '" + label + "'";
        case PlaceKind::pubsub:
            return "pubsub '" + label + "'";
        case PlaceKind::pipe:
            return "pipe '" + label + "'";
        case PlaceKind::proactor:
            return "fd " + std::to_string(c.place.fd) + " (" +
                   std::string(m_model.text(c.place.op_type)) + ")";
        default:
            return std::string(m_model.text(c.place.op_type)) + " '" + label + "'";
    }
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
        f.explanation = coro_ref(m_model, c.id) + " has waited " + format_duration(waited) +
                        " for " + waits_on(c) + " with no timeout" + end_note() + ".";
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
        f.explanation = coro_ref(m_model, c.id) + " waits for " + waits_on(c) + ", but " +
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
            chain +=
                (chain.empty() ? "" : "; ") + coro_ref(m_model, id) + " waits for " + waits_on(c);
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
            f.explanation = coro_ref(m_model, c.id) + " has been running for " +
                            format_duration(ongoing) + " without suspending (since seq " +
                            std::to_string(slice.resume_seq) + ").";
        } else {
            std::string next = "its next suspension";
            if (const TraceEvent* end = m_model.find_event(slice.end_seq)) {
                f.blame.op = awaited_op(*end);
                f.blame.op_type = std::string(m_model.text(end->op_type));
                next = end->kind != EventKind::coro_suspend ? "its end"
                       : f.blame.op != 0
                           ? "awaiting " + f.blame.op_type + " op " + std::to_string(f.blame.op)
                           : "awaiting " + f.blame.op_type;
            }
            f.explanation = coro_ref(m_model, c.id) + " ran " + format_duration(slice.duration_ns) +
                            " without suspending, from seq " + std::to_string(slice.resume_seq) +
                            " to " + next + " at seq " + std::to_string(slice.end_seq) + ".";
        }
        m_out.push_back(std::move(f));
    }
}

// (e) fd waits that never saw a single op.run since their registration.
void Detector::fd_waits() {
    for (const auto& [op, reg] : m_state.registrations) {
        if (reg.run_attempts != 0) continue;
        const std::uint64_t waited = elapsed(m_now, reg.t_ns);
        if (!over(waited, m_options.fd_never_ready)) continue;
        const CoroutineState* c = m_state.find(reg.coro);
        if (c == nullptr) continue;
        Finding f = start(FindingKind::fd_never_ready, *c);
        f.blame.op = reg.op;
        f.blame.op_type = std::string(m_model.text(reg.op_type));
        f.blame.fd = reg.fd;
        f.blame.interest = reg.interest;
        f.since_seq = reg.seq;
        f.since_t_ns = reg.t_ns;
        f.duration_ns = waited;
        const std::string_view interest = to_string(reg.interest);
        f.explanation = coro_ref(m_model, c->id) + " has waited " + format_duration(waited) +
                        " for fd " + std::to_string(reg.fd) +
                        (interest.empty() ? "" : " to become " + std::string(interest) + "able") +
                        " (" + f.blame.op_type + " op " + std::to_string(reg.op) +
                        ") and it never became ready.";
        m_out.push_back(std::move(f));
    }
}

// (f) Failed coroutines whose exception nobody joined (or called) for.
void Detector::unjoined_failures() {
    for (const CoroutineState& c : m_state.coroutines) {
        if (c.place.kind != PlaceKind::failed || c.joiners != 0) continue;
        Finding f = start(FindingKind::unjoined_failure, c);
        f.blame.error = std::string(m_model.text(c.error));
        f.since_seq = c.end_seq;
        f.since_t_ns = c.end_t_ns;
        f.duration_ns = elapsed(m_now, c.end_t_ns);
        f.explanation = coro_ref(m_model, c.id) + " failed at seq " + std::to_string(c.end_seq) +
                        (f.blame.error.empty() ? "" : " (" + f.blame.error + ")") +
                        " and no coroutine joined it, so the error went nowhere.";
        m_out.push_back(std::move(f));
    }
}

}  // namespace

std::string_view to_string(FindingKind kind) noexcept {
    const auto i = static_cast<std::size_t>(kind);
    return i < kind_names.size() ? kind_names[i] : std::string_view{"unknown"};
}

std::vector<Finding> find_stalls(const TraceModel& model, const ModelState& state,
                                 std::uint64_t now_ns, const StallOptions& options) {
    return Detector(model, state, now_ns, options).run();
}

std::vector<Finding> find_stalls_at_end(const TraceModel& model, const StallOptions& options) {
    std::uint64_t at = model.last_seq();
    const auto events = model.events();
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
        if (it->kind == EventKind::sched_run_end) {
            at = it->seq;
            break;
        }
    }
    const ModelState state = model.state_at(at);
    return find_stalls(model, state, model.now_ns(), options);
}

}  // namespace cogen::viz
