// The coroutine table: every coroutine of the state at the cursor, sortable and filterable,
// with its place, current op, what it waits on, time in state and suspensions. Tutorial 10.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <functional>
#include <string>

#include "cogen/viz/event_text.hpp"
#include "help.hpp"
#include "panels.hpp"
#include "widgets.hpp"

namespace cogen::viz {
namespace {

enum Column { col_id, col_name, col_state, col_op, col_target, col_time, col_suspensions };

bool contains_folded(std::string_view text, std::string_view needle) {
    if (needle.empty()) return true;
    auto it =
        std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) ==
                   std::tolower(static_cast<unsigned char>(b));
        });
    return it != text.end();
}

bool passes(const FrameData& f, const CoroutineState& c, const TableView& t) {
    if (t.alive_only && !c.alive()) return false;
    if (t.filter.empty()) return true;
    if (contains_folded(std::to_string(c.id), t.filter)) return true;
    if (contains_folded(f.model.coro_name(c.id), t.filter)) return true;
    if (contains_folded(to_string(c.place.kind), t.filter)) return true;
    return contains_folded(f.model.text(c.op_type), t.filter);
}

std::uint64_t rows_key(const FrameData& f, const TableView& t) {
    std::uint64_t h = std::hash<std::string>{}(t.filter);
    auto mix = [&h](std::uint64_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
    mix(f.state.seq);
    mix(f.state.events_applied);
    mix(f.state.coroutines.size());
    mix(t.alive_only ? 1 : 0);
    mix(static_cast<std::uint64_t>(t.sort_column));
    mix(t.sort_descending ? 1 : 0);
    return h;
}

void rebuild_rows(const FrameData& f, TableView& t) {
    const auto& cs = f.state.coroutines;
    t.rows.clear();
    for (std::size_t i = 0; i < cs.size(); ++i) {
        if (passes(f, cs[i], t)) t.rows.push_back(static_cast<std::uint32_t>(i));
    }
    auto key_less = [&](std::uint32_t x, std::uint32_t y) {
        const CoroutineState& a = cs[x];
        const CoroutineState& b = cs[y];
        switch (t.sort_column) {
            case col_name:
                return f.model.coro_name(a.id) < f.model.coro_name(b.id);
            case col_state:
                return a.place.kind < b.place.kind;
            case col_op:
                return f.model.text(a.op_type) < f.model.text(b.op_type);
            case col_target:
                return a.place.label < b.place.label;
            case col_time:
                return a.since_t_ns > b.since_t_ns;  // longer in state first
            case col_suspensions:
                return a.suspensions < b.suspensions;
            default:
                return a.id < b.id;
        }
    };
    std::stable_sort(t.rows.begin(), t.rows.end(), [&](std::uint32_t x, std::uint32_t y) {
        return t.sort_descending ? key_less(y, x) : key_less(x, y);
    });
}

}  // namespace

void draw_coroutine_table_panel(const FrameData& f, ViewState& view) {
    TableView& t = view.table;
    panel_heading("Coroutines", HelpTopic::table);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(std::min(220.0f, ImGui::GetContentRegionAvail().x * 0.4f));
    ImGui::InputTextWithHint("##filter", "filter: id, name, state, op", &t.filter);
    ImGui::SameLine();
    ImGui::Checkbox("alive only", &t.alive_only);
    ImGui::SameLine();
    ImGui::TextDisabled("%zu shown", t.rows.size());

    constexpr ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_ScrollY |
                                      ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                      ImGuiTableFlags_BordersV | ImGuiTableFlags_Resizable |
                                      ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("coroutines", 7, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("id", ImGuiTableColumnFlags_DefaultSort, 0.5f);
    ImGui::TableSetupColumn("name", 0, 1.4f);
    ImGui::TableSetupColumn("state", 0, 1.2f);
    ImGui::TableSetupColumn("current op", 0, 1.2f);
    ImGui::TableSetupColumn("fd / signal / target", 0, 1.6f);
    ImGui::TableSetupColumn("in state", 0, 0.9f);
    ImGui::TableSetupColumn("susp.", 0, 0.6f);
    ImGui::TableHeadersRow();

    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsCount > 0) {
        t.sort_column = specs->Specs[0].ColumnIndex;
        t.sort_descending = specs->Specs[0].SortDirection == ImGuiSortDirection_Descending;
        specs->SpecsDirty = false;
    }
    const std::uint64_t key = rows_key(f, t);
    if (key != t.rows_key) {
        rebuild_rows(f, t);
        t.rows_key = key;
    }

    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(t.rows.size()));
    while (clipper.Step()) {
        for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
            const CoroutineState& c = f.state.coroutines[t.rows[static_cast<std::size_t>(r)]];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(static_cast<int>(c.id));
            const std::string id = std::to_string(c.id);
            if (ImGui::Selectable(id.c_str(), view.selected_coro == c.id,
                                  ImGuiSelectableFlags_SpanAllColumns)) {
                view.select(c.id);
            }
            ImGui::PopID();
            ImGui::TableNextColumn();
            const std::string name = f.model.coro_name(c.id);
            text_fitted(name);
            ImGui::TableNextColumn();
            place_chip(c.place.kind);
            ImGui::TableNextColumn();
            const std::string op = op_text(f.model, c.op, c.op_type);
            text_fitted(op);
            ImGui::TableNextColumn();
            const std::string target = wait_target(f.model, c.place);
            text_fitted(target);
            ImGui::TableNextColumn();
            const std::uint64_t end = c.alive() ? f.now_ns : c.since_t_ns;
            const std::string in = format_duration(end > c.since_t_ns ? end - c.since_t_ns : 0);
            ImGui::TextUnformatted(c.alive() ? in.c_str() : "-");
            ImGui::TableNextColumn();
            ImGui::Text("%llu", static_cast<unsigned long long>(c.suspensions));
        }
    }
    ImGui::EndTable();
}

}  // namespace cogen::viz
