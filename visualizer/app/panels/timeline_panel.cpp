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
    const auto e = model.find_event(seg.seq);
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

// The time range of the trace: where "fit" goes. At least 1 ns wide.
struct TraceSpan {
    double first_t = 0;
    double end_t = 1;
};

TraceSpan trace_span(const FrameData& f) {
    const TraceModel& model = f.model;
    TraceSpan span;
    span.first_t = model.empty() ? 0.0 : static_cast<double>(model.events().front().t_ns);
    span.end_t =
        std::max(static_cast<double>(std::max(model.last_t_ns(), f.now_ns)), span.first_t + 1);
    return span;
}

void fit(TimelineView& tv, const TraceSpan& span) {
    tv.t0_ns = span.first_t;
    tv.t1_ns = span.end_t;
}

// The heading line: title, "fit", "follow cursor", the visible span.
void draw_toolbar(TimelineView& tv, const TraceSpan& span) {
    panel_heading("Timeline", HelpTopic::timeline);
    ImGui::SameLine();
    if (ImGui::SmallButton("fit")) {
        tv.fitted = true;
        fit(tv, span);
    }
    ImGui::SameLine();
    ImGui::Checkbox("follow cursor", &tv.follow);
    ImGui::SameLine();
    ImGui::TextDisabled("%s visible; ctrl+wheel zoom, drag pan, double-click fit",
                        format_duration(static_cast<std::uint64_t>(tv.t1_ns - tv.t0_ns)).c_str());
}

// With "follow cursor", keep the cursor in view (at 80 % of the width once it leaves).
void follow_cursor(TimelineView& tv, double cursor_t) {
    if (!tv.follow || (cursor_t >= tv.t0_ns && cursor_t <= tv.t1_ns)) return;
    const double span = tv.t1_ns - tv.t0_ns;
    tv.t0_ns = std::max(0.0, cursor_t - span * 0.8);
    tv.t1_ns = tv.t0_ns + span;
}

// The segment under the mouse, found while drawing the lanes.
struct LaneHover {
    std::uint64_t coro = 0;
    bool found = false;
    LaneSegment seg{};
    double end = 0;  // when the segment ends (its start for an end mark)
};

// What every lane of one frame shares.
struct LaneFrame {
    const TraceModel& model;
    const TimelineView& tv;
    const TimeAxis& ax;
    ImDrawList* dl;
    float width;     // of a lane, label included
    float cursor_x;  // the cursor's x: the future is drawn darker
    double end_t;    // the end of the last segment of a lane
    bool hovered;    // the lanes' window is hovered
    ImVec2 mouse;
};

void draw_lane_label(const LaneFrame& lf, std::uint64_t coro, ImVec2 p, bool selected) {
    const float lane_h = lf.tv.lane_height;
    if (selected)
        lf.dl->AddRectFilled({p.x, p.y}, {p.x + lf.width, p.y + lane_h}, packed(box_fill_rgb));
    const std::string name = lf.model.coro_name(coro) + " " + std::to_string(coro);
    lf.dl->PushClipRect({p.x, p.y}, {p.x + label_width - 4, p.y + lane_h}, true);
    lf.dl->AddText({p.x + 2, p.y + (lane_h - ImGui::GetFontSize()) / 2},
                   packed(selected ? selection_rgb : text_rgb), name.c_str());
    lf.dl->PopClipRect();
}

// One bar from x0 to right, the part past the cursor in a darker shade: one pass, no overlay.
void draw_bar(const LaneFrame& lf, float x0, float right, float y0, float y1, Rgb col) {
    const float cx = lf.cursor_x;
    if (right <= cx) {
        lf.dl->AddRectFilled({x0, y0}, {right, y1}, packed(col));
    } else if (x0 >= cx) {
        lf.dl->AddRectFilled({x0, y0}, {right, y1}, packed(shade(col, 0.45)));
    } else {
        lf.dl->AddRectFilled({x0, y0}, {cx, y1}, packed(col));
        lf.dl->AddRectFilled({cx, y0}, {right, y1}, packed(shade(col, 0.45)));
    }
}

// The lane's places in view as bars, skipping sub-pixel runs; notes the hovered segment.
void draw_lane_segments(const LaneFrame& lf, std::uint64_t coro, ImVec2 p, LaneHover& hover) {
    const TimeAxis& ax = lf.ax;
    const float lane_h = lf.tv.lane_height;
    const float y0 = p.y + 2;
    const float y1 = p.y + lane_h - 2;
    // Decoded from the model's packed lane as they are drawn (docs/visualizer-model.md).
    const LaneView lane = lf.model.lane(coro);
    const std::size_t n = lane.size();
    lf.dl->PushClipRect({ax.x0, p.y}, {ax.x0 + ax.w, p.y + lane_h}, true);
    // First segment that ends after t0; then walk, skipping sub-pixel runs.
    auto t_floor = [](double t) {
        return t <= 0 ? std::uint64_t{0} : static_cast<std::uint64_t>(t);
    };
    std::size_t i = lane.upper_bound_t(t_floor(lf.tv.t0_ns));
    if (i != 0) --i;
    LaneSegment seg = i < n ? lane[i] : LaneSegment{};
    while (i < n && static_cast<double>(seg.t_ns) <= lf.tv.t1_ns) {
        const std::size_t next = i + 1;
        const LaneSegment next_seg = next < n ? lane[next] : LaneSegment{};
        const double s_end = next < n ? static_cast<double>(next_seg.t_ns) : lf.end_t;
        const float x0 = std::max(ax.x(static_cast<double>(seg.t_ns)), ax.x0);
        const float x1 = std::min(ax.x(s_end), ax.x0 + ax.w);
        // An end (finished, failed, killed) is a mark, not a stretch of time.
        const bool ended = is_ended(seg.kind);
        const float right = ended ? x0 + 2 : std::max(x1, x0 + 1);
        draw_bar(lf, x0, right, y0, y1, place_rgb(seg.kind));
        if (lf.hovered && lf.mouse.y >= p.y && lf.mouse.y < p.y + lane_h && lf.mouse.x >= x0 - 1 &&
            lf.mouse.x < right + 1) {
            hover = {coro, true, seg, ended ? static_cast<double>(seg.t_ns) : s_end};
        }
        if (x1 - x0 < 1 && next < n) {
            // Jump to the segment under the next pixel column.
            const std::size_t jump = lane.upper_bound_t(t_floor(ax.t(x0 + 1)), next);
            i = jump == next ? next : jump - 1;
            seg = i == next ? next_seg : lane[i];
            continue;
        }
        i = next;
        seg = next_seg;
    }
    lf.dl->PopClipRect();
}

// Every wake of the hovered lane in view, as an arrow from the lane of its cause.
void draw_wake_arrows(const LaneFrame& lf, ImVec2 origin, const LaneHover& hover) {
    std::unordered_map<std::uint64_t, std::uint32_t> lane_index;
    index_lanes(lf.model, lane_index);
    const float lane_h = lf.tv.lane_height;
    auto lane_y = [&](std::uint64_t coro) -> float {
        auto found = lane_index.find(coro);
        return found == lane_index.end()
                   ? -1.0f
                   : origin.y + (static_cast<float>(found->second) + 0.5f) * lane_h;
    };
    const float y_this = lane_y(hover.coro);
    int drawn = 0;
    const LaneView lane = lf.model.lane(hover.coro);
    const std::size_t first =
        lane.upper_bound_t(lf.tv.t0_ns <= 0 ? 0 : static_cast<std::uint64_t>(lf.tv.t0_ns));
    for (std::size_t i = first == 0 ? 0 : first - 1; i < lane.size() && drawn <= 200; ++i) {
        const LaneSegment s = lane[i];
        if (s.t_ns > lf.tv.t1_ns) break;
        if (s.t_ns < lf.tv.t0_ns) continue;
        const std::uint64_t cause = causing_coro(lf.model, s);
        const float y_cause = cause ? lane_y(cause) : -1.0f;
        if (y_cause < 0) continue;
        const float x = lf.ax.x(static_cast<double>(s.t_ns));
        const bool main = s.seq == hover.seg.seq;
        arrow(lf.dl, {x, y_cause}, {x, y_this},
              packed(main ? selection_rgb : edge_rgb, main ? 255 : 170));
        ++drawn;
    }
}

// The hovered segment's whole place: a seek, so asked once per segment hovered.
const Place& hovered_place(const TraceModel& model, TimelineView& tv, const LaneHover& hover) {
    if (tv.hover_coro != hover.coro || tv.hover_seq != hover.seg.seq ||
        tv.hover_events != model.size()) {
        tv.hover_place = model.place_at(hover.coro, hover.seg.seq);
        tv.hover_coro = hover.coro;
        tv.hover_seq = hover.seg.seq;
        tv.hover_events = model.size();
    }
    return tv.hover_place;
}

// The hovered segment: whose, which place, since when, for how long, caused by whom.
void hover_tooltip(const TraceModel& model, TimelineView& tv, const LaneHover& hover) {
    ImGui::BeginTooltip();
    ImGui::Text("%s (coro %llu)", model.coro_name(hover.coro).c_str(),
                static_cast<unsigned long long>(hover.coro));
    place_chip(hover.seg.kind);
    const std::string target = wait_target(model, hovered_place(model, tv, hover));
    if (!target.empty()) ImGui::Text("waits on: %s", target.c_str());
    const auto seq = static_cast<unsigned long long>(hover.seg.seq);
    const std::string at = format_duration(hover.seg.t_ns);
    if (is_ended(hover.seg.kind)) {
        ImGui::Text("at seq %llu, t = %s", seq, at.c_str());
    } else {
        const double lasted = std::max(0.0, hover.end - static_cast<double>(hover.seg.t_ns));
        ImGui::Text("from seq %llu at %s, for %s", seq, at.c_str(),
                    format_duration(static_cast<std::uint64_t>(lasted)).c_str());
    }
    if (const std::uint64_t cause = causing_coro(model, hover.seg)) {
        ImGui::Text("caused by %s (coro %llu)", model.coro_name(cause).c_str(),
                    static_cast<unsigned long long>(cause));
    }
    ImGui::TextDisabled("click: move the cursor here");
    ImGui::EndTooltip();
}

// Zoom (ctrl+wheel) around the mouse, pan by dragging, click to seek, double-click to fit.
void handle_mouse(const LaneFrame& lf, TimelineView& tv, ViewState& view, const LaneHover& hover,
                  const TraceSpan& span) {
    const ImGuiIO& io = ImGui::GetIO();
    if (lf.hovered && io.KeyCtrl && io.MouseWheel != 0) {
        const double at = lf.ax.t(lf.mouse.x);
        const double k = std::pow(0.8, io.MouseWheel);
        tv.fitted = false;
        tv.t0_ns = std::max(0.0, at - (at - tv.t0_ns) * k);
        tv.t1_ns = std::max(tv.t0_ns + 100, at + (tv.t1_ns - at) * k);
        tv.follow = false;
    }
    if (lf.hovered && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 3)) tv.dragging = true;
    if (tv.dragging) {
        const double dt = -static_cast<double>(io.MouseDelta.x) / lf.ax.w * (tv.t1_ns - tv.t0_ns);
        const double width = tv.t1_ns - tv.t0_ns;
        tv.fitted = false;
        tv.t0_ns = std::max(0.0, tv.t0_ns + dt);
        tv.t1_ns = tv.t0_ns + width;
        tv.follow = false;
        if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) tv.dragging = false;
    } else if (lf.hovered && ImGui::IsMouseReleased(ImGuiMouseButton_Left) && hover.found) {
        view.select(hover.coro, hover.seg.seq);
    }
    if (lf.hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
        tv.fitted = true;
        fit(tv, span);
    }
}

}  // namespace

void draw_timeline_panel(const FrameData& f, ViewState& view) {
    TimelineView& tv = view.timeline;
    const TraceModel& model = f.model;
    const TraceSpan span = trace_span(f);
    if (tv.t1_ns <= tv.t0_ns || tv.fitted) fit(tv, span);
    draw_toolbar(tv, span);
    const double cursor_t = static_cast<double>(f.state.t_ns);
    follow_cursor(tv, cursor_t);

    const ImVec2 axis_p0 = ImGui::GetCursorScreenPos();
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const TimeAxis ax{tv.t0_ns, tv.t1_ns, axis_p0.x + label_width,
                      std::max(avail_w - label_width - 14, 10.0f)};
    draw_axis(ImGui::GetWindowDrawList(), ax, axis_p0);
    ImGui::Dummy({avail_w, axis_height});

    ImGui::BeginChild("lanes", {0, 0}, false, 0);
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, {ImGui::GetStyle().ItemSpacing.x, 0});
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 clip0 = ImGui::GetWindowPos();
    const float bottom = clip0.y + ImGui::GetWindowHeight();
    const LaneFrame lf{model,
                       tv,
                       ax,
                       ImGui::GetWindowDrawList(),
                       avail_w,
                       ax.x(cursor_t),
                       span.end_t,
                       ImGui::IsWindowHovered(),
                       ImGui::GetIO().MousePos};

    // The lanes in view (the clipper skips the others).
    const auto ids = model.coroutine_ids();
    LaneHover hover;
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(ids.size()), tv.lane_height);
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const std::uint64_t coro = ids[static_cast<std::size_t>(row)];
            const ImVec2 p = ImGui::GetCursorScreenPos();
            ImGui::Dummy({avail_w, tv.lane_height});
            draw_lane_label(lf, coro, p, view.selected_coro == coro);
            draw_lane_segments(lf, coro, p, hover);
        }
    }
    // The cursor is a white line.
    if (lf.cursor_x >= ax.x0 && lf.cursor_x <= ax.x0 + ax.w)
        lf.dl->AddLine({lf.cursor_x, clip0.y}, {lf.cursor_x, bottom}, packed(selection_rgb), 1.5f);

    if (hover.found) {
        draw_wake_arrows(lf, origin, hover);
        hover_tooltip(model, tv, hover);
    }
    handle_mouse(lf, tv, view, hover, span);
    ImGui::PopStyleVar();
    ImGui::EndChild();
}

}  // namespace cogen::viz
