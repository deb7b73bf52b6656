// The versioned JSON document: one object holding a whole trace,
// {"format":"cogen-trace","version":1,"header":{...},"strings":[...],"events":[...]}.
// Its schema is docs/trace-schema.json; read it back with read_trace_file().
#pragma once
#include <ostream>

#include "cogen/trace/trace_data.hpp"

namespace cogen::trace {

/// `export_json(data, file);` writes the document, one event object per line (so it stays
/// readable and streamable). strings[i] is the text of string id i; events carry op_type and
/// text as strings, exactly like JSON Lines events.
void export_json(const TraceData& data, std::ostream& out);

}  // namespace cogen::trace
