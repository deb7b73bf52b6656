// export_json: the versioned JSON document (see json_document.hpp).
#include "cogen/trace/json_document.hpp"

#include "cogen/trace/jsonl_format.hpp"
#include "json_text.hpp"

namespace cogen::trace {

void export_json(const TraceData& data, std::ostream& out) {
    using detail::append_int;
    using detail::append_json_string;
    std::string buf;
    buf.append("{\"format\":\"cogen-trace\",\"version\":");
    append_int(buf, data.header.version);
    buf.append(",\n\"header\":{\"program\":");
    append_json_string(buf, data.header.program);
    buf.append(",\"backend\":");
    append_json_string(buf, data.header.backend);
    buf.append(",\"clock\":");
    append_json_string(buf, data.header.clock);
    buf.append(",\"pid\":");
    append_int(buf, data.header.pid);
    buf.append("},\n\"strings\":[");
    for (std::size_t id = 0; id < data.strings.size(); ++id) {
        if (id > 0) buf.push_back(',');
        append_json_string(buf, data.strings.get(id));
    }
    buf.append("],\n\"events\":[");
    bool first = true;
    for (const TraceEvent& e : data.events) {
        buf.append(first ? "\n" : ",\n");
        first = false;
        append_event_object(buf, e, data.strings, false);
        if (buf.size() >= (1u << 16)) {
            out.write(buf.data(), std::ssize(buf));
            buf.clear();
        }
    }
    buf.append("\n]}\n");
    out.write(buf.data(), std::ssize(buf));
}

}  // namespace cogen::trace
