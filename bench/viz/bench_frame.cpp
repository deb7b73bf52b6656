// cogen-bench-viz-frame: the time of one GUI frame with 10,000 live coroutines, rendered
// offscreen (no display needed). Each view is measured with the cursor still and with
// the cursor moving one event per frame (playing). Budget: 16 ms per frame (medians).
// Usage: cogen-bench-viz-frame [alive (10000) [frames (60) [view]]]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include <imgui.h>

#include "app_layout.hpp"
#include "bench_args.hpp"
#include "cogen/viz/diagram_layout.hpp"
#include "gl_window.hpp"
#include "playback.hpp"
#include "session.hpp"
#include "synthetic_workload.hpp"
#include "transport_controls.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct FrameTimes {
    double build_ms = 0;   // our work: model refresh, panels, ImGui's vertex buffers
    double render_ms = 0;  // OpenGL (llvmpipe under Xvfb) drawing them, to glFinish
    double cpu_ms = 0;     // CPU time of the whole process (all threads) per frame
    double total() const { return build_ms + render_ms; }
};

double process_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Renders `frames` frames of `which` (nothing at all for `blank`); with `moving`, the cursor
// steps one event per frame.
FrameTimes frame_ms(cogen::viz::GlWindow& window, cogen::viz::Session& session,
                    cogen::viz::ViewId which, bool moving, int frames, bool blank = false) {
    using namespace cogen::viz;
    const DiagramLayout layout;
    ViewState view;
    view.select(7);
    Playback playback;
    const TransportOptions transport{&playback, false};
    const auto events = session.model().events();
    std::size_t at = events.size() / 2;
    session.seek(events[at].seq);
    std::vector<double> build;
    std::vector<double> render;
    std::vector<double> cpu;
    for (int i = 0; i < frames + 3; ++i) {
        const auto start = Clock::now();
        const double cpu_start = process_cpu_ms();
        window.new_frame(0);
        if (moving) session.seek(events[++at].seq);
        if (blank) {
            ImGui::SetNextWindowPos({0, 0});
            ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
            ImGui::Begin("##blank", nullptr, ImGuiWindowFlags_NoDecoration);
            ImGui::End();
        } else {
            refresh_for_views(session, view, 0);
            float bar = 0;
            if (which == ViewId::all) {
                bar = top_bar_height(1, session);
                begin_top_bar(bar);
                draw_transport(session, view, transport);
                end_top_bar();
            }
            draw_views(session.frame(layout, i * 0.016, 0.3), view, which, bar);
        }
        const auto built = Clock::now();
        window.present();
        if (i >= 3) {
            build.push_back(std::chrono::duration<double, std::milli>(built - start).count());
            render.push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - built).count());
            cpu.push_back(process_cpu_ms() - cpu_start);
        }
    }
    return {median(build), median(render), median(cpu)};
}

}  // namespace

int main(int argc, char** argv) {
    using namespace cogen::viz;
    if (const int status = cogen::bench::check_positional_args(
            argc, argv, "usage: cogen-bench-viz-frame [alive (10000) [frames (60) [view]]]", 2, 3);
        status >= 0) {
        return status;
    }
    const std::size_t alive = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000;
    const int frames = argc > 2 ? std::atoi(argv[2]) : 60;
    const std::string only = argc > 3 ? argv[3] : "";
    std::string why;
    auto window = GlWindow::open({1280, 800, "bench", true}, why);
    if (!window) {
        std::fprintf(
            stderr, "cogen-bench-viz-frame: %s (no OpenGL: install libegl-mesa0 libgl1-mesa-dri)\n",
            why.c_str());
        return 2;
    }
    Session session;
    {
        bench::SyntheticWorkload workload(alive * 30, alive);
        session.ingest(workload.data());
    }
    session.seek(session.model().last_seq());
    session.refresh();
    std::printf("model: %zu events, %zu coroutines, %llu alive; frame 1280x800 offscreen\n",
                session.model().size(), session.state().coroutines.size(),
                static_cast<unsigned long long>(session.state().alive));
    const FrameTimes blank = frame_ms(*window, session, ViewId::all, false, frames, true);
    std::printf("empty window: %.2f ms (%.2f build + %.2f render), cpu %.2f ms\n", blank.total(),
                blank.build_ms, blank.render_ms, blank.cpu_ms);
    std::printf("%-10s %36s %36s\n", "view", "still: wall (build + render) cpu",
                "playing: wall (build + render) cpu");
    double worst = 0;
    double worst_build = 0;
    for (ViewId v :
         {ViewId::all, ViewId::diagram, ViewId::table, ViewId::timeline, ViewId::proactor,
          ViewId::log, ViewId::stalls, ViewId::waitgraph, ViewId::wake}) {
        if (!only.empty() && view_name(v) != only) continue;
        const FrameTimes still = frame_ms(*window, session, v, false, frames);
        const FrameTimes playing = frame_ms(*window, session, v, true, frames);
        worst = std::max({worst, still.total(), playing.total()});
        worst_build = std::max({worst_build, still.build_ms, playing.build_ms});
        std::printf("%-10s %10.2f (%6.2f + %6.2f) %6.2f %10.2f (%6.2f + %6.2f) %6.2f\n",
                    std::string(view_name(v)).c_str(), still.total(), still.build_ms,
                    still.render_ms, still.cpu_ms, playing.total(), playing.build_ms,
                    playing.render_ms, playing.cpu_ms);
    }
    std::printf("budget 16 ms per frame: %s (worst median %.2f ms; worst build %.2f ms)\n",
                worst <= 16 ? "met" : "MISSED", worst, worst_build);
    return 0;
}
