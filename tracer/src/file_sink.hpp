// FileSink: the Sink of the streaming file writers (JsonlWriter, BinaryWriter) — the file,
// the drain thread, whole-chunk writes and the crash flush. Only the encoding differs: each
// writer hands one in. Private to the tracer.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cogen/event_record.hpp"
#include "cogen/trace/trace_data.hpp"
#include "drain_thread.hpp"
#include "sink.hpp"

namespace cogen::trace::detail {

/// How a file writer turns strings and events into bytes (drain thread only).
class TraceEncoding {
  public:
    virtual ~TraceEncoding() = default;
    virtual void header(std::string& out, const TraceHeader& header) = 0;
    virtual void string(std::string& out, std::uint32_t id, std::string_view text) = 0;
    /// Appends the records' events (their times in ns), or keeps them to append later: `out`
    /// only ever gets whole chunks (lines, blocks), so the file can be cut at any write.
    virtual void records(std::string& out, std::span<const EventRecord> records,
                         const StringTable& strings) = 0;
    /// The drain is over: whatever the encoding still holds goes to `out`.
    virtual void finish(std::string&) {}
};

class FileSink final : public Sink {
  public:
    /// Opens `path` ("-": standard output), writes the header and starts the drain thread.
    /// Throws std::system_error when the file can't be opened.
    FileSink(std::string path, const TraceHeader& header, std::size_t ring_capacity,
             std::chrono::milliseconds flush_interval, std::unique_ptr<TraceEncoding> encoding);
    ~FileSink() override;

    void close() override;
    /// Returns once every event received so far is in the file (or after 2 s).
    bool flush() override;
    void flush_for(FlushReason reason) override;

  private:
    void drain();  // the drain thread only
    void write_buffer();

    std::vector<EventRecord> m_batch;
    std::unique_ptr<TraceEncoding> m_encoding;
    std::string m_buffer;
    int m_fd = -1;
    bool m_failed = false;
    std::atomic<bool> m_closed{false};
    std::unique_ptr<DrainThread> m_thread;
};

}  // namespace cogen::trace::detail
