// LoadProgress: how far a TraceLoader has indexed its file, and the figures the window's
// progress bar shows — the share of the file, events per second, the time left.
#pragma once
#include <cstdint>
#include <string>

namespace cogen::viz {

struct LoadProgress {
    std::uint64_t events = 0;       ///< events in the model so far
    std::uint64_t bytes_read = 0;   ///< bytes of the file those events came from
    std::uint64_t total_bytes = 0;  ///< the file's size (0: unknown, e.g. a pipe)
    double seconds = 0;             ///< since the loader started (until it finished)
    bool done = false;              ///< the whole file is indexed (or the read failed)

    /// The share of the file indexed, 0 to 1 (0 when its size is unknown; 1 when done).
    double fraction() const noexcept;
    /// Events indexed per second so far (0 before the first).
    double events_per_second() const noexcept;
    /// Seconds left at the rate so far; negative when it cannot be told yet.
    double eta_seconds() const noexcept;
    /// "indexing: 3,400,000 events, 330 of 802 MB (41 %), 1.2 M events/s, about 5 s left".
    std::string text() const;
};

/// 3400000 -> "3,400,000".
std::string group_digits(std::uint64_t n);

}  // namespace cogen::viz
