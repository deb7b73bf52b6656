// The wait-for graph: every waiting coroutine -> what it waits on -> the coroutines that could
// end the wait, drawn as a ring of coroutines with arrows (deadlock cycles in red) and listed
// as a table. Tutorials 05 (join and signal), 09 (queues) and 12 (hunting a stall).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "cogen/viz/event_text.hpp"
#include "help.hpp"
#include "panels.hpp"
#include "widgets.hpp"

namespace cogen::viz {
namespace {

constexpr std::size_t max_drawn_nodes = 40;

bool in_cycle_edge(const std::vector<std::vector<std::uint64_t>>& cycles, std::uint64_t from,
                   std::uint64_t to) {
    for (const auto& c : cycles) {
        for (std::size_t i = 0; i < c.size(); ++i) {
            if (c[i] == from && c[(i + 1) % c.size()] == to) return true;
        }
    }
    return false;
}

void draw_graph(const FrameData& f, ViewState& view, const std::vector<const WaitNode*>& nodes,
                const std::vector<std::vector<std::uint64_t>>& cycles, float height) {
    std::set<std::uint64_t> cyclic;
    for (const auto& c : cycles) cyclic.insert(c.begin(), c.end());
    // Everyone involved: the waiters and their wakers, in id order (a ring of a few dozen at
    // most; a big graph is for the table).
    std::set<std::uint64_t> involved;
    for (const WaitNode* n : nodes) {
        if (involved.size() > max_drawn_nodes) break;
        involved.insert(n->coro);
        for (std::uint64_t w : f.wait_graph.wakers(*n)) {
            involved.insert(w);
            if (involved.size() > max_drawn_nodes) break;
        }
    }
    if (involved.size() > max_drawn_nodes) {
        ImGui::TextDisabled("more than %zu coroutines involved: too many to draw, see the table",
                            max_drawn_nodes);
        return;
    }
    const std::vector<std::uint64_t> ids(involved.begin(), involved.end());
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const float w = ImGui::GetContentRegionAvail().x;
    ImGui::InvisibleButton("graph-canvas", {std::max(w, 10.0f), height});
    const bool clicked = ImGui::IsItemClicked();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 centre{p0.x + w / 2, p0.y + height / 2};
    const float rx = std::max(w / 2 - 70, 20.0f);
    const float ry = std::max(height / 2 - 24, 20.0f);
    auto pos = [&](std::uint64_t id) {
        const auto i =
            static_cast<std::size_t>(std::lower_bound(ids.begin(), ids.end(), id) - ids.begin());
        const float a =
            static_cast<float>(i) / static_cast<float>(ids.size()) * 6.2831853f + 3.14159f;
        return ImVec2{centre.x + rx * std::cos(a), centre.y + ry * std::sin(a)};
    };
    const float r = 11;
    for (const WaitNode* n : nodes) {
        const ImVec2 a = pos(n->coro);
        for (std::uint64_t wk : f.wait_graph.wakers(*n)) {
            const ImVec2 b = pos(wk);
            const bool red = in_cycle_edge(cycles, n->coro, wk);
            const ImU32 col = packed(red ? cycle_rgb : edge_rgb);
            // A gentle curve to the right of its direction, so that a -> b and b -> a (the
            // smallest deadlock) do not cover each other.
            const float dx = b.x - a.x;
            const float dy = b.y - a.y;
            const float len = std::max(std::sqrt(dx * dx + dy * dy), 1.0f);
            const ImVec2 ctrl{(a.x + b.x) / 2 - dy / len * len * 0.18f,
                              (a.y + b.y) / 2 + dx / len * len * 0.18f};
            const float cx = b.x - ctrl.x;
            const float cy = b.y - ctrl.y;
            const float clen = std::max(std::sqrt(cx * cx + cy * cy), 1.0f);
            const ImVec2 tip{b.x - cx / clen * (r + 2), b.y - cy / clen * (r + 2)};
            dl->AddBezierQuadratic(a, ctrl, tip, col, red ? 2.5f : 1.2f);
            const ImVec2 back{tip.x - cx / clen * 9, tip.y - cy / clen * 9};
            dl->AddTriangleFilled(tip, {back.x - cy / clen * 4, back.y + cx / clen * 4},
                                  {back.x + cy / clen * 4, back.y - cx / clen * 4}, col);
            const std::string what =
                std::string(to_string(n->place.kind)) + " " + wait_target(f.model, n->place);
            const ImVec2 on_curve{(a.x + 2 * ctrl.x + b.x) / 4, (a.y + 2 * ctrl.y + b.y) / 4};
            const ImVec2 ts = ImGui::CalcTextSize(what.c_str());
            // The label sits on the outer side of its curve, clear of it: the labels of a -> b
            // and b -> a (bent to opposite sides) never cover each other, however short the
            // chord between the two coroutines.
            const ImVec2 normal{-dy / len, dx / len};
            const float push = std::abs(normal.x) * ts.x / 2 + std::abs(normal.y) * ts.y / 2 + 3;
            const ImVec2 at{on_curve.x + normal.x * push, on_curve.y + normal.y * push};
            dl->AddText({at.x - ts.x / 2, at.y - ts.y / 2}, packed(dim_text_rgb), what.c_str());
        }
    }
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    for (std::uint64_t id : ids) {
        const ImVec2 c = pos(id);
        const CoroutineState* cs = f.state.find(id);
        const Rgb fill = cs ? place_rgb(cs->place.kind) : dim_text_rgb;
        dl->AddCircleFilled(c, r, packed(fill), 20);
        if (cyclic.count(id)) dl->AddCircle(c, r + 3, packed(cycle_rgb), 20, 2.5f);
        if (view.selected_coro == id) dl->AddCircle(c, r + 6, packed(selection_rgb), 20, 1.5f);
        const std::string label = std::to_string(id);
        const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
        dl->AddText({c.x - ts.x / 2, c.y - ts.y / 2}, packed(text_on(fill)), label.c_str());
        const std::string name = f.model.coro_name(id);
        dl->AddText({c.x + r + 4, c.y - ts.y / 2}, packed(text_rgb), name.c_str());
        const float dx = mouse.x - c.x;
        const float dy = mouse.y - c.y;
        if (dx * dx + dy * dy <= r * r) {
            if (cs)
                ImGui::SetTooltip("%s (coro %llu): %s", name.c_str(),
                                  static_cast<unsigned long long>(id),
                                  std::string(describe(cs->place.kind)).c_str());
            if (clicked) view.select(id);
        }
    }
}

}  // namespace

void draw_wait_graph_panel(const FrameData& f, ViewState& view) {
    view.showed_wait_graph = true;
    panel_heading("Wait-for graph", HelpTopic::wait_graph);
    WaitGraphView& g = view.graph;
    if (g.cached_seq != f.state.seq || g.cached_events != f.state.events_applied) {
        g.stuck = f.wait_graph.stuck();
        g.cycles = f.wait_graph.cycles();
        g.cached_seq = f.state.seq;
        g.cached_events = f.state.events_applied;
    }
    const auto& cycles = g.cycles;
    const auto& stuck = g.stuck;
    ImGui::SameLine();
    ImGui::Checkbox("stuck only", &view.graph.stuck_only);
    ImGui::SameLine();
    ImGui::TextDisabled("%zu waiting, %zu stuck, %zu deadlock cycle(s)",
                        f.wait_graph.nodes().size(), stuck.size(), cycles.size());
    for (const auto& c : cycles) {
        std::string text = "deadlock:";
        for (std::uint64_t id : c)
            text += " " + f.model.coro_name(id) + " (" + std::to_string(id) + ") ->";
        text += " back to " + std::to_string(c.front());
        ImGui::TextColored(to_vec4(cycle_rgb), "%s", text.c_str());
    }

    std::vector<const WaitNode*> nodes;
    for (const WaitNode& n : f.wait_graph.nodes()) {
        if (view.graph.stuck_only && !std::binary_search(stuck.begin(), stuck.end(), n.coro))
            continue;
        nodes.push_back(&n);
    }
    if (nodes.empty()) {
        ImGui::TextDisabled("  nobody waits at this point");
        return;
    }
    const float avail = ImGui::GetContentRegionAvail().y;
    draw_graph(f, view, nodes, cycles, std::clamp(avail * 0.55f, 120.0f, 420.0f));

    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                      ImGuiTableFlags_BordersV | ImGuiTableFlags_ScrollY |
                                      ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("waits", 4, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("waiter", 0, 1.2f);
    ImGui::TableSetupColumn("waits on", 0, 1.4f);
    ImGui::TableSetupColumn("who can wake it", 0, 2.0f);
    ImGui::TableSetupColumn("since", 0, 0.7f);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(nodes.size()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const WaitNode& n = *nodes[static_cast<std::size_t>(i)];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            coro_link(f.model, n.coro, view);
            ImGui::TableNextColumn();
            place_chip(n.place.kind);
            const std::string what = wait_target(f.model, n.place);
            if (!what.empty()) {
                ImGui::SameLine();
                ImGui::TextUnformatted(what.c_str());
            }
            ImGui::TableNextColumn();
            if (n.external) {
                ImGui::TextDisabled(n.place.kind == PlaceKind::timer ? "the clock"
                                                                     : "the OS (fd ready)");
            } else {
                const auto wakers = f.wait_graph.wakers(n);
                if (wakers.empty()) ImGui::TextColored(to_vec4(cycle_rgb), "nobody seen so far");
                for (std::size_t k = 0; k < wakers.size() && k < 6; ++k) {
                    if (k) ImGui::SameLine();
                    coro_link(f.model, wakers[k], view);
                }
                if (wakers.size() > 6) {
                    ImGui::SameLine();
                    ImGui::TextDisabled("+%zu", wakers.size() - 6);
                }
            }
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(
                format_duration(f.now_ns > n.since_t_ns ? f.now_ns - n.since_t_ns : 0).c_str());
        }
    }
    ImGui::EndTable();
}

}  // namespace cogen::viz
