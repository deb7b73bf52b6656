// RecordFields: the members of one trace record (a JSONL line, or a header/event object of a
// JSON document) as read from text, before they are checked and turned into a TraceEvent.
// Shared by the JSONL decoder and the JSON document reader. Private to the reader.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>

#include "cogen/trace/trace_data.hpp"
#include "json_cursor.hpp"

namespace cogen::trace::detail {

struct RecordFields {
    bool has_v = false, has_type = false, has_seq = false, has_t_ns = false, has_kind = false;
    bool has_id = false, has_text = false;
    std::int64_t v = 0;
    std::string type;
    std::uint64_t seq = 0, t_ns = 0, coro = 0, op = 0, target = 0;
    std::string kind, op_type, text;
    std::int64_t fd = -1, a = 0, b = 0, id = 0, pid = 0;
    std::string program, backend, clock;
    // The first member whose value had the wrong type; the record is unusable when set.
    std::string bad_field, bad_message;

    void reset();
    bool bad() const { return !bad_field.empty(); }
};

/// Reads one object's members into `out`; unknown members are skipped. Type mismatches are
/// recorded in out.bad_field (the cursor stays in sync); syntax errors go to the cursor's
/// fail() (a line's cursor: `out` is then unusable, check cursor.failed()).
void read_record(JsonCursor& cursor, RecordFields& out, std::string& key_scratch,
                 std::size_t max_string);

/// Builds string ids while reading: announced ids are kept (within bounds), texts met only
/// in events get fresh ids.
class StringInterner {
  public:
    explicit StringInterner(StringTable& table) : m_table(table) {}
    /// A string record; returns false when the id is unusable (too far past the table).
    bool announce(std::int64_t id, std::string_view text);
    /// announce() for a format whose events name every string by id (binary): the table
    /// only, without the text -> id entry that intern() looks up, since nothing is interned.
    bool define(std::int64_t id, std::string_view text);
    std::uint32_t intern(std::string_view text);

  private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    StringTable& m_table;
    std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> m_ids;
};

/// Checks an event record and fills `event`; on failure sets field/message and returns false.
bool record_to_event(const RecordFields& fields, StringInterner& strings, TraceEvent& event,
                     std::string& field, std::string& message);

/// Fills a header from a header record (JSONL header line or the document's "header").
void record_to_header(const RecordFields& fields, TraceHeader& header);

}  // namespace cogen::trace::detail
