// RecordFields: reading and checking one trace record (see record_fields.hpp).
#include "record_fields.hpp"

#include <limits>

namespace cogen::trace::detail {
namespace {

// Gaps this large between announced string ids are refused: they would make the table huge.
// Ids are dense (the scheduler numbers strings from 1): a gap only comes from a damaged or
// hand-made trace, and each id up to the largest costs a table slot.
constexpr std::int64_t max_string_id_gap = 1024;

// (`message` is a literal, assigned into the capacity the fields keep from line to line: a
// damaged file has a bad value in many of its lines.)
void mark_bad(RecordFields& out, const std::string& key, const char* message) {
    if (!out.bad()) {
        out.bad_field = key;
        out.bad_message = message;
    }
}

template <class Int>
void read_integer(JsonCursor& cursor, RecordFields& out, const std::string& key, Int& value) {
    const int c = cursor.peek();
    if (c != '-' && (c < '0' || c > '9')) {
        cursor.skip_value();
        mark_bad(out, key, "expected an integer");
        return;
    }
    JsonCursor::IntStatus status;
    if constexpr (std::is_signed_v<Int>) {
        status = cursor.read_int64(value);
    } else {
        status = cursor.read_uint64(value);
    }
    if (status == JsonCursor::IntStatus::not_integer) mark_bad(out, key, "expected an integer");
    if (status == JsonCursor::IntStatus::out_of_range) mark_bad(out, key, "integer out of range");
}

void read_text(JsonCursor& cursor, RecordFields& out, const std::string& key, std::string& value,
               std::size_t max_string) {
    if (cursor.peek() != '"') {
        cursor.skip_value();
        mark_bad(out, key, "expected a string");
        return;
    }
    cursor.read_string(value, max_string);
}

}  // namespace

void RecordFields::reset() {
    has_v = has_type = has_seq = has_t_ns = has_kind = has_id = has_text = false;
    v = 0;
    seq = t_ns = coro = op = target = 0;
    fd = -1;
    a = b = id = pid = 0;
    type.clear();
    kind.clear();
    op_type.clear();
    text.clear();
    program.clear();
    backend.clear();
    clock.clear();
    bad_field.clear();
    bad_message.clear();
}

void read_record(JsonCursor& cursor, RecordFields& out, std::string& key, std::size_t max_string) {
    cursor.begin_object();
    bool first = true;
    while (cursor.next_member(key, first)) {
        // NOTE: dispatch on the first letter, then compare: this runs once per field of a
        // million-event trace, so it stays a switch rather than a map lookup.
        switch (key.empty() ? '\0' : key[0]) {
            case 'v':
                if (key == "v") {
                    out.has_v = true;
                    read_integer(cursor, out, key, out.v);
                    continue;
                }
                break;
            case 's':
                if (key == "seq") {
                    out.has_seq = true;
                    read_integer(cursor, out, key, out.seq);
                    continue;
                }
                break;
            case 't':
                if (key == "t_ns") {
                    out.has_t_ns = true;
                    read_integer(cursor, out, key, out.t_ns);
                    continue;
                }
                if (key == "text") {
                    out.has_text = true;
                    read_text(cursor, out, key, out.text, max_string);
                    continue;
                }
                if (key == "target") {
                    read_integer(cursor, out, key, out.target);
                    continue;
                }
                if (key == "type") {
                    out.has_type = true;
                    read_text(cursor, out, key, out.type, max_string);
                    continue;
                }
                break;
            case 'k':
                if (key == "kind") {
                    out.has_kind = true;
                    read_text(cursor, out, key, out.kind, max_string);
                    continue;
                }
                break;
            case 'c':
                if (key == "coro") {
                    read_integer(cursor, out, key, out.coro);
                    continue;
                }
                if (key == "clock") {
                    read_text(cursor, out, key, out.clock, max_string);
                    continue;
                }
                break;
            case 'o':
                if (key == "op") {
                    read_integer(cursor, out, key, out.op);
                    continue;
                }
                if (key == "op_type") {
                    read_text(cursor, out, key, out.op_type, max_string);
                    continue;
                }
                break;
            case 'f':
                if (key == "fd") {
                    read_integer(cursor, out, key, out.fd);
                    continue;
                }
                break;
            case 'a':
                if (key == "a") {
                    read_integer(cursor, out, key, out.a);
                    continue;
                }
                break;
            case 'b':
                if (key == "b") {
                    read_integer(cursor, out, key, out.b);
                    continue;
                }
                if (key == "backend") {
                    read_text(cursor, out, key, out.backend, max_string);
                    continue;
                }
                break;
            case 'i':
                if (key == "id") {
                    out.has_id = true;
                    read_integer(cursor, out, key, out.id);
                    continue;
                }
                break;
            case 'p':
                if (key == "pid") {
                    read_integer(cursor, out, key, out.pid);
                    continue;
                }
                if (key == "program") {
                    read_text(cursor, out, key, out.program, max_string);
                    continue;
                }
                break;
            default:
                break;
        }
        cursor.skip_value();  // unknown members (and "outcome") are ignored
    }
}

bool StringInterner::define(std::int64_t id, std::string_view text) {
    if (id == 0) return text.empty();
    if (id < 0 || id > static_cast<std::int64_t>(m_table.size()) + max_string_id_gap ||
        id > std::numeric_limits<std::uint32_t>::max()) {
        return false;
    }
    m_table.set(static_cast<std::uint32_t>(id), text);
    return true;
}

bool StringInterner::announce(std::int64_t id, std::string_view text) {
    if (!define(id, text)) return false;
    // The first id announced for a text keeps it (no key is built when it is there already).
    if (id != 0 && !m_ids.contains(text)) m_ids.emplace(text, static_cast<std::uint32_t>(id));
    return true;
}

std::uint32_t StringInterner::intern(std::string_view text) {
    if (text.empty()) return 0;
    if (auto it = m_ids.find(text); it != m_ids.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(m_table.size());
    m_table.set(id, text);
    m_ids.emplace(std::string(text), id);
    return id;
}

bool record_to_event(const RecordFields& f, StringInterner& strings, TraceEvent& event,
                     std::string& field, std::string& message) {
    const auto fail = [&](const char* name, std::string why) {
        field = name;
        message = std::move(why);
        return false;
    };
    if (f.bad()) {
        field = f.bad_field;
        message = f.bad_message;
        return false;
    }
    if (!f.has_kind) return fail("kind", "missing");
    const auto kind = event_kind_from_string(f.kind);
    if (!kind) return fail("kind", "unknown kind \"" + f.kind + "\"");
    if (!f.has_seq) return fail("seq", "missing");
    if (!f.has_t_ns) return fail("t_ns", "missing");
    if (f.fd < std::numeric_limits<std::int32_t>::min() ||
        f.fd > std::numeric_limits<std::int32_t>::max()) {
        return fail("fd", "out of range");
    }
    event = TraceEvent{};
    event.seq = f.seq;
    event.t_ns = f.t_ns;
    event.kind = *kind;
    event.coro = f.coro;
    event.op = f.op;
    event.op_type = strings.intern(f.op_type);
    event.text = strings.intern(f.text);
    event.fd = static_cast<std::int32_t>(f.fd);
    event.a = f.a;
    event.b = f.b;
    event.target = f.target;  // absent before the field existed: 0, "unknown"
    return true;
}

void record_to_header(const RecordFields& fields, TraceHeader& header) {
    header.program = fields.program;
    header.backend = fields.backend;
    header.clock = fields.clock.empty() ? "steady" : fields.clock;
    header.pid = fields.pid;
}

}  // namespace cogen::trace::detail
