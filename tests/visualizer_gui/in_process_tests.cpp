// In-process mode under a display: run_with_visualizer() steps a real scheduler from the GUI
// (here unattended, writing the final frame to a PNG). Runs with no display (offscreen EGL).
#include "cogen/viz/run_with_visualizer.hpp"

#include <catch2/catch.hpp>

#include "cogen/cogen.hpp"
#include "cogen/scheduler_observer.hpp"
#include "cogen/trace/recorder.hpp"
#include "gui_test_support.hpp"

using namespace std::chrono_literals;
using namespace cogen::viz::test;

namespace {

cogen::Coro<> napper(int& done) {
    co_await cogen::Sleep{2ms};
    co_await cogen::Yield{};
    ++done;
}

}  // namespace

TEST_CASE("run_with_visualizer steps the scheduler to the end and draws the last frame",
          "[in-process][display]") {
    cogen::viz::Capture capture;
    cogen::Scheduler sched{{.instrument = &capture}};
    int done = 0;
    sched.add(napper(done), {.name = "napper-1"});
    sched.add(napper(done), {.name = "napper-2"});
    cogen::viz::VisualizerOptions options;
    options.screenshot_png = (scratch_dir() / "in-process.png").string();
    options.screenshot_view = "diagram";
    options.width = 1000;
    options.height = 700;
    CHECK(cogen::viz::run_with_visualizer(sched, options) == 0);
    CHECK(done == 2);
    CHECK(capture.recorded() > 10);
    const auto img = load_png(options.screenshot_png);
    REQUIRE(img);
    CHECK(img->width == 1000);
    CHECK(non_background_share(*img) > 0.05);
}

TEST_CASE("run_with_visualizer can stop after a number of transitions", "[in-process][display]") {
    cogen::viz::Capture capture;
    cogen::Scheduler sched{{.instrument = &capture}};
    int done = 0;
    sched.add(napper(done), {.name = "napper"});
    cogen::viz::VisualizerOptions options;
    options.screenshot_png = (scratch_dir() / "in-process-3.png").string();
    options.screenshot_after_steps = 3;
    CHECK(cogen::viz::run_with_visualizer(sched, options) == 0);
    CHECK(done == 0);
    sched.run();
    CHECK(done == 1);
}

TEST_CASE("a scheduler without a Capture still runs under the visualizer",
          "[in-process][display]") {
    cogen::Scheduler sched;
    const bool plain =
        cogen::SchedulerObserver{sched}.instrument() == nullptr;  // false if COGEN_TRACE is set
    int done = 0;
    sched.add(napper(done));
    cogen::viz::VisualizerOptions options;
    options.screenshot_png = (scratch_dir() / "no-capture.png").string();
    CHECK(cogen::viz::run_with_visualizer(sched, options) == 0);
    CHECK(done == 1);
    CHECK(load_png(options.screenshot_png));
    // It lent the scheduler a Capture for the time of the window, and took it back.
    if (plain) CHECK(cogen::SchedulerObserver{sched}.instrument() == nullptr);
}

TEST_CASE("a scheduler with its own instrument is drawn and its instrument keeps recording",
          "[in-process][display]") {
    cogen::trace::Recorder file;  // stands for a COGEN_TRACE file or a live feed
    cogen::Scheduler sched{{.instrument = &file}};
    int done = 0;
    sched.add(napper(done), {.name = "napper"});
    REQUIRE(sched.step());  // some events before the window opens
    const std::size_t before = file.data().events.size();
    cogen::viz::VisualizerOptions options;
    options.screenshot_png = (scratch_dir() / "own-instrument.png").string();
    CHECK(cogen::viz::run_with_visualizer(sched, options) == 0);
    CHECK(done == 1);
    CHECK(cogen::SchedulerObserver{sched}.instrument() == &file);  // handed back
    // The recording goes on through the window, without the Capture's announcements: one
    // coro.spawn for the napper, no sched.note, and every event of the run up to its finish.
    const auto& events = file.data().events;
    CHECK(events.size() > before);
    int spawns = 0, notes = 0, finishes = 0;
    for (const cogen::TraceEvent& e : events) {
        spawns += e.kind == cogen::EventKind::coro_spawn;
        notes += e.kind == cogen::EventKind::sched_note;
        finishes += e.kind == cogen::EventKind::coro_finish;
    }
    CHECK(spawns == 1);
    CHECK(notes == 0);
    CHECK(finishes == 1);
    for (std::size_t i = 1; i < events.size(); ++i) CHECK(events[i].seq > events[i - 1].seq);
    CHECK(file.data().strings.get(events.front().text) == "napper");
}
