// Trace loading for replay: a TraceLoader reads a trace file (binary, JSON Lines or a JSON
// document) with the tracer's streaming reader on a thread of its own and appends its events
// to a Session's model in short slices, so that the window shows the first frame at once and
// the cursor works on what is indexed so far. Leniently: a truncated or partly malformed file
// still opens with what it holds; every problem becomes a notice for the window and a line
// on stderr. Never throws. docs/visualizer-model.md, "Opening a big file".
#pragma once
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>

#include "cogen/trace/reader.hpp"
#include "load_progress.hpp"
#include "session.hpp"
#include "session_lock.hpp"

namespace cogen::viz {

/// What opening a trace file did.
struct LoadResult {
    bool readable = false;    ///< false: nothing could be read (missing file, bad syntax ...)
    std::size_t skipped = 0;  ///< bad records left out
    double seconds = 0;       ///< read + model build time
};

/// Indexes a file into a session in the background:
///
///     Session session;
///     TraceLoader loader{session, "big.cgt"};     // returns at once
///     for (;;) {                                   // each frame:
///         auto lock = loader.lock();               //   the session is the GUI's till unlocked
///         draw(session, loader.progress());
///     }
///
/// While it runs, the session is growing (Session::set_growing) and only the holder of
/// lock() may touch it. When it ends it adds its notices (truncated file, skipped records,
/// an unreadable file...) to the session and stops it growing. The destructor stops the read
/// where it is and joins the thread (call it without holding lock()).
class TraceLoader {
  public:
    /// Starts reading `path` into `session` (which should be empty). With `echo`, the
    /// notices also go to stderr prefixed by "cogen-viz: ".
    TraceLoader(Session& session, std::string path, bool echo = true);
    ~TraceLoader();
    TraceLoader(const TraceLoader&) = delete;
    TraceLoader& operator=(const TraceLoader&) = delete;

    /// The session is the caller's until the lock is released (a frame's reads and writes).
    std::unique_lock<std::mutex> lock() { return m_lock.for_frame(); }
    /// How far it got; needs no lock.
    LoadProgress progress() const;
    /// The whole file is indexed, or the read failed or was cancelled (no lock needed).
    bool done() const noexcept { return m_done.load(std::memory_order_acquire); }
    /// Once done(): what the load did.
    const LoadResult& result() const noexcept { return m_result; }
    /// Asks the thread to stop after the slice in progress (the model keeps what it has).
    void cancel() noexcept { m_cancel.store(true, std::memory_order_release); }
    /// Waits until done() and joins the thread (without holding lock()); returns result().
    const LoadResult& wait();
    const std::string& path() const noexcept { return m_path; }

  private:
    void run();
    void index(const trace::TraceBatch& batch);
    void finish(bool readable, const std::string& error, const trace::ReadReport& report);
    void say(Notice::Level level, const std::string& text);

    Session& m_session;
    const std::string m_path;
    const bool m_echo;
    const std::chrono::steady_clock::time_point m_start;
    SessionLock m_lock;
    std::atomic<bool> m_cancel{false};
    std::atomic<bool> m_done{false};
    std::atomic<std::uint64_t> m_events{0};
    std::atomic<std::uint64_t> m_bytes_read{0};
    std::atomic<std::uint64_t> m_total_bytes{0};
    std::atomic<std::int64_t> m_finished_ns{0};
    // The indexer thread's own.
    std::uint32_t m_next_string = 1;
    std::uint64_t m_batch_start_bytes = 0;
    double m_ns_per_event = 0;  // the rate of the last add_events call (the loader thread only)
    bool m_header_set = false;
    LoadResult m_result;  // written by the thread before m_done
    std::thread m_thread;
};

/// Loads the whole of `path` into `session` before returning (headless mode, benchmarks):
/// a TraceLoader waited for.
LoadResult load_trace_file(Session& session, const std::string& path, bool echo = true);

}  // namespace cogen::viz
