// The progress bar of a file being indexed, drawn in an offscreen window: its fill covers the
// share of the file indexed, left to right. Runs with no display (offscreen EGL).
#include "load_progress_bar.hpp"

#include <catch2/catch.hpp>

#include "app_layout.hpp"
#include "gl_window.hpp"
#include "gui_test_support.hpp"

using namespace cogen::viz;
using namespace cogen::viz::test;

namespace {

// The share of the window's columns with a pixel of the bar's fill colour, and whether those
// columns are one run from the left.
struct Fill {
    double share = 0;
    bool from_left = true;
};

Fill measure_fill(const LoadProgress& p) {
    std::string why;
    static std::unique_ptr<GlWindow> window = GlWindow::open({800, 120, "test", true}, why);
    REQUIRE(window);
    Session session;
    std::vector<std::uint8_t> rgba;
    for (int i = 0; i < 3; ++i) {  // let ImGui settle its layout
        window->new_frame(0);
        begin_top_bar(top_bar_height(1, session));
        draw_load_progress(p);
        end_top_bar();
        rgba = window->capture();
    }
    Image img{window->width(), window->height(), rgba};
    std::vector<bool> filled(static_cast<std::size_t>(img.width));
    for (int x = 0; x < img.width; ++x) {
        for (int y = 0; y < img.height; ++y) {
            if (close_to(img.at(x, y), load_progress_rgb(), 4)) {
                filled[static_cast<std::size_t>(x)] = true;
                break;
            }
        }
    }
    Fill f;
    int n = 0;
    int last = -1;
    for (int x = 0; x < img.width; ++x) {
        if (!filled[static_cast<std::size_t>(x)]) continue;
        ++n;
        if (last >= 0 && x - last > 12) f.from_left = false;  // a gap wider than a glyph
        last = x;
    }
    f.share = static_cast<double>(n) / img.width;
    return f;
}

}  // namespace

TEST_CASE("the progress bar fills the share of the file indexed", "[progress][display]") {
    LoadProgress p;
    p.events = 2'500'000;
    p.total_bytes = 800'000'000;
    p.seconds = 1.5;
    p.bytes_read = 200'000'000;  // a quarter
    const Fill quarter = measure_fill(p);
    CHECK(quarter.share == Approx(0.25).margin(0.04));
    CHECK(quarter.from_left);
    p.bytes_read = 600'000'000;  // three quarters
    const Fill most = measure_fill(p);
    CHECK(most.share == Approx(0.75).margin(0.04));
    CHECK(most.from_left);
    p.bytes_read = 0;
    CHECK(measure_fill(p).share < 0.01);
}
