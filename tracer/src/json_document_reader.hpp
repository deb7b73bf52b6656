// Reading the versioned JSON document ({"format":"cogen-trace","version":1,...}) with the
// streaming cursor: events are decoded one object at a time. Private to the reader.
#pragma once
#include "buffered_input.hpp"
#include "read_state.hpp"

namespace cogen::trace::detail {

/// Reads a whole document from `input` into state.data(); throws TraceReadError.
void read_json_document(BufferedInput& input, ReadState& state);

}  // namespace cogen::trace::detail
