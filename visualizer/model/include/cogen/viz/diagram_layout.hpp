// DiagramLayout: the seed's flow diagram (docs/design.md, "One loop iteration") as named boxes and
// labelled edges in an abstract 1000 x 600 space, where each place goes, and
// where a token is while it travels an edge. The GUI only scales and draws it.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "cogen/viz/coroutine_history.hpp"
#include "cogen/viz/place.hpp"

namespace cogen::viz {

/// The boxes of the diagram.
enum class Box : std::uint8_t {
    coroutine,     ///< "coroutine (co_await)": running coroutines
    op_process,    ///< "op.process"
    active_queue,  ///< "active queue"
    proactor,      ///< "proactor (fd wait)"
    timers,        ///< "timers"
    signals,       ///< "signals"
    joins,         ///< "joins" (join and call waits)
    queues,        ///< "queues" (queue, pubsub, pipe and user-defined waits)
    op_run,        ///< "op.run"
    op_finalize,   ///< "op.finalize"
    finished,      ///< "finished / failed" (and killed)
};
inline constexpr int box_count = static_cast<int>(Box::finished) + 1;

/// The box a coroutine at this kind of place is drawn in.
///
///     Rect r = layout.box(place_to_box(coro.place.kind));
Box place_to_box(PlaceKind kind) noexcept;
/// The box's title as the diagram prints it ("proactor (fd wait)", ...).
std::string_view title(Box box) noexcept;

/// A point of the layout space: x grows right, y grows down.
struct Point {
    double x = 0;
    double y = 0;
};

/// An axis-aligned rectangle: top-left corner and size.
struct Rect {
    double x = 0;
    double y = 0;
    double w = 0;
    double h = 0;
    Point center() const noexcept { return {x + w / 2, y + h / 2}; }
    /// Inclusive of the border.
    bool contains(Point p) const noexcept {
        return p.x >= x && p.x <= x + w && p.y >= y && p.y <= y + h;
    }
};

/// An arrow of the diagram, from one box's border to another's.
struct Edge {
    Box from = Box::coroutine;
    Box to = Box::coroutine;
    std::string_view label;   ///< the diagram's words, "" for none
    bool show_label = true;   ///< false on siblings that repeat a label drawn once
    std::vector<Point> path;  ///< polyline, at least two points, arrow at the end
    Point label_at{};         ///< the centre of the label (when show_label)
};

/// The diagram in a width x height space (1000 x 600).
///
///     DiagramLayout layout;
///     for (int b = 0; b < box_count; ++b) draw_box(layout.box(Box(b)), title(Box(b)));
///     for (const Edge& e : layout.edges()) draw_arrow(e.path, e.show_label ? e.label : "");
///     Point p = layout.token_position(transition, t01);   // animation
class DiagramLayout {
  public:
    static constexpr double width = 1000;
    static constexpr double height = 600;

    DiagramLayout();

    /// The rectangle of a box.
    Rect box(Box box) const noexcept { return m_boxes[static_cast<std::size_t>(box)]; }
    /// Every edge of the diagram.
    std::span<const Edge> edges() const noexcept { return m_edges; }
    /// The edge from one box to another, or nullptr when the diagram has none.
    const Edge* edge(Box from, Box to) const noexcept;

    /// Where a token travelling from one box to another is at t01 in [0, 1]:
    /// along the edge's path when there is one (t01 = 0 at the `from` box's
    /// centre, 1 at the `to` box's centre), else on a straight line between
    /// the two centres. Same box: its centre.
    Point token_position(Box from, Box to, double t01) const noexcept;
    /// The same for a model transition (place kinds mapped with place_to_box).
    Point token_position(const Transition& transition, double t01) const noexcept;
    /// Where the `index`-th of `count` tokens resting in a box sits: a grid
    /// inside the box, so tokens do not cover each other. Always inside box().
    Point token_slot(Box box, std::size_t index, std::size_t count) const noexcept;

  private:
    void add_edge(Box from, Box to, std::string_view label, std::optional<Point> label_at,
                  std::vector<Point> path);

    std::array<Rect, box_count> m_boxes{};
    std::vector<Edge> m_edges;
};

}  // namespace cogen::viz
