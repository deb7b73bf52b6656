// DiagramLayout: the coordinates of the seed's diagram and the token paths.
#include "cogen/viz/diagram_layout.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

namespace cogen::viz {
namespace {

constexpr std::array<std::string_view, box_count> box_titles = {
    "coroutine (co_await)",
    "op.process",
    "active queue",
    "proactor (fd wait)",
    "timers",
    "signals",
    "joins",
    "queues",
    "op.run",
    "op.finalize",
    "finished / failed",
};

double distance(Point a, Point b) {
    return std::hypot(b.x - a.x, b.y - a.y);
}

Point along(const std::vector<Point>& path, double t01) {
    double total = 0;
    for (std::size_t i = 1; i < path.size(); ++i) total += distance(path[i - 1], path[i]);
    double left = std::clamp(t01, 0.0, 1.0) * total;
    for (std::size_t i = 1; i < path.size(); ++i) {
        const double d = distance(path[i - 1], path[i]);
        if (left <= d && d > 0) {
            const double f = left / d;
            return {path[i - 1].x + (path[i].x - path[i - 1].x) * f,
                    path[i - 1].y + (path[i].y - path[i - 1].y) * f};
        }
        left -= d;
    }
    return path.back();
}

}  // namespace

Box place_to_box(PlaceKind kind) noexcept {
    switch (kind) {
        case PlaceKind::active:
            return Box::active_queue;
        case PlaceKind::running:
            return Box::coroutine;
        case PlaceKind::processing:
            return Box::op_process;
        case PlaceKind::proactor:
            return Box::proactor;
        case PlaceKind::io_ready:
            return Box::op_run;
        case PlaceKind::timer:
            return Box::timers;
        case PlaceKind::signal:
            return Box::signals;
        case PlaceKind::join:
        case PlaceKind::call:
            return Box::joins;
        case PlaceKind::queue:
        case PlaceKind::pubsub:
        case PlaceKind::pipe:
        case PlaceKind::other:
            return Box::queues;
        case PlaceKind::finalizing:
            return Box::op_finalize;
        case PlaceKind::finished:
        case PlaceKind::failed:
        case PlaceKind::killed:
            return Box::finished;
    }
    return Box::active_queue;
}

std::string_view title(Box box) noexcept {
    const auto i = static_cast<std::size_t>(box);
    return i < box_titles.size() ? box_titles[i] : std::string_view{};
}

// The picture, in layout units (1000 x 600):
//
//   coroutine ──co_await op──► op.process ──can't complete now──► proactor (fd wait)
//    ▲    ▲                       │ ready          └──► timers signals joins queues
//    │    └── op.finalize ◄── active queue ◄── some event decides the op is ready
//    │  (return/throw)            ▲ ready                                 │
//   finished / failed           op.run ◄──── op.run() (socket ready) ── proactor
DiagramLayout::DiagramLayout() {
    auto set = [this](Box b, Rect r) { m_boxes[static_cast<std::size_t>(b)] = r; };
    // Left column: the coroutine's side of the loop.
    set(Box::coroutine, {30, 40, 200, 80});
    set(Box::op_finalize, {30, 260, 200, 80});
    set(Box::finished, {30, 470, 200, 80});
    // Middle column: the scheduler's side.
    set(Box::op_process, {400, 40, 200, 80});
    set(Box::active_queue, {400, 260, 200, 80});
    set(Box::op_run, {400, 450, 200, 60});
    // Right: where parked ops wait.
    set(Box::proactor, {640, 145, 330, 55});
    set(Box::timers, {640, 230, 75, 110});
    set(Box::signals, {725, 230, 75, 110});
    set(Box::joins, {810, 230, 75, 110});
    set(Box::queues, {895, 230, 75, 110});

    // Each label sits beside its edge, clear of the line and of the boxes.
    add_edge(Box::coroutine, Box::op_process, "co_await op", Point{315, 68},
             {{230, 80}, {400, 80}});
    add_edge(Box::op_process, Box::active_queue, "ready", Point{522, 190},
             {{500, 120}, {500, 260}});
    add_edge(Box::op_process, Box::proactor, "can't complete now", Point{700, 68},
             {{600, 80}, {805, 80}, {805, 145}});
    // The four other waits hang off one bus that passes left of the proactor,
    // and return on one bus below them: each bus label is drawn once.
    constexpr std::array<Box, 4> waits = {Box::timers, Box::signals, Box::joins, Box::queues};
    for (Box w : waits) {
        const double x = box(w).center().x;
        add_edge(Box::op_process, w, "can't complete now", std::nullopt,
                 {{600, 80}, {625, 80}, {625, 215}, {x, 215}, {x, 230}});
        add_edge(w, Box::active_queue, "some event decides the op is ready",
                 w == Box::timers ? std::optional<Point>{Point{795, 380}} : std::nullopt,
                 {{x, 340}, {x, 365}, {620, 365}, {620, 300}, {600, 300}});
    }
    add_edge(Box::proactor, Box::op_run, "op.run() (socket ready)", Point{790, 468},
             {{970, 172}, {985, 172}, {985, 480}, {600, 480}});
    add_edge(Box::op_run, Box::active_queue, "ready", Point{522, 395}, {{500, 450}, {500, 340}});
    add_edge(Box::active_queue, Box::op_finalize, "resume with op.finalize()", Point{315, 288},
             {{400, 300}, {230, 300}});
    add_edge(Box::op_finalize, Box::coroutine, "resume", Point{158, 190}, {{130, 260}, {130, 120}});
    add_edge(Box::active_queue, Box::coroutine, "first resume", Point{345, 172},
             {{420, 260}, {215, 120}});
    add_edge(Box::coroutine, Box::finished, "return / throw", Point{95, 405},
             {{30, 100}, {15, 100}, {15, 510}, {30, 510}});
}

void DiagramLayout::add_edge(Box from, Box to, std::string_view label,
                             std::optional<Point> label_at, std::vector<Point> path) {
    m_edges.push_back(
        Edge{from, to, label, label_at.has_value(), std::move(path), label_at.value_or(Point{})});
}

const Edge* DiagramLayout::edge(Box from, Box to) const noexcept {
    for (const Edge& e : m_edges) {
        if (e.from == from && e.to == to) return &e;
    }
    return nullptr;
}

Point DiagramLayout::token_position(Box from, Box to, double t01) const noexcept {
    const Point a = box(from).center();
    const Point b = box(to).center();
    if (from == to) return a;
    std::vector<Point> path{a};
    if (const Edge* e = edge(from, to)) path.insert(path.end(), e->path.begin(), e->path.end());
    path.push_back(b);
    return along(path, t01);
}

Point DiagramLayout::token_position(const Transition& transition, double t01) const noexcept {
    return token_position(place_to_box(transition.from), place_to_box(transition.to), t01);
}

Point DiagramLayout::token_slot(Box b, std::size_t index, std::size_t count) const noexcept {
    const Rect r = box(b);
    // Keep the top strip free for the title; lay tokens out in a grid below it.
    const double title_h = std::min(22.0, r.h * 0.35);
    const double w = r.w;
    const double h = r.h - title_h;
    count = std::max<std::size_t>(count, 1);
    index = std::min(index, count - 1);
    const auto cols = static_cast<std::size_t>(
        std::max(1.0, std::ceil(std::sqrt(static_cast<double>(count) * w / h))));
    const std::size_t rows = (count + cols - 1) / cols;
    const double cw = w / static_cast<double>(cols);
    const double ch = h / static_cast<double>(rows);
    return {r.x + (static_cast<double>(index % cols) + 0.5) * cw,
            r.y + title_h + (static_cast<double>(index / cols) + 0.5) * ch};
}

}  // namespace cogen::viz
