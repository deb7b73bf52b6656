// TraceData: a whole trace in memory (header, string table, events), as the
// Recorder collects it and the reader loads it. The visualizer model and
// cogen-trace work on this. Format: docs/trace-format.md.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cogen/instrument.hpp"

namespace cogen::trace {

/// Where a trace came from: the first line of a JSONL stream, the "header"
/// object of a JSON document.
struct TraceHeader {
    int version = trace_format_version;
    std::string program;           ///< program name, may be empty
    std::string backend;           ///< proactor backend ("epoll", ...), may be empty
    std::string clock = "steady";  ///< "steady" or "manual"
    std::int64_t pid = 0;
};

/// Interned strings: id -> text. Id 0 is always the empty string.
class StringTable {
  public:
    StringTable() : m_strings(1) {}
    void set(std::uint32_t id, std::string_view text) {
        if (id >= m_strings.size()) m_strings.resize(id + 1);
        m_strings[id] = std::string(text);
    }
    std::string_view get(std::uint32_t id) const {
        return id < m_strings.size() ? std::string_view{m_strings[id]} : std::string_view{};
    }
    std::size_t size() const { return m_strings.size(); }

  private:
    std::vector<std::string> m_strings;
};

/// A complete trace: what replay, export and analysis work on.
struct TraceData {
    TraceHeader header;
    StringTable strings;
    std::vector<TraceEvent> events;  ///< in seq order
};

}  // namespace cogen::trace
