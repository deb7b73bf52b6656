// The inspector: what a click on the diagram asks. For a box, who is in it, since which
// event and for how long; for a coroutine, where it is, what it awaits, who could wake it, the
// stall findings that name it, and its history so far.
// Tutorial 10 (reading a trace).
#include <imgui.h>

#include <algorithm>
#include <string>

#include "cogen/viz/event_text.hpp"
#include "help.hpp"
#include "panels.hpp"
#include "widgets.hpp"

namespace cogen::viz {
namespace {

void box_contents(const FrameData& f, ViewState& view, Box box) {
    ImGui::PushStyleColor(ImGuiCol_Text, to_vec4(box_rgb(box)));
    const std::string_view name = title(box);
    ImGui::TextUnformatted(name.data(), name.data() + name.size());
    ImGui::PopStyleColor();
    std::vector<const CoroutineState*> here;
    for (const CoroutineState& c : f.state.coroutines) {
        if (place_to_box(c.place.kind) == box) here.push_back(&c);
    }
    // The active queue in run order (the next to run first), the other boxes by arrival.
    std::sort(here.begin(), here.end(), [](const CoroutineState* a, const CoroutineState* b) {
        return before_in_place(*a, *b);
    });
    ImGui::SameLine();
    ImGui::TextDisabled(box == Box::active_queue ? "%zu here, the next to run first"
                                                 : "%zu here, oldest arrival first",
                        here.size());
    if (box == Box::finished) {
        // The state leaves out the coroutines that finished or were killed long before the
        // cursor (ModelOptions::ended_horizon); the counters still count them.
        const std::uint64_t ended = f.state.finished + f.state.failed + f.state.killed;
        if (const std::uint64_t before = f.model.retired_before(f.state.seq);
            before != 0 && ended > here.size()) {
            ImGui::TextDisabled("and %llu that ended before seq %llu (in the timeline)",
                                static_cast<unsigned long long>(ended - here.size()),
                                static_cast<unsigned long long>(before));
        }
    }
    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                      ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("box", 4, flags, {0, std::min(260.0f, 30.0f + 22.0f * here.size())}))
        return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("coroutine", 0, 1.3f);
    ImGui::TableSetupColumn("since", 0, 0.6f);
    ImGui::TableSetupColumn("for", 0, 0.6f);
    ImGui::TableSetupColumn("waits on", 0, 1.5f);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(here.size()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const CoroutineState& c = *here[static_cast<std::size_t>(i)];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            coro_link(f.model, c.id, view);
            ImGui::TableNextColumn();
            ImGui::Text("seq %llu", static_cast<unsigned long long>(c.since_seq));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(
                format_duration(f.now_ns > c.since_t_ns ? f.now_ns - c.since_t_ns : 0).c_str());
            ImGui::TableNextColumn();
            std::string what = op_text(f.model, c.op, c.op_type);
            const std::string target = wait_target(f.model, c.place);
            if (!target.empty()) what += (what.empty() ? "" : ": ") + target;
            ImGui::TextUnformatted(what.c_str());
        }
    }
    ImGui::EndTable();
}

// Why a waiting coroutine is still there: who could wake it (the wait-for graph) and the
// stall findings that name it at the cursor, in full.
void why_it_waits(const FrameData& f, ViewState& view, const CoroutineState& c) {
    if (const WaitNode* node = f.wait_graph.find(c.id)) {
        if (node->external) {
            ImGui::TextDisabled("woken by: %s",
                                c.place.kind == PlaceKind::timer
                                    ? "the clock (its deadline)"
                                    : "the OS (its fd becoming ready), or its timeout");
        } else if (const auto wakers = f.wait_graph.wakers(*node); wakers.empty()) {
            ImGui::TextColored(to_vec4(cycle_rgb), "no live coroutine can wake it");
        } else {
            ImGui::TextDisabled("can be woken by:");
            for (std::uint64_t w : wakers) {
                ImGui::SameLine();
                ImGui::PushID(static_cast<int>(w));
                coro_link(f.model, w, view);
                ImGui::PopID();
            }
        }
    }
    ImGui::PushTextWrapPos(0);
    for (const Finding& fi : f.findings) {
        const bool names_it =
            fi.coro == c.id || std::find(fi.cycle.begin(), fi.cycle.end(), c.id) != fi.cycle.end();
        if (!names_it) continue;
        const std::string kind{to_string(fi.kind)};
        ImGui::TextColored(to_vec4(finding_rgb(fi.kind)), "stall: %s", kind.c_str());
        ImGui::SameLine();
        ImGui::TextUnformatted(fi.explanation.c_str());
    }
    ImGui::PopTextWrapPos();
}

void coroutine_details(const FrameData& f, ViewState& view, const CoroutineState& c) {
    ImGui::Text("%s", coro_ref(f.model, c.id).c_str());
    if (c.parent) {
        ImGui::SameLine();
        ImGui::TextDisabled("spawned by");
        ImGui::SameLine();
        coro_link(f.model, c.parent, view);
    }
    place_chip(c.place.kind);
    ImGui::SameLine();
    ImGui::TextDisabled("- %s", std::string(describe(c.place.kind)).c_str());
    const std::string op = op_text(f.model, c.op, c.op_type);
    if (!op.empty()) ImGui::Text("op: %s", op.c_str());
    const std::string target = wait_target(f.model, c.place);
    if (!target.empty()) ImGui::Text("waits on: %s", target.c_str());
    const std::uint64_t in = f.now_ns > c.since_t_ns ? f.now_ns - c.since_t_ns : 0;
    ImGui::Text("there since seq %llu (%s)", static_cast<unsigned long long>(c.since_seq),
                format_duration(in).c_str());
    ImGui::Text("suspensions %llu, resumes %llu, ran %s in all, longest run %s",
                static_cast<unsigned long long>(c.suspensions),
                static_cast<unsigned long long>(c.resumes), format_duration(c.run_ns).c_str(),
                format_duration(c.longest_slice.duration_ns).c_str());
    if (c.error)
        ImGui::TextColored(to_vec4(place_rgb(PlaceKind::failed)), "%s",
                           std::string(f.model.text(c.error)).c_str());
    why_it_waits(f, view, c);
    if (ImGui::SmallButton("go to its spawn") && c.spawn_seq) view.seek_request = c.spawn_seq;
    ImGui::SameLine();
    if (ImGui::SmallButton("filter the log")) view.log.coro_filter = std::to_string(c.id);
    ImGui::SameLine();
    if (ImGui::SmallButton("place since") && c.since_seq) view.seek_request = c.since_seq;
}

}  // namespace

void draw_inspector_panel(const FrameData& f, ViewState& view) {
    panel_heading("Inspector", HelpTopic::inspector);
    bool any = false;
    if (view.diagram.selected_box >= 0 && view.diagram.selected_box < box_count) {
        box_contents(f, view, static_cast<Box>(view.diagram.selected_box));
        any = true;
    }
    if (view.selected_coro != 0) {
        if (any) ImGui::Separator();
        if (const CoroutineState* c = f.state.find(view.selected_coro)) {
            coroutine_details(f, view, *c);
        } else if (const Place ended = f.model.place_at(view.selected_coro, f.state.seq);
                   ended.kind == PlaceKind::finished || ended.kind == PlaceKind::killed) {
            // Ended long before the cursor: the state has left it out, its lane has not.
            ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
            ImGui::TextWrapped(
                "coroutine %llu (%s) %s before seq %llu. The state at the cursor leaves out "
                "coroutines that ended that long ago; its lane and events are in the timeline.",
                static_cast<unsigned long long>(view.selected_coro),
                f.model.coro_name(view.selected_coro).c_str(),
                ended.kind == PlaceKind::killed ? "was killed" : "finished",
                static_cast<unsigned long long>(f.model.retired_before(f.state.seq)));
            ImGui::PopStyleColor();
        } else {
            ImGui::TextDisabled("coroutine %llu does not exist yet at this point",
                                static_cast<unsigned long long>(view.selected_coro));
        }
        any = true;
    }
    if (!any) ImGui::TextDisabled("  click a token or a box on the diagram");
}

}  // namespace cogen::viz
