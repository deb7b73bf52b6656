// Tests of the diagram layout: boxes fit and do not overlap, every place has a
// box, the diagram's labelled edges exist, and tokens travel and rest where
// the GUI (and the headless PNG tests) expect them.
#include "cogen/viz/diagram_layout.hpp"

#include <catch2/catch.hpp>

using cogen::viz::Box;
using cogen::viz::box_count;
using cogen::viz::DiagramLayout;
using cogen::viz::place_to_box;
using cogen::viz::PlaceKind;
using cogen::viz::Point;
using cogen::viz::Rect;

namespace {

bool overlap(const Rect& a, const Rect& b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

bool near(Point a, Point b) {
    return std::abs(a.x - b.x) < 1e-9 && std::abs(a.y - b.y) < 1e-9;
}

}  // namespace

TEST_CASE("Every box lies inside the layout space and no two boxes overlap",
          "[vizmodel][diagram]") {
    const DiagramLayout layout;
    for (int i = 0; i < box_count; ++i) {
        const Rect r = layout.box(Box(i));
        CHECK(r.x >= 0);
        CHECK(r.y >= 0);
        CHECK(r.x + r.w <= DiagramLayout::width);
        CHECK(r.y + r.h <= DiagramLayout::height);
        CHECK_FALSE(cogen::viz::title(Box(i)).empty());
        for (int j = i + 1; j < box_count; ++j) {
            INFO(cogen::viz::title(Box(i)) << " vs " << cogen::viz::title(Box(j)));
            CHECK_FALSE(overlap(r, layout.box(Box(j))));
        }
    }
}

TEST_CASE("Every place maps to the box the diagram draws it in", "[vizmodel][diagram]") {
    CHECK(place_to_box(PlaceKind::running) == Box::coroutine);
    CHECK(place_to_box(PlaceKind::processing) == Box::op_process);
    CHECK(place_to_box(PlaceKind::active) == Box::active_queue);
    CHECK(place_to_box(PlaceKind::proactor) == Box::proactor);
    CHECK(place_to_box(PlaceKind::io_ready) == Box::op_run);
    CHECK(place_to_box(PlaceKind::timer) == Box::timers);
    CHECK(place_to_box(PlaceKind::signal) == Box::signals);
    CHECK(place_to_box(PlaceKind::join) == Box::joins);
    CHECK(place_to_box(PlaceKind::call) == Box::joins);
    CHECK(place_to_box(PlaceKind::queue) == Box::queues);
    CHECK(place_to_box(PlaceKind::pubsub) == Box::queues);
    CHECK(place_to_box(PlaceKind::pipe) == Box::queues);
    CHECK(place_to_box(PlaceKind::other) == Box::queues);
    CHECK(place_to_box(PlaceKind::finalizing) == Box::op_finalize);
    CHECK(place_to_box(PlaceKind::finished) == Box::finished);
    CHECK(place_to_box(PlaceKind::failed) == Box::finished);
    CHECK(place_to_box(PlaceKind::killed) == Box::finished);
}

TEST_CASE("The diagram's edges carry the seed diagram's words", "[vizmodel][diagram]") {
    const DiagramLayout layout;
    CHECK(layout.edge(Box::op_process, Box::active_queue)->label == "ready");
    CHECK(layout.edge(Box::op_process, Box::proactor)->label == "can't complete now");
    for (Box wait : {Box::timers, Box::signals, Box::joins, Box::queues}) {
        CHECK(layout.edge(Box::op_process, wait)->label == "can't complete now");
        CHECK(layout.edge(wait, Box::active_queue)->label == "some event decides the op is ready");
    }
    CHECK(layout.edge(Box::proactor, Box::op_run)->label == "op.run() (socket ready)");
    CHECK(layout.edge(Box::active_queue, Box::op_finalize)->label == "resume with op.finalize()");
    CHECK(layout.edge(Box::op_finalize, Box::coroutine) != nullptr);
    CHECK(layout.edge(Box::coroutine, Box::op_process) != nullptr);
    CHECK(layout.edge(Box::coroutine, Box::finished) != nullptr);
    CHECK(layout.edge(Box::timers, Box::proactor) == nullptr);
}

TEST_CASE("Each edge runs from its source box's border to its target box's border",
          "[vizmodel][diagram]") {
    const DiagramLayout layout;
    for (const auto& e : layout.edges()) {
        INFO(cogen::viz::title(e.from) << " -> " << cogen::viz::title(e.to));
        REQUIRE(e.path.size() >= 2);
        CHECK(layout.box(e.from).contains(e.path.front()));
        CHECK(layout.box(e.to).contains(e.path.back()));
    }
}

TEST_CASE("Each label is drawn once per group, inside the space and outside every box",
          "[vizmodel][diagram]") {
    const DiagramLayout layout;
    int shown_cant_complete = 0;
    for (const auto& e : layout.edges()) {
        if (!e.show_label) continue;
        if (e.label == "can't complete now") ++shown_cant_complete;
        INFO(e.label);
        CHECK(e.label_at.x > 0);
        CHECK(e.label_at.x < DiagramLayout::width);
        CHECK(e.label_at.y > 0);
        CHECK(e.label_at.y < DiagramLayout::height);
        for (int b = 0; b < box_count; ++b) CHECK_FALSE(layout.box(Box(b)).contains(e.label_at));
    }
    CHECK(shown_cant_complete == 1);
}

TEST_CASE("A token travels from the source box's centre to the target box's centre",
          "[vizmodel][diagram]") {
    const DiagramLayout layout;
    const Point start = layout.token_position(Box::op_process, Box::signals, 0.0);
    const Point end = layout.token_position(Box::op_process, Box::signals, 1.0);
    CHECK(near(start, layout.box(Box::op_process).center()));
    CHECK(near(end, layout.box(Box::signals).center()));
    const Point mid = layout.token_position(Box::op_process, Box::signals, 0.5);
    CHECK_FALSE(layout.box(Box::op_process).contains(mid));
    CHECK_FALSE(layout.box(Box::signals).contains(mid));
    CHECK(near(layout.token_position(Box::timers, Box::timers, 0.3),
               layout.box(Box::timers).center()));
    CHECK(near(layout.token_position(Box::timers, Box::finished, 2.0),
               layout.box(Box::finished).center()));
}

TEST_CASE("A transition's token follows the edge between its places' boxes",
          "[vizmodel][diagram]") {
    const DiagramLayout layout;
    const cogen::viz::Transition tr{
        .seq = 5, .t_ns = 0, .coro = 1, .from = PlaceKind::proactor, .to = PlaceKind::io_ready};
    CHECK(near(layout.token_position(tr, 0.25),
               layout.token_position(Box::proactor, Box::op_run, 0.25)));
}

TEST_CASE("Tokens resting in a box get distinct slots inside it", "[vizmodel][diagram]") {
    const DiagramLayout layout;
    for (std::size_t count : {1u, 2u, 7u, 40u}) {
        for (int b = 0; b < box_count; ++b) {
            const Rect r = layout.box(Box(b));
            for (std::size_t i = 0; i < count; ++i) {
                const Point p = layout.token_slot(Box(b), i, count);
                CHECK(r.contains(p));
                if (i > 0) CHECK_FALSE(near(p, layout.token_slot(Box(b), i - 1, count)));
            }
        }
    }
}
