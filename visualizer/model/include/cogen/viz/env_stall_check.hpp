// COGEN_STALLS: the stall check at exit of any program linked with cogen::cogen.
// cogen::cogen keeps this library's start-up hook (--undefined=cogen_stalls_autoinit),
// which installs make_env_instrument_with_stalls() as the runtime's
// EnvInstrumentFactory. docs/stalls.md, "A stall check at exit".
#pragma once
#include <memory>
#include <optional>
#include <string_view>

#include "cogen/instrument.hpp"

extern "C" void cogen_stalls_autoinit();

namespace cogen::viz {

/// What COGEN_STALLS asks for.
enum class StallCheckMode : std::uint8_t {
    off,     ///< unset, "" or "0"
    report,  ///< "1": the findings go to stderr when the scheduler is destroyed
    fail,    ///< "fail": also, the process exits with stall_check_exit_status
};

/// The exit status of a process whose COGEN_STALLS=fail check found something.
inline constexpr int stall_check_exit_status = 23;

/// The mode a COGEN_STALLS value names; nullopt for anything else.
std::optional<StallCheckMode> parse_stall_check_mode(std::string_view value) noexcept;

/// The environment's instrument: COGEN_TRACE's (cogen::trace::make_env_instrument), wrapped
/// in a StallStream that reports at the scheduler's destruction when COGEN_STALLS asks for it.
/// A COGEN_STALLS value it does not understand is reported on stderr and ignored.
std::unique_ptr<Instrument> make_env_instrument_with_stalls() noexcept;

/// True once a COGEN_STALLS=fail check found a stall in this process.
bool stall_check_failed() noexcept;

}  // namespace cogen::viz
