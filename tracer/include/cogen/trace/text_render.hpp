// render_text: the time-free, deterministic text form of a trace, one line per event, e.g.
//   #12   op.process          coro 3 "worker-1"  Sleep#7  -> wait:timer (timeout none)
// Tutorials' expected.txt files, tests and `cogen-trace text|diff` compare it: it never shows
// t_ns or anything measured (waited ns, lateness), only what the program decided. The words
// are event_text.hpp's (shared with the visualizer's event log); this adds the seq column,
// coroutine names learned from coro.spawn, and optional renumbering.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>

#include "cogen/trace/event_text.hpp"
#include "cogen/trace/trace_data.hpp"

namespace cogen::trace {

struct TextOptions {
    /// Renumber coroutines and ops by first appearance, and events by position (#1, #2, ...),
    /// so two runs that did the same things render the same even if ids differ.
    bool normalize_ids = false;
};

/// Renders events one at a time, remembering coroutine names and id maps:
/// `TextRenderer r{data.strings}; for (auto& e : data.events) puts(r.line(e).c_str());`
class TextRenderer final : private EventNames {
  public:
    explicit TextRenderer(const StringTable& strings, TextOptions options = {});
    /// One line, no newline.
    std::string line(const TraceEvent& event);

  private:
    std::string_view text(std::uint32_t id) const override;
    std::string_view coro_name(std::uint64_t coro) const override;
    std::uint64_t coro_number(std::uint64_t raw) override;
    std::uint64_t op_number(std::uint64_t raw) override;
    std::uint64_t seq_number(std::uint64_t seq) override;

    const StringTable& m_strings;
    TextOptions m_options;
    std::uint64_t m_position = 0;
    std::map<std::uint64_t, std::string> m_names;  // by raw coroutine id
    std::unordered_map<std::uint64_t, std::uint64_t> m_coro_ids, m_op_ids, m_seq_positions;
};

/// `std::string text = render_text(rec.data());` every event, one line each, '\n'-ended.
std::string render_text(const TraceData& data, TextOptions options = {});

}  // namespace cogen::trace
