// Replay mode: a recorded trace in the window, with the transport to scrub and play it.
// Tutorial 10 (reading a trace).
#include <imgui.h>

#include <cstdio>

#include "app_layout.hpp"
#include "cogen/viz/diagram_layout.hpp"
#include "gl_window.hpp"
#include "modes.hpp"
#include "moment.hpp"
#include "playback.hpp"
#include "trace_loader.hpp"
#include "transport_controls.hpp"

namespace cogen::viz {

int run_replay(const CommandLine& cl) {
    Session session;
    const LoadResult loaded = load_trace_file(session, cl.file);
    std::string why;
    auto window = GlWindow::open({cl.width, cl.height, "cogen-viz - " + cl.file, false}, why);
    if (!window) {
        std::fprintf(stderr, "cogen-viz: %s\n", why.c_str());
        std::fprintf(stderr,
                     "cogen-viz: no display; use --headless --png OUT.png (no display needed), or "
                     "cogen-trace\n");
        return 2;
    }
    if (loaded.readable) {
        session.notify(Notice::Level::info,
                       cl.file + ": " + std::to_string(session.model().size()) + " events, " +
                           std::to_string(session.model().coroutine_ids().size()) + " coroutines");
    }
    const DiagramLayout layout;
    ViewState view;
    view.select(cl.select);
    Playback playback;
    if (const auto at = cl.at ? resolve_moment(session.model(), *cl.at) : std::nullopt) {
        session.seek(*at);
    } else {
        session.seek(session.model().first_seq());
    }
    playback.playing = cl.play;
    const TransportOptions transport{&playback, false};
    double last = window->clock();
    while (!window->should_close()) {
        const bool animating = playback.playing || !view.diagram.motions.empty();
        window->new_frame(animating ? 0 : 0.25);
        const double now = window->clock();
        const double dt = now - last;
        last = now;
        if (playback.playing) {
            const std::uint64_t before = session.cursor();
            const std::uint64_t next = playback.advance(session.model(), before, dt);
            if (next != before) session.seek(next);
        }
        handle_transport_keys(session, view, transport);
        if (view.seek_request != 0) {
            session.seek(view.seek_request);
            view.seek_request = 0;
        }
        refresh_for_views(session, view, 0);
        const float bar = top_bar_height(1, session);
        begin_top_bar(bar);
        draw_transport(session, view, transport);
        draw_notices(session);
        end_top_bar();
        draw_views(session.frame(layout, now, playback.motion_seconds()), view, cl.view, bar);
        window->present();
    }
    return 0;
}

}  // namespace cogen::viz
