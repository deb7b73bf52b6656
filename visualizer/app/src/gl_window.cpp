// GlWindow: GLFW window, EGL offscreen context, ImGui backends, offscreen framebuffer and
// pixel read-back (gl_window.hpp). Facts: offscreen rendering asks Mesa's EGL for a
// surfaceless context (EGL_MESA_platform_surfaceless, llvmpipe, GL 4.5): no X server, no
// xvfb-run. Only where that fails does it fall back to a hidden GLFW window (which needs a
// display). Without any display glfwInit fails, which open() reports instead of crashing.
#include "gl_window.hpp"

#define GLFW_INCLUDE_NONE
#include <GL/gl.h>
#include <GL/glext.h>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#if COGEN_VIZ_HAS_EGL
#include <EGL/egl.h>
#include <EGL/eglext.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <span>
#include <tuple>

#include "theme.hpp"

namespace cogen::viz {
namespace {

using ProcLoader = void (*(*)(const char*))();

// Framebuffer objects are GL 3.0: load them through GLFW or EGL (no GL loader library here).
struct FboApi {
    PFNGLGENFRAMEBUFFERSPROC gen_framebuffers = nullptr;
    PFNGLBINDFRAMEBUFFERPROC bind_framebuffer = nullptr;
    PFNGLFRAMEBUFFERTEXTURE2DPROC framebuffer_texture_2d = nullptr;
    PFNGLCHECKFRAMEBUFFERSTATUSPROC check_framebuffer_status = nullptr;
    PFNGLDELETEFRAMEBUFFERSPROC delete_framebuffers = nullptr;

    bool load(ProcLoader proc) {
        gen_framebuffers = reinterpret_cast<PFNGLGENFRAMEBUFFERSPROC>(proc("glGenFramebuffers"));
        bind_framebuffer = reinterpret_cast<PFNGLBINDFRAMEBUFFERPROC>(proc("glBindFramebuffer"));
        framebuffer_texture_2d =
            reinterpret_cast<PFNGLFRAMEBUFFERTEXTURE2DPROC>(proc("glFramebufferTexture2D"));
        check_framebuffer_status =
            reinterpret_cast<PFNGLCHECKFRAMEBUFFERSTATUSPROC>(proc("glCheckFramebufferStatus"));
        delete_framebuffers =
            reinterpret_cast<PFNGLDELETEFRAMEBUFFERSPROC>(proc("glDeleteFramebuffers"));
        return gen_framebuffers && bind_framebuffer && framebuffer_texture_2d &&
               check_framebuffer_status && delete_framebuffers;
    }
};

double steady_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::string glfw_error(const char* what) {
    const char* description = nullptr;
    glfwGetError(&description);
    return std::string(what) + (description ? std::string(": ") + description : std::string());
}

// Where GL 3 entry points come from: the window's GLFW, or EGL for a surfaceless context.
ProcLoader loader_for(bool glfw) {
#if COGEN_VIZ_HAS_EGL
    if (!glfw) return eglGetProcAddress;
#endif
    return glfw ? glfwGetProcAddress : nullptr;
}

#if COGEN_VIZ_HAS_EGL
std::string egl_error(const char* what) {
    char code[32];
    std::snprintf(code, sizeof code, " (EGL error 0x%04x)", static_cast<unsigned>(eglGetError()));
    return std::string(what) + code;
}
#endif

}  // namespace

bool GlWindow::make_framebuffer(void (*(*proc)(const char*))(), std::string& error) {
    FboApi fbo;
    if (!fbo.load(proc)) {
        error = "OpenGL framebuffer objects are unavailable";
        return false;
    }
    glGenTextures(1, &m_color);
    glBindTexture(GL_TEXTURE_2D, m_color);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, m_width, m_height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                 nullptr);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    fbo.gen_framebuffers(1, &m_fbo);
    fbo.bind_framebuffer(GL_FRAMEBUFFER, m_fbo);
    fbo.framebuffer_texture_2d(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, m_color, 0);
    if (fbo.check_framebuffer_status(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
        error = "the offscreen framebuffer is incomplete";
        return false;
    }
    return true;
}

bool GlWindow::open_surfaceless(std::string& error) {
#if COGEN_VIZ_HAS_EGL
    // EGL_MESA_platform_surfaceless: a GL context with no window system at all. Frames go
    // into the framebuffer object, so no EGL surface is needed either.
    const char* client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
    if (!client || !std::strstr(client, "EGL_MESA_platform_surfaceless")) {
        error = "EGL has no surfaceless platform (EGL_MESA_platform_surfaceless)";
        return false;
    }
    auto get_display = reinterpret_cast<PFNEGLGETPLATFORMDISPLAYEXTPROC>(
        eglGetProcAddress("eglGetPlatformDisplayEXT"));
    if (!get_display) {
        error = "EGL has no eglGetPlatformDisplayEXT";
        return false;
    }
    EGLDisplay display = get_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
    EGLint major = 0;
    EGLint minor = 0;
    if (display == EGL_NO_DISPLAY || !eglInitialize(display, &major, &minor)) {
        error = egl_error("cannot initialise EGL's surfaceless platform");
        return false;
    }
    const EGLint attributes[] = {EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 0,
                                 EGL_NONE};
    EGLContext context = EGL_NO_CONTEXT;
    if (eglBindAPI(EGL_OPENGL_API)) {
        context = eglCreateContext(display, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, attributes);
    }
    if (context == EGL_NO_CONTEXT) {
        error = egl_error("cannot create an offscreen OpenGL 3 context");
        return false;
    }
    if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context)) {
        error = egl_error("cannot make the offscreen OpenGL context current");
        eglDestroyContext(display, context);
        return false;
    }
    m_egl_display = display;
    m_egl_context = context;
    if (!make_framebuffer(eglGetProcAddress, error)) {
        release_surfaceless();
        return false;
    }
    m_clock_origin = steady_seconds();
    m_last_frame = m_clock_origin;
    return true;
#else
    error = "built without EGL (libegl-dev)";
    return false;
#endif
}

void GlWindow::release_surfaceless() {
#if COGEN_VIZ_HAS_EGL
    if (!m_egl_display) return;
    // The display stays initialised: there is one surfaceless display per process, and
    // eglTerminate would pull it from under another offscreen window still open.
    eglMakeCurrent(m_egl_display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    if (m_egl_context) eglDestroyContext(m_egl_display, m_egl_context);
    m_egl_display = nullptr;
    m_egl_context = nullptr;
#endif
}

std::pair<int, int> fit_window_size(int want_w, int want_h, int area_w, int area_h) noexcept {
    constexpr int frame_w = 16, frame_h = 48, min_w = 320, min_h = 240;
    if (area_w > 0) want_w = std::min(want_w, std::max(area_w - frame_w, min_w));
    if (area_h > 0) want_h = std::min(want_h, std::max(area_h - frame_h, min_h));
    return {want_w, want_h};
}

bool GlWindow::open_glfw(const WindowOptions& options, std::string& error) {
    if (!glfwInit()) {
        error = glfw_error("cannot open a display (glfwInit failed)");
        return false;
    }
    // A window larger than the screen would put its right-hand panels off it.
    if (GLFWmonitor* monitor = options.offscreen ? nullptr : glfwGetPrimaryMonitor()) {
        int x = 0, y = 0, w = 0, h = 0;
        glfwGetMonitorWorkarea(monitor, &x, &y, &w, &h);
        std::tie(m_width, m_height) = fit_window_size(m_width, m_height, w, h);
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    glfwWindowHint(GLFW_VISIBLE, options.offscreen ? GLFW_FALSE : GLFW_TRUE);
    m_window = glfwCreateWindow(m_width, m_height, options.title.c_str(), nullptr, nullptr);
    if (!m_window) {
        error = glfw_error("cannot create an OpenGL 3 window");
        glfwTerminate();
        return false;
    }
    glfwMakeContextCurrent(m_window);
    glfwSwapInterval(options.offscreen ? 0 : 1);
    if (options.offscreen && !make_framebuffer(glfwGetProcAddress, error)) {
        glfwDestroyWindow(m_window);
        glfwTerminate();
        m_window = nullptr;
        return false;
    }
    return true;
}

std::unique_ptr<GlWindow> GlWindow::open(const WindowOptions& options, std::string& error) {
    std::unique_ptr<GlWindow> w{new GlWindow};
    w->m_offscreen = options.offscreen;
    w->m_width = std::max(options.width, 64);
    w->m_height = std::max(options.height, 64);
    // Offscreen: EGL first (no display needed), a hidden GLFW window when EGL cannot.
    std::string egl_why;
    if (!options.offscreen || !w->open_surfaceless(egl_why)) {
        if (!w->open_glfw(options, error)) {
            if (!egl_why.empty()) error = egl_why + "; " + error;
            return nullptr;
        }
    }

    IMGUI_CHECKVERSION();
    w->m_imgui = ImGui::CreateContext();
    ImGui::SetCurrentContext(w->m_imgui);
    ImGui::GetIO().IniFilename = nullptr;
    apply_theme();
    if (w->m_window) ImGui_ImplGlfw_InitForOpenGL(w->m_window, !options.offscreen);
    if (w->m_window && !options.offscreen) {
        glfwSetWindowUserPointer(w->m_window, w.get());
        w->m_imgui_key = glfwSetKeyCallback(w->m_window, &GlWindow::on_key);
    }
    ImGui_ImplOpenGL3_Init("#version 130");
    return w;
}

void GlWindow::on_key(GLFWwindow* window, int key, int scancode, int action, int mods) {
    auto* self = static_cast<GlWindow*>(glfwGetWindowUserPointer(window));
    if (!self) return;
    if (self->m_imgui_key) self->m_imgui_key(window, key, scancode, action, mods);
    if (action == GLFW_PRESS) self->m_taps.note_press(key);
}

GlWindow::~GlWindow() {
    if (!m_imgui) {
        release_surfaceless();
        return;
    }
    ImGui::SetCurrentContext(m_imgui);
    ImGui_ImplOpenGL3_Shutdown();
    if (m_window) ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext(m_imgui);
    if (m_fbo) {
        FboApi fbo;
        if (fbo.load(loader_for(m_window != nullptr))) fbo.delete_framebuffers(1, &m_fbo);
        glDeleteTextures(1, &m_color);
    }
    if (m_window) {
        glfwDestroyWindow(m_window);
        glfwTerminate();
    }
    release_surfaceless();
}

bool GlWindow::should_close() const {
    return m_window ? glfwWindowShouldClose(m_window) != 0 : m_should_close;
}

void GlWindow::set_should_close(bool close) {
    if (m_window) {
        glfwSetWindowShouldClose(m_window, close ? GLFW_TRUE : GLFW_FALSE);
    } else {
        m_should_close = close;
    }
}

double GlWindow::clock() const {
    return m_window ? glfwGetTime() : steady_seconds() - m_clock_origin;
}

void GlWindow::new_frame(double timeout_s) {
    ImGui_ImplOpenGL3_NewFrame();
    if (m_window) {
        bool* keys = ImGui::GetIO().KeysDown;
        const std::span<bool> down{keys, std::size(ImGui::GetIO().KeysDown)};
        m_taps.before_events(down, [this](int key) {
            return key >= GLFW_KEY_SPACE && glfwGetKey(m_window, key) == GLFW_PRESS;
        });
        if (timeout_s > 0) {
            glfwWaitEventsTimeout(timeout_s);
        } else {
            glfwPollEvents();
        }
        m_taps.after_events(down);
        ImGui_ImplGlfw_NewFrame();
    } else {
        // No window system: nothing to wait for, and ImGui's clock is ours to advance.
        const double now = steady_seconds();
        ImGui::GetIO().DeltaTime = static_cast<float>(std::max(now - m_last_frame, 1e-4));
        m_last_frame = now;
    }
    ImGuiIO& io = ImGui::GetIO();
    if (m_offscreen) {
        // The hidden window may be larger than the screen: the framebuffer object sets the size.
        io.DisplaySize = {static_cast<float>(m_width), static_cast<float>(m_height)};
        io.DisplayFramebufferScale = {1, 1};
        io.MousePos = {m_pointer_x, m_pointer_y};
        io.MouseDown[0] = m_pointer_down;
    } else {
        glfwGetFramebufferSize(m_window, &m_width, &m_height);
    }
    ImGui::NewFrame();
}

void GlWindow::set_pointer(float x, float y, bool pressed) noexcept {
    m_pointer_x = x;
    m_pointer_y = y;
    m_pointer_down = pressed;
}

void GlWindow::render_draw_data() {
    ImGui::Render();
    glViewport(0, 0, m_width, m_height);
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void GlWindow::present() {
    render_draw_data();
    if (m_offscreen) {
        glFinish();
    } else {
        glfwSwapBuffers(m_window);
    }
}

std::vector<std::uint8_t> GlWindow::capture() {
    render_draw_data();
    glFinish();
    const auto row = static_cast<std::size_t>(m_width) * 4;
    std::vector<std::uint8_t> pixels(row * static_cast<std::size_t>(m_height));
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, m_width, m_height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    // OpenGL's first row is the bottom one.
    std::vector<std::uint8_t> line(row);
    for (int y = 0; y < m_height / 2; ++y) {
        std::uint8_t* a = pixels.data() + static_cast<std::size_t>(y) * row;
        std::uint8_t* b = pixels.data() + static_cast<std::size_t>(m_height - 1 - y) * row;
        std::memcpy(line.data(), a, row);
        std::memcpy(a, b, row);
        std::memcpy(b, line.data(), row);
    }
    for (std::size_t i = 3; i < pixels.size(); i += 4) pixels[i] = 255;
    if (!m_offscreen) glfwSwapBuffers(m_window);
    return pixels;
}

}  // namespace cogen::viz
