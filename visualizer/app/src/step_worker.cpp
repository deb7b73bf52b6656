// StepWorker: stepping a scheduler on its own thread (see step_worker.hpp).
#include "step_worker.hpp"

#include <algorithm>
#include <chrono>

#include "cogen/trace_event_view.hpp"
#include "cogen/viz/capture.hpp"

namespace cogen::viz {
namespace {

constexpr std::size_t max_picks_kept = 12;

}  // namespace

StepWorker::StepWorker(SchedulerDriver& driver, Capture* capture, bool start_running,
                       double steps_per_second)
    : m_driver(driver), m_capture(capture) {
    m_status.mode = start_running ? StepMode::running : StepMode::paused;
    m_status.steps_per_second = steps_per_second;
    m_thread = std::thread([this] { loop(); });
}

StepWorker::~StepWorker() {
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
        // A step blocked in a poll until the next deadline would hold the window open.
        if (m_status.busy) m_driver.interrupt();
    }
    m_changed.notify_all();
    m_thread.join();
    // The thread is gone: close the run it opened in the trace, from here.
    if (m_run_open) m_driver.run_ended();
}

void StepWorker::pause() {
    std::lock_guard lock(m_mutex);
    m_status.mode = StepMode::paused;
    m_status.paused_because.clear();  // the status line says "paused" already
    m_changed.notify_all();
}

void StepWorker::run() {
    std::lock_guard lock(m_mutex);
    m_status.mode = StepMode::running;
    m_status.paused_because.clear();
    m_changed.notify_all();
}

void StepWorker::set_speed(double steps_per_second) {
    std::lock_guard lock(m_mutex);
    m_status.steps_per_second = steps_per_second;
    m_changed.notify_all();
}

void StepWorker::step_once() {
    std::lock_guard lock(m_mutex);
    m_status.mode = StepMode::paused;
    m_step_requested = true;
    m_changed.notify_all();
}

void StepWorker::step_until_coro(std::uint64_t coro) {
    std::lock_guard lock(m_mutex);
    m_status.mode = StepMode::until_coro;
    m_status.target_coro = coro;
    m_status.paused_because.clear();
    m_changed.notify_all();
}

void StepWorker::pick(std::size_t index) {
    std::lock_guard lock(m_mutex);
    if (m_status.busy || !m_status.at_pick || index >= m_status.ready.size()) return;
    PickRecord rec{m_status.ready[index], m_status.ready.front(), index, {}};
    m_status.picks.push_back(std::move(rec));
    if (m_status.picks.size() > max_picks_kept) m_status.picks.erase(m_status.picks.begin());
    m_status.mode = StepMode::paused;
    m_pick_requested = index + 1;
    m_pick_coro = m_status.ready[index].coro;
    m_pick_name = m_status.ready[index].coro_name;
    m_changed.notify_all();
}

void StepWorker::set_breakpoints(std::string op_type, std::uint64_t coro,
                                 std::vector<std::uint32_t> op_type_ids) {
    std::lock_guard lock(m_mutex);
    m_status.break_op = std::move(op_type);
    m_status.break_coro = coro;
    m_break_op_ids = std::move(op_type_ids);
    // Strings in the outbox have not reached the GUI's model yet.
    for (const auto& [id, text] : m_out_strings)
        if (!m_status.break_op.empty() && text == m_status.break_op) m_break_op_ids.push_back(id);
}

WorkerStatus StepWorker::status() const {
    std::lock_guard lock(m_mutex);
    return m_status;
}

std::size_t StepWorker::drain(Session& session) {
    std::vector<std::pair<std::uint32_t, std::string>> strings;
    std::vector<TraceEvent> events;
    {
        std::lock_guard lock(m_mutex);
        strings.swap(m_out_strings);
        events.swap(m_out_events);
    }
    for (const auto& [id, text] : strings) session.add_string(id, text);
    return session.add_events(events);
}

bool StepWorker::wait_paused(double timeout_s) const {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, std::chrono::duration<double>(timeout_s), [this] {
        return m_started && m_status.mode == StepMode::paused && !m_status.busy &&
               !m_step_requested && m_pick_requested == 0;
    });
}

bool StepWorker::breakpoint_hit(const TraceEvent& e) {
    WorkerStatus& s = m_status;
    const std::string who = "coro " + std::to_string(e.coro);
    if (!s.break_op.empty() && e.kind == EventKind::op_process && e.op_type != 0 &&
        std::find(m_break_op_ids.begin(), m_break_op_ids.end(), e.op_type) !=
            m_break_op_ids.end()) {
        s.paused_because = "breakpoint: " + who + " co_awaited a " + s.break_op;
        return true;
    }
    if (s.break_coro != 0 && e.kind == EventKind::coro_resume && e.coro == s.break_coro) {
        s.paused_because = "breakpoint: " + who + " resumed";
        return true;
    }
    if (s.mode == StepMode::until_coro && e.coro == s.target_coro && e.coro != 0) {
        s.paused_because = who + ": " + std::string(to_string(e.kind));
        return true;
    }
    return false;
}

// Moves what the capture recorded into the outbox and pauses on a breakpoint. The capture
// appends straight into the outbox (a swap when it is empty, as it is after each GUI frame's
// drain): an event is copied once by the capture and once by the model, nowhere in between.
void StepWorker::take_events(std::unique_lock<std::mutex>&, bool check_breakpoints) {
    if (!m_capture) return;
    if (check_breakpoints) m_step_chain = {};
    const std::size_t first_string = m_out_strings.size();
    const std::size_t first_event = m_out_events.size();
    m_capture->drain(m_out_strings, m_out_events);
    for (std::size_t i = first_string; i < m_out_strings.size(); ++i) {
        const auto& [id, text] = m_out_strings[i];
        if (!m_status.break_op.empty() && text == m_status.break_op) m_break_op_ids.push_back(id);
    }
    bool hit = false;
    for (std::size_t i = first_event; i < m_out_events.size(); ++i) {
        const TraceEvent& e = m_out_events[i];
        if (check_breakpoints) hit = breakpoint_hit(e) || hit;
        follow_pick(e);
    }
    if (hit) m_status.mode = StepMode::paused;
}

// After a pick, the chosen coroutine runs until it parks again or ends (the transitions that
// follow "now"). Folded event by event into m_step_chain and m_pick_report: the chain is over
// once the pick parked, ended, was only started (a first resume creates the frame and queues
// it again), or the step did not run it at all.
void StepWorker::follow_pick(const TraceEvent& e) {
    if (!m_step_chain.any) {
        m_step_chain.any = true;
        m_step_chain.first = e.kind;
    }
    if (e.coro != m_pick_coro || m_step_chain.over) return;
    const EventView view{e};
    switch (e.kind) {
        case EventKind::coro_finish:
            m_pick_report = "finished";
            m_step_chain.over = true;
            break;
        case EventKind::coro_fail:
            m_pick_report = "failed (an exception left its body)";
            m_step_chain.over = true;
            break;
        case EventKind::coro_kill:
            m_pick_report = "was killed";
            m_step_chain.over = true;
            break;
        case EventKind::op_process:
            m_pick_ran = m_step_chain.ran = true;
            if (view.outcome() != Outcome::ready) {
                // The scheduler names the op it parked on (the worker keeps no string table).
                m_pick_report = "ran until it parked on " + m_driver.awaited_op_name(e.coro);
                m_step_chain.over = true;
            }
            break;
        case EventKind::sched_active:
            // Its first resume only makes the frame; it goes to the back of the queue.
            if (view.active_change() != ActiveChange::start_round) break;
            m_pick_report =
                "started: its first resume only creates the frame and queues it again (pick it "
                "again to run its body)";
            m_pick_ran = true;
            m_step_chain.over = true;
            break;
        case EventKind::coro_resume:
        case EventKind::coro_suspend:
        case EventKind::op_finalize:
            m_pick_ran = m_step_chain.ran = true;
            break;
        default:
            break;
    }
}

bool StepWorker::pick_chain_over() {
    if (m_step_chain.over) return true;
    if (m_step_chain.ran) return false;
    if (!m_pick_ran) {
        // Should not happen (step_pick makes the pick the next transition); say what ran.
        const std::string what =
            m_step_chain.any ? std::string(to_string(m_step_chain.first)) : std::string("nothing");
        m_pick_report = "did not run: the step made a " + what + " instead";
    }
    return true;
}

void StepWorker::snapshot(std::unique_lock<std::mutex>&) {
    m_status.at_pick = m_driver.at_pick();
    m_status.ready = m_driver.ready_pairs(max_ready_shown, m_status.ready_total);
}

void StepWorker::loop() {
    std::unique_lock lock(m_mutex);
    m_driver.run_began();
    m_run_open = true;
    take_events(lock, false);
    snapshot(lock);
    m_started = true;
    m_changed.notify_all();
    auto last_snapshot = std::chrono::steady_clock::now();
    while (!m_quit) {
        const std::size_t pick = std::exchange(m_pick_requested, 0);
        const bool stepping = pick != 0 || std::exchange(m_step_requested, false) ||
                              m_status.mode != StepMode::paused;
        if (!stepping) {
            m_changed.wait(lock);
            continue;
        }
        if (pick != 0) {
            m_pick_ran = false;
            m_pick_report = "ran";
        }
        m_status.busy = true;
        m_changed.notify_all();
        lock.unlock();
        const bool progressed = pick != 0 ? m_driver.step_pick(pick - 1) : m_driver.step();
        lock.lock();
        m_status.busy = false;
        if (m_quit) break;
        take_events(lock);
        if (progressed) {
            ++m_status.steps;
            m_status.idle = false;
            if (!m_run_open) {
                m_driver.run_began();
                m_run_open = true;
                take_events(lock, false);
            }
        } else {
            m_status.idle = true;
            m_status.mode = StepMode::paused;
            m_status.paused_because = "idle: nothing can make progress (run() would return here)";
            if (m_run_open) {
                m_driver.run_ended();
                m_run_open = false;
                take_events(lock, false);
            }
        }
        if (pick != 0 && progressed) m_status.mode = StepMode::until_pick;
        if (m_status.mode == StepMode::until_pick && (pick_chain_over() || m_driver.at_pick())) {
            m_status.mode = StepMode::paused;
            m_status.paused_because = "your pick '" + m_pick_name + "' " + m_pick_report;
            if (!m_status.picks.empty()) m_status.picks.back().outcome = m_pick_report;
        }
        const auto now = std::chrono::steady_clock::now();
        if (m_status.mode == StepMode::paused ||
            now - last_snapshot > std::chrono::milliseconds(50)) {
            snapshot(lock);
            last_snapshot = now;
        }
        m_changed.notify_all();
        if (m_status.mode == StepMode::running && m_status.steps_per_second > 0) {
            const auto period = std::chrono::duration<double>(1.0 / m_status.steps_per_second);
            m_changed.wait_for(lock, period, [this] {
                return m_quit || m_status.mode != StepMode::running || m_step_requested ||
                       m_pick_requested != 0;
            });
        }
    }
}

}  // namespace cogen::viz
