// perfetto_overlaps: Perfetto's slice nesting rule (see perfetto_check.hpp).
#include "support/perfetto_check.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace cogen::trace::test {
namespace {

using nlohmann::json;

struct Span {
    std::int64_t start, end;
    std::string name;
};

// Perfetto turns ts/dur (microseconds) into integer ns; it may round or truncate.
std::int64_t to_ns(double us, bool truncate) {
    return truncate ? static_cast<std::int64_t>(us * 1000) : std::llround(us * 1000);
}

// Slices per (pid, tid), as Perfetto would place them.
std::map<std::pair<int, int>, std::vector<Span>> tracks(const json& events, bool truncate) {
    std::map<std::pair<int, int>, std::vector<Span>> out;
    for (const auto& e : events) {
        if (e["ph"] != "X") continue;
        const std::int64_t start = to_ns(e["ts"].get<double>(), truncate);
        out[{e["pid"].get<int>(), e["tid"].get<int>()}].push_back(
            {start, start + to_ns(e["dur"].get<double>(), truncate), e["name"]});
    }
    return out;
}

}  // namespace

std::vector<std::string> perfetto_overlaps(const json& events, bool truncate) {
    std::vector<std::string> problems;
    for (auto& [track, spans] : tracks(events, truncate)) {
        std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
            return a.start != b.start ? a.start < b.start : a.end > b.end;
        });
        std::vector<Span> open;
        for (const Span& s : spans) {
            while (!open.empty() && open.back().end <= s.start) open.pop_back();
            if (!open.empty() && s.end > open.back().end) {
                problems.push_back("tid " + std::to_string(track.second) + ": \"" + s.name +
                                   "\" overlaps \"" + open.back().name + "\"");
            }
            open.push_back(s);
        }
    }
    return problems;
}

}  // namespace cogen::trace::test
