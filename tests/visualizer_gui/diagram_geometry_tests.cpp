// Diagram geometry: the layout fits the canvas, tokens rest inside their box in arrival
// order, crowded boxes keep a slot for "+N", and a moving token ends at its new rest place.
#include "diagram_geometry.hpp"

#include <catch2/catch.hpp>

#include "cogen/viz/trace_model.hpp"
#include "gui_test_support.hpp"

using namespace cogen::viz;

TEST_CASE("the diagram fits the canvas, centred, keeping its proportions", "[geometry]") {
    const auto tf = DiagramTransform::fit({0, 0, 1016, 1000});
    CHECK(tf.scale() == Approx(1.0));
    const ScreenPoint top_left = tf.to_screen(Point{0, 0});
    CHECK(top_left.x == Approx(8));
    CHECK(top_left.y == Approx(200));
    const Point back = tf.to_layout(tf.to_screen(Point{250, 125}));
    CHECK(back.x == Approx(250));
    CHECK(back.y == Approx(125));
}

TEST_CASE("every token rests inside the box of its coroutine's place", "[geometry]") {
    const TraceModel model{cogen::viz::test::stations_trace()};
    const ModelState state = model.state_at(model.last_seq());
    const DiagramLayout layout;
    const RestLayout rest = rest_layout(state, layout, 48);
    REQUIRE(rest.spots.size() == state.coroutines.size());
    for (const CoroutineState& c : state.coroutines) {
        const TokenSpot* s = rest.find(c.id);
        REQUIRE(s);
        CHECK(s->box == place_to_box(c.place.kind));
        CHECK(layout.box(s->box).contains(s->at));
        CHECK(s->shown);
    }
    CHECK(rest.counts[static_cast<std::size_t>(Box::finished)] == 2);
}

TEST_CASE("a crowded box shows its first tokens and keeps the last slot for +N", "[geometry]") {
    ModelState state;
    for (std::uint64_t id = 1; id <= 100; ++id) {
        CoroutineState c;
        c.id = id;
        c.since_seq = 200 - id;  // the highest id arrived first
        state.coroutines.push_back(c);
    }
    const DiagramLayout layout;
    const RestLayout rest = rest_layout(state, layout, 10);
    CHECK(rest.shown(Box::active_queue) == 9);
    CHECK(rest.hidden(Box::active_queue) == 91);
    CHECK(rest.find(100)->index == 0);
    CHECK(rest.find(100)->shown);
    CHECK_FALSE(rest.find(1)->shown);
    CHECK(layout.box(Box::active_queue).contains(overflow_slot(layout, rest, Box::active_queue)));
}

TEST_CASE("tokens shrink as a box fills, never below a dot", "[geometry]") {
    const DiagramLayout layout;
    const double one = token_radius(layout, Box::active_queue, 1);
    const double many = token_radius(layout, Box::active_queue, 40);
    CHECK(one > many);
    CHECK(many >= 1.5);
    CHECK(one <= 11);
}

TEST_CASE("a moving token leaves its old rest place and arrives at its new one", "[geometry]") {
    const DiagramLayout layout;
    const Point from{420, 300};
    const Point to{150, 70};
    const Point start = moving_token(layout, Box::active_queue, Box::coroutine, from, to, 0);
    const Point end = moving_token(layout, Box::active_queue, Box::coroutine, from, to, 1);
    CHECK(start.x == Approx(from.x));
    CHECK(start.y == Approx(from.y));
    CHECK(end.x == Approx(to.x));
    CHECK(end.y == Approx(to.y));
}
