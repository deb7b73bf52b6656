// A visible window opens no larger than the screen's work area (so that the right-hand
// panels of `cogen-viz` and `tutorial-NN --watch` stay on a small screen).
#include <catch2/catch.hpp>

#include "gl_window.hpp"

using cogen::viz::fit_window_size;

TEST_CASE("a window larger than the work area shrinks to it, less its frame", "[window]") {
    CHECK(fit_window_size(1440, 900, 1024, 700) == std::pair{1008, 652});
    CHECK(fit_window_size(1440, 900, 1920, 700) == std::pair{1440, 652});
    CHECK(fit_window_size(1440, 900, 1024, 1080) == std::pair{1008, 900});
}

TEST_CASE("a window that fits, or an unknown work area, keeps its size", "[window]") {
    CHECK(fit_window_size(1440, 900, 1920, 1080) == std::pair{1440, 900});
    CHECK(fit_window_size(1440, 900, 0, 0) == std::pair{1440, 900});
}

TEST_CASE("a tiny work area still gets a usable window", "[window]") {
    CHECK(fit_window_size(1440, 900, 200, 100) == std::pair{320, 240});
    CHECK(fit_window_size(300, 200, 1920, 1080) == std::pair{300, 200});
}
