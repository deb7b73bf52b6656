// GlWindow: the only code that knows GLFW, EGL and OpenGL. It opens a window (or, for headless
// rendering, a surfaceless EGL context drawing into an offscreen framebuffer: no display
// needed), runs the Dear ImGui OpenGL3 backend (and the GLFW one for windows), and reads a
// rendered frame back as RGBA pixels.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "key_taps.hpp"

struct GLFWwindow;
struct ImGuiContext;

namespace cogen::viz {

struct WindowOptions {
    int width = 1440;
    int height = 900;
    std::string title = "cogen-viz";
    /// No window: frames rendered into a framebuffer object of a surfaceless EGL context
    /// (Mesa; no X server), or of a hidden GLFW window where EGL is unavailable.
    bool offscreen = false;
};

/// The size a window asking for want_w x want_h opens at on a screen whose work area (the
/// desktop minus its panels) is area_w x area_h: no larger than the area less a margin for
/// the window's frame (16 x 48 px), but not shrunk below 320 x 240; unchanged when the area
/// is unknown (0). `auto [w, h] = fit_window_size(1440, 900, 1024, 700);  // 1008 x 652`
std::pair<int, int> fit_window_size(int want_w, int want_h, int area_w, int area_h) noexcept;

/// A GLFW window with an ImGui context.
///
///     std::string why;
///     auto w = GlWindow::open({.offscreen = true}, why);
///     if (!w) fail(why);                       // no GL at all (or no display for a window)
///     w->new_frame(0); draw(); auto rgba = w->capture();
class GlWindow {
  public:
    /// nullptr, with `error` set, when no window can be opened (no display, no GL).
    /// Offscreen windows need no display where Mesa's EGL is installed.
    static std::unique_ptr<GlWindow> open(const WindowOptions& options, std::string& error);
    ~GlWindow();
    GlWindow(const GlWindow&) = delete;
    GlWindow& operator=(const GlWindow&) = delete;

    bool should_close() const;
    void set_should_close(bool close);

    /// Waits for input at most `timeout_s` (0: only polls), then starts an ImGui frame.
    void new_frame(double timeout_s);
    /// Renders the frame and shows it (offscreen: waits until it is drawn).
    void present();
    /// Renders the frame offscreen and returns its pixels: RGBA, top row first.
    std::vector<std::uint8_t> capture();

    /// Offscreen only: where the pointer is in the next frames and whether its left button
    /// is down (scripted input for tests; interactive windows take the real mouse).
    void set_pointer(float x, float y, bool pressed) noexcept;

    int width() const noexcept { return m_width; }
    int height() const noexcept { return m_height; }
    /// Seconds since the window opened (GLFW: since GLFW started).
    double clock() const;

  private:
    GlWindow() = default;
    void render_draw_data();
    bool open_surfaceless(std::string& error);
    bool open_glfw(const WindowOptions& options, std::string& error);
    void release_surfaceless();
    bool make_framebuffer(void (*(*proc)(const char*))(), std::string& error);
    // Chained after ImGui's key callback: hands presses to m_taps (key_taps.hpp).
    static void on_key(GLFWwindow* window, int key, int scancode, int action, int mods);

    GLFWwindow* m_window = nullptr;  // nullptr for a surfaceless EGL context
    void* m_egl_display = nullptr;   // EGLDisplay, EGLContext (EGL's headers stay in the .cpp)
    void* m_egl_context = nullptr;
    double m_clock_origin = 0;  // surfaceless: steady-clock seconds at open, and at last frame
    double m_last_frame = 0;
    bool m_should_close = false;
    ImGuiContext* m_imgui = nullptr;
    bool m_offscreen = false;
    int m_width = 0;
    int m_height = 0;
    unsigned m_fbo = 0;
    unsigned m_color = 0;
    float m_pointer_x = -1e30f;  // offscreen: scripted pointer, off the window by default
    float m_pointer_y = -1e30f;
    bool m_pointer_down = false;
    using KeyCallback = void (*)(GLFWwindow*, int, int, int, int);
    KeyCallback m_imgui_key = nullptr;  // ImGui's GLFW key callback, called first
    KeyTaps m_taps;                     // quick taps reach the frame as presses
};

}  // namespace cogen::viz
