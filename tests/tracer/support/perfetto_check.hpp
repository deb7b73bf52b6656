// perfetto_overlaps: the nesting rule Perfetto enforces on slices of one track ("a partly
// overlapping slice is dropped"), checked on an export after rounding times to whole ns.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cogen::trace::test {

/// Slices of `events` (the traceEvents array) that partly overlap another on their track,
/// with times rounded (or, with `truncate`, cut) to whole nanoseconds; empty when all nest.
std::vector<std::string> perfetto_overlaps(const nlohmann::json& events, bool truncate);

}  // namespace cogen::trace::test
