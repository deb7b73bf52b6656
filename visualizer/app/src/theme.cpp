// Theme: style colours from the palette and the UI font (see theme.hpp).
#include "theme.hpp"

#include <imgui.h>

#include <filesystem>

#include "palette.hpp"
#include "widgets.hpp"

namespace cogen::viz {

void apply_theme() {
    ImGui::StyleColorsDark();
    ImGuiStyle& style = ImGui::GetStyle();
    style.WindowRounding = 3;
    style.FrameRounding = 3;
    style.TabRounding = 3;
    style.WindowPadding = {8, 6};
    style.ItemSpacing = {8, 4};
    style.CellPadding = {4, 1};
    style.WindowBorderSize = 0;
    style.Colors[ImGuiCol_WindowBg] = to_vec4(background_rgb);
    // The frame is cleared to the background colour: full-window layers drawn over it again
    // would only cost fill rate (software GL under Xvfb pays per pixel).
    style.Colors[ImGuiCol_ChildBg] = to_vec4(background_rgb, 0.0f);
    style.Colors[ImGuiCol_PopupBg] = to_vec4(shade(box_fill_rgb, 0.9), 0.97f);
    style.Colors[ImGuiCol_Text] = to_vec4(text_rgb);
    style.Colors[ImGuiCol_TextDisabled] = to_vec4(dim_text_rgb);
    style.Colors[ImGuiCol_TableRowBgAlt] = to_vec4(box_fill_rgb, 0.45f);

    ImGuiIO& io = ImGui::GetIO();
    constexpr const char* fonts[] = {
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
    };
    std::error_code ec;
    for (const char* path : fonts) {
        if (std::filesystem::exists(path, ec) && io.Fonts->AddFontFromFileTTF(path, 14.0f)) return;
    }
    io.Fonts->AddFontDefault();
}

}  // namespace cogen::viz
