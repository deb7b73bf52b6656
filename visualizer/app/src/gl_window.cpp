// GlWindow: GLFW window, ImGui backends, offscreen framebuffer and pixel read-back
// (gl_window.hpp). Facts: under Xvfb, Mesa's llvmpipe gives a GL 4.5 context; without any
// display glfwInit fails, which open() reports instead of crashing.
#include "gl_window.hpp"

#define GLFW_INCLUDE_NONE
#include <GL/gl.h>
#include <GL/glext.h>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <cstring>

#include "theme.hpp"

namespace cogen::viz {
namespace {

// Framebuffer objects are GL 3.0: load them through GLFW (no GL loader library here).
struct FboApi {
    PFNGLGENFRAMEBUFFERSPROC gen_framebuffers = nullptr;
    PFNGLBINDFRAMEBUFFERPROC bind_framebuffer = nullptr;
    PFNGLFRAMEBUFFERTEXTURE2DPROC framebuffer_texture_2d = nullptr;
    PFNGLCHECKFRAMEBUFFERSTATUSPROC check_framebuffer_status = nullptr;
    PFNGLDELETEFRAMEBUFFERSPROC delete_framebuffers = nullptr;

    bool load() {
        gen_framebuffers =
            reinterpret_cast<PFNGLGENFRAMEBUFFERSPROC>(glfwGetProcAddress("glGenFramebuffers"));
        bind_framebuffer =
            reinterpret_cast<PFNGLBINDFRAMEBUFFERPROC>(glfwGetProcAddress("glBindFramebuffer"));
        framebuffer_texture_2d = reinterpret_cast<PFNGLFRAMEBUFFERTEXTURE2DPROC>(
            glfwGetProcAddress("glFramebufferTexture2D"));
        check_framebuffer_status = reinterpret_cast<PFNGLCHECKFRAMEBUFFERSTATUSPROC>(
            glfwGetProcAddress("glCheckFramebufferStatus"));
        delete_framebuffers = reinterpret_cast<PFNGLDELETEFRAMEBUFFERSPROC>(
            glfwGetProcAddress("glDeleteFramebuffers"));
        return gen_framebuffers && bind_framebuffer && framebuffer_texture_2d &&
               check_framebuffer_status && delete_framebuffers;
    }
};

std::string glfw_error(const char* what) {
    const char* description = nullptr;
    glfwGetError(&description);
    return std::string(what) + (description ? std::string(": ") + description : std::string());
}

}  // namespace

std::unique_ptr<GlWindow> GlWindow::open(const WindowOptions& options, std::string& error) {
    if (!glfwInit()) {
        error = glfw_error("cannot open a display (glfwInit failed)");
        return nullptr;
    }
    std::unique_ptr<GlWindow> w{new GlWindow};
    w->m_offscreen = options.offscreen;
    w->m_width = std::max(options.width, 64);
    w->m_height = std::max(options.height, 64);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    glfwWindowHint(GLFW_VISIBLE, options.offscreen ? GLFW_FALSE : GLFW_TRUE);
    w->m_window =
        glfwCreateWindow(w->m_width, w->m_height, options.title.c_str(), nullptr, nullptr);
    if (!w->m_window) {
        error = glfw_error("cannot create an OpenGL 3 window");
        glfwTerminate();
        return nullptr;
    }
    glfwMakeContextCurrent(w->m_window);
    glfwSwapInterval(options.offscreen ? 0 : 1);

    if (options.offscreen) {
        FboApi fbo;
        if (!fbo.load()) {
            error = "OpenGL framebuffer objects are unavailable";
            glfwDestroyWindow(w->m_window);
            glfwTerminate();
            w->m_window = nullptr;
            return nullptr;
        }
        glGenTextures(1, &w->m_color);
        glBindTexture(GL_TEXTURE_2D, w->m_color);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w->m_width, w->m_height, 0, GL_RGBA,
                     GL_UNSIGNED_BYTE, nullptr);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        fbo.gen_framebuffers(1, &w->m_fbo);
        fbo.bind_framebuffer(GL_FRAMEBUFFER, w->m_fbo);
        fbo.framebuffer_texture_2d(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, w->m_color,
                                   0);
        if (fbo.check_framebuffer_status(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
            error = "the offscreen framebuffer is incomplete";
            glfwDestroyWindow(w->m_window);
            glfwTerminate();
            w->m_window = nullptr;
            return nullptr;
        }
    }

    IMGUI_CHECKVERSION();
    w->m_imgui = ImGui::CreateContext();
    ImGui::SetCurrentContext(w->m_imgui);
    ImGui::GetIO().IniFilename = nullptr;
    apply_theme();
    ImGui_ImplGlfw_InitForOpenGL(w->m_window, !options.offscreen);
    ImGui_ImplOpenGL3_Init("#version 130");
    return w;
}

GlWindow::~GlWindow() {
    if (!m_window) return;
    ImGui::SetCurrentContext(m_imgui);
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext(m_imgui);
    if (m_fbo) {
        FboApi fbo;
        if (fbo.load()) fbo.delete_framebuffers(1, &m_fbo);
        glDeleteTextures(1, &m_color);
    }
    glfwDestroyWindow(m_window);
    glfwTerminate();
}

bool GlWindow::should_close() const {
    return glfwWindowShouldClose(m_window) != 0;
}

void GlWindow::set_should_close(bool close) {
    glfwSetWindowShouldClose(m_window, close ? GLFW_TRUE : GLFW_FALSE);
}

double GlWindow::clock() const {
    return glfwGetTime();
}

void GlWindow::new_frame(double timeout_s) {
    if (timeout_s > 0) {
        glfwWaitEventsTimeout(timeout_s);
    } else {
        glfwPollEvents();
    }
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
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
