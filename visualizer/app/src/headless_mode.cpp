// Headless mode: renders one moment of a trace (or of a live feed after a while) into a PNG
// through an offscreen framebuffer of a surfaceless EGL context: no X server is needed.
// Tests run it with DISPLAY unset; docs/images come from it.
#include <imgui.h>

#include <cstdio>

#include "app_layout.hpp"
#include "cogen/viz/diagram_layout.hpp"
#include "gl_window.hpp"
#include "modes.hpp"
#include "moment.hpp"
#include "playback.hpp"
#include "png_file.hpp"
#include "trace_loader.hpp"
#include "transport_controls.hpp"

namespace cogen::viz {

int run_headless(const CommandLine& cl) {
    Session session{cl.mode == CommandLine::Mode::attach
                        ? ModelOptions{.keep_events = cl.keep_events, .keep_bytes = cl.keep_bytes}
                        : ModelOptions{}};
    bool readable = true;
    if (cl.mode == CommandLine::Mode::attach) {
        readable = collect_live(session, cl.address, cl.attach_seconds);
    } else {
        readable = load_trace_file(session, cl.file).readable;
    }
    std::string why;
    auto window = GlWindow::open({cl.width, cl.height, "cogen-viz", true}, why);
    if (!window) {
        // Mesa's EGL renders with no display; without it the hidden GLFW window needs one.
        std::fprintf(stderr,
                     "cogen-viz: --headless cannot render with OpenGL: %s\n"
                     "cogen-viz: install Mesa's EGL (libegl1 libegl-mesa0 libgl1-mesa-dri), or "
                     "run it under Xvfb: xvfb-run -a cogen-viz --headless ...\n",
                     why.c_str());
        return 2;
    }
    const TraceModel& model = session.model();
    const std::optional<std::uint64_t> at = cl.at ? resolve_moment(model, *cl.at) : std::nullopt;
    if (at && !model.empty() && (*at < model.first_seq() || *at > model.last_seq())) {
        const std::string text = "--at " + std::to_string(*at) + " is outside the trace (seq " +
                                 std::to_string(model.first_seq()) + ".." +
                                 std::to_string(model.last_seq()) + "); showing the nearest event";
        std::fprintf(stderr, "cogen-viz: %s\n", text.c_str());
        session.notify(Notice::Level::warning, text);
    }
    if (cl.mode == CommandLine::Mode::attach) {
        session.follow(true);
    } else {
        session.seek(at ? *at : model.last_seq());
    }
    const DiagramLayout layout;
    ViewState view;
    view.select(cl.select);
    Playback playback;
    const bool live = cl.mode == CommandLine::Mode::attach;
    const TransportOptions transport{live ? nullptr : &playback, live};
    // With --motion, the first frames show the state at --from; the cursor then moves to --at
    // and the last frame catches the tokens that fraction of the way along their edges.
    std::uint64_t motion_from = 0;
    if (cl.motion && !model.empty()) {
        const std::uint64_t at = session.cursor();
        const std::size_t index = model.count_upto(at);
        motion_from = cl.from ? *cl.from : (index >= 2 ? model.events()[index - 2].seq : at);
        session.seek(motion_from);
    }
    std::vector<std::uint8_t> pixels;
    // ImGui sizes tables and tab bars from the previous frame: let the layout settle first.
    constexpr int frames = 4;
    for (int i = 0; i < frames; ++i) {
        if (motion_from != 0 && i == frames - 2) session.seek(at ? *at : model.last_seq());
        const double clock = motion_from != 0 && i == frames - 1 ? *cl.motion : 0.0;
        window->new_frame(0);
        refresh_for_views(session, view,
                          cl.mode == CommandLine::Mode::attach ? session.live_now() : 0);
        const int lines = cl.view == ViewId::all ? 1 : 0;
        float bar = 0;
        if (lines > 0 || !session.notices().empty()) {
            bar = top_bar_height(lines, session);
            begin_top_bar(bar);
            if (lines > 0) draw_transport(session, view, transport);
            draw_notices(session);
            end_top_bar();
        }
        draw_views(session.frame(layout, clock, motion_from != 0 ? 1.0 : 0.0), view, cl.view, bar);
        if (i + 1 < frames) {
            window->present();
        } else {
            pixels = window->capture();
        }
    }
    std::string error;
    if (!write_png(cl.png, window->width(), window->height(), pixels, error)) {
        std::fprintf(stderr, "cogen-viz: %s\n", error.c_str());
        return 2;
    }
    std::printf("cogen-viz: wrote %s (%dx%d, view %s, seq %llu)\n", cl.png.c_str(), window->width(),
                window->height(), std::string(view_name(cl.view)).c_str(),
                static_cast<unsigned long long>(session.cursor()));
    return readable ? 0 : 2;
}

}  // namespace cogen::viz
