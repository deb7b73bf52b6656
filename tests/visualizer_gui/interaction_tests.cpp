// Scripted pointer on an offscreen window: a click on a token selects its coroutine and its
// box, a click inside a box lists that box, and hovering and clicking all over every view
// (tooltips, flow arrows, seeks) keeps the GUI consistent. Runs with no display (offscreen EGL).
#include <catch2/catch.hpp>

#include "app_layout.hpp"
#include "gl_window.hpp"
#include "gui_test_support.hpp"
#include "session.hpp"

using namespace cogen::viz;
using namespace cogen::viz::test;

namespace {

struct Gui {
    std::unique_ptr<GlWindow> window;
    Session session;
    DiagramLayout layout;
    ViewState view;

    explicit Gui(int w, int h) {
        std::string why;
        window = GlWindow::open({w, h, "test", true}, why);
        session.ingest(stations_trace());
        session.seek(session.model().last_seq());
    }
    void frame(ViewId which) {
        window->new_frame(0);
        if (view.seek_request != 0) {
            session.seek(view.seek_request);
            view.seek_request = 0;
        }
        refresh_for_views(session, view, 0);
        draw_views(session.frame(layout, 0, 0), view, which, 0);
        window->present();
    }
    void click(float x, float y, ViewId which) {
        window->set_pointer(x, y, false);
        frame(which);
        window->set_pointer(x, y, true);
        frame(which);
        window->set_pointer(x, y, false);
        frame(which);
    }
};

}  // namespace

TEST_CASE("clicking a token selects its coroutine, clicking a box lists it",
          "[interaction][display]") {
    Gui gui{1280, 800};
    REQUIRE(gui.window);
    gui.frame(ViewId::diagram);
    const auto tf = DiagramTransform::fit({0, 0, 1280, 800});
    const TokenSpot* waiter = gui.view.diagram.rest.find(3);
    REQUIRE(waiter);
    const ScreenPoint at = tf.to_screen(waiter->at);
    gui.click(at.x, at.y, ViewId::diagram);
    CHECK(gui.view.selected_coro == 3);
    CHECK(gui.view.diagram.selected_box == static_cast<int>(Box::signals));

    const ScreenRect finished = tf.to_screen(gui.layout.box(Box::finished));
    gui.click(finished.x + finished.w - 6, finished.y + finished.h - 6, ViewId::diagram);
    CHECK(gui.view.diagram.selected_box == static_cast<int>(Box::finished));
    CHECK(gui.view.selected_coro == 3);

    gui.click(640, 790, ViewId::diagram);  // nowhere: the box selection goes
    CHECK(gui.view.diagram.selected_box == -1);
}

TEST_CASE("pointing and clicking all over every view keeps the GUI consistent",
          "[interaction][display]") {
    Gui gui{800, 500};
    REQUIRE(gui.window);
    const auto& model = gui.session.model();
    for (ViewId which :
         {ViewId::all, ViewId::diagram, ViewId::table, ViewId::timeline, ViewId::proactor,
          ViewId::log, ViewId::stalls, ViewId::waitgraph, ViewId::wake}) {
        INFO("view " << view_name(which));
        gui.view.select(3);
        gui.frame(which);
        for (float y = 30; y < 500; y += 95) {
            for (float x = 40; x < 800; x += 150) gui.click(x, y, which);
        }
        CHECK(gui.session.cursor() >= model.first_seq());
        CHECK(gui.session.cursor() <= model.last_seq());
        CHECK(gui.view.selected_coro <= 10);
    }
}
