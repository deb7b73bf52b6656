// Stepping controls and the "be the scheduler" panel (see stepping_controls.hpp).
#include "stepping_controls.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "cogen/viz/trace_model.hpp"

#include "help.hpp"
#include "palette.hpp"
#include "widgets.hpp"

namespace cogen::viz {
namespace {

// An id when the whole text is digits, else 0.
std::uint64_t to_id(std::string_view text) {
    std::uint64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    return ec == std::errc{} && end == text.data() + text.size() ? id : 0;
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

std::string choice_text(const ReadyChoice& c) {
    std::string s = "'" + c.coro_name + "' (" + std::to_string(c.coro) + ")";
    s += c.op ? " resuming from " + c.op_name + " #" + std::to_string(c.op) : " starting";
    return s;
}

std::string status_line(const WorkerStatus& s) {
    std::string line;
    if (s.busy && s.mode == StepMode::paused) {
        line = "stepping... (a poll can block until the next deadline or fd)";
    } else {
        switch (s.mode) {
            case StepMode::paused:
                line = s.paused_because.empty() ? "paused" : "paused - " + s.paused_because;
                break;
            case StepMode::running:
                line = s.steps_per_second > 0
                           ? "running at " + std::to_string(static_cast<int>(s.steps_per_second)) +
                                 " steps/s"
                           : "running as fast as possible";
                break;
            case StepMode::until_coro:
                line = "stepping until coro " + std::to_string(s.target_coro) + " has an event";
                break;
            case StepMode::until_pick:
                line = "running your pick up to the next pick";
                break;
        }
        if (s.busy && s.mode != StepMode::paused) line += " (blocked in a poll)";
    }
    return line + "   |   " + std::to_string(s.steps) + " transitions";
}

// The interned ids whose text is `text` (an op name is interned once per literal, so a name
// may have several).
std::vector<std::uint32_t> string_ids(const TraceModel& model, std::string_view text) {
    std::vector<std::uint32_t> ids;
    if (text.empty()) return ids;
    const trace::StringTable& strings = model.strings();
    for (std::uint32_t id = 1; id < strings.size(); ++id)
        if (strings.get(id) == text) ids.push_back(id);
    return ids;
}

}  // namespace

std::uint64_t resolve_coro(const TraceModel& model, std::string_view text) {
    text = trimmed(text);
    if (text.empty()) return 0;
    if (const std::uint64_t id = to_id(text); id != 0) {
        for (const TraceEvent& e : model.events()) {
            if (e.kind == EventKind::coro_spawn && e.coro == id) return id;
        }
        return 0;
    }
    for (const TraceEvent& e : model.events()) {
        if (e.kind == EventKind::coro_spawn && model.coro_name(e.coro) == text) return e.coro;
    }
    return 0;
}

float be_the_scheduler_width(const SteppingUi& ui) {
    if (!ui.be_the_scheduler) return 0;
    const float w = ImGui::GetMainViewport()->WorkSize.x;
    return std::clamp(w * 0.34f, 320.0f, 480.0f);
}

void handle_stepping_keys(StepWorker& worker, const WorkerStatus& st) {
    if (ImGui::GetIO().WantTextInput) return;
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false)) {
        if (st.mode == StepMode::paused) {
            worker.run();
        } else {
            worker.pause();
        }
    }
    // Letters: ImGui 1.86's GLFW backend indexes keys by GLFW key codes (upper-case ASCII).
    if (ImGui::IsKeyPressed('N', true) && !st.busy) worker.step_once();
}

void draw_stepping_controls(StepWorker& worker, const WorkerStatus& st, SteppingUi& ui,
                            const TraceModel& model) {
    const bool paused = st.mode == StepMode::paused;
    if (ImGui::Button(paused ? "run" : "pause", {54, 0})) {
        if (paused) {
            worker.run();
        } else {
            worker.pause();
        }
    }
    ImGui::SameLine();
    ImGui::BeginDisabled(st.busy);
    if (ImGui::Button("step")) worker.step_once();
    ImGui::EndDisabled();
    ImGui::SameLine();
    float rate = static_cast<float>(st.steps_per_second > 0 ? st.steps_per_second : 1000);
    ImGui::SetNextItemWidth(140);
    ImGui::BeginDisabled(ui.max_speed);
    if (ImGui::SliderFloat("##speed", &rate, 1, 1000, "%.0f steps/s",
                           ImGuiSliderFlags_Logarithmic)) {
        worker.set_speed(rate);
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Checkbox("max", &ui.max_speed)) worker.set_speed(ui.max_speed ? 0 : rate);
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    // Coroutine fields take an id or a name; a text that names nobody says so below.
    ui.coro_feedback.clear();
    const auto lookup = [&](const std::string& text) -> std::uint64_t {
        if (trimmed(text).empty()) return 0;
        const std::uint64_t id = resolve_coro(model, text);
        if (id == 0) ui.coro_feedback = "no coroutine \"" + std::string(trimmed(text)) + "\"";
        return id;
    };
    ImGui::SetNextItemWidth(90);
    ImGui::InputTextWithHint("##until", "coro name/id", &ui.until_coro);
    const std::uint64_t until = lookup(ui.until_coro);
    ImGui::SameLine();
    ImGui::BeginDisabled(until == 0);
    if (ImGui::Button("step to its next event")) worker.step_until_coro(until);
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::TextDisabled("|  break on op");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(80);
    bool changed = ImGui::InputTextWithHint("##bop", "Recv", &ui.break_op);
    ImGui::SameLine();
    ImGui::TextDisabled("or coro");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90);
    changed |= ImGui::InputTextWithHint("##bcoro", "name/id", &ui.break_coro);
    const std::uint64_t break_coro = lookup(ui.break_coro);
    // A name can resolve later (the coroutine is spawned after it was typed).
    if (changed || break_coro != st.break_coro)
        worker.set_breakpoints(ui.break_op, break_coro, string_ids(model, trimmed(ui.break_op)));
    ImGui::SameLine();
    ImGui::Checkbox("be the scheduler", &ui.be_the_scheduler);
    help_marker(HelpTopic::stepping);

    const Rgb col = st.idle  ? place_rgb(PlaceKind::finished)
                    : paused ? place_rgb(PlaceKind::active)
                             : place_rgb(PlaceKind::running);
    ImGui::TextColored(to_vec4(col), "%s", status_line(st).c_str());
    if (!ui.coro_feedback.empty()) {
        ImGui::SameLine();
        ImGui::TextColored(to_vec4(place_rgb(PlaceKind::failed)), "   %s",
                           ui.coro_feedback.c_str());
    }
}

namespace {

// The ready pairs in cogen's order; "run this" is offered only at a pick.
void ready_table(StepWorker& worker, const WorkerStatus& st) {
    ImGui::Text("%zu ready; cogen would run #1 (the numbers are cogen's order)", st.ready_total);
    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                      ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("ready", 4, flags, {0, 170})) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#", 0, 0.25f);
    ImGui::TableSetupColumn("coroutine", 0, 1.2f);
    ImGui::TableSetupColumn("resumes from", 0, 1.2f);
    ImGui::TableSetupColumn("", 0, 0.6f);
    ImGui::TableHeadersRow();
    const bool can_pick = st.at_pick && !st.busy;
    for (std::size_t i = 0; i < st.ready.size(); ++i) {
        const ReadyChoice& c = st.ready[i];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        if (i == 0) {
            ImGui::TextColored(to_vec4(place_rgb(PlaceKind::running)), "1");
        } else {
            ImGui::Text("%zu", i + 1);
        }
        ImGui::TableNextColumn();
        ImGui::Text("%s (%llu)", c.coro_name.c_str(), static_cast<unsigned long long>(c.coro));
        ImGui::TableNextColumn();
        if (c.op) {
            ImGui::Text("%s #%llu%s", c.op_name.c_str(), static_cast<unsigned long long>(c.op),
                        c.urgent ? " (urgent)" : "");
        } else {
            ImGui::TextDisabled("its start");
        }
        ImGui::TableNextColumn();
        ImGui::PushID(static_cast<int>(i));
        ImGui::BeginDisabled(!can_pick);
        if (ImGui::SmallButton("run this")) worker.pick(i);
        ImGui::EndDisabled();
        ImGui::PopID();
    }
    ImGui::EndTable();
}

}  // namespace

void draw_be_the_scheduler(StepWorker& worker, const WorkerStatus& st, SteppingUi& ui, float top) {
    if (!ui.be_the_scheduler) return;
    // Docked at the right, beside the views (draw_views leaves this strip free): a floating
    // window would cover the table and the inspector the learner needs to choose.
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float width = be_the_scheduler_width(ui);
    ImGui::SetNextWindowPos({vp->WorkPos.x + vp->WorkSize.x - width, vp->WorkPos.y + top});
    ImGui::SetNextWindowSize({width, vp->WorkSize.y - top});
    constexpr ImGuiWindowFlags docked = ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                                        ImGuiWindowFlags_NoCollapse |
                                        ImGuiWindowFlags_NoSavedSettings;
    if (!ImGui::Begin("Be the scheduler", &ui.be_the_scheduler, docked)) {
        ImGui::End();
        return;
    }
    panel_heading("Which (coroutine, op) pair runs next?", HelpTopic::be_the_scheduler);
    if (st.busy) {
        ImGui::TextDisabled("a transition is in progress...");
    } else if (st.idle) {
        ImGui::TextDisabled("the scheduler is idle: nothing is ready and nothing can become ready");
    } else if (!st.at_pick) {
        ImGui::TextWrapped(
            "The scheduler is inside a transition chain (an op.process, a poll or the "
            "timers): the choice comes at its next pick.");
        if (ImGui::Button("continue one transition")) worker.step_once();
    } else if (st.ready.empty()) {
        ImGui::TextWrapped(
            "No pair is ready. The next step polls the proactor (or sleeps until the "
            "next deadline) and moves what became ready to the active queue.");
        if (ImGui::Button("let it poll")) worker.step_once();
    }
    if (!st.ready.empty() && !st.idle) ready_table(worker, st);
    if (!st.picks.empty()) {
        ImGui::Separator();
        ImGui::TextDisabled("your last picks:");
        for (auto it = st.picks.rbegin(); it != st.picks.rend(); ++it) {
            const bool same = it->index == 0;
            ImGui::TextColored(
                to_vec4(same ? place_rgb(PlaceKind::running) : place_rgb(PlaceKind::active)),
                "%s #%zu: %s", same ? "as cogen" : "you chose", it->index + 1,
                choice_text(it->chosen).c_str());
            if (!it->outcome.empty()) {
                ImGui::Indent();
                ImGui::TextWrapped("-> %s", it->outcome.c_str());
                ImGui::Unindent();
            }
            if (!same) {
                ImGui::SameLine();
                ImGui::TextDisabled("(cogen: %s)", choice_text(it->cogen_first).c_str());
            }
        }
    }
    ImGui::End();
}

}  // namespace cogen::viz
