// The JSON document reader (see json_document_reader.hpp).
#include "json_document_reader.hpp"

#include "json_cursor.hpp"

namespace cogen::trace::detail {
namespace {

constexpr std::uint64_t progress_every = 1u << 16;

void read_strings(JsonCursor& cursor, ReadState& state, std::string& text) {
    cursor.begin_array();
    bool first = true;
    std::int64_t id = 0;
    RecordFields fields;
    while (cursor.next_element(first)) {
        const std::uint64_t line = cursor.line();
        if (cursor.peek() != '"') {
            cursor.skip_value();
            state.problem(line, "strings", "expected a string");
        } else {
            cursor.read_string(text, state.options().max_line_bytes);
            fields.reset();
            fields.has_id = fields.has_text = true;
            fields.id = id;
            fields.text = text;
            if (id == 0 && !text.empty()) {
                state.problem(line, "strings", "strings[0] must be the empty string");
            } else if (id != 0) {
                state.add_string(fields, line);
            }
        }
        ++id;
    }
}

void read_events(JsonCursor& cursor, ReadState& state, std::string& key) {
    cursor.begin_array();
    bool first = true;
    RecordFields fields;
    std::uint64_t count = 0;
    const auto& progress = state.options().progress;
    while (cursor.next_element(first)) {
        cursor.peek();
        const std::uint64_t line = cursor.line();
        fields.reset();
        if (cursor.peek() != '{') {
            cursor.skip_value();
            state.problem(line, "events", "expected an event object");
            continue;
        }
        read_record(cursor, fields, key, state.options().max_line_bytes);
        state.add_event(fields, line);
        if (progress && ++count % progress_every == 0) progress(cursor.offset(), 0);
    }
}

}  // namespace

void read_json_document(BufferedInput& input, ReadState& state) {
    JsonCursor cursor{input};
    std::string key;
    std::string text;
    bool seen_format = false;
    bool seen_version = false;
    bool seen_events = false;
    try {
        cursor.begin_object();
        bool first = true;
        while (cursor.next_member(key, first)) {
            const std::uint64_t line = cursor.line();
            if (key == "format") {
                if (cursor.peek() != '"') state.fatal(line, "format", "expected a string");
                cursor.read_string(text, 256);
                if (text != "cogen-trace") {
                    state.fatal(line, "format", "\"" + text + "\" is not a cogen trace");
                }
                seen_format = true;
            } else if (key == "version") {
                std::int64_t version = 0;
                if (cursor.peek() == '"' ||
                    cursor.read_int64(version) != JsonCursor::IntStatus::ok ||
                    version != trace_format_version) {
                    state.fatal(line, "version",
                                "unsupported version (this reader knows version " +
                                    std::to_string(trace_format_version) + ")");
                }
                seen_version = true;
            } else if (key == "header") {
                RecordFields fields;
                if (cursor.peek() != '{') state.fatal(line, "header", "expected an object");
                read_record(cursor, fields, key, state.options().max_line_bytes);
                if (fields.bad()) {
                    state.problem(line, "header." + fields.bad_field, fields.bad_message);
                }
                record_to_header(fields, state.data().header);
            } else if (key == "strings") {
                if (seen_events) state.fatal(line, "strings", "strings must come before events");
                if (cursor.peek() != '[') state.fatal(line, "strings", "expected an array");
                read_strings(cursor, state, text);
            } else if (key == "events") {
                if (cursor.peek() != '[') state.fatal(line, "events", "expected an array");
                read_events(cursor, state, key);
                seen_events = true;
            } else {
                cursor.skip_value();
            }
        }
        if (!cursor.at_end()) cursor.fail("unexpected text after the document");
    } catch (const JsonError& e) {
        state.fatal(e.line(), "", e.what());
    }
    state.report().lines = cursor.line();
    if (!seen_format) state.fatal(0, "format", "missing");
    if (!seen_version) state.fatal(0, "version", "missing");
}

}  // namespace cogen::trace::detail
