// Attach mode: a running program's live feed in the window. Events appear as they arrive; the
// cursor follows them unless the user scrubs back; when the program is not there (yet, or any
// more) the window says so and keeps retrying. Tutorial 11 (watching it live).
#include <imgui.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "app_layout.hpp"
#include "cogen/viz/diagram_layout.hpp"
#include "gl_window.hpp"
#include "live_source.hpp"
#include "modes.hpp"
#include "transport_controls.hpp"
#include "widgets.hpp"

namespace cogen::viz {
namespace {

void draw_status(const LiveSource& source) {
    const LiveSource::Status status = source.status();
    const Rgb col = status == LiveSource::Status::connected     ? place_rgb(PlaceKind::running)
                    : status == LiveSource::Status::bad_address ? place_rgb(PlaceKind::failed)
                                                                : place_rgb(PlaceKind::active);
    ImGui::TextColored(to_vec4(col), "%s", source.status_text().c_str());
}

}  // namespace

bool collect_live(Session& session, const std::string& address, double seconds) {
    LiveSource source(address);
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < end &&
           source.status() != LiveSource::Status::bad_address) {
        source.drain(session);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    source.drain(session, ~std::size_t{0});
    const std::string status = source.status_text();
    std::fprintf(stderr, "cogen-viz: %s\n", status.c_str());
    const bool usable = source.status() != LiveSource::Status::bad_address;
    session.notify(usable ? Notice::Level::info : Notice::Level::error, status);
    return usable;
}

int run_attach(const CommandLine& cl) {
    LiveSource source(cl.address);
    if (source.status() == LiveSource::Status::bad_address) {
        std::fprintf(stderr, "cogen-viz: %s\n", source.status_text().c_str());
        return 2;
    }
    std::string why;
    auto window =
        GlWindow::open({cl.width, cl.height, "cogen-viz - live " + cl.address, false}, why);
    if (!window) {
        std::fprintf(stderr, "cogen-viz: %s\n", why.c_str());
        return 2;
    }
    Session session{ModelOptions{.keep_events = cl.keep_events, .keep_bytes = cl.keep_bytes}};
    session.follow(true);
    const DiagramLayout layout;
    ViewState view;
    view.select(cl.select);
    const TransportOptions transport{nullptr, true};
    while (!window->should_close()) {
        const bool busy = !view.diagram.motions.empty();
        window->new_frame(busy ? 0 : 1.0 / 30);
        source.drain(session);
        handle_transport_keys(session, view, transport);
        if (view.seek_request != 0) {
            session.seek(view.seek_request);
            view.seek_request = 0;
        }
        refresh_for_views(session, view, session.live_now());
        const float bar = top_bar_height(2, session);
        begin_top_bar(bar);
        draw_status(source);
        draw_transport(session, view, transport);
        draw_notices(session);
        end_top_bar();
        draw_views(session.frame(layout, window->clock(), 0.3), view, cl.view, bar);
        window->present();
    }
    return 0;
}

}  // namespace cogen::viz
