// The timeline: one lane per coroutine, its places over time as coloured bars, the cursor as
// a white line, zoom and pan, and on hover arrows from whoever woke or spawned the lane's
// coroutine. Tutorials 10 (reading a trace) and 11 (watching it live).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <unordered_map>

#include "cogen/viz/event_text.hpp"
#include "help.hpp"
#include "panels.hpp"
#include "widgets.hpp"

namespace cogen::viz {
namespace {

constexpr float label_width = 130;
constexpr float axis_height = 20;

struct TimeAxis {
    double t0 = 0;
    double t1 = 1;
    float x0 = 0;
    float w = 1;
    float x(double t) const { return x0 + static_cast<float>((t - t0) / (t1 - t0)) * w; }
    double t(float x) const { return t0 + (x - x0) / w * (t1 - t0); }
};

double nice_step(double span) {
    const double raw = span / 8;
    const double mag = std::pow(10.0, std::floor(std::log10(std::max(raw, 1.0))));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (raw <= m * mag) return m * mag;
    }
    return 10 * mag;
}

// A tick's label with as many decimals as the step needs, so that neighbouring ticks never
// read the same ("80.6 s, 80.6 s" at a 20 ms step becomes "80.62 s, 80.64 s").
std::string tick_label(double t, double step) {
    struct Unit {
        double scale;
        const char* name;
    };
    constexpr Unit units[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "us"}, {1, "ns"}};
    const Unit* unit = &units[3];
    for (const Unit& u : units) {
        if (t >= u.scale) {
            unit = &u;
            break;
        }
    }
    const double in_unit = step / unit->scale;
    const int decimals =
        in_unit >= 1 ? 0 : std::min(6, static_cast<int>(std::ceil(-std::log10(in_unit) - 1e-9)));
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f %s", decimals, t / unit->scale, unit->name);
    return buf;
}

void draw_axis(ImDrawList* dl, const TimeAxis& ax, ImVec2 p0) {
    const double step = nice_step(ax.t1 - ax.t0);
    const double first = std::ceil(ax.t0 / step) * step;
    float free_from = -1e9f;  // labels never overlap: one that would is left out
    for (double t = first; t <= ax.t1; t += step) {
        const float x = ax.x(t);
        dl->AddLine({x, p0.y + axis_height - 5}, {x, p0.y + axis_height}, packed(dim_text_rgb));
        if (x + 2 < free_from) continue;
        const std::string label = tick_label(std::max(t, 0.0), step);
        dl->AddText({x + 2, p0.y + 1}, packed(dim_text_rgb), label.c_str());
        free_from = x + 2 + ImGui::CalcTextSize(label.c_str()).x + 8;
    }
}

// Why the segment starting at `seg` began, when another coroutine caused it: the op.ready
// cause (signal sender, finished joinee, queue producer, canceller) or the spawning parent.
std::uint64_t causing_coro(const TraceModel& model, const LaneSegment& seg) {
    const TraceEvent* e = model.find_event(seg.seq);
    if (!e) return 0;
    if (e->kind == EventKind::coro_spawn) return static_cast<std::uint64_t>(e->a);
    if (e->kind != EventKind::op_ready) return 0;
    switch (static_cast<Outcome>(e->a)) {
        case Outcome::signal:
        case Outcome::join:
        case Outcome::call:
        case Outcome::queue:
        case Outcome::pubsub:
        case Outcome::pipe:
        case Outcome::cancel:
            return static_cast<std::uint64_t>(e->b);
        default:
            return 0;
    }
}

void index_lanes(const TraceModel& model, std::unordered_map<std::uint64_t, std::uint32_t>& index) {
    const auto ids = model.coroutine_ids();
    index.reserve(ids.size());
    for (std::uint32_t i = 0; i < ids.size(); ++i) index.emplace(ids[i], i);
}

void arrow(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col) {
    dl->AddBezierCubic(a, {a.x + 18, a.y}, {b.x - 18, b.y}, b, col, 1.5f);
    const float dir = b.y > a.y ? 1.0f : -1.0f;
    dl->AddTriangleFilled(b, {b.x - 4, b.y - 6 * dir}, {b.x + 4, b.y - 6 * dir}, col);
}

}  // namespace

void draw_timeline_panel(const FrameData& f, ViewState& view) {
    TimelineView& tv = view.timeline;
    const TraceModel& model = f.model;
    const double first_t = model.empty() ? 0.0 : static_cast<double>(model.events().front().t_ns);
    const double end_t =
        std::max(static_cast<double>(std::max(model.last_t_ns(), f.now_ns)), first_t + 1);
    if (tv.t1_ns <= tv.t0_ns || tv.fitted) {
        tv.t0_ns = first_t;
        tv.t1_ns = end_t;
    }
    panel_heading("Timeline", HelpTopic::timeline);
    ImGui::SameLine();
    if (ImGui::SmallButton("fit")) tv.fitted = true;
    ImGui::SameLine();
    ImGui::Checkbox("follow cursor", &tv.follow);
    ImGui::SameLine();
    ImGui::TextDisabled("%s visible; ctrl+wheel zoom, drag pan, double-click fit",
                        format_duration(static_cast<std::uint64_t>(tv.t1_ns - tv.t0_ns)).c_str());

    const double cursor_t = static_cast<double>(f.state.t_ns);
    if (tv.follow && (cursor_t < tv.t0_ns || cursor_t > tv.t1_ns)) {
        const double span = tv.t1_ns - tv.t0_ns;
        tv.t0_ns = std::max(0.0, cursor_t - span * 0.8);
        tv.t1_ns = tv.t0_ns + span;
    }

    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 axis_p0 = ImGui::GetCursorScreenPos();
    const float avail_w = ImGui::GetContentRegionAvail().x;
    TimeAxis ax{tv.t0_ns, tv.t1_ns, axis_p0.x + label_width,
                std::max(avail_w - label_width - 14, 10.0f)};
    draw_axis(dl, ax, axis_p0);
    ImGui::Dummy({avail_w, axis_height});

    std::unordered_map<std::uint64_t, std::uint32_t> lane_index;
    const auto ids = model.coroutine_ids();
    const float lane_h = tv.lane_height;
    ImGui::BeginChild("lanes", {0, 0}, false, 0);
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, {ImGui::GetStyle().ItemSpacing.x, 0});
    ImDrawList* ldl = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 clip0 = ImGui::GetWindowPos();
    const ImVec2 clip1 = {clip0.x + ImGui::GetWindowWidth(), clip0.y + ImGui::GetWindowHeight()};
    const bool lanes_hovered = ImGui::IsWindowHovered();
    const ImVec2 mouse = ImGui::GetIO().MousePos;

    const float cx = ax.x(cursor_t);
    std::uint64_t hovered_coro = 0;
    const LaneSegment* hovered_seg = nullptr;
    double hovered_end = 0;
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(ids.size()), lane_h);
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const std::uint64_t coro = ids[static_cast<std::size_t>(row)];
            const ImVec2 p = ImGui::GetCursorScreenPos();
            ImGui::Dummy({avail_w, lane_h});
            const float y0 = p.y + 2;
            const float y1 = p.y + lane_h - 2;
            const bool sel = view.selected_coro == coro;
            if (sel)
                ldl->AddRectFilled({p.x, p.y}, {p.x + avail_w, p.y + lane_h}, packed(box_fill_rgb));
            std::string name = model.coro_name(coro) + " " + std::to_string(coro);
            ldl->PushClipRect({p.x, p.y}, {p.x + label_width - 4, p.y + lane_h}, true);
            ldl->AddText({p.x + 2, p.y + (lane_h - ImGui::GetFontSize()) / 2},
                         packed(sel ? selection_rgb : text_rgb), name.c_str());
            ldl->PopClipRect();

            const auto lane = model.lane(coro);
            ldl->PushClipRect({ax.x0, p.y}, {ax.x0 + ax.w, p.y + lane_h}, true);
            // First segment that ends after t0; then walk, skipping sub-pixel runs.
            auto it = std::upper_bound(lane.begin(), lane.end(), tv.t0_ns,
                                       [](double t, const LaneSegment& s) { return t < s.t_ns; });
            if (it != lane.begin()) --it;
            while (it != lane.end() && static_cast<double>(it->t_ns) <= tv.t1_ns) {
                auto next = std::next(it);
                const double s_end = next != lane.end() ? static_cast<double>(next->t_ns) : end_t;
                const float x0 = std::max(ax.x(static_cast<double>(it->t_ns)), ax.x0);
                const float x1 = std::min(ax.x(s_end), ax.x0 + ax.w);
                const Rgb col = place_rgb(it->place.kind);
                // An end (finished, failed, killed) is a mark, not a stretch of time.
                const bool ended = is_ended(it->place.kind);
                const float right = ended ? x0 + 2 : std::max(x1, x0 + 1);
                // The future (past the cursor) in a darker shade: one pass, no overlay.
                if (right <= cx) {
                    ldl->AddRectFilled({x0, y0}, {right, y1}, packed(col));
                } else if (x0 >= cx) {
                    ldl->AddRectFilled({x0, y0}, {right, y1}, packed(shade(col, 0.45)));
                } else {
                    ldl->AddRectFilled({x0, y0}, {cx, y1}, packed(col));
                    ldl->AddRectFilled({cx, y0}, {right, y1}, packed(shade(col, 0.45)));
                }
                if (lanes_hovered && mouse.y >= p.y && mouse.y < p.y + lane_h &&
                    mouse.x >= x0 - 1 && mouse.x < right + 1) {
                    hovered_coro = coro;
                    hovered_seg = &*it;
                    hovered_end = ended ? static_cast<double>(it->t_ns) : s_end;
                }
                if (x1 - x0 < 1 && next != lane.end()) {
                    // Jump to the segment under the next pixel column.
                    const double t_next = ax.t(x0 + 1);
                    auto jump =
                        std::upper_bound(next, lane.end(), t_next,
                                         [](double t, const LaneSegment& s) { return t < s.t_ns; });
                    it = jump == next ? next : std::prev(jump);
                    continue;
                }
                it = next;
            }
            ldl->PopClipRect();
        }
    }
    // The cursor is a white line.
    const float top = clip0.y;
    const float bottom = clip1.y;
    if (cx >= ax.x0 && cx <= ax.x0 + ax.w)
        ldl->AddLine({cx, top}, {cx, bottom}, packed(selection_rgb), 1.5f);

    // Flow arrows: every wake of the hovered lane in view, from the lane of its cause.
    if (hovered_coro != 0) {
        index_lanes(model, lane_index);
        auto lane_y = [&](std::uint64_t coro) -> float {
            auto found = lane_index.find(coro);
            return found == lane_index.end()
                       ? -1.0f
                       : origin.y + (static_cast<float>(found->second) + 0.5f) * lane_h;
        };
        const float y_this = lane_y(hovered_coro);
        int drawn = 0;
        for (const LaneSegment& s : model.lane(hovered_coro)) {
            if (s.t_ns < tv.t0_ns || s.t_ns > tv.t1_ns || drawn > 200) continue;
            const std::uint64_t cause = causing_coro(model, s);
            const float y_cause = cause ? lane_y(cause) : -1.0f;
            if (y_cause < 0) continue;
            const float x = ax.x(static_cast<double>(s.t_ns));
            const bool main = &s == hovered_seg;
            arrow(ldl, {x, y_cause}, {x, y_this},
                  packed(main ? selection_rgb : edge_rgb, main ? 255 : 170));
            ++drawn;
        }
        ImGui::BeginTooltip();
        ImGui::Text("%s (coro %llu)", model.coro_name(hovered_coro).c_str(),
                    static_cast<unsigned long long>(hovered_coro));
        place_chip(hovered_seg->place.kind);
        const std::string target = wait_target(model, hovered_seg->place);
        if (!target.empty()) ImGui::Text("waits on: %s", target.c_str());
        const auto seq = static_cast<unsigned long long>(hovered_seg->seq);
        const std::string at = format_duration(hovered_seg->t_ns);
        if (is_ended(hovered_seg->place.kind)) {
            ImGui::Text("at seq %llu, t = %s", seq, at.c_str());
        } else {
            const double lasted =
                std::max(0.0, hovered_end - static_cast<double>(hovered_seg->t_ns));
            ImGui::Text("from seq %llu at %s, for %s", seq, at.c_str(),
                        format_duration(static_cast<std::uint64_t>(lasted)).c_str());
        }
        if (const std::uint64_t cause = causing_coro(model, *hovered_seg)) {
            ImGui::Text("caused by %s (coro %llu)", model.coro_name(cause).c_str(),
                        static_cast<unsigned long long>(cause));
        }
        ImGui::TextDisabled("click: move the cursor here");
        ImGui::EndTooltip();
    }

    // Zoom (ctrl+wheel) around the mouse, pan by dragging, click to seek, double-click to fit.
    const ImGuiIO& io = ImGui::GetIO();
    if (lanes_hovered && io.KeyCtrl && io.MouseWheel != 0) {
        const double at = ax.t(mouse.x);
        const double k = std::pow(0.8, io.MouseWheel);
        tv.fitted = false;
        tv.t0_ns = std::max(0.0, at - (at - tv.t0_ns) * k);
        tv.t1_ns = std::max(tv.t0_ns + 100, at + (tv.t1_ns - at) * k);
        tv.follow = false;
    }
    if (lanes_hovered && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 3)) tv.dragging = true;
    if (tv.dragging) {
        const double dt = -static_cast<double>(io.MouseDelta.x) / ax.w * (tv.t1_ns - tv.t0_ns);
        const double span = tv.t1_ns - tv.t0_ns;
        tv.fitted = false;
        tv.t0_ns = std::max(0.0, tv.t0_ns + dt);
        tv.t1_ns = tv.t0_ns + span;
        tv.follow = false;
        if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) tv.dragging = false;
    } else if (lanes_hovered && ImGui::IsMouseReleased(ImGuiMouseButton_Left) && hovered_seg) {
        view.select(hovered_coro, hovered_seg->seq);
    }
    if (lanes_hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
        tv.fitted = true;
        tv.t0_ns = first_t;
        tv.t1_ns = end_t;
    }
    ImGui::PopStyleVar();
    ImGui::EndChild();
}

}  // namespace cogen::viz
