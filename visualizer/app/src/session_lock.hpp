// SessionLock: the one mutex between a TraceLoader's thread, which appends a file's events to
// a Session's model in short slices, and the GUI thread, which reads the session for a frame
// (refresh, the widgets, the views) while holding it. The GUI goes first: a slice that ends
// while a frame waits lets the frame in before the loader takes the mutex again (a plain
// mutex would let the loader, which never sleeps, take it back at once, again and again).
// docs/visualizer-model.md, "Opening a big file".
#pragma once
#include <atomic>
#include <mutex>
#include <thread>

namespace cogen::viz {

class SessionLock {
  public:
    /// The GUI's side: waits at most for the slice in progress.
    std::unique_lock<std::mutex> for_frame() {
        m_frames_waiting.fetch_add(1, std::memory_order_acq_rel);
        std::unique_lock lock{m_mutex};
        m_frames_waiting.fetch_sub(1, std::memory_order_acq_rel);
        return lock;
    }
    /// The loader's side: lets a waiting frame in first.
    std::unique_lock<std::mutex> for_slice() {
        while (m_frames_waiting.load(std::memory_order_acquire) != 0) std::this_thread::yield();
        return std::unique_lock{m_mutex};
    }

  private:
    std::mutex m_mutex;
    std::atomic<int> m_frames_waiting{0};
};

}  // namespace cogen::viz
