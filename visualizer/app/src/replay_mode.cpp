// Replay mode: a recorded trace in the window, with the transport to scrub and play it.
// Tutorial 10 (reading a trace).
#include <imgui.h>

#include <charconv>
#include <cstdio>
#include <optional>
#include <string_view>

#include "app_layout.hpp"
#include "cogen/viz/diagram_layout.hpp"
#include "gl_window.hpp"
#include "load_progress_bar.hpp"
#include "modes.hpp"
#include "moment.hpp"
#include "playback.hpp"
#include "trace_loader.hpp"
#include "transport_controls.hpp"

namespace cogen::viz {
namespace {

// --at as a plain seq number, else nullopt (a named moment).
std::optional<std::uint64_t> seq_number(std::string_view text) {
    std::uint64_t v = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || p != text.data() + text.size() || text.empty()) return std::nullopt;
    return v;
}

}  // namespace

int run_replay(const CommandLine& cl) {
    Session session;
    // Reads and indexes the file on its own thread from now on; the session is shared with
    // it under loader.lock() (docs/visualizer-model.md, "Opening a big file").
    TraceLoader loader{session, cl.file};
    std::string why;
    auto window = GlWindow::open({cl.width, cl.height, "cogen-viz - " + cl.file, false}, why);
    if (!window) {
        std::fprintf(stderr, "cogen-viz: %s\n", why.c_str());
        std::fprintf(stderr,
                     "cogen-viz: no display; use --headless --png OUT.png (no display needed), or "
                     "cogen-trace\n");
        return 2;
    }
    const DiagramLayout layout;
    ViewState view;
    view.select(cl.select);
    Playback playback;
    playback.playing = cl.play;
    // --at is applied once the trace holds the moment (a named one: once it is all indexed),
    // unless the user moved the cursor meanwhile.
    std::optional<std::string> pending_at = cl.at;
    bool announced = false;
    const TransportOptions transport{&playback, false};
    double last = window->clock();
    while (!window->should_close()) {
        const bool animating = playback.playing || !view.diagram.motions.empty();
        const bool indexing = !loader.done();
        window->new_frame(animating ? 0 : indexing ? 0.1 : 0.25);
        const double now = window->clock();
        const double dt = now - last;
        last = now;
        {  // The session is the GUI's until the frame is drawn (not while it is shown).
            const auto lock = loader.lock();
            const TraceModel& model = session.model();
            if (!announced && loader.done()) {
                announced = true;
                if (loader.result().readable) {
                    char took[32];
                    std::snprintf(took, sizeof took, "%.1f s", loader.result().seconds);
                    session.notify(Notice::Level::info,
                                   cl.file + ": " + group_digits(model.size()) + " events, " +
                                       group_digits(model.coroutine_ids().size()) +
                                       " coroutines, indexed in " + took);
                }
            }
            if (pending_at && !model.empty()) {
                const std::optional<std::uint64_t> seq = seq_number(*pending_at);
                if (loader.done() || (seq && *seq <= model.last_seq())) {
                    if (const auto at = resolve_moment(model, *pending_at)) session.seek(*at);
                    pending_at.reset();
                }
            }
            // The first frames may come before the first event: start on it once there is one.
            if (session.cursor() == 0 && !model.empty()) session.seek(model.first_seq());
            if (playback.playing) {
                const std::uint64_t before = session.cursor();
                const std::uint64_t next = playback.advance(model, before, dt);
                if (next != before) session.seek(next);
                // At the end of what is indexed so far: wait there for more.
                if (!playback.playing && session.growing()) playback.playing = true;
            }
            const std::uint64_t cursor_before = session.cursor();
            handle_transport_keys(session, view, transport);
            if (view.seek_request != 0) {
                session.seek(view.seek_request);
                view.seek_request = 0;
            }
            refresh_for_views(session, view, 0);
            const int rows = indexing ? 2 : 1;
            const float bar = top_bar_height(rows, session);
            begin_top_bar(bar);
            draw_transport(session, view, transport);
            if (indexing) draw_load_progress(loader.progress());
            draw_notices(session);
            end_top_bar();
            draw_views(session.frame(layout, now, playback.motion_seconds()), view, cl.view, bar);
            if (session.cursor() != cursor_before) pending_at.reset();
        }
        window->present();
    }
    return 0;
}

}  // namespace cogen::viz
