// The "why was it woken" panel: for the selected resume (or the selected coroutine's last
// resume before the cursor), the chain of events that caused it, from the resume back to the
// poll, timer, signal, finished joinee or queue producer. Tutorials 05 and 10.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "cogen/viz/event_text.hpp"
#include "cogen/viz/wake_chain.hpp"
#include "help.hpp"
#include "panels.hpp"
#include "widgets.hpp"

namespace cogen::viz {
namespace {

// The last coro.resume of `coro` at or before `cursor`, 0 if none.
std::uint64_t last_resume(const TraceModel& model, std::uint64_t coro, std::uint64_t cursor) {
    const CoroEvents mine = model.events_of(coro);
    const auto events = model.events();
    // The coroutine's events up to the cursor: those before the first event after it.
    for (std::size_t k = mine.lower_bound(model.count_upto(cursor)); k-- > 0;) {
        const TraceEvent e = events[mine[k]];
        if (e.kind == EventKind::coro_resume) return e.seq;
    }
    return 0;
}

}  // namespace

void draw_wake_chain_panel(const FrameData& f, ViewState& view) {
    panel_heading("Why was it woken?", HelpTopic::wake_chain);
    std::uint64_t seq = view.wake_seq;
    if (seq == 0 && view.selected_coro != 0)
        seq = last_resume(f.model, view.selected_coro, f.cursor_seq);
    if (seq == 0) {
        ImGui::TextDisabled("  select a coroutine (or click a coro.resume in the event log)");
        return;
    }
    const auto resume = f.model.find_event(seq);
    if (resume) {
        ImGui::Text("%s resumed at seq %llu (t = %s)", coro_ref(f.model, resume->coro).c_str(),
                    static_cast<unsigned long long>(seq), format_duration(resume->t_ns).c_str());
    }
    const auto steps = why_woken(f.model, seq);
    if (steps.empty()) {
        ImGui::TextDisabled("  the trace does not say (events missing before seq %llu)",
                            static_cast<unsigned long long>(seq));
        return;
    }
    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                      ImGuiTableFlags_BordersV | ImGuiTableFlags_ScrollY |
                                      ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("wake", 3, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("seq", 0, 0.5f);
    ImGui::TableSetupColumn("step", 0, 0.9f);
    ImGui::TableSetupColumn("because", 0, 4.0f);
    ImGui::TableHeadersRow();
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const WakeStep& s = steps[i];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::PushID(static_cast<int>(i));
        const std::string label = s.seq ? std::to_string(s.seq) : std::string("?");
        if (ImGui::Selectable(label.c_str(), s.seq != 0 && s.seq == f.cursor_seq,
                              ImGuiSelectableFlags_SpanAllColumns) &&
            s.seq) {
            view.seek_request = s.seq;
            if (s.coro) view.selected_coro = s.coro;
            view.wake_seq = seq;
        }
        ImGui::PopID();
        ImGui::TableNextColumn();
        const std::string_view cause = to_string(s.cause);
        ImGui::TextUnformatted(cause.data(), cause.data() + cause.size());
        ImGui::TableNextColumn();
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(s.text.c_str());
        ImGui::PopTextWrapPos();
    }
    ImGui::EndTable();
}

}  // namespace cogen::viz
