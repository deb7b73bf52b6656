// The timer heap panel: every pending deadline at the cursor, earliest first (the top of the
// heap), with the op, its coroutine and how far away the deadline is. Tutorials 04 (sleep and
// the timer heap) and 08 (timeouts and cleanup).
#include <imgui.h>

#include <string>

#include "cogen/viz/event_text.hpp"
#include "help.hpp"
#include "panels.hpp"
#include "widgets.hpp"

namespace cogen::viz {

void draw_timer_heap_panel(const FrameData& f, ViewState& view) {
    panel_heading("Timer heap", HelpTopic::timer_heap);
    const auto timers = f.state.timers_by_deadline();
    ImGui::SameLine();
    ImGui::TextDisabled("%zu pending", timers.size());
    if (timers.empty()) {
        ImGui::TextDisabled("  no deadline pending at this point");
        return;
    }
    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                      ImGuiTableFlags_BordersV | ImGuiTableFlags_ScrollY |
                                      ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("timers", 5, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#", 0, 0.3f);
    ImGui::TableSetupColumn("deadline", 0, 0.8f);
    ImGui::TableSetupColumn("due in", 0, 0.8f);
    ImGui::TableSetupColumn("op", 0, 1.0f);
    ImGui::TableSetupColumn("coroutine", 0, 1.4f);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(timers.size()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const PendingTimer& t = timers[static_cast<std::size_t>(i)];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            if (i == 0) {
                ImGui::TextColored(to_vec4(place_rgb(PlaceKind::timer)), "top");
            } else {
                ImGui::Text("%d", i + 1);
            }
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_duration(t.deadline_ns).c_str());
            ImGui::TableNextColumn();
            if (t.deadline_ns >= f.now_ns) {
                ImGui::TextUnformatted(format_duration(t.deadline_ns - f.now_ns).c_str());
            } else {
                ImGui::TextColored(to_vec4(place_rgb(PlaceKind::failed)), "late %s",
                                   format_duration(f.now_ns - t.deadline_ns).c_str());
            }
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(op_text(f.model, t.op, t.op_type).c_str());
            ImGui::TableNextColumn();
            coro_link(f.model, t.coro, view);
        }
    }
    ImGui::EndTable();
}

}  // namespace cogen::viz
