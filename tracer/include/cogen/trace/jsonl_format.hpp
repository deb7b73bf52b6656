// JSON Lines encoding of a trace: the header line, string lines and event lines of
// docs/trace-format.md, appended to a std::string. JsonlWriter, LiveFeed, FlightRecorder
// dumps and `cogen-trace export --format jsonl` all write through these functions.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "cogen/trace/trace_data.hpp"

namespace cogen::trace {

/// `append_jsonl_header(out, data.header);` appends the first line of a stream, with '\n'.
void append_jsonl_header(std::string& out, const TraceHeader& header);

/// `append_jsonl_string(out, 3, "Sleep");` appends {"v":1,"type":"string",...} and '\n'.
void append_jsonl_string(std::string& out, std::uint32_t id, std::string_view text);

/// `append_jsonl_event(out, e, strings);` appends one event line with '\n'. op_type and text
/// are written as strings resolved through `strings`; zero fields are omitted.
void append_jsonl_event(std::string& out, const TraceEvent& event, const StringTable& strings);

/// `append_event_object(out, e, strings, true);` the event's JSON object alone (no newline);
/// with_version adds the leading "v":1 of a JSONL line. Used by the JSON document too.
void append_event_object(std::string& out, const TraceEvent& event, const StringTable& strings,
                         bool with_version);

/// `export_jsonl(data, file);` writes a whole trace as JSON Lines: header, every string of
/// the table, then the events.
void export_jsonl(const TraceData& data, std::ostream& out);

}  // namespace cogen::trace
