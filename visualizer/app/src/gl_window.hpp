// GlWindow: the only code that knows GLFW and OpenGL. It opens a window (or, for headless
// rendering, a hidden one drawing into an offscreen framebuffer), runs the Dear ImGui GLFW and
// OpenGL3 backends, and reads a rendered frame back as RGBA pixels.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct GLFWwindow;
struct ImGuiContext;

namespace cogen::viz {

struct WindowOptions {
    int width = 1440;
    int height = 900;
    std::string title = "cogen-viz";
    bool offscreen = false;  ///< hidden window, frames rendered into a framebuffer object
};

/// A GLFW window with an ImGui context.
///
///     std::string why;
///     auto w = GlWindow::open({.offscreen = true}, why);
///     if (!w) fail(why);                       // no display: glfwInit failed
///     w->new_frame(0); draw(); auto rgba = w->capture();
class GlWindow {
  public:
    /// nullptr, with `error` set, when no window can be opened (no display, no GL).
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
    /// Seconds since GLFW started.
    double clock() const;

  private:
    GlWindow() = default;
    void render_draw_data();

    GLFWwindow* m_window = nullptr;
    ImGuiContext* m_imgui = nullptr;
    bool m_offscreen = false;
    int m_width = 0;
    int m_height = 0;
    unsigned m_fbo = 0;
    unsigned m_color = 0;
    float m_pointer_x = -1e30f;  // offscreen: scripted pointer, off the window by default
    float m_pointer_y = -1e30f;
    bool m_pointer_down = false;
};

}  // namespace cogen::viz
