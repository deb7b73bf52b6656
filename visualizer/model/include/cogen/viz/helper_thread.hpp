// HelperThread: a second thread that runs one job at a time for its owner, who starts it,
// does its own share of the work meanwhile and then waits for it (a fork and a join).
// TraceModel::add_events replays the state on one while the calling thread stores the
// events (docs/visualizer-model.md, "Building on two cores").
#pragma once
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace cogen::viz {

/// One job at a time on a thread of its own.
///
///     HelperThread helper;
///     helper.start([&] { replay(part_b); });
///     store(part_a);
///     helper.wait();   // part_b done (its exception, if any, rethrown here)
class HelperThread {
  public:
    HelperThread();
    /// Joins the thread (after the job in progress, if any).
    ~HelperThread();
    HelperThread(const HelperThread&) = delete;
    HelperThread& operator=(const HelperThread&) = delete;

    /// Runs `job` on the thread. Only while idle: every start() is followed by a wait().
    void start(std::function<void()> job);
    /// Waits until the job has run; rethrows what it threw.
    void wait();

  private:
    void loop();

    std::mutex m_mutex;
    std::condition_variable m_wake;  // a job, or the end
    std::condition_variable m_done;  // the job has run
    std::function<void()> m_job;
    bool m_busy = false;
    bool m_stop = false;
    std::exception_ptr m_error;
    std::thread m_thread;  // last: started once the rest is ready
};

}  // namespace cogen::viz
