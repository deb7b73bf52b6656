// The event log: every event of the trace, one line each, filtered by coroutine, kind and op
// type. Clicking a line moves the cursor there; clicking a coro.resume also asks why it was
// woken. Tutorial 10 (reading a trace).
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <charconv>
#include <string>

#include "cogen/viz/event_text.hpp"
#include "help.hpp"
#include "panels.hpp"
#include "widgets.hpp"

namespace cogen::viz {
namespace {

bool filtering(const EventLogView& v) {
    return !v.coro_filter.empty() || v.kind_filter >= 0 || !v.op_filter.empty();
}

std::string filter_key(const EventLogView& v) {
    return v.coro_filter + '\x1f' + std::to_string(v.kind_filter) + '\x1f' + v.op_filter;
}

// Extends v.rows with the events not scanned yet (a live model keeps growing).
void update_rows(const TraceModel& model, EventLogView& v) {
    const std::string key = filter_key(v);
    if (key != v.rows_key || v.scanned > model.size()) {
        v.rows.clear();
        v.scanned = 0;
        v.rows_key = key;
    }
    if (!filtering(v)) {
        v.scanned = model.size();
        return;
    }
    std::uint64_t coro = 0;
    const bool by_coro = !v.coro_filter.empty();
    if (by_coro) {
        const char* b = v.coro_filter.data();
        std::from_chars(b, b + v.coro_filter.size(), coro);
    }
    const auto events = model.events();
    for (std::size_t i = v.scanned; i < events.size(); ++i) {
        const TraceEvent& e = events[i];
        if (by_coro && e.coro != coro) continue;
        if (v.kind_filter >= 0 && static_cast<int>(e.kind) != v.kind_filter) continue;
        if (!v.op_filter.empty() &&
            model.text(e.op_type).find(v.op_filter) == std::string_view::npos) {
            continue;
        }
        v.rows.push_back(static_cast<std::uint32_t>(i));
    }
    v.scanned = events.size();
}

void kind_combo(EventLogView& v) {
    const std::string current = v.kind_filter < 0
                                    ? "any kind"
                                    : std::string(to_string(static_cast<EventKind>(v.kind_filter)));
    ImGui::SetNextItemWidth(150);
    if (!ImGui::BeginCombo("##kind", current.c_str())) return;
    if (ImGui::Selectable("any kind", v.kind_filter < 0)) v.kind_filter = -1;
    for (int k = 0; k < event_kind_count; ++k) {
        const std::string name{to_string(static_cast<EventKind>(k))};
        if (ImGui::Selectable(name.c_str(), v.kind_filter == k)) v.kind_filter = k;
    }
    ImGui::EndCombo();
}

}  // namespace

void draw_event_log_panel(const FrameData& f, ViewState& view) {
    EventLogView& v = view.log;
    panel_heading("Event log", HelpTopic::event_log);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(70);
    ImGui::InputTextWithHint("##coro", "coro id", &v.coro_filter, ImGuiInputTextFlags_CharsDecimal);
    ImGui::SameLine();
    kind_combo(v);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90);
    ImGui::InputTextWithHint("##op", "op type", &v.op_filter);
    ImGui::SameLine();
    if (ImGui::SmallButton("selected") && view.selected_coro) {
        v.coro_filter = std::to_string(view.selected_coro);
    }
    ImGui::SameLine();
    if (ImGui::SmallButton("clear")) {
        v.coro_filter.clear();
        v.kind_filter = -1;
        v.op_filter.clear();
    }
    ImGui::SameLine();
    ImGui::Checkbox("follow cursor", &v.follow_cursor);

    update_rows(f.model, v);
    const bool filtered = filtering(v);
    const auto events = f.model.events();
    const std::size_t count = filtered ? v.rows.size() : events.size();
    auto event_index = [&](std::size_t row) { return filtered ? v.rows[row] : row; };

    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                      ImGuiTableFlags_BordersV | ImGuiTableFlags_ScrollY |
                                      ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_Resizable;
    if (!ImGui::BeginTable("events", 4, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("seq", 0, 0.5f);
    ImGui::TableSetupColumn("t", 0, 0.6f);
    ImGui::TableSetupColumn("kind", 0, 0.9f);
    ImGui::TableSetupColumn("what happened", 0, 4.0f);
    ImGui::TableHeadersRow();

    // The row of the cursor: the last event at or before it that passes the filters.
    const std::size_t cursor_index = f.model.count_upto(f.cursor_seq);
    std::size_t cursor_row = count;
    if (cursor_index > 0) {
        if (filtered) {
            auto it = std::upper_bound(v.rows.begin(), v.rows.end(),
                                       static_cast<std::uint32_t>(cursor_index - 1));
            if (it != v.rows.begin())
                cursor_row = static_cast<std::size_t>(it - v.rows.begin()) - 1;
        } else {
            cursor_row = cursor_index - 1;
        }
    }
    const float row_h = ImGui::GetTextLineHeight() + 2 * ImGui::GetStyle().CellPadding.y;
    if (v.follow_cursor && v.scrolled_to != f.cursor_seq && cursor_row < count) {
        const float y = static_cast<float>(cursor_row) * row_h;
        const float top = ImGui::GetScrollY();
        const float h = ImGui::GetWindowHeight() - 2 * row_h;
        if (y < top || y > top + h) ImGui::SetScrollY(std::max(0.0f, y - h / 2));
        v.scrolled_to = f.cursor_seq;
    }

    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(count), row_h);
    while (clipper.Step()) {
        for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
            const TraceEvent& e = events[event_index(static_cast<std::size_t>(r))];
            ImGui::TableNextRow(0, row_h);
            ImGui::TableNextColumn();
            const std::string seq = std::to_string(e.seq);
            ImGui::PushID(r);
            const bool at_cursor = static_cast<std::size_t>(r) == cursor_row;
            if (ImGui::Selectable(seq.c_str(), at_cursor, ImGuiSelectableFlags_SpanAllColumns)) {
                view.seek_request = e.seq;
                v.scrolled_to = e.seq;
                if (e.coro != 0) view.selected_coro = e.coro;
                view.wake_seq = e.kind == EventKind::coro_resume ? e.seq : 0;
            }
            ImGui::PopID();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_duration(e.t_ns).c_str());
            ImGui::TableNextColumn();
            const std::string_view kind = to_string(e.kind);
            ImGui::TextUnformatted(kind.data(), kind.data() + kind.size());
            ImGui::TableNextColumn();
            const std::string text = describe_details(f.model, e);  // the kind has its column
            ImGui::TextUnformatted(text.c_str());
        }
    }
    ImGui::EndTable();
}

}  // namespace cogen::viz
