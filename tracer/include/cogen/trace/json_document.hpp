// The versioned JSON document: one object holding a whole trace,
// {"format":"cogen-trace","version":1,"header":{...},"strings":[...],"events":[...]}.
// Its schema is docs/trace-schema.json; read it back with read_trace_file().
#pragma once
#include <ostream>
#include <string>

#include "cogen/trace/trace_data.hpp"

namespace cogen::trace {

/// `export_json(data, file);` writes the document, one event object per line (so it stays
/// readable and streamable). strings[i] is the text of string id i; events carry op_type and
/// text as strings, exactly like JSON Lines events.
void export_json(const TraceData& data, std::ostream& out);

/// The same document written piece by piece, for a streamed trace: the string table must be
/// complete up front (the document lists it before the events).
///
///     JsonDocumentWriter w{out, header, strings};
///     for (auto& e : batch.events) w.add(e);
///     w.finish();
class JsonDocumentWriter {
  public:
    JsonDocumentWriter(std::ostream& out, const TraceHeader& header, const StringTable& strings);
    void add(const TraceEvent& event);
    /// Closes the document and flushes what is buffered.
    void finish();

  private:
    std::ostream& m_out;
    const StringTable& m_strings;
    std::string m_buf;
    bool m_first = true;
};

}  // namespace cogen::trace
