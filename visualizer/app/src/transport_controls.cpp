// Transport controls (see transport_controls.hpp).
#include "transport_controls.hpp"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <string>

#include "cogen/viz/event_text.hpp"
#include "help.hpp"
#include "moment.hpp"
#include "widgets.hpp"

namespace cogen::viz {
namespace {

constexpr std::array<double, 10> event_rates = {1, 2, 4, 8, 16, 32, 64, 256, 1024, 16384};
constexpr std::array<double, 7> time_scales = {0.001, 0.01, 0.1, 0.5, 1, 2, 10};

// The seq `delta` events away from the cursor (clamped to the trace).
std::uint64_t neighbour(const TraceModel& model, std::uint64_t cursor, int delta) {
    if (model.empty()) return 0;
    const auto events = model.events();
    const std::size_t at = std::max<std::size_t>(model.count_upto(cursor), 1) - 1;
    const auto next = static_cast<std::ptrdiff_t>(at) + delta;
    const auto clamped =
        std::clamp<std::ptrdiff_t>(next, 0, static_cast<std::ptrdiff_t>(events.size()) - 1);
    return events[static_cast<std::size_t>(clamped)].seq;
}

void pace_controls(Playback& pb) {
    const char* paces[] = {"events/s", "x recorded time"};
    int pace = static_cast<int>(pb.pace);
    ImGui::SetNextItemWidth(120);
    if (ImGui::Combo("##pace", &pace, paces, 2)) pb.pace = static_cast<Playback::Pace>(pace);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(80);
    if (pb.pace == Playback::Pace::events_per_second) {
        const std::string now = std::to_string(static_cast<long long>(pb.events_per_second));
        if (ImGui::BeginCombo("##rate", now.c_str())) {
            for (double r : event_rates) {
                const std::string label = std::to_string(static_cast<long long>(r));
                if (ImGui::Selectable(label.c_str(), r == pb.events_per_second))
                    pb.events_per_second = r;
            }
            ImGui::EndCombo();
        }
    } else {
        char now[32];
        std::snprintf(now, sizeof now, "%g", pb.time_scale);
        if (ImGui::BeginCombo("##scale", now)) {
            for (double s : time_scales) {
                char label[32];
                std::snprintf(label, sizeof label, "%g", s);
                if (ImGui::Selectable(label, s == pb.time_scale)) pb.time_scale = s;
            }
            ImGui::EndCombo();
        }
    }
}

}  // namespace

void jump_to_next_stall(Session& session, ViewState& view) {
    const std::uint64_t seq = session.next_stall_after(session.cursor());
    if (seq == 0) return;
    for (const Finding& f : session.trace_findings()) {
        if (f.since_seq == seq) {
            view.select(f.coro);
            break;
        }
    }
    session.seek(seq);
}

void draw_transport(Session& session, ViewState& view, const TransportOptions& options) {
    const TraceModel& model = session.model();
    const std::uint64_t cursor = session.cursor();
    if (ImGui::Button("|<")) session.seek(model.first_seq());
    ImGui::SameLine();
    if (ImGui::ArrowButton("##prev", ImGuiDir_Left)) session.seek(neighbour(model, cursor, -1));
    if (Playback* pb = options.playback) {
        ImGui::SameLine();
        if (ImGui::Button(pb->playing ? "pause" : "play ", {50, 0})) {
            if (!pb->playing && cursor >= model.last_seq()) session.seek(model.first_seq());
            pb->playing = !pb->playing;
        }
    }
    ImGui::SameLine();
    if (ImGui::ArrowButton("##next", ImGuiDir_Right)) session.seek(neighbour(model, cursor, +1));
    ImGui::SameLine();
    if (ImGui::Button(">|")) session.seek(model.last_seq());
    ImGui::SameLine();
    // The "run-end" moment: the last return of run(), where what was stuck is still alive
    // (after it, the scheduler's destruction kills it). The findings of a trace are its.
    const std::optional<std::uint64_t> run_end = resolve_moment(model, "run-end");
    const auto run_end_event = run_end ? model.find_event(*run_end) : std::nullopt;
    const bool has_run_end = run_end_event && run_end_event->kind == EventKind::sched_run_end;
    ImGui::BeginDisabled(!has_run_end);
    if (ImGui::Button("run-end") && has_run_end) session.seek(*run_end);
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        ImGui::SetTooltip(has_run_end ? "Jump to the last return of run(): the stalls of the "
                                        "trace, before the scheduler's destruction"
                                      : "run() has not returned in this trace");
    }
    ImGui::SameLine();

    const float tail = options.playback ? 430 : 260;
    ImGui::SetNextItemWidth(std::max(ImGui::GetContentRegionAvail().x - tail, 120.0f));
    std::uint64_t seq = cursor;
    const std::uint64_t lo = model.first_seq();
    const std::uint64_t hi = std::max(model.last_seq(), lo);
    char format[96];
    std::snprintf(format, sizeof format, "seq %%llu / %llu   t = %s",
                  static_cast<unsigned long long>(hi),
                  format_duration(session.state().t_ns).c_str());
    if (ImGui::SliderScalar("##seq", ImGuiDataType_U64, &seq, &lo, &hi, format)) session.seek(seq);

    if (Playback* pb = options.playback) {
        ImGui::SameLine();
        pace_controls(*pb);
    }
    ImGui::SameLine();
    const std::size_t stalls = session.trace_findings().size();
    const std::string stall_label = "next stall (" + std::to_string(stalls) + ")";
    ImGui::BeginDisabled(session.next_stall_after(cursor) == 0);
    if (ImGui::Button(stall_label.c_str())) jump_to_next_stall(session, view);
    ImGui::EndDisabled();
    if (options.live) {
        ImGui::SameLine();
        const bool following = session.following();
        if (following)
            ImGui::PushStyleColor(ImGuiCol_Button,
                                  to_vec4(shade(place_rgb(PlaceKind::running), 0.6)));
        if (ImGui::Button(following ? "following" : "follow")) session.follow(!following);
        if (following) ImGui::PopStyleColor();
    }
    ImGui::SameLine();
    help_marker(options.live ? HelpTopic::live : HelpTopic::replay);
}

void handle_transport_keys(Session& session, ViewState& view, const TransportOptions& options) {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput) return;
    const TraceModel& model = session.model();
    auto pressed = [](ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key)); };
    if (options.playback && pressed(ImGuiKey_Space))
        options.playback->playing = !options.playback->playing;
    if (pressed(ImGuiKey_LeftArrow)) session.seek(neighbour(model, session.cursor(), -1));
    if (pressed(ImGuiKey_RightArrow)) session.seek(neighbour(model, session.cursor(), +1));
    if (pressed(ImGuiKey_Home)) session.seek(model.first_seq());
    if (pressed(ImGuiKey_End)) session.seek(model.last_seq());
    // Letters: the GLFW backend of ImGui 1.86 indexes KeysDown by GLFW key codes, which are
    // the upper-case ASCII codes.
    if (ImGui::IsKeyPressed('S', false)) jump_to_next_stall(session, view);
    if (options.live && ImGui::IsKeyPressed('F', false)) session.follow(!session.following());
}

}  // namespace cogen::viz
