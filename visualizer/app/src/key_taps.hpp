// KeyTaps: a key pressed and released between two frames still counts as pressed.
//
// ImGui 1.86 (Debian's) keeps only the keyboard's state, io.KeysDown[]: the GLFW backend sets
// a key down at its press and up at its release. When both arrive while one frame is drawn
// (a quick tap while a big trace is indexed or a frame is slow, and always with `xdotool
// key`), the next frame finds the key up again and IsKeyPressed() never fires: the tap is
// lost. GlWindow hands every press to note_press() and, around the events of each frame,
// calls before_events() and after_events(): a key tapped during the events is held down for
// that one frame and given back its real state before the next frame's events.
//
//     taps.before_events(down, real);  // glfwPollEvents() -> ImGui's callback, note_press()
//     taps.after_events(down);         // ImGui::NewFrame(): IsKeyPressed(key) is true
#pragma once
#include <functional>
#include <span>
#include <vector>

namespace cogen::viz {

class KeyTaps {
  public:
    /// A press of `key` (an index of io.KeysDown; others are ignored).
    void note_press(int key);
    /// Before the frame's events: the keys held for the last frame get their real state back
    /// (`is_down(key)`, e.g. glfwGetKey), so that a release is seen one frame late, not lost.
    void before_events(std::span<bool> down, const std::function<bool(int)>& is_down);
    /// After the frame's events: a key pressed during them but already up again is held down
    /// for this frame. Returns how many were.
    int after_events(std::span<bool> down);

  private:
    std::vector<int> m_pressed;  // pressed during this frame's events
    std::vector<int> m_held;     // held down for the frame being drawn
};

}  // namespace cogen::viz
