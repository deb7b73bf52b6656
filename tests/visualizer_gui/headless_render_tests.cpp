// Headless rendering: cogen-viz --headless draws a moment of a trace into a PNG, and the
// picture shows what the model says — boxes where DiagramLayout puts them, each coroutine's
// token in its box in its state's colour. Runs with no display (offscreen EGL).
#include <catch2/catch.hpp>

#include <set>

#include "cogen/viz/diagram_layout.hpp"
#include "cogen/viz/trace_model.hpp"
#include "diagram_geometry.hpp"
#include "gui_test_support.hpp"
#include "palette.hpp"
#include "view_state.hpp"

using namespace cogen::viz;
using namespace cogen::viz::test;

namespace {

constexpr int width = 1280;
constexpr int height = 800;

std::optional<Image> render(const std::string& trace, const std::string& view,
                            const std::string& png, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--headless", "--png",  png,       "--view",
                                     view,         "--size", "1280x800"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(trace);
    const VizRun r = run_viz(args);
    INFO(r.err);
    REQUIRE(r.status == 0);
    return load_png(png);
}

}  // namespace

TEST_CASE("the headless diagram of a trace is a full, non-blank picture of the requested size",
          "[headless][display]") {
    const std::string trace = write_jsonl(stations_trace(), "stations.jsonl");
    const auto img = render(trace, "diagram", (scratch_dir() / "diagram.png").string());
    REQUIRE(img);
    CHECK(img->width == width);
    CHECK(img->height == height);
    CHECK(non_background_share(*img) > 0.05);
    std::set<std::uint32_t> colours;
    for (int y = 0; y < img->height; y += 3) {
        for (int x = 0; x < img->width; x += 3) {
            const Rgb c = img->at(x, y);
            colours.insert((c.r / 16u) << 8 | (c.g / 16u) << 4 | (c.b / 16u));
        }
    }
    CHECK(colours.size() > 20);
}

TEST_CASE("every box of the diagram has its border colour where the layout puts it",
          "[headless][display]") {
    const std::string trace = write_jsonl(stations_trace(), "stations.jsonl");
    const auto img = render(trace, "diagram", (scratch_dir() / "boxes.png").string());
    REQUIRE(img);
    const DiagramLayout layout;
    const auto tf =
        DiagramTransform::fit({0, 0, static_cast<float>(width), static_cast<float>(height)});
    for (int b = 0; b < box_count; ++b) {
        const Box box = static_cast<Box>(b);
        const ScreenRect r = tf.to_screen(layout.box(box));
        INFO("box " << title(box) << " at " << r.x << "," << r.y << " " << r.w << "x" << r.h);
        // A quarter of the way along each side: away from the rounded corners, the titles
        // and the arrows that end at a side's middle.
        CHECK(colour_near(*img, r.x + r.w * 0.75f, r.y, box_rgb(box)));
        CHECK(colour_near(*img, r.x + r.w * 0.75f, r.y + r.h, box_rgb(box)));
        CHECK(colour_near(*img, r.x, r.y + r.h * 0.75f, box_rgb(box)));
        CHECK(colour_near(*img, r.x + r.w, r.y + r.h * 0.75f, box_rgb(box)));
        // ... and the inside of the box is not the border colour.
        CHECK_FALSE(colour_near(*img, r.x + r.w * 0.97f, r.y + r.h * 0.9f, box_rgb(box), 1, 10));
    }
}

TEST_CASE("each coroutine's token is drawn inside the box the model says, in its state colour",
          "[headless][display]") {
    const auto data = stations_trace();
    const std::string trace = write_jsonl(data, "stations.jsonl");
    const auto img = render(trace, "diagram", (scratch_dir() / "tokens.png").string());
    REQUIRE(img);
    const TraceModel model{data};
    const ModelState state = model.state_at(model.last_seq());
    REQUIRE(state.coroutines.size() == 10);
    std::set<Box> boxes;
    for (const CoroutineState& c : state.coroutines) boxes.insert(place_to_box(c.place.kind));
    CHECK(boxes.size() == 9);
    CHECK(missing_tokens(*img, model, model.last_seq()).empty());
}

TEST_CASE("with --motion a token is drawn on the edge of its transition", "[headless][display]") {
    const auto data = stations_trace();
    const std::string trace = write_jsonl(data, "stations.jsonl");
    // Seq 17: 'sleeper' (coro 2) leaves op.process for the timers ("can't complete now").
    const auto img = render(trace, "diagram", (scratch_dir() / "motion.png").string(),
                            {"--at", "17", "--motion", "0.5"});
    REQUIRE(img);
    const TraceModel model{data};
    const DiagramLayout layout;
    const RestLayout before = rest_layout(model.state_at(16), layout, DiagramView{}.max_per_box);
    const RestLayout after = rest_layout(model.state_at(17), layout, DiagramView{}.max_per_box);
    REQUIRE(before.find(2)->box == Box::op_process);
    REQUIRE(after.find(2)->box == Box::timers);
    const Point mid = moving_token(layout, Box::op_process, Box::timers, before.find(2)->at,
                                   after.find(2)->at, 0.5);
    CHECK_FALSE(layout.box(Box::op_process).contains(mid));
    CHECK_FALSE(layout.box(Box::timers).contains(mid));
    const auto tf =
        DiagramTransform::fit({0, 0, static_cast<float>(width), static_cast<float>(height)});
    // A travelling token keeps the size it will have in its new box.
    const float r =
        static_cast<float>(token_radius(layout, Box::timers, after.shown(Box::timers))) *
        tf.scale();
    CHECK(token_at(*img, tf.to_screen(mid), r, place_rgb(PlaceKind::timer)));
}

TEST_CASE("the token of a coroutine moves to another box at another seq", "[headless][display]") {
    const auto data = stations_trace();
    const std::string trace = write_jsonl(data, "stations.jsonl");
    // Seq 10: every coroutine spawned, none started: all ten wait in the active queue.
    const auto img =
        render(trace, "diagram", (scratch_dir() / "seq10.png").string(), {"--at", "10"});
    REQUIRE(img);
    const DiagramLayout layout;
    const auto tf =
        DiagramTransform::fit({0, 0, static_cast<float>(width), static_cast<float>(height)});
    const TraceModel model{data};
    const RestLayout rest = rest_layout(model.state_at(10), layout, DiagramView{}.max_per_box);
    CHECK(rest.counts[static_cast<std::size_t>(Box::active_queue)] == 10);
    const ScreenPoint first = tf.to_screen(rest.find(1)->at);
    CHECK(colour_near(*img, first.x + 4, first.y + 4, place_rgb(PlaceKind::active), 1, 25));
    const ScreenRect timers = tf.to_screen(layout.box(Box::timers));
    CHECK_FALSE(colour_near(*img, timers.x + timers.w / 2, timers.y + timers.h * 0.65f,
                            place_rgb(PlaceKind::timer), 4, 25));
}

TEST_CASE("every view renders a picture of its own", "[headless][display]") {
    const std::string trace = write_jsonl(stations_trace(), "stations.jsonl");
    std::set<std::vector<std::uint8_t>> pictures;
    for (const char* view : {"diagram", "table", "timeline", "proactor", "log", "stalls",
                             "waitgraph", "wake", "all"}) {
        INFO("view " << view);
        const auto img =
            render(trace, view, (scratch_dir() / (std::string(view) + ".png")).string(),
                   {"--select", "3"});
        REQUIRE(img);
        CHECK(non_background_share(*img) > 0.01);
        pictures.insert(img->rgba);
    }
    CHECK(pictures.size() == 9);
}

TEST_CASE("the table view lists the coroutines in their state colours", "[headless][display]") {
    const std::string trace = write_jsonl(stations_trace(), "stations.jsonl");
    const auto img = render(trace, "table", (scratch_dir() / "table.png").string());
    REQUIRE(img);
    // The state chips: a square of each place's colour somewhere in the picture.
    for (PlaceKind k :
         {PlaceKind::join, PlaceKind::timer, PlaceKind::signal, PlaceKind::proactor,
          PlaceKind::queue, PlaceKind::active, PlaceKind::running, PlaceKind::failed}) {
        bool found = false;
        for (int y = 0; y < img->height && !found; ++y) {
            for (int x = 0; x < img->width / 2 && !found; ++x) {
                found = close_to(img->at(x, y), place_rgb(k), 4);
            }
        }
        INFO("place " << to_string(k));
        CHECK(found);
    }
}
