// first_divergence: compare normalized text renderings (see trace_diff.hpp).
#include "cogen/trace/trace_diff.hpp"

#include "cogen/trace/text_render.hpp"

namespace cogen::trace {
namespace {

constexpr std::size_t context_lines = 3;

// The normalized rendering without heartbeats (they depend on wall time).
std::vector<std::string> comparable_lines(const TraceData& data) {
    TextRenderer renderer{data.strings, TextOptions{.normalize_ids = true}};
    std::vector<std::string> lines;
    lines.reserve(data.events.size());
    for (const TraceEvent& e : data.events) {
        if (e.kind != EventKind::trace_heartbeat) lines.push_back(renderer.line(e));
    }
    return lines;
}

}  // namespace

std::optional<TraceDivergence> first_divergence(const TraceData& left, const TraceData& right) {
    const std::vector<std::string> a = comparable_lines(left);
    const std::vector<std::string> b = comparable_lines(right);
    const std::size_t n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const std::string& l = i < a.size() ? a[i] : std::string{};
        const std::string& r = i < b.size() ? b[i] : std::string{};
        if (i < a.size() && i < b.size() && l == r) continue;
        TraceDivergence d;
        d.index = i;
        d.left = l;
        d.right = r;
        for (std::size_t k = i > context_lines ? i - context_lines : 0; k < i; ++k)
            d.context.push_back(a[k]);
        return d;
    }
    return std::nullopt;
}

}  // namespace cogen::trace
