// LoadProgress: the figures of a loader's progress bar (see load_progress.hpp).
#include "load_progress.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cogen::viz {
namespace {

std::string megabytes(std::uint64_t bytes) {
    char out[32];
    const double mb = static_cast<double>(bytes) / 1e6;
    std::snprintf(out, sizeof out, mb < 10 ? "%.1f" : "%.0f", mb);
    return out;
}

std::string rate(double per_second) {
    char out[32];
    if (per_second >= 1e6) {
        std::snprintf(out, sizeof out, "%.1f M", per_second / 1e6);
    } else if (per_second >= 1e3) {
        std::snprintf(out, sizeof out, "%.0f k", per_second / 1e3);
    } else {
        std::snprintf(out, sizeof out, "%.0f", per_second);
    }
    return out;
}

std::string seconds_text(double s) {
    char out[32];
    if (s < 10) {
        std::snprintf(out, sizeof out, "%.1f s", s);
    } else if (s < 120) {
        std::snprintf(out, sizeof out, "%.0f s", s);
    } else {
        std::snprintf(out, sizeof out, "%.0f min", s / 60);
    }
    return out;
}

}  // namespace

std::string group_digits(std::uint64_t n) {
    const std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

double LoadProgress::fraction() const noexcept {
    if (done) return 1;
    if (total_bytes == 0) return 0;
    return std::clamp(static_cast<double>(bytes_read) / static_cast<double>(total_bytes), 0.0, 1.0);
}

double LoadProgress::events_per_second() const noexcept {
    return seconds > 0 ? static_cast<double>(events) / seconds : 0;
}

double LoadProgress::eta_seconds() const noexcept {
    if (done) return 0;
    const double f = fraction();
    if (f <= 0 || seconds <= 0) return -1;
    return seconds * (1 - f) / f;
}

std::string LoadProgress::text() const {
    std::string out = (done ? "indexed: " : "indexing: ") + group_digits(events) + " events";
    if (total_bytes != 0) {
        // Whole percents, one decimal below 10 % (a big file moves slowly at first).
        const double pc = fraction() * 100;
        char percent[16];
        std::snprintf(percent, sizeof percent, pc < 10 ? "%.1f" : "%.0f",
                      pc < 10 ? std::floor(pc * 10) / 10 : std::floor(pc));
        out += ", " + megabytes(bytes_read) + " of " + megabytes(total_bytes) + " MB (" + percent +
               " %)";
    } else {
        out += ", " + megabytes(bytes_read) + " MB";
    }
    if (events > 0 && seconds > 0) out += ", " + rate(events_per_second()) + " events/s";
    if (const double eta = eta_seconds(); !done && eta >= 0) {
        out += ", about " + seconds_text(eta) + " left";
    } else if (done) {
        out += ", in " + seconds_text(seconds);
    }
    return out;
}

}  // namespace cogen::viz
