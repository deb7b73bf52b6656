// ReadState: what the JSONL decoder and the JSON document reader share while loading one
// trace: the target TraceData, string interning, the seq order check and the strict/lenient
// handling of problems. Private to the reader.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "cogen/trace/reader.hpp"
#include "record_fields.hpp"

namespace cogen::trace::detail {

class ReadState {
  public:
    ReadState(TraceData& data, const ReadOptions& options)
        : m_data(data), m_options(options), m_strings(data.strings) {}

    /// A bad record: throws TraceReadError in strict mode, else counts it and goes on.
    void problem(std::uint64_t line, const std::string& field, const std::string& message);
    /// A problem no mode can read past.
    [[noreturn]] void fatal(std::uint64_t line, const std::string& field,
                            const std::string& message);

    /// Checks an event record and appends it; problems go through problem().
    void add_event(const RecordFields& fields, std::uint64_t line);
    /// An event decoded (the binary reader's, or a checked record): the seq order check, then
    /// appended. A binary reader's `byte` offset prefixes a problem's message ("byte 1234: "),
    /// worded only when there is a problem (this runs for every event).
    void add_event(const TraceEvent& event, std::uint64_t line, std::uint64_t byte = no_byte);
    /// add_event() for a decoder that writes the event in place: fill the slot next_event()
    /// returns, then commit_event() checks and keeps it (or takes it back). A whole event
    /// just built field by field and copied would wait for its narrow stores per event.
    TraceEvent& next_event() { return m_data.events.emplace_back(); }
    void commit_event(std::uint64_t line, std::uint64_t byte = no_byte);
    /// add_event()'s `byte` when the input has no byte offsets to report (text lines).
    static constexpr std::uint64_t no_byte = ~std::uint64_t{0};
    /// A string record (id, text); problems go through problem().
    void add_string(const RecordFields& fields, std::uint64_t line);

    /// Streaming: once `batch` events are held, flush() is called (it hands them over and
    /// clears data().events). 0 = keep every event.
    void set_batch(std::size_t batch, std::function<void()> flush) {
        m_batch = batch;
        m_flush = std::move(flush);
    }

    TraceData& data() { return m_data; }
    const ReadOptions& options() const { return m_options; }
    ReadReport& report() { return m_report; }
    StringInterner& strings() { return m_strings; }

  private:
    TraceData& m_data;
    ReadOptions m_options;
    ReadReport m_report;
    StringInterner m_strings;
    std::uint64_t m_last_seq = 0;
    bool m_has_last_seq = false;
    std::string m_field, m_message;
    std::size_t m_batch = 0;
    std::function<void()> m_flush;
};

}  // namespace cogen::trace::detail
