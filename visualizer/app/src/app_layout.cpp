// App layout: single views and the full GUI (see app_layout.hpp). No docking in ImGui 1.86:
// the full layout is fixed proportions of the window, with tabs where views share a region.
#include "app_layout.hpp"

#include <imgui.h>

#include <algorithm>
#include <array>

#include "cogen/viz/diagram_layout.hpp"
#include "panels.hpp"
#include "widgets.hpp"

namespace cogen::viz {
namespace {

constexpr std::array<std::string_view, 9> view_names = {
    "diagram", "table", "timeline", "proactor", "log", "stalls", "waitgraph", "wake", "all"};

constexpr ImGuiWindowFlags fixed_window =
    ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
    ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
    ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoBackground;

void draw_one(const FrameData& f, ViewState& view, ViewId which) {
    switch (which) {
        case ViewId::diagram:
            draw_diagram_panel(f, view);
            break;
        case ViewId::table:
            draw_coroutine_table_panel(f, view);
            break;
        case ViewId::timeline:
            draw_timeline_panel(f, view);
            break;
        case ViewId::proactor: {
            const float h = ImGui::GetContentRegionAvail().y;
            ImGui::BeginChild("proactor", {0, h * 0.62f});
            draw_proactor_panel(f, view);
            ImGui::EndChild();
            ImGui::BeginChild("timers", {0, 0});
            draw_timer_heap_panel(f, view);
            ImGui::EndChild();
            break;
        }
        case ViewId::log:
            draw_event_log_panel(f, view);
            break;
        case ViewId::stalls:
            draw_stalls_panel(f, view);
            break;
        case ViewId::waitgraph:
            draw_wait_graph_panel(f, view);
            break;
        case ViewId::wake:
            draw_wake_chain_panel(f, view);
            break;
        case ViewId::all:
            break;
    }
}

void tab(const char* label, const FrameData& f, ViewState& view,
         void (*draw)(const FrameData&, ViewState&)) {
    if (ImGui::BeginTabItem(label)) {
        ImGui::BeginChild(label, {0, 0});
        draw(f, view);
        ImGui::EndChild();
        ImGui::EndTabItem();
    }
}

void draw_all(const FrameData& f, ViewState& view) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    // The diagram's text is drawn at the panels' font, which needs the diagram at about 3/4
    // of its layout size: on a small window it takes that room first, as long as the table
    // keeps 300 px and the timeline 170 px.
    const float want_w = static_cast<float>(DiagramLayout::width) * 0.75f + 16;
    const float want_h = static_cast<float>(DiagramLayout::height) * 0.75f + 16;
    const float left_w = std::max(avail.x * 0.57f, std::min(want_w, avail.x - 300));
    const float top_h = std::max(avail.y * 0.58f, std::min(want_h, avail.y - 170));

    ImGui::BeginChild("left", {left_w, 0});
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {0, 0});
    ImGui::BeginChild("diagram", {0, top_h}, true);
    draw_diagram_panel(f, view);
    ImGui::EndChild();
    ImGui::PopStyleVar();
    if (ImGui::BeginTabBar("bottom-tabs")) {
        tab("Timeline", f, view, draw_timeline_panel);
        tab("Event log", f, view, draw_event_log_panel);
        ImGui::EndTabBar();
    }
    ImGui::EndChild();

    ImGui::SameLine();
    ImGui::BeginChild("right", {0, 0});
    ImGui::BeginChild("right-top", {0, top_h});
    if (ImGui::BeginTabBar("right-tabs")) {
        tab("Coroutines", f, view, draw_coroutine_table_panel);
        tab("Proactor", f, view, draw_proactor_panel);
        tab("Timers", f, view, draw_timer_heap_panel);
        tab("Stalls", f, view, draw_stalls_panel);
        tab("Wait graph", f, view, draw_wait_graph_panel);
        tab("Why woken", f, view, draw_wake_chain_panel);
        ImGui::EndTabBar();
    }
    ImGui::EndChild();
    ImGui::BeginChild("inspector", {0, 0}, true);
    draw_inspector_panel(f, view);
    ImGui::EndChild();
    ImGui::EndChild();
}

}  // namespace

std::string_view view_name(ViewId id) noexcept {
    const auto i = static_cast<std::size_t>(id);
    return i < view_names.size() ? view_names[i] : std::string_view{};
}

std::optional<ViewId> view_from_name(std::string_view name) noexcept {
    for (std::size_t i = 0; i < view_names.size(); ++i) {
        if (view_names[i] == name) return static_cast<ViewId>(i);
    }
    return std::nullopt;
}

float top_bar_height(int lines, const Session& session) {
    const float row = ImGui::GetFrameHeightWithSpacing();
    const auto notices = static_cast<float>(std::min<std::size_t>(session.notices().size(), 4) +
                                            (session.model().dropped_events() != 0 ? 1 : 0));
    return ImGui::GetStyle().WindowPadding.y * 2 + row * static_cast<float>(lines) +
           ImGui::GetTextLineHeightWithSpacing() * notices;
}

void begin_top_bar(float height) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize({vp->WorkSize.x, height});
    ImGui::Begin("##top-bar", nullptr, fixed_window | ImGuiWindowFlags_NoScrollbar);
}

void end_top_bar() {
    ImGui::End();
}

void draw_notices(const Session& session) {
    const auto& notices = session.notices();
    if (const std::string note = session.window_note(); !note.empty()) {
        ImGui::TextColored(to_vec4(dim_text_rgb), "%s", note.c_str());
    }
    const std::size_t first = notices.size() > 4 ? notices.size() - 4 : 0;
    for (std::size_t i = first; i < notices.size(); ++i) {
        const Notice& n = notices[i];
        const Rgb col = n.level == Notice::Level::error     ? place_rgb(PlaceKind::failed)
                        : n.level == Notice::Level::warning ? place_rgb(PlaceKind::active)
                                                            : dim_text_rgb;
        ImGui::TextColored(to_vec4(col), "%s", n.text.c_str());
    }
}

void refresh_for_views(Session& session, ViewState& view, std::uint64_t now_ns) {
    session.refresh(now_ns, {view.showed_findings, view.showed_wait_graph});
    view.showed_findings = false;
    view.showed_wait_graph = false;
}

void draw_views(const FrameData& f, ViewState& view, ViewId which, float top, float right) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos({vp->WorkPos.x, vp->WorkPos.y + top});
    ImGui::SetNextWindowSize({vp->WorkSize.x - right, vp->WorkSize.y - top});
    const bool edge_to_edge = which == ViewId::diagram;
    if (edge_to_edge) ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {0, 0});
    ImGui::Begin("##views", nullptr,
                 fixed_window | (edge_to_edge ? ImGuiWindowFlags_NoScrollbar : 0));
    if (edge_to_edge) ImGui::PopStyleVar();
    if (which == ViewId::all) {
        draw_all(f, view);
    } else {
        draw_one(f, view, which);
    }
    ImGui::End();
}

}  // namespace cogen::viz
