// The binary trace format: what COGEN_TRACE=file:PATH writes (PATH not ending in .jsonl).
// A magic, a header, then blocks of records — strings once, events as a kind byte, a field
// mask and varints of what differs from the previous event: 3 to 6 bytes each. Every reader
// (read_trace_file, cogen-trace, cogen-viz) detects it by its magic. Layout:
// docs/trace-format.md, "The binary format".
#pragma once
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "cogen/event_record.hpp"
#include "cogen/trace/trace_data.hpp"

namespace cogen::trace {

/// The first eight bytes of every binary trace ("\x89CGT\r\n\x1a\n", after PNG's: a byte
/// that is not text, then the line endings a text-mode copy would mangle).
inline constexpr std::string_view binary_magic{
    "\x89"
    "CGT\r\n\x1a\n",
    8};
/// Version of the container (header and block layout), independent of the event contract
/// (trace_format_version), which the header carries too.
inline constexpr int binary_container_version = 1;

/// `if (looks_binary(first_bytes)) ...` true when the bytes start with the magic, or are a
/// non-empty beginning of it (a file cut short right at its start).
bool looks_binary(std::string_view head) noexcept;

/// Builds a binary trace, block by block:
///
///     std::string out;
///     BinaryEncoder::append_header(out, header);
///     BinaryEncoder enc;
///     enc.add_string(1, "main"); enc.add_event(e);
///     enc.finish_block(out);  // out now holds a readable trace
///
/// Within a block each event is encoded against the previous one; every block starts afresh,
/// so a reader can skip a damaged block. Strings must be added before the events that use
/// them (in this block or an earlier one).
class BinaryEncoder {
  public:
    /// Appends the magic and the header.
    static void append_header(std::string& out, const TraceHeader& header);

    void add_string(std::uint32_t id, std::string_view text);
    void add_event(const TraceEvent& event);
    /// Adds every event of the record: the bytes add_event() would write for each event of
    /// to_trace_events(record), without making the TraceEvents first (what the file writer
    /// does, a record at a time).
    void add_record(const EventRecord& record);
    /// Bytes in the block being built.
    std::size_t block_size() const noexcept { return m_size; }
    /// Appends the block (tag, length, payload) to `out` and starts a new one; appends
    /// nothing when the block is empty.
    void finish_block(std::string& out);

    /// The size at which writers end a block.
    static constexpr std::size_t block_target = std::size_t{1} << 16;

  private:
    // Room for n more bytes at the block's end (its bytes are not initialized: an event is
    // written through a pointer, then the size set to what it took).
    char* room(std::size_t n) {
        return m_capacity - m_size >= n ? m_block.get() + m_size : grow(n);
    }
    char* grow(std::size_t n);

    std::unique_ptr<char[]> m_block;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;

  public:
    /// What the next event is encoded against (reset with each block).
    struct Previous {
        std::uint64_t seq = 0, t = 0, coro = 0, op = 0;
        std::uint32_t op_type = 0;
    };

  private:
    Previous m_previous;
};

/// `export_binary(data, out);` writes a whole trace in the binary format.
void export_binary(const TraceData& data, std::ostream& out);

}  // namespace cogen::trace
