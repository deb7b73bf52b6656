// ReadState: what the JSONL decoder and the JSON document reader share while loading one
// trace: the target TraceData, string interning, the seq order check and the strict/lenient
// handling of problems. Private to the reader.
#pragma once
#include <charconv>
#include <concepts>
#include <cstdint>
#include <functional>
#include <string>

#include "cogen/trace/reader.hpp"
#include "record_fields.hpp"

namespace cogen::trace::detail {

/// A problem as TraceReadError::what() words it: "line N, field \"f\": why".
std::string describe_problem(std::uint64_t line, const std::string& field,
                             const std::string& message);

/// Appends `n` in decimal to a problem's words (no std::to_string temporary); returns `out`.
template <std::integral Int>
std::string& append_decimal(std::string& out, Int n) {
    char digits[24];
    return out.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
}

class ReadState {
  public:
    ReadState(TraceData& data, const ReadOptions& options)
        : m_data(data), m_options(options), m_strings(data.strings) {}

    /// A bad record: throws TraceReadError in strict mode, else counts it and goes on.
    void problem(std::uint64_t line, const std::string& field, const std::string& message);
    /// The same, with the message written by `words(out)` (it appends to `out`) only when it
    /// is used: in strict mode, or for one of the first problems, which the report keeps. A
    /// damaged trace may have a problem in every record, and wording one costs more than
    /// reading the record; worded, it is written in a string kept for the next one.
    template <std::invocable<std::string&> Words>
    void problem(std::uint64_t line, const std::string& field, Words&& words) {
        if (m_options.lenient && (!m_words_kept || m_report.problems.size() >= max_problems_kept)) {
            ++m_report.skipped;
            return;
        }
        m_words.clear();
        std::forward<Words>(words)(m_words);
        problem(line, field, m_words);
    }
    /// How many problems a lenient read words in its report.
    static constexpr std::size_t max_problems_kept = 20;
    /// A read whose report nobody sees (read_trace_string() without one): its lenient
    /// problems are counted, not worded.
    void count_problems_only() { m_words_kept = false; }
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
    TraceEvent& next_event() {
        if (m_data.events.capacity() == 0) m_data.events.reserve(first_events);
        return m_data.events.emplace_back();
    }
    /// The room the first event makes (4.5 KiB): the first 64 events take one allocation,
    /// not seven, each growth a copy of every event so far (a small trace's reading time).
    static constexpr std::size_t first_events = 64;
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
    std::string m_words;  // problem()'s words
    bool m_words_kept = true;
    std::size_t m_batch = 0;
    std::function<void()> m_flush;
};

}  // namespace cogen::trace::detail
