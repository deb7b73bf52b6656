// The --trace modes shared by the benchmark programs: off (no instrument:
// the hook costs one branch), noop (an instrument that does nothing: the
// cost of the hook call itself), and the tracer's ring, file (binary) and
// jsonl sinks.
#pragma once
#include <memory>
#include <string>

#include "cogen/instrument.hpp"

namespace cogen::bench {

/// Returns the instrument for `mode` (nullptr for "off"); sets `error` for an
/// unknown or unsupported mode.
std::unique_ptr<Instrument> make_trace_instrument(const std::string& mode, const std::string& file,
                                                  std::string& error);

}  // namespace cogen::bench
