// In-process mode: the program's own scheduler stepped from the window (see
// run_with_visualizer.hpp). The StepWorker owns the scheduler's thread; this file owns the
// window, the model fed from the worker, and the frame. Tutorial 11 (watching it live).
#include "cogen/viz/run_with_visualizer.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include "app_layout.hpp"
#include "cogen/scheduler_observer.hpp"
#include "cogen/viz/diagram_layout.hpp"
#include "gl_window.hpp"
#include "png_file.hpp"
#include "scheduler_driver.hpp"
#include "step_worker.hpp"
#include "stepping_controls.hpp"
#include "transport_controls.hpp"

namespace cogen::viz {
namespace {

void draw_frame(Session& session, ViewState& view, StepWorker& worker, SteppingUi& ui,
                const DiagramLayout& layout, ViewId which, double clock, double motion_s) {
    const WorkerStatus st = worker.status();
    const TransportOptions transport{nullptr, true};
    handle_transport_keys(session, view, transport);
    handle_stepping_keys(worker, st);
    if (view.seek_request != 0) {
        session.seek(view.seek_request);
        view.seek_request = 0;
    }
    refresh_for_views(session, view, session.live_now());
    const float bar = top_bar_height(3, session);
    begin_top_bar(bar);
    draw_stepping_controls(worker, st, ui, session.model());
    draw_transport(session, view, transport);
    draw_notices(session);
    end_top_bar();
    // While paused, the worker's snapshot of the active queue is current: the diagram lines
    // the queue's tokens up in the order the scheduler will take them.
    std::vector<std::uint64_t> order;
    if (st.mode == StepMode::paused && !st.busy) {
        for (const ReadyChoice& c : st.ready) order.push_back(c.coro);
    }
    FrameData frame = session.frame(layout, clock, motion_s);
    frame.queue_order = order;
    draw_views(frame, view, which, bar, be_the_scheduler_width(ui));
    draw_be_the_scheduler(worker, st, ui, bar);
}

int screenshot(GlWindow& window, Session& session, ViewState& view, StepWorker& worker,
               SteppingUi& ui, const VisualizerOptions& options) {
    if (options.screenshot_after_steps > 0) {
        for (std::uint64_t i = 0; i < options.screenshot_after_steps; ++i) {
            worker.step_once();
            worker.wait_paused(30);
            if (worker.status().idle) break;
        }
    } else {
        worker.set_speed(0);
        worker.run();
        worker.wait_paused(120);
    }
    const DiagramLayout layout;
    const ViewId which = view_from_name(options.screenshot_view).value_or(ViewId::all);
    std::vector<std::uint8_t> pixels;
    for (int i = 0; i < 3; ++i) {
        window.new_frame(0);
        worker.drain(session);
        draw_frame(session, view, worker, ui, layout, which, 0, 0);
        if (i < 2) {
            window.present();
        } else {
            pixels = window.capture();
        }
    }
    std::string error;
    if (!write_png(options.screenshot_png, window.width(), window.height(), pixels, error)) {
        std::fprintf(stderr, "cogen-viz: %s\n", error.c_str());
        return 2;
    }
    return 0;
}

}  // namespace

int run_with_visualizer(Scheduler& sched, const VisualizerOptions& options) {
    const bool shot = !options.screenshot_png.empty();
    std::string why;
    auto window = GlWindow::open({options.width, options.height, options.title, shot}, why);
    if (!window) {
        std::fprintf(stderr, "cogen-viz: %s; running the scheduler without the visualizer\n",
                     why.c_str());
        sched.run();
        return 0;
    }
    SchedulerObserver observe{sched};
    auto* capture = dynamic_cast<Capture*>(observe.instrument());
    // A scheduler without a Capture is lent one for the time of the window: the scheduler
    // announces the past (strings, live coroutines) to it alone, then it forwards every new
    // event to the scheduler's own instrument, if any (a COGEN_TRACE file keeps recording).
    // The guard gives the scheduler its instrument back after the worker below has stopped.
    std::unique_ptr<Capture> own_capture;
    struct Restore {
        Scheduler* sched = nullptr;
        Instrument* previous = nullptr;
        ~Restore() {
            if (sched) SchedulerObserver{*sched}.exchange_instrument(previous);
        }
    } restore;
    if (!capture) {
        own_capture = std::make_unique<Capture>();
        Instrument* const theirs = observe.instrument();
        observe.set_instrument(own_capture.get());
        own_capture->forward_to(theirs);
        restore.sched = &sched;  // (not `restore = {...}`: the temporary would restore at once)
        restore.previous = theirs;
        capture = own_capture.get();
    }
    SteppingUi ui;
    ui.be_the_scheduler = options.be_the_scheduler;
    ui.break_op = options.break_on_op;
    ui.break_coro = options.break_on_coro ? std::to_string(options.break_on_coro) : std::string();
    ui.until_coro.clear();
    ui.max_speed = options.steps_per_second <= 0;
    Session session{
        ModelOptions{.keep_events = options.keep_events, .keep_bytes = options.keep_bytes}};
    session.follow(true);
    SchedulerAdapter driver(sched);
    StepWorker worker(driver, capture, options.start_running && !shot, options.steps_per_second);
    worker.set_breakpoints(options.break_on_op, options.break_on_coro);
    ViewState view;
    if (shot) return screenshot(*window, session, view, worker, ui, options);

    const DiagramLayout layout;
    while (!window->should_close()) {
        const WorkerStatus st = worker.status();
        const bool moving = !view.diagram.motions.empty() || st.mode != StepMode::paused || st.busy;
        window->new_frame(moving ? 0 : 1.0 / 30);
        worker.drain(session);
        const double motion = st.steps_per_second > 0 && !ui.max_speed
                                  ? std::min(0.45, 0.85 / st.steps_per_second)
                                  : 0.0;
        draw_frame(session, view, worker, ui, layout, ViewId::all, window->clock(),
                   st.mode == StepMode::paused ? 0.45 : motion);
        window->present();
    }
    return 0;
}

}  // namespace cogen::viz
