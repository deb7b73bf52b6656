// LiveFeed: the socket sink a visualizer attaches to while the program runs. Viewers connect
// and leave at any time; each first receives the header, every string so far and the history
// (the most recent events, bounded; a trace.drop says how many fell off before it), then the
// live stream, plus a trace.heartbeat every 250 ms. A viewer that says live_binary_hello as
// it connects gets the binary format (what cogen-viz and LiveClient do); any other gets JSON
// Lines (`nc 127.0.0.1 9000` shows them after a moment). A slow viewer loses events (counted,
// reported to it as trace.drop), never slows the scheduler. COGEN_TRACE=live:ADDR. The
// protocol: docs/trace-format.md, "The live feed".
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "cogen/instrument.hpp"
#include "cogen/trace/process_header.hpp"
#include "cogen/trace/trace_data.hpp"

namespace cogen::trace {

/// What a viewer sends as it connects to be fed the binary format (docs/trace-format.md).
inline constexpr std::string_view live_binary_hello{"cogen-live binary 1\n"};
/// How long the feed waits for that hello before it sends JSON Lines.
inline constexpr std::chrono::milliseconds live_hello_wait{200};

/// Serves a live trace: `LiveFeed feed{"9000"}; Scheduler s{{.instrument = &feed}};`
/// then `cogen-viz --attach 127.0.0.1:9000`.
///
/// The address is "PORT" (127.0.0.1), "HOST:PORT" or a Unix socket path (live_address.hpp);
/// port 0 picks a free one (see address()). Throws std::system_error when it can't listen,
/// std::invalid_argument for a bad address.
class LiveFeed final : public Instrument {
  public:
    struct Options {
        std::size_t ring_capacity = std::size_t{1} << 16;        ///< records buffered (64 B each)
        std::size_t viewer_buffer_bytes = std::size_t{8} << 20;  ///< per viewer, then drops
        std::chrono::milliseconds heartbeat{250};                ///< trace.heartbeat period
        /// Events kept for viewers that attach later (the most recent ones; 0: none). The
        /// coro.spawn of a coroutine still alive is kept beyond it, so names never go missing,
        /// and so is its latest record before them, so that a late viewer knows where it is.
        std::size_t history_events = std::size_t{1} << 17;
        TraceHeader header = process_trace_header();
    };

    explicit LiveFeed(std::string_view address);
    LiveFeed(std::string_view address, Options options);
    ~LiveFeed() override;
    LiveFeed(const LiveFeed&) = delete;
    LiveFeed& operator=(const LiveFeed&) = delete;

    void on_string(std::uint32_t id, std::string_view text) override;
    void on_event(const TraceEvent& event) override;
    /// The scheduler writes its records straight into the feed's ring (Instrument::
    /// record_ring): the feed's thread does the rest.
    RecordRing* record_ring() noexcept override;
    /// Sends what is left, closes every viewer and stops listening.
    void on_close() override;

    /// `feed.address()`: where viewers connect, e.g. "127.0.0.1:40123" or the socket path.
    std::string address() const;
    /// `feed.viewers()`: viewers connected now.
    std::size_t viewers() const noexcept;
    /// Events the ring dropped plus events viewers missed, summed over viewers.
    std::uint64_t dropped() const noexcept;
    /// Events that fell off the history (a viewer attaching now does not get them).
    std::uint64_t history_dropped() const noexcept;
    /// `feed.flush();` returns once every event so far was handed to the viewers' sockets.
    bool flush();

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace cogen::trace
