// StepWorker: the thread that steps a scheduler for the in-process visualizer. The GUI asks
// (pause, step, run at a speed, step until a coroutine's next event, pick a ready pair); the
// worker makes one transition at a time, checks breakpoints on the events each step produced,
// and hands those events over. The scheduler is only ever touched by this thread.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cogen/instrument.hpp"
#include "scheduler_driver.hpp"
#include "session.hpp"

namespace cogen::viz {

class Capture;

/// What the worker does when nobody asks anything.
enum class StepMode : std::uint8_t {
    paused,
    running,     ///< steps at steps_per_second (0: as fast as possible)
    until_coro,  ///< steps until an event of target_coro
    until_pick,  ///< finishes the transition chain after a pick, up to the next pick
};

/// One choice of the learner in "be the scheduler", beside cogen's.
struct PickRecord {
    ReadyChoice chosen;
    ReadyChoice cogen_first;
    std::size_t index = 0;  ///< position of the chosen pair in cogen's order
    std::string outcome;    ///< what it did: "ran until it parked on Recv", "finished", ...
};

/// A copy of the worker's state for the GUI.
struct WorkerStatus {
    StepMode mode = StepMode::paused;
    double steps_per_second = 8;
    bool busy = false;  ///< a step is in progress (it may block in a poll)
    bool idle = false;  ///< the last step found nothing to do: run() would return here
    bool at_pick = true;
    std::uint64_t steps = 0;
    std::uint64_t target_coro = 0;
    std::string break_op;
    std::uint64_t break_coro = 0;
    std::string paused_because;
    std::vector<ReadyChoice> ready;  ///< the first ready pairs, in cogen's order
    std::size_t ready_total = 0;
    std::vector<PickRecord> picks;  ///< the learner's last picks, newest last
};

class StepWorker {
  public:
    static constexpr std::size_t max_ready_shown = 64;

    /// Starts the thread, paused (or running when `start_running`).
    StepWorker(SchedulerDriver& driver, Capture* capture, bool start_running = false,
               double steps_per_second = 8);
    /// Stops the thread; a step blocked in a poll is interrupted.
    ~StepWorker();
    StepWorker(const StepWorker&) = delete;
    StepWorker& operator=(const StepWorker&) = delete;

    void pause();
    void run();
    void set_speed(double steps_per_second);
    void step_once();
    void step_until_coro(std::uint64_t coro);
    /// Be the scheduler: run ready pair `index` (cogen's order) next, then finish the chain.
    void pick(std::size_t index);
    /// Pause when an op named `op_type` is processed ("": never) or coroutine `coro` resumes
    /// (0: never). `op_type_ids` are the ids the GUI's model already knows for that name;
    /// names the scheduler interns later are matched as they arrive.
    void set_breakpoints(std::string op_type, std::uint64_t coro,
                         std::vector<std::uint32_t> op_type_ids = {});

    WorkerStatus status() const;
    /// Moves the strings and events recorded since the last call into `session`.
    std::size_t drain(Session& session);
    /// Blocks until the worker is paused and not busy, or `timeout_s` passed (tests, screenshots).
    bool wait_paused(double timeout_s) const;

  private:
    void loop();
    void take_events(std::unique_lock<std::mutex>& lock, bool check_breakpoints = true);
    void snapshot(std::unique_lock<std::mutex>& lock);
    bool breakpoint_hit(const TraceEvent& e);
    bool pick_chain_over();
    void follow_pick(const TraceEvent& e);

    SchedulerDriver& m_driver;
    Capture* m_capture;
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed;  // commands and state changes
    WorkerStatus m_status;
    bool m_quit = false;
    bool m_started = false;  // the first snapshot is taken
    bool m_step_requested = false;
    std::size_t m_pick_requested = 0;  // 1 + index, 0 = none
    bool m_run_open = false;           // sched.run.begin emitted, no run.end yet
    // The interned ids whose text is m_status.break_op (the worker keeps no string table:
    // the GUI resolves names known to its model, the worker checks strings as they arrive).
    std::vector<std::uint32_t> m_break_op_ids;
    std::vector<std::pair<std::uint32_t, std::string>> m_out_strings;
    std::vector<TraceEvent> m_out_events;
    // What this step's events said about the picked coroutine, folded as they arrive (no
    // copy of the events is kept): it ran, its chain of "now" transitions is over, and the
    // first event of the step (to say what ran instead when the pick did not).
    struct PickChain {
        bool ran = false;
        bool over = false;
        bool any = false;
        EventKind first{};
    } m_step_chain;
    std::uint64_t m_pick_coro = 0;  // the coroutine of the last pick
    std::string m_pick_name;        // its name, for the status line
    bool m_pick_ran = false;        // it resumed since the pick
    std::string m_pick_report;      // what it did since the pick
    std::thread m_thread;
};

}  // namespace cogen::viz
