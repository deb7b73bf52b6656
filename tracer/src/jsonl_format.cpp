// JSON Lines encoding of headers, strings and events (see jsonl_format.hpp).
#include "cogen/trace/jsonl_format.hpp"

#include "cogen/trace_event_view.hpp"
#include "json_text.hpp"

namespace cogen::trace {

using detail::append_int;
using detail::append_json_string;

void append_jsonl_header(std::string& out, const TraceHeader& header) {
    out.append("{\"v\":");
    append_int(out, header.version);
    out.append(",\"type\":\"header\",\"program\":");
    append_json_string(out, header.program);
    out.append(",\"backend\":");
    append_json_string(out, header.backend);
    out.append(",\"clock\":");
    append_json_string(out, header.clock);
    out.append(",\"pid\":");
    append_int(out, header.pid);
    out.append("}\n");
}

void append_jsonl_string(std::string& out, std::uint32_t id, std::string_view text) {
    out.append("{\"v\":1,\"type\":\"string\",\"id\":");
    append_int(out, id);
    out.append(",\"text\":");
    append_json_string(out, text);
    out.append("}\n");
}

void append_event_object(std::string& out, const TraceEvent& e, const StringTable& strings,
                         bool with_version) {
    out.append(with_version ? "{\"v\":1,\"seq\":" : "{\"seq\":");
    append_int(out, e.seq);
    out.append(",\"t_ns\":");
    append_int(out, e.t_ns);
    out.append(",\"kind\":\"");
    out.append(to_string(e.kind));
    out.push_back('"');
    const auto int_field = [&out](const char* key, auto value) {
        out.append(key);
        append_int(out, value);
    };
    const auto string_field = [&out, &strings](const char* key, std::uint32_t id) {
        out.append(key);
        append_json_string(out, strings.get(id));
    };
    if (e.coro != 0) int_field(",\"coro\":", e.coro);
    if (e.op != 0) int_field(",\"op\":", e.op);
    if (e.op_type != 0) string_field(",\"op_type\":", e.op_type);
    if (e.fd != -1) int_field(",\"fd\":", e.fd);
    if (e.a != 0) int_field(",\"a\":", e.a);
    if (e.b != 0) int_field(",\"b\":", e.b);
    if (e.text != 0) string_field(",\"text\":", e.text);
    if (e.target != 0) int_field(",\"target\":", e.target);
    if (e.kind == EventKind::op_process || e.kind == EventKind::op_ready) {
        out.append(",\"outcome\":\"");
        // The file's spelling (docs/trace-schema.json): an unknown code is "unknown"; the
        // raw number stays in "a". People read trace::outcome_name's "outcome 42" instead.
        const auto outcome = EventView::as_outcome(e.a);
        out.append(outcome ? to_string(*outcome) : std::string_view{"unknown"});
        out.push_back('"');
    }
    out.push_back('}');
}

void append_jsonl_event(std::string& out, const TraceEvent& event, const StringTable& strings) {
    append_event_object(out, event, strings, true);
    out.push_back('\n');
}

void export_jsonl(const TraceData& data, std::ostream& out) {
    std::string buf;
    append_jsonl_header(buf, data.header);
    for (std::size_t id = 1; id < data.strings.size(); ++id) {
        append_jsonl_string(buf, static_cast<std::uint32_t>(id), data.strings.get(id));
    }
    for (const TraceEvent& e : data.events) {
        append_jsonl_event(buf, e, data.strings);
        if (buf.size() >= (1u << 16)) {
            out.write(buf.data(), std::ssize(buf));
            buf.clear();
        }
    }
    out.write(buf.data(), std::ssize(buf));
}

}  // namespace cogen::trace
