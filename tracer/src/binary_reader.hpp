// The binary format's reader: header, blocks, string and event records into a TraceData,
// with the same strict/lenient handling as the text formats, and a file cut short (a crash
// mid-write) read up to its last whole record. Layout: docs/trace-format.md. Private.
#pragma once
#include "buffered_input.hpp"
#include "read_state.hpp"

namespace cogen::trace::detail {

/// Reads a binary trace from `input` (positioned at its magic) into state.data().
void read_binary(BufferedInput& input, ReadState& state);

}  // namespace cogen::trace::detail
