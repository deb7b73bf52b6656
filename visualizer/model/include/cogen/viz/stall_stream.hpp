// StallStream: the stall detector on a running program in bounded memory. The scheduler
// writes its events into a record ring (Instrument::record_ring(), as the tracer's file
// sinks do); a background thread converts them and feeds a StallTracker, whose memory
// follows the coroutines alive, not the run's length. It forwards to the instrument it
// wraps (COGEN_TRACE's), so tracing keeps working. Behind COGEN_STALLS
// (env_stall_check.cpp). docs/stalls.md, "A stall check at exit".
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cogen/event_record.hpp"
#include "cogen/instrument.hpp"
#include "cogen/record_ring.hpp"
#include "cogen/trace/flush_stage.hpp"
#include "cogen/viz/stall_finding.hpp"
#include "cogen/viz/stall_tracker.hpp"

namespace cogen::viz {

/// How a StallStream buffers and drains.
struct StallStreamOptions {
    StallOptions stall;                                ///< thresholds the findings are judged with
    std::size_t ring_capacity = std::size_t{1} << 16;  ///< records buffered (64 B each)
    std::chrono::milliseconds interval{10};            ///< how often the thread drains the ring
};

/// Stall findings of a running scheduler, computed on a background thread.
///
///     cogen::viz::StallStream stream{env_instrument.get()};   // forwards to it (may be null)
///     cogen::Scheduler sched{{.instrument = &stream}};
///     ... sched.run(); ...
///     // after the scheduler is destroyed (on_close): the findings of the whole run
///     for (const Finding& f : stream.findings()) std::puts(f.explanation.c_str());
///
/// How it forwards: when `next` is null or has a record ring of its own (the file sinks,
/// the flight recorder), the scheduler writes into this stream's ring and the background
/// thread copies each record into `next`'s ring unchanged (strings are forwarded at once,
/// on the scheduler's thread, so they precede the records using them); otherwise (an
/// instrument that takes on_event, e.g. the live feed) the stream takes on_event too,
/// pushes a copy into its ring and calls `next` on the scheduler's thread.
///
/// When the ring is full the scheduler does not wait: the event is dropped and counted, the
/// tracker sees a trace.drop in its place, and dropped() says how many were lost. Findings
/// of a stream with a gap are reported as they come out, with the gap said beside them
/// (format_stall_stream_report).
class StallStream final : public Instrument {
  public:
    using Options = StallStreamOptions;

    /// Starts the thread. `next` (not owned) hears every string and event too, and
    /// on_close(); it must outlive the stream.
    explicit StallStream(Instrument* next = nullptr, Options options = {});
    /// The same, owning `next` (destroyed with the stream).
    explicit StallStream(std::unique_ptr<Instrument> next, Options options = {});
    /// Stops the thread (after a final drain) if on_close() did not.
    ~StallStream() override;
    StallStream(const StallStream&) = delete;
    StallStream& operator=(const StallStream&) = delete;

    void on_string(std::uint32_t id, std::string_view text) override;
    /// Used when the scheduler does not write the ring itself (record_ring() is null, or the
    /// stream is not its instrument but is called by another, e.g. a StallWatch's next).
    void on_event(const TraceEvent& event) override;
    /// Drains what is left, stops the thread, then closes `next`.
    void on_close() override;
    RecordRing* record_ring() noexcept override { return m_next_ring_mode ? &m_ring : nullptr; }

    /// Waits until every event pushed before the call has reached the tracker (and `next`'s
    /// ring), or `timeout`. False on timeout. Any thread but the drain thread.
    bool flush(std::chrono::milliseconds timeout = std::chrono::milliseconds{5000});

    /// The findings as `cogen-trace stalls` reports them on the events the tracker received
    /// so far (StallTracker::findings_at_end). Complete after on_close().
    std::vector<Finding> findings() const;
    /// Events lost because the ring was full (the tracker saw trace.drop markers instead).
    std::uint64_t dropped() const noexcept { return m_ring.dropped(); }
    /// Events the tracker applied so far.
    std::uint64_t events() const;
    /// The tracker's approximate heap bytes (StallTracker::approx_bytes()); the ring's
    /// ring_capacity * 64 bytes come on top, fixed.
    std::size_t approx_bytes() const;
    const Options& options() const noexcept { return m_options; }

  private:
    void run();
    void drain();  // the drain thread (or on_close after it stopped)
    void stop();

    std::unique_ptr<Instrument> m_owned_next;
    Instrument* m_next;
    RecordRing* m_next_ring;
    bool m_next_ring_mode;
    Options m_options;
    RecordRing m_ring;
    std::vector<EventRecord> m_records;  // drain staging
    std::vector<TraceEvent> m_events;    // drain staging
    std::uint64_t m_last_t = 0;          // drain: keeps the stream's time monotonic

    mutable std::mutex m_tracker_mutex;  // the tracker: the drain thread writes, others read
    StallTracker m_tracker;

    std::mutex m_strings_mutex;  // strings announced, not yet given to the tracker
    std::vector<std::pair<std::uint32_t, std::string>> m_new_strings;

    std::mutex m_mutex;  // the thread's wake-ups and the flush handshake
    std::condition_variable m_wake;
    std::condition_variable m_drained;
    std::uint64_t m_applied = 0;  // ring records popped and applied
    bool m_woken = false;
    bool m_stopping = false;
    bool m_stopped = false;
    std::thread m_thread;
    // With a next sink fed through its ring: on a signal, exit or std::terminate, what is
    // still in our ring reaches the sink's before the sink flushes (a drain, as flush()).
    // Last: unregistered first when the stream goes.
    std::unique_ptr<trace::FlushStage> m_flush_stage;
};

/// format_stall_report() of `findings`, and the gap when `dropped` events were lost: the
/// report then says so, and a run without findings gets a one-line note that the check
/// was incomplete (empty only when there are neither findings nor drops).
std::string format_stall_stream_report(const std::vector<Finding>& findings, std::uint64_t dropped,
                                       std::string_view program, std::string_view when);

}  // namespace cogen::viz
