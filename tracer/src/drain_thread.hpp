// DrainThread: the background thread of a file sink. It wakes every interval (or when asked),
// calls the sink's drain function, and runs it one last time when stopped. Private.
#pragma once
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace cogen::trace::detail {

class DrainThread {
  public:
    /// drain(final) empties the sink's pipe and writes; final is true on the last call.
    DrainThread(std::chrono::milliseconds interval, std::function<void(bool)> drain);
    ~DrainThread() { stop(); }
    DrainThread(const DrainThread&) = delete;
    DrainThread& operator=(const DrainThread&) = delete;

    /// Hurries the next drain (a flush is waiting).
    void wake();
    /// Runs the final drain and joins; idempotent.
    void stop();

  private:
    void run();

    std::chrono::milliseconds m_interval;
    std::function<void(bool)> m_drain;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_woken = false;
    bool m_stopping = false;
    std::thread m_thread;
};

}  // namespace cogen::trace::detail
