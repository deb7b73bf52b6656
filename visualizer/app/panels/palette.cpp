// Palette: the colours of places and boxes (see palette.hpp). The hues are far apart so
// that a token's state reads at a glance and a test can tell them apart in a PNG.
#include "palette.hpp"

#include <algorithm>

namespace cogen::viz {

Rgb place_rgb(PlaceKind kind) noexcept {
    switch (kind) {
        case PlaceKind::active:
            return {240, 180, 40};
        case PlaceKind::running:
            return {80, 205, 95};
        case PlaceKind::processing:
            return {110, 160, 245};
        case PlaceKind::proactor:
            return {30, 190, 205};
        case PlaceKind::io_ready:
            return {150, 230, 240};
        case PlaceKind::timer:
            return {175, 120, 235};
        case PlaceKind::signal:
            return {235, 95, 180};
        case PlaceKind::join:
        case PlaceKind::call:
            return {245, 130, 55};
        case PlaceKind::queue:
        case PlaceKind::pubsub:
        case PlaceKind::pipe:
        case PlaceKind::other:
            return {185, 215, 70};
        case PlaceKind::finalizing:
            return {95, 225, 175};
        case PlaceKind::finished:
            return {140, 143, 150};
        case PlaceKind::failed:
            return {235, 55, 55};
        case PlaceKind::killed:
            return {160, 75, 75};
    }
    return {200, 200, 200};
}

Rgb box_rgb(Box box) noexcept {
    switch (box) {
        case Box::coroutine:
            return place_rgb(PlaceKind::running);
        case Box::op_process:
            return place_rgb(PlaceKind::processing);
        case Box::active_queue:
            return place_rgb(PlaceKind::active);
        case Box::proactor:
            return place_rgb(PlaceKind::proactor);
        case Box::timers:
            return place_rgb(PlaceKind::timer);
        case Box::signals:
            return place_rgb(PlaceKind::signal);
        case Box::joins:
            return place_rgb(PlaceKind::join);
        case Box::queues:
            return place_rgb(PlaceKind::queue);
        case Box::op_run:
            return place_rgb(PlaceKind::io_ready);
        case Box::op_finalize:
            return place_rgb(PlaceKind::finalizing);
        case Box::finished:
            return place_rgb(PlaceKind::finished);
    }
    return {200, 200, 200};
}

Rgb shade(Rgb c, double f) noexcept {
    auto one = [f](std::uint8_t v) {
        const double x = f <= 1.0 ? v * f : v + (255 - v) * (f - 1.0);
        return static_cast<std::uint8_t>(std::clamp(x, 0.0, 255.0));
    };
    return {one(c.r), one(c.g), one(c.b)};
}

Rgb text_on(Rgb c) noexcept {
    const int luma = (c.r * 299 + c.g * 587 + c.b * 114) / 1000;
    return luma > 140 ? Rgb{15, 15, 20} : Rgb{245, 245, 250};
}

Rgb finding_rgb(FindingKind kind) noexcept {
    switch (kind) {
        case FindingKind::untimed_wait:
            return place_rgb(PlaceKind::active);
        case FindingKind::orphan_signal:
            return place_rgb(PlaceKind::signal);
        case FindingKind::deadlock:
            return cycle_rgb;
        case FindingKind::cpu_hog:
            return place_rgb(PlaceKind::running);
        case FindingKind::fd_never_ready:
            return place_rgb(PlaceKind::proactor);
        case FindingKind::unjoined_failure:
            return place_rgb(PlaceKind::failed);
        case FindingKind::starved:  // stuck in the active queue: its colour, darker
            return shade(place_rgb(PlaceKind::active), 0.75);
        case FindingKind::retry_loop:  // timed waits, again and again
            return place_rgb(PlaceKind::timer);
        case FindingKind::backlog:
            return place_rgb(PlaceKind::queue);
        case FindingKind::stalled_io:  // the proactor's colour, lighter
            return place_rgb(PlaceKind::io_ready);
    }
    return text_rgb;
}

}  // namespace cogen::viz
