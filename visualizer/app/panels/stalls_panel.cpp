// The stalls panel: the stall detector's findings at the cursor and over the whole trace,
// each with its blame (op, fd, signal, joined coroutine, queue) and a click-through to the
// coroutine and the moment the problem began. Tutorial 12 (hunting a stall).
#include <imgui.h>

#include <string>

#include "cogen/viz/event_text.hpp"
#include "help.hpp"
#include "panels.hpp"
#include "widgets.hpp"

namespace cogen::viz {
namespace {

std::string blame_text(const Finding& f) {
    const Blame& b = f.blame;
    std::string out;
    auto add = [&out](const std::string& s) {
        if (s.empty()) return;
        if (!out.empty()) out += "; ";
        out += s;
    };
    if (!b.op_type.empty()) add("op " + b.op_type + (b.op ? " #" + std::to_string(b.op) : ""));
    if (b.fd >= 0) add("fd " + std::to_string(b.fd) + " " + std::string(to_string(b.interest)));
    if (!b.signal.empty()) add("signal '" + b.signal + "'");
    if (b.joined) add("joins '" + b.joined_name + "' (coro " + std::to_string(b.joined) + ")");
    if (!b.queue.empty()) {
        std::string side;
        if (b.queue_side == QueueSide::get) side = ", waits for an item";
        if (b.queue_side == QueueSide::put) {
            side = ", waits for room (" + std::to_string(b.queue_length) + " of " +
                   std::to_string(b.queue_maxsize) + ")";
        }
        if (f.kind == FindingKind::backlog) side = ", holds " + std::to_string(b.queue_length);
        add("queue '" + b.queue + "'" + side);
    }
    if (b.bytes != 0) add(std::to_string(b.bytes) + " bytes moved");
    if (b.last_sender != 0)
        add("last sent by '" + b.last_sender_name + "' (coro " + std::to_string(b.last_sender) +
            ")");
    if (b.timeouts != 0) add(std::to_string(b.timeouts) + " timeouts in a row");
    if (!b.others.empty()) {
        std::string ids;
        for (std::uint64_t c : b.others) ids += (ids.empty() ? "" : ", ") + std::to_string(c);
        add((f.kind == FindingKind::backlog ? "producers " : "ran instead: coro ") + ids);
    }
    if (!b.consumers.empty()) {
        std::string ids;
        for (std::uint64_t c : b.consumers) ids += (ids.empty() ? "" : ", ") + std::to_string(c);
        add("consumers " + ids);
    }
    if (!b.error.empty()) add("error: " + b.error);
    if (!f.cycle.empty()) {
        std::string cycle;
        for (std::uint64_t c : f.cycle) cycle += std::to_string(c) + " -> ";
        add("cycle " + cycle + std::to_string(f.cycle.front()));
    }
    return out;
}

void findings_table(const char* id, const std::vector<Finding>& findings, ViewState& view,
                    float height) {
    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                      ImGuiTableFlags_BordersV | ImGuiTableFlags_ScrollY |
                                      ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable(id, 5, flags, {0, height})) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("kind", 0, 0.9f);
    ImGui::TableSetupColumn("coroutine", 0, 0.9f);
    ImGui::TableSetupColumn("since", 0, 0.45f);
    ImGui::TableSetupColumn("for", 0, 0.45f);
    ImGui::TableSetupColumn("what", 0, 4.6f);
    ImGui::TableHeadersRow();
    // Two lines a row (the sentence, then its blame), so that the clipper only builds the
    // rows in view: a stalled server can have thousands of findings.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float row_h =
        2 * ImGui::GetTextLineHeight() + style.ItemSpacing.y + 2 * style.CellPadding.y;
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(findings.size()), row_h);
    while (clipper.Step()) {
        for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
            const Finding& fi = findings[static_cast<std::size_t>(r)];
            ImGui::TableNextRow(0, row_h);
            ImGui::TableNextColumn();
            ImGui::PushID(r);
            const std::string kind{to_string(fi.kind)};
            ImGui::PushStyleColor(ImGuiCol_Text, to_vec4(finding_rgb(fi.kind)));
            if (ImGui::Selectable(kind.c_str(), view.selected_coro == fi.coro,
                                  ImGuiSelectableFlags_SpanAllColumns,
                                  {0, row_h - 2 * style.CellPadding.y})) {
                view.select(fi.coro, fi.since_seq);
            }
            ImGui::PopStyleColor();
            ImGui::PopID();
            const std::string blame = blame_text(fi);
            if (ImGui::IsItemHovered()) {
                ImGui::BeginTooltip();
                ImGui::PushTextWrapPos(ImGui::GetFontSize() * 36);
                ImGui::TextUnformatted(fi.explanation.c_str());
                if (!blame.empty()) ImGui::TextDisabled("%s", blame.c_str());
                ImGui::TextDisabled("click: select the coroutine, go to where it began");
                ImGui::PopTextWrapPos();
                ImGui::EndTooltip();
            }
            ImGui::TableNextColumn();
            ImGui::Text("%s (%llu)", fi.coro_name.c_str(),
                        static_cast<unsigned long long>(fi.coro));
            ImGui::TableNextColumn();
            ImGui::Text("seq %llu", static_cast<unsigned long long>(fi.since_seq));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_duration(fi.duration_ns).c_str());
            ImGui::TableNextColumn();
            // The whole sentence is in the row's tooltip (on the kind's selectable).
            text_fitted(fi.explanation, false, false);
            if (!blame.empty()) text_fitted(blame, true, false);
        }
    }
    ImGui::EndTable();
}

}  // namespace

void draw_stalls_panel(const FrameData& f, ViewState& view) {
    view.showed_findings = true;
    panel_heading("Stall findings", HelpTopic::stalls);
    const float avail = ImGui::GetContentRegionAvail().y;
    ImGui::Text("At the cursor (now = %s): %zu", format_duration(f.now_ns).c_str(),
                f.findings.size());
    if (f.findings.empty()) {
        ImGui::TextDisabled("  nothing looks stuck at this point");
    } else {
        findings_table("at-cursor", f.findings, view, std::max(avail * 0.45f, 70.0f));
    }
    ImGui::Spacing();
    ImGui::Text("Whole trace (as cogen-trace stalls reports it): %zu", f.trace_findings.size());
    if (f.trace_findings.empty()) {
        ImGui::TextDisabled("  no finding in the whole trace");
    } else {
        findings_table("whole-trace", f.trace_findings, view, 0);
    }
}

}  // namespace cogen::viz
