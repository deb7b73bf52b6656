// export_json: the versioned JSON document (see json_document.hpp).
#include "cogen/trace/json_document.hpp"

#include "cogen/trace/jsonl_format.hpp"
#include "json_text.hpp"

namespace cogen::trace {

JsonDocumentWriter::JsonDocumentWriter(std::ostream& out, const TraceHeader& header,
                                       const StringTable& strings)
    : m_out(out), m_strings(strings) {
    using detail::append_int;
    using detail::append_json_string;
    std::string& buf = m_buf;
    buf.append("{\"format\":\"cogen-trace\",\"version\":");
    append_int(buf, header.version);
    buf.append(",\n\"header\":{\"program\":");
    append_json_string(buf, header.program);
    buf.append(",\"backend\":");
    append_json_string(buf, header.backend);
    buf.append(",\"clock\":");
    append_json_string(buf, header.clock);
    buf.append(",\"pid\":");
    append_int(buf, header.pid);
    buf.append("},\n\"strings\":[");
    for (std::size_t id = 0; id < strings.size(); ++id) {
        if (id > 0) buf.push_back(',');
        append_json_string(buf, strings.get(static_cast<std::uint32_t>(id)));
    }
    buf.append("],\n\"events\":[");
}

void JsonDocumentWriter::add(const TraceEvent& e) {
    m_buf.append(m_first ? "\n" : ",\n");
    m_first = false;
    append_event_object(m_buf, e, m_strings, false);
    if (m_buf.size() >= (1u << 16)) {
        m_out.write(m_buf.data(), std::ssize(m_buf));
        m_buf.clear();
    }
}

void JsonDocumentWriter::finish() {
    m_buf.append("\n]}\n");
    m_out.write(m_buf.data(), std::ssize(m_buf));
    m_buf.clear();
}

void export_json(const TraceData& data, std::ostream& out) {
    JsonDocumentWriter writer{out, data.header, data.strings};
    for (const TraceEvent& e : data.events) writer.add(e);
    writer.finish();
}

}  // namespace cogen::trace
