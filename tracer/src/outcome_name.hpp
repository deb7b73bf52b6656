// outcome_name: the spelling of an outcome code as carried in op.process.a / op.ready.a, with
// "unknown" for a code outside the enum (a trace may come from anywhere). Private helper.
#pragma once
#include <cstdint>
#include <string_view>

#include "cogen/instrument.hpp"

namespace cogen::trace::detail {

inline std::string_view outcome_name(std::int64_t code) {
    return code >= 0 && code < outcome_count ? to_string(static_cast<Outcome>(code))
                                             : std::string_view{"unknown"};
}

}  // namespace cogen::trace::detail
