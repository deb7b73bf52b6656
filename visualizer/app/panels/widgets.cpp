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

namespace {
// `text` in a tooltip wrapped at `width_em` font sizes, while the last item is hovered.
void tooltip_on_hover(std::string_view text, float width_em) {
    if (!ImGui::IsItemHovered()) return;
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * width_em);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}
}  // namespace

void text_fitted(std::string_view text, bool disabled, bool tip) {
    const float avail = ImGui::GetContentRegionAvail().x;
    const char* begin = text.data();
    const char* end = begin + text.size();
    std::string cut;
    if (ImGui::CalcTextSize(begin, end).x > avail) {
        // The longest prefix that fits beside "...": binary search over byte lengths, then
        // back off to a UTF-8 character boundary.
        const float dots = ImGui::CalcTextSize("...").x;
        std::size_t lo = 0, hi = text.size();
        while (lo < hi) {
            const std::size_t mid = (lo + hi + 1) / 2;
            if (ImGui::CalcTextSize(begin, begin + mid).x + dots <= avail) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        while (lo > 0 && (static_cast<unsigned char>(text[lo]) & 0xC0) == 0x80) --lo;
        cut.assign(begin, lo);
        cut += "...";
        begin = cut.data();
        end = begin + cut.size();
    }
    if (disabled)
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextUnformatted(begin, end);
    if (disabled) ImGui::PopStyleColor();
    if (tip && !cut.empty()) tooltip_on_hover(text, 36.0f);
}

void text_with_tip(std::string_view text, std::string_view tip) {
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    if (!tip.empty()) tooltip_on_hover(tip, 30.0f);
}

}  // namespace cogen::viz
