// LiveClient: the viewer's end of a LiveFeed. It connects to a live address, asks for the
// binary format (live_binary_hello) and decodes what arrives — binary, or JSON Lines from a
// feed that does not answer the hello — into a TraceData, a little at a time (leniently by
// default).
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>

#include "cogen/trace/reader.hpp"
#include "cogen/trace/trace_data.hpp"

namespace cogen::trace {

/// Attaches to a running program: `LiveClient c{"127.0.0.1:9000"}; while (c.poll(100ms) ...)`
///
/// Throws std::system_error when it can't connect. Heartbeats are kept in data().events
/// (seq 0) so a view can measure stalls against the program's current time.
class LiveClient {
  public:
    explicit LiveClient(std::string_view address, ReadOptions options = lenient_options());
    ~LiveClient();
    LiveClient(const LiveClient&) = delete;
    LiveClient& operator=(const LiveClient&) = delete;

    /// `std::size_t n = c.poll(100ms);` waits up to timeout for data, decodes all that has
    /// arrived, returns the number of events added (0 on timeout or once disconnected).
    /// Throws TraceReadError when the feed speaks an unknown format version.
    std::size_t poll(std::chrono::milliseconds timeout);
    /// False once the feed closed the connection.
    bool connected() const noexcept;
    /// True once the header line arrived.
    bool has_header() const noexcept;

    const TraceData& data() const noexcept;
    TraceData& data() noexcept;
    const ReadReport& report() const noexcept;

    static ReadOptions lenient_options() {
        ReadOptions options;
        options.lenient = true;
        return options;
    }

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace cogen::trace
