// The proactor panel: the fds registered at the cursor (with interest, op, coroutine, since,
// op.run attempts) and the last polls (timeout, fds watched, ready count, time blocked).
// Tutorials 06 (nonblocking sockets) and 07 (select/poll/epoll).
#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cogen/viz/event_text.hpp"
#include "help.hpp"
#include "panels.hpp"
#include "widgets.hpp"

namespace cogen::viz {
namespace {

constexpr ImGuiTableFlags table_flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                        ImGuiTableFlags_BordersV | ImGuiTableFlags_ScrollY |
                                        ImGuiTableFlags_SizingStretchProp;

void registrations_table(const FrameData& f, ViewState& view, float height) {
    const auto& regs = f.state.registrations;
    ImGui::Text("Registered fds: %zu", regs.size());
    if (regs.empty()) {
        ImGui::TextDisabled("  nothing waits on an fd at this point");
        return;
    }
    if (!ImGui::BeginTable("registrations", 6, table_flags, {0, height})) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("fd", 0, 0.4f);
    ImGui::TableSetupColumn("interest", 0, 0.7f);
    ImGui::TableSetupColumn("op", 0, 1.0f);
    ImGui::TableSetupColumn("coroutine", 0, 1.4f);
    ImGui::TableSetupColumn("waiting", 0, 0.9f);
    ImGui::TableSetupColumn("run() tries", 0, 0.8f);
    ImGui::TableHeadersRow();
    std::vector<const Registration*> rows;
    rows.reserve(regs.size());
    for (const auto& entry : regs) rows.push_back(&entry.second);
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()));
    while (clipper.Step()) {
        for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
            const Registration& reg = *rows[static_cast<std::size_t>(r)];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::Text("%d", reg.fd);
            ImGui::TableNextColumn();
            const std::string interest{to_string(reg.interest)};
            ImGui::TextUnformatted(interest.empty() ? "?" : interest.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(op_text(f.model, reg.op, reg.op_type).c_str());
            ImGui::TableNextColumn();
            coro_link(f.model, reg.coro, view);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(
                format_duration(f.now_ns > reg.t_ns ? f.now_ns - reg.t_ns : 0).c_str());
            ImGui::TableNextColumn();
            if (reg.run_attempts > 0) {
                ImGui::Text("%u (last %lld B)", reg.run_attempts,
                            static_cast<long long>(reg.last_bytes));
            } else {
                ImGui::TextUnformatted("0");
            }
        }
    }
    ImGui::EndTable();
}

void polls_table(const FrameData& f, ViewState& view) {
    const auto polls = f.state.recent_polls();
    ImGui::Text("Last polls: %zu of %llu", polls.size(),
                static_cast<unsigned long long>(f.state.poll_count));
    if (polls.empty()) {
        ImGui::TextDisabled("  no proactor poll yet");
        return;
    }
    if (!ImGui::BeginTable("polls", 6, table_flags, {0, 0})) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("seq", 0, 0.6f);
    ImGui::TableSetupColumn("at", 0, 0.8f);
    ImGui::TableSetupColumn("timeout", 0, 0.8f);
    ImGui::TableSetupColumn("fds", 0, 0.4f);
    ImGui::TableSetupColumn("ready", 0, 0.5f);
    ImGui::TableSetupColumn("blocked", 0, 0.8f);
    ImGui::TableHeadersRow();
    for (auto it = polls.rbegin(); it != polls.rend(); ++it) {
        const PollRecord& p = *it;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        const std::uint64_t seq = p.begin_seq ? p.begin_seq : p.end_seq;
        const std::string label = std::to_string(seq);
        ImGui::PushID(static_cast<int>(seq));
        if (ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_SpanAllColumns)) {
            view.seek_request = seq;
        }
        ImGui::PopID();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(format_duration(p.t_ns).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(
            p.timeout_ns < 0 ? "infinite"
                             : format_duration(static_cast<std::uint64_t>(p.timeout_ns)).c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%lld", static_cast<long long>(p.fds));
        ImGui::TableNextColumn();
        if (p.end_seq == 0) {
            ImGui::TextDisabled("waiting");
        } else {
            ImGui::Text("%lld", static_cast<long long>(p.ready));
        }
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(
            p.end_seq ? format_duration(static_cast<std::uint64_t>(p.waited_ns)).c_str() : "-");
    }
    ImGui::EndTable();
}

}  // namespace

void draw_proactor_panel(const FrameData& f, ViewState& view) {
    panel_heading("Proactor", HelpTopic::proactor);
    ImGui::SameLine();
    const std::string_view backend = f.model.text(f.state.backend);
    ImGui::TextDisabled("backend: %s   active queue: %lld",
                        backend.empty() ? "?" : std::string(backend).c_str(),
                        static_cast<long long>(f.state.active_length));
    // The registrations take what they need, up to half the panel; the polls the rest.
    const float avail = ImGui::GetContentRegionAvail().y;
    const float row = ImGui::GetTextLineHeight() + 2 * ImGui::GetStyle().CellPadding.y;
    const auto rows = static_cast<float>(f.state.registrations.size() + 1);
    registrations_table(f, view,
                        std::clamp(rows * row + 6, 3 * row, std::max(avail * 0.5f, 3 * row)));
    ImGui::Spacing();
    polls_table(f, view);
}

}  // namespace cogen::viz
