// The binary format's reader: header, blocks, string and event records into a TraceData,
// with the same strict/lenient handling as the text formats, and a file cut short (a crash
// mid-write) read up to its last whole record. Layout: docs/trace-format.md. Private.
#pragma once
#include <cstdint>
#include <memory>
#include <string_view>

#include "buffered_input.hpp"
#include "read_state.hpp"

namespace cogen::trace::detail {

/// Reads a binary trace from `input` (positioned at its magic) into state.data().
void read_binary(BufferedInput& input, ReadState& state);

/// The same reader, fed whole units as they arrive (BinaryDecoder: a live feed's bytes): the
/// magic and header, then one block at a time. The string ids a block defines stay known to
/// the blocks after it.
class BinaryUnits {
  public:
    explicit BinaryUnits(ReadState& state);
    ~BinaryUnits();
    BinaryUnits(const BinaryUnits&) = delete;
    BinaryUnits& operator=(const BinaryUnits&) = delete;

    /// The magic, the container version and the header, all in `bytes`. Throws
    /// TraceReadError for an unknown version; false when the header is cut short.
    bool header(std::string_view bytes);
    /// One whole block (tag, length, payload) that starts `offset` bytes into the stream.
    /// False when nothing after it can be read (it is not a block).
    bool block(std::string_view bytes, std::uint64_t offset);

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace cogen::trace::detail
