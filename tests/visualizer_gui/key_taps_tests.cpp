// KeyTaps: a key pressed and released between two frames (ImGui 1.86 keeps only the state)
// still reaches the frame as pressed, once; a key held down is left alone.
#include "key_taps.hpp"

#include <array>
#include <catch2/catch.hpp>

using cogen::viz::KeyTaps;

namespace {
constexpr int end_key = 269;  // GLFW_KEY_END
// What ImGui's GLFW callback does with io.KeysDown, and what glfwGetKey answers.
struct Keyboard {
    std::array<bool, 512> down{};
    std::array<bool, 512> real{};
    void press(KeyTaps& taps, int key) {
        down[key] = real[key] = true;
        taps.note_press(key);
    }
    void release(int key) { down[key] = real[key] = false; }
    std::function<bool(int)> is_down() const {
        return [this](int key) { return real[key]; };
    }
};
}  // namespace

TEST_CASE("a tap within one frame's events is held down for that frame only", "[key_taps]") {
    KeyTaps taps;
    Keyboard kb;
    taps.before_events(kb.down, kb.is_down());
    kb.press(taps, end_key);
    kb.release(end_key);  // both during one frame's events: ImGui would see it up
    CHECK(taps.after_events(kb.down) == 1);
    CHECK(kb.down[end_key]);  // the frame sees it down: IsKeyPressed fires
    taps.before_events(kb.down, kb.is_down());
    CHECK_FALSE(kb.down[end_key]);  // up again before the next frame's events
    CHECK(taps.after_events(kb.down) == 0);
    CHECK_FALSE(kb.down[end_key]);
}

TEST_CASE("a key held across frames is not touched", "[key_taps]") {
    KeyTaps taps;
    Keyboard kb;
    taps.before_events(kb.down, kb.is_down());
    kb.press(taps, 'S');
    CHECK(taps.after_events(kb.down) == 0);  // down already: ImGui sees the press itself
    CHECK(kb.down['S']);
    taps.before_events(kb.down, kb.is_down());
    CHECK(taps.after_events(kb.down) == 0);
    CHECK(kb.down['S']);  // still held
    taps.before_events(kb.down, kb.is_down());
    kb.release('S');
    CHECK(taps.after_events(kb.down) == 0);
    CHECK_FALSE(kb.down['S']);
}

TEST_CASE("a tap that is pressed again while held counts once per frame", "[key_taps]") {
    KeyTaps taps;
    Keyboard kb;
    taps.before_events(kb.down, kb.is_down());
    kb.press(taps, end_key);
    kb.release(end_key);
    kb.press(taps, end_key);  // noted twice, held once
    kb.release(end_key);
    CHECK(taps.after_events(kb.down) == 1);
    taps.before_events(kb.down, kb.is_down());
    CHECK_FALSE(kb.down[end_key]);
}

TEST_CASE("keys outside the state array are ignored", "[key_taps]") {
    KeyTaps taps;
    std::array<bool, 8> down{};
    taps.before_events(down, [](int) { return false; });
    taps.note_press(-1);  // GLFW_KEY_UNKNOWN
    taps.note_press(100);
    CHECK(taps.after_events(down) == 0);
    taps.before_events(down, [](int) { return true; });
    for (const bool d : down) CHECK_FALSE(d);
}
