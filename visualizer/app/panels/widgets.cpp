// Widgets shared by the panels (see widgets.hpp).
#include "widgets.hpp"

#include <imgui.h>

#include "cogen/viz/event_text.hpp"

namespace cogen::viz {

ImVec4 to_vec4(Rgb c, float alpha) {
    return {c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, alpha};
}

void place_chip(PlaceKind kind) {
    const float h = ImGui::GetTextLineHeight();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(
        {p.x, p.y + h * 0.2f}, {p.x + h * 0.6f, p.y + h * 0.8f}, packed(place_rgb(kind)), 2.0f);
    ImGui::Dummy({h * 0.6f, h});
    ImGui::SameLine(0, h * 0.3f);
    const std::string_view name = to_string(kind);
    ImGui::TextUnformatted(name.data(), name.data() + name.size());
}

bool coro_link(const TraceModel& model, std::uint64_t coro, ViewState& view) {
    if (coro == 0) {
        ImGui::TextDisabled("-");
        return false;
    }
    const std::string label = model.coro_name(coro) + " (" + std::to_string(coro) + ")";
    ImGui::PushID(static_cast<int>(coro));
    const ImVec2 size = ImGui::CalcTextSize(label.c_str());
    const bool clicked =
        ImGui::Selectable(label.c_str(), view.selected_coro == coro, 0, {size.x, 0});
    ImGui::PopID();
    if (clicked) view.select(coro);
    return clicked;
}

void text_with_tip(std::string_view text, std::string_view tip) {
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    if (!tip.empty() && ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
        ImGui::TextUnformatted(tip.data(), tip.data() + tip.size());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

}  // namespace cogen::viz
