// first_divergence: where two traces stop doing the same things. Both are rendered with
// render_text (time-free) with ids normalized, heartbeats left out, and compared line by line;
// `cogen-trace diff A B` prints the result.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cogen/trace/trace_data.hpp"

namespace cogen::trace {

struct TraceDivergence {
    std::size_t index = 0;             ///< 0-based position of the first differing line
    std::string left, right;           ///< the lines there ("" past the end of a trace)
    std::vector<std::string> context;  ///< up to 3 identical lines before it
};

/// `if (auto d = first_divergence(a, b)) ...` nullopt when the renderings are identical.
std::optional<TraceDivergence> first_divergence(const TraceData& left, const TraceData& right);

}  // namespace cogen::trace
