// Moments: the points of a trace the command line can name besides a seq — "end" (the last
// event), "run-end" (the last return of run(), before the scheduler's destruction kills what
// was left) and "busiest" (the event after which the most coroutines wait).
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "cogen/viz/trace_model.hpp"

namespace cogen::viz {

/// True for "end", "run-end", "busiest" and numbers.
bool is_moment(std::string_view text) noexcept;

/// The seq `text` names in `model`, or nullopt when the model is empty or the text is not a
/// moment. A number is returned as it is (the caller clamps it).
std::optional<std::uint64_t> resolve_moment(const TraceModel& model, std::string_view text);

}  // namespace cogen::viz
