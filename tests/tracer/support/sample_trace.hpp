// Hand-built event streams for the tracer tests: a builder that interns strings and numbers
// events, the "sample" scenario that uses every mechanism once, and replay into a sink.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "cogen/instrument.hpp"
#include "cogen/trace/trace_data.hpp"

namespace cogen::trace::test {

/// `TraceBuilder b; b.event(EventKind::coro_spawn, {.coro = 1, .text = "main"});`
class TraceBuilder {
  public:
    struct Fields {
        std::uint64_t coro = 0;
        std::uint64_t op = 0;
        std::string_view op_type = {};
        std::int32_t fd = -1;
        std::int64_t a = 0;
        std::int64_t b = 0;
        std::string_view text = {};
    };
    TraceBuilder();
    std::uint32_t intern(std::string_view text);
    /// Appends an event with the next seq, t_ns advanced by `step_ns`; returns its seq.
    std::uint64_t event(EventKind kind, const Fields& fields, std::uint64_t step_ns = 1000);
    TraceData& data() { return m_data; }

  private:
    TraceData m_data;
    std::map<std::string, std::uint32_t, std::less<>> m_ids;
    std::uint64_t m_t = 0;
};

/// A run that uses every kind of event: three coroutines, a timer, a socket through the
/// proactor, a signal, a join, a timeout, a failure, a note and a drop.
TraceData sample_trace();

/// Feeds `data` into `sink` as a scheduler would: each string before the first event using it.
void replay(const TraceData& data, Instrument& sink);

/// Same events, strings and header (field by field).
bool same_trace(const TraceData& a, const TraceData& b);

/// `data` in the binary format in small blocks (the strings first, then `per_block` events a
/// block), so that cuts and chunk edges fall inside block heads, records and strings.
/// `header_bytes` (optional) gets the length of the magic and header.
std::string binary_in_blocks(const TraceData& data, std::size_t per_block,
                             std::size_t* header_bytes = nullptr);

}  // namespace cogen::trace::test
