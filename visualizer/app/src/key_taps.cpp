// KeyTaps: key_taps.hpp.
#include "key_taps.hpp"

#include <algorithm>
#include <cstddef>

namespace cogen::viz {

void KeyTaps::note_press(int key) {
    if (key >= 0 && std::find(m_pressed.begin(), m_pressed.end(), key) == m_pressed.end())
        m_pressed.push_back(key);
}

void KeyTaps::before_events(std::span<bool> down, const std::function<bool(int)>& is_down) {
    for (const int key : m_held)
        if (static_cast<std::size_t>(key) < down.size()) down[key] = is_down(key);
    m_held.clear();
    m_pressed.clear();
}

int KeyTaps::after_events(std::span<bool> down) {
    int held = 0;
    for (const int key : m_pressed) {
        if (static_cast<std::size_t>(key) >= down.size() || down[key]) continue;
        down[key] = true;
        m_held.push_back(key);
        ++held;
    }
    m_pressed.clear();
    return held;
}

}  // namespace cogen::viz
