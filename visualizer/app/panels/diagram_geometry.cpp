// Diagram geometry: transform, token rest positions and motion (see diagram_geometry.hpp).
#include "diagram_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cogen::viz {

DiagramTransform DiagramTransform::fit(ScreenRect canvas) noexcept {
    DiagramTransform t;
    const float w = std::max(canvas.w - 2 * margin, 1.0f);
    const float h = std::max(canvas.h - 2 * margin, 1.0f);
    t.m_scale = std::min(w / static_cast<float>(DiagramLayout::width),
                         h / static_cast<float>(DiagramLayout::height));
    t.m_ox = canvas.x + (canvas.w - static_cast<float>(DiagramLayout::width) * t.m_scale) / 2;
    t.m_oy = canvas.y + (canvas.h - static_cast<float>(DiagramLayout::height) * t.m_scale) / 2;
    return t;
}

ScreenPoint DiagramTransform::to_screen(Point p) const noexcept {
    return {m_ox + static_cast<float>(p.x) * m_scale, m_oy + static_cast<float>(p.y) * m_scale};
}

ScreenRect DiagramTransform::to_screen(Rect r) const noexcept {
    const ScreenPoint p = to_screen(Point{r.x, r.y});
    return {p.x, p.y, static_cast<float>(r.w) * m_scale, static_cast<float>(r.h) * m_scale};
}

Point DiagramTransform::to_layout(ScreenPoint p) const noexcept {
    return {(p.x - m_ox) / m_scale, (p.y - m_oy) / m_scale};
}

const TokenSpot* RestLayout::find(std::uint64_t coro) const noexcept {
    auto it = std::lower_bound(spots.begin(), spots.end(), coro,
                               [](const TokenSpot& s, std::uint64_t id) { return s.coro < id; });
    return it != spots.end() && it->coro == coro ? &*it : nullptr;
}

std::size_t RestLayout::cap(Box box) const noexcept {
    const std::size_t c = caps[static_cast<std::size_t>(box)];
    return c != 0 ? std::max<std::size_t>(c, 2) : max_per_box;
}

std::size_t RestLayout::shown(Box box) const noexcept {
    const std::size_t n = counts[static_cast<std::size_t>(box)];
    return n > cap(box) ? cap(box) - 1 : n;
}

std::size_t RestLayout::hidden(Box box) const noexcept {
    return counts[static_cast<std::size_t>(box)] - shown(box);
}

RestLayout rest_layout(const ModelState& state, const DiagramLayout& layout,
                       std::size_t max_per_box, std::span<const std::uint64_t> queue_order,
                       const std::array<std::size_t, box_count>& caps) {
    RestLayout rest;
    rest.max_per_box = std::max<std::size_t>(max_per_box, 2);
    rest.caps = caps;
    struct Entry {
        std::int64_t rank = 0;  // smallest first
        std::uint64_t coro = 0;
        std::size_t at = 0;  // index into state.coroutines
    };
    std::array<std::vector<Entry>, box_count> boxes;
    for (std::size_t i = 0; i < state.coroutines.size(); ++i) {
        const CoroutineState& c = state.coroutines[i];
        // The trace's queue order (CoroutineState::queue_rank). In-process, while
        // paused, the scheduler's own order: known positions first, the rest after them.
        std::int64_t rank = c.queue_rank();
        if (c.place.kind == PlaceKind::active && !queue_order.empty()) {
            const auto at = std::find(queue_order.begin(), queue_order.end(), c.id);
            const std::int64_t first = std::numeric_limits<std::int64_t>::min();
            const auto known = static_cast<std::int64_t>(queue_order.size());
            rank = at != queue_order.end() ? first + (at - queue_order.begin())
                                           : std::max(rank, first + known);
        }
        boxes[static_cast<std::size_t>(place_to_box(c.place.kind))].push_back({rank, c.id, i});
    }
    rest.spots.resize(state.coroutines.size());
    for (int b = 0; b < box_count; ++b) {
        auto& list = boxes[static_cast<std::size_t>(b)];
        std::sort(list.begin(), list.end(), [](const Entry& x, const Entry& y) {
            return x.rank != y.rank ? x.rank < y.rank : x.coro < y.coro;
        });
        const Box box = static_cast<Box>(b);
        rest.counts[static_cast<std::size_t>(b)] = list.size();
        const std::size_t shown = rest.shown(box);
        const std::size_t slots = std::min(list.size(), rest.cap(box));
        for (std::size_t k = 0; k < list.size(); ++k) {
            TokenSpot& s = rest.spots[list[k].at];
            s.coro = list[k].coro;
            s.box = box;
            s.index = k;
            s.shown = k < shown;
            s.at = layout.token_slot(box, std::min(k, slots - 1), slots);
        }
    }
    return rest;
}

Point overflow_slot(const DiagramLayout& layout, const RestLayout& rest, Box box) noexcept {
    const std::size_t slots = std::min(rest.counts[static_cast<std::size_t>(box)], rest.cap(box));
    return layout.token_slot(box, slots == 0 ? 0 : slots - 1, std::max<std::size_t>(slots, 1));
}

TokenCell token_cell(const DiagramLayout& layout, Box box, std::size_t shown) noexcept {
    const Rect r = layout.box(box);
    const double title_h = std::min(22.0, r.h * 0.35);
    TokenCell cell{r.w, r.h - title_h};
    if (shown < 2) return cell;
    const Point a = layout.token_slot(box, 0, shown);
    const Point b = layout.token_slot(box, 1, shown);
    if (b.y == a.y) cell.w = b.x - a.x;
    const Point last = layout.token_slot(box, shown - 1, shown);
    if (last.y > a.y) {
        // Rows are evenly spaced: the pitch is the first row's distance to the second.
        for (std::size_t k = 1; k < shown; ++k) {
            const Point p = layout.token_slot(box, k, shown);
            if (p.y > a.y) {
                cell.h = p.y - a.y;
                break;
            }
        }
    }
    return cell;
}

std::size_t box_capacity(const DiagramLayout& layout, Box box, double min_cell,
                         std::size_t limit) noexcept {
    for (std::size_t n = std::max<std::size_t>(limit, 2); n > 2; --n) {
        const TokenCell cell = token_cell(layout, box, n);
        if (std::min(cell.w, cell.h) >= min_cell) return n;
    }
    return 2;
}

double token_radius(const DiagramLayout& layout, Box box, std::size_t shown,
                    double max_radius) noexcept {
    const Rect r = layout.box(box);
    // The grid's cell: the distance between two neighbouring slots.
    double cell = std::min(r.w, r.h);
    if (shown >= 2) {
        const Point a = layout.token_slot(box, 0, shown);
        const Point b = layout.token_slot(box, 1, shown);
        cell = std::hypot(b.x - a.x, b.y - a.y);
        const Point last = layout.token_slot(box, shown - 1, shown);
        if (last.y > a.y) cell = std::min(cell, last.y - a.y);
    }
    const double title_h = std::min(22.0, r.h * 0.35);
    const double fit_h = (r.h - title_h) / 2 - 1;
    return std::clamp(std::min(cell * 0.42, fit_h), 1.5, max_radius);
}

Point moving_token(const DiagramLayout& layout, Box from, Box to, Point from_rest, Point to_rest,
                   double t01) noexcept {
    const double t = std::clamp(t01, 0.0, 1.0);
    const Point on_path = layout.token_position(from, to, t);
    const Point c_from = layout.box(from).center();
    const Point c_to = layout.box(to).center();
    // Leave the old rest place during the first 30 % of the way, ride the edge itself in the
    // middle, settle into the new rest place during the last 30 %.
    auto smooth = [](double e0, double e1, double x) {
        const double u = std::clamp((x - e0) / (e1 - e0), 0.0, 1.0);
        return u * u * (3 - 2 * u);
    };
    const double leave = 1 - smooth(0.0, 0.3, t);
    const double settle = smooth(0.7, 1.0, t);
    return {on_path.x + (from_rest.x - c_from.x) * leave + (to_rest.x - c_to.x) * settle,
            on_path.y + (from_rest.y - c_from.y) * leave + (to_rest.y - c_to.y) * settle};
}

}  // namespace cogen::viz
