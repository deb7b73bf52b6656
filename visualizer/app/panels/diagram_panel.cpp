// The diagram panel: the loop of docs/design.md drawn from DiagramLayout with ImDrawList, every
// coroutine a token in the box of its place, gliding along the edge of each transition.
// Tutorial 03 (yielding operations) introduces the loop; 10 reads it from a trace.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "cogen/viz/event_text.hpp"
#include "help.hpp"
#include "palette.hpp"
#include "panels.hpp"
#include "widgets.hpp"

namespace cogen::viz {
namespace {

ImVec2 iv(ScreenPoint p) {
    return {p.x, p.y};
}

// Text on the diagram is never smaller than the panels' font (it grows with a big canvas), and
// a token never smaller than its id: on a small canvas boxes show fewer tokens ("+N") instead.
struct Canvas {
    ImDrawList* draw = nullptr;
    DiagramTransform tf;
    float font_size = 14;
    float min_radius = 10;  ///< screen pixels: room for a two-digit id
};

void draw_text(const Canvas& c, ImVec2 at, Rgb color, std::string_view text, float size,
               bool centred = false) {
    const ImVec2 extent =
        ImGui::GetFont()->CalcTextSizeA(size, 1e9f, 0, text.data(), text.data() + text.size());
    if (centred) at = {at.x - extent.x / 2, at.y - extent.y / 2};
    c.draw->AddText(ImGui::GetFont(), size, at, packed(color), text.data(),
                    text.data() + text.size());
}

// `label` as one line when it is at most `width` pixels wide at `size`, else split at the
// space nearest its middle (a label without a space stays one line).
std::pair<std::string, std::string> split_label(std::string_view label, float size, float width) {
    const float w =
        ImGui::GetFont()->CalcTextSizeA(size, 1e9f, 0, label.data(), label.data() + label.size()).x;
    if (w <= width) return {std::string(label), {}};
    std::size_t best = std::string::npos;
    for (std::size_t i = label.find(' '); i != std::string::npos; i = label.find(' ', i + 1)) {
        const auto off = [&](std::size_t k) {
            return k > label.size() / 2 ? k - label.size() / 2 : label.size() / 2 - k;
        };
        if (best == std::string::npos || off(i) < off(best)) best = i;
    }
    if (best == std::string::npos) return {std::string(label), {}};
    return {std::string(label.substr(0, best)), std::string(label.substr(best + 1))};
}

void draw_edges(const Canvas& c, const DiagramLayout& layout) {
    const float s = c.tf.scale();
    const float thick = std::max(1.0f, 1.6f * s);
    const ImU32 col = packed(edge_rgb);
    for (const Edge& e : layout.edges()) {
        std::vector<ImVec2> pts;
        pts.reserve(e.path.size());
        for (const Point& p : e.path) pts.push_back(iv(c.tf.to_screen(p)));
        c.draw->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, 0, thick);
        // Arrow head on the last segment.
        const ImVec2 a = pts[pts.size() - 2];
        const ImVec2 b = pts.back();
        const float dx = b.x - a.x;
        const float dy = b.y - a.y;
        const float len = std::max(std::sqrt(dx * dx + dy * dy), 1e-3f);
        const float ux = dx / len;
        const float uy = dy / len;
        const float head = 7.0f * std::max(s, 0.6f);
        c.draw->AddTriangleFilled(
            b, {b.x - ux * head - uy * head * 0.5f, b.y - uy * head + ux * head * 0.5f},
            {b.x - ux * head + uy * head * 0.5f, b.y - uy * head - ux * head * 0.5f}, col);
        if (e.show_label && !e.label.empty()) {
            const ScreenPoint at = c.tf.to_screen(e.label_at);
            // A label wider than the edge's longest stretch goes on two lines.
            float span = 0;
            for (std::size_t i = 1; i < pts.size(); ++i)
                span = std::max(span, std::hypot(pts[i].x - pts[i - 1].x, pts[i].y - pts[i - 1].y));
            const auto [first, second] = split_label(e.label, c.font_size, span * 0.95f);
            // The horizontal stretch of the edge under or over the label, if any: the text
            // keeps clear of it (growing away from it when it takes two lines).
            std::optional<float> line_y;
            bool below = false;
            for (std::size_t i = 1; i < pts.size(); ++i) {
                if (std::abs(pts[i].y - pts[i - 1].y) > 1) continue;
                if (at.x < std::min(pts[i - 1].x, pts[i].x) ||
                    at.x > std::max(pts[i - 1].x, pts[i].x))
                    continue;
                if (!line_y || std::abs(pts[i].y - at.y) < std::abs(*line_y - at.y)) {
                    line_y = pts[i].y;
                    below = at.y > pts[i].y;
                }
            }
            const float fs = c.font_size;
            const float rows = second.empty() ? 1.0f : 2.0f;
            // Centre of the first line: the one-line place, moved clear of the edge.
            float centre = at.y - fs * 0.5f;
            if (line_y && below) centre = std::max(centre, *line_y + fs * 0.5f + 3);
            if (line_y && !below) {
                centre = std::min(centre, *line_y - fs * 0.5f - 3);
                centre -= (rows - 1) * fs * 1.05f;  // the last line keeps the place
            }
            draw_text(c, {at.x, centre}, dim_text_rgb, first, fs, true);
            if (!second.empty())
                draw_text(c, {at.x, centre + fs * 1.05f}, dim_text_rgb, second, fs, true);
        }
    }
}

void draw_boxes(const Canvas& c, const FrameData& f, const ViewState& view) {
    const RestLayout& rest = view.diagram.rest;
    // The room the proactor's fd list has on its title line: after the title, before the count.
    float fds_left = 0, fds_right = 0;
    for (int b = 0; b < box_count; ++b) {
        const Box box = static_cast<Box>(b);
        const ScreenRect r = c.tf.to_screen(f.layout.box(box));
        const bool selected = view.diagram.selected_box == b;
        const float round = 4.0f * c.tf.scale();
        c.draw->AddRectFilled({r.x, r.y}, {r.x + r.w, r.y + r.h}, packed(box_fill_rgb), round);
        c.draw->AddRect({r.x, r.y}, {r.x + r.w, r.y + r.h},
                        packed(selected ? selection_rgb : box_rgb(box)), round, 0,
                        selected ? 3.0f : 2.0f);
        const float title_size = c.font_size;
        // "coroutine (co_await)" becomes "coroutine" where the box is too narrow for it.
        std::string_view name = title(box);
        const auto width = [&](std::string_view t) {
            return ImGui::GetFont()
                ->CalcTextSizeA(title_size, 1e9f, 0, t.data(), t.data() + t.size())
                .x;
        };
        if (const std::size_t paren = name.find(" (");
            paren != std::string_view::npos && width(name) > r.w - 10)
            name = name.substr(0, paren);
        draw_text(c, {r.x + 5, r.y + 3}, text_rgb, name, title_size);
        float right = r.x + r.w - 5;
        const std::size_t n = rest.counts[static_cast<std::size_t>(b)];
        if (n > 0 && r.w >= 100) {
            const std::string count = std::to_string(n);
            const float w = ImGui::GetFont()->CalcTextSizeA(title_size, 1e9f, 0, count.c_str()).x;
            draw_text(c, {r.x + r.w - w - 5, r.y + 3}, dim_text_rgb, count, title_size);
            right -= w;
        }
        if (box == Box::proactor) {
            fds_left = r.x + 5 + width(name) + 12;
            fds_right = right - 12;
        }
    }
    // The proactor shows its registered fds beside its title, as many as fit between the
    // title and the count (up to 8, then "..."); none when not even one fits.
    if (!f.state.registrations.empty()) {
        const ScreenRect r = c.tf.to_screen(f.layout.box(Box::proactor));
        const auto width = [&](const std::string& t) {
            return ImGui::GetFont()->CalcTextSizeA(c.font_size, 1e9f, 0, t.c_str()).x;
        };
        const float room = fds_right - fds_left;
        std::string fds = "fds:";
        std::size_t shown = 0;
        for (const auto& [op, reg] : f.state.registrations) {
            const std::string next = " " + std::to_string(reg.fd) +
                                     (reg.interest == FdInterest::write  ? "w"
                                      : reg.interest == FdInterest::read ? "r"
                                                                         : "");
            const bool last = shown + 1 == f.state.registrations.size();
            if (shown == 8 || width(fds + next + (last ? "" : " ...")) > room) {
                fds += " ...";
                break;
            }
            fds += next;
            ++shown;
        }
        if (shown > 0 && width(fds) <= room)
            draw_text(c, {fds_right - width(fds), r.y + 3}, dim_text_rgb, fds, c.font_size);
    }
}

// Recomputes the rest layout when the state changed, and starts a motion for every
// coroutine whose place kind changed since the last frame drawn.
void update_tokens(const FrameData& f, DiagramView& d,
                   const std::array<std::size_t, box_count>& caps) {
    const bool same = d.drawn_seq == f.state.seq && d.drawn_events == f.state.events_applied &&
                      d.rest.caps == caps && d.rest.spots.size() == f.state.coroutines.size() &&
                      std::equal(d.drawn_order.begin(), d.drawn_order.end(), f.queue_order.begin(),
                                 f.queue_order.end());
    if (same) return;
    d.drawn_order.assign(f.queue_order.begin(), f.queue_order.end());
    RestLayout next = rest_layout(f.state, f.layout, d.max_per_box, f.queue_order, caps);
    const bool forward = f.state.seq > d.drawn_seq && d.drawn_seq != 0;
    std::vector<TokenMotion> started;
    if (f.motion_s > 0 && forward) {
        if (f.model.transition_count_between(d.drawn_seq, f.state.seq) <= 1024) {
            const auto moved = f.model.transitions_between(d.drawn_seq, f.state.seq);
            // The last transition of each coroutine decides the edge it travels.
            for (auto it = moved.rbegin(); it != moved.rend(); ++it) {
                if (it->from == it->to) continue;
                const bool seen =
                    std::any_of(started.begin(), started.end(),
                                [&](const TokenMotion& m) { return m.coro == it->coro; });
                if (seen) continue;
                const Box from = place_to_box(it->from);
                const Box to = place_to_box(it->to);
                const TokenSpot* now = next.find(it->coro);
                if (from == to || now == nullptr || now->box != to) continue;
                const TokenSpot* before = d.rest.find(it->coro);
                const Point from_rest =
                    before && before->box == from ? before->at : f.layout.box(from).center();
                started.push_back({it->coro, from, to, from_rest, f.clock_s});
            }
        }
    }
    if (!forward) d.motions.clear();
    for (const TokenMotion& m : started) {
        auto it =
            std::lower_bound(d.motions.begin(), d.motions.end(), m.coro,
                             [](const TokenMotion& x, std::uint64_t id) { return x.coro < id; });
        if (it != d.motions.end() && it->coro == m.coro) {
            *it = m;
        } else {
            d.motions.insert(it, m);
        }
    }
    d.rest = std::move(next);
    d.drawn_seq = f.state.seq;
    d.drawn_events = f.state.events_applied;
}

struct DrawnToken {
    std::uint64_t coro = 0;
    ImVec2 at;
    float radius = 0;
};

// How a token is labelled besides its id: its name under it (cut to `name_width` pixels,
// when `name_height` pixels below the token hold a line; else no name), the fd it waits on
// beside it (proactor tokens), or its name beside it (a token in motion, so that a learner
// can follow it along the edge).
struct TokenLabels {
    float name_width = 0;
    float name_height = 0;
    float row_height = 0;  ///< the token's row, for labels beside it
    bool fd = false;
    bool name_beside = false;
};

// `text` cut (with "..") to fit `width` pixels at `size`.
std::string fit_text(std::string text, float size, float width) {
    const auto w = [&](const std::string& t) {
        return ImGui::GetFont()->CalcTextSizeA(size, 1e9f, 0, t.c_str()).x;
    };
    if (w(text) <= width) return text;
    while (text.size() > 1 && w(text + "..") > width) text.pop_back();
    // Fewer than three letters name nobody: better no label than "s..".
    return text.size() >= 3 ? text + ".." : std::string{};
}

void draw_token(const Canvas& c, const FrameData& f, const CoroutineState& co, ImVec2 at, float r,
                bool selected, TokenLabels labels) {
    const Rgb fill = place_rgb(co.place.kind);
    c.draw->AddCircleFilled(at, r, packed(fill), 20);
    c.draw->AddCircle(at, r, packed(shade(fill, 0.55)), 20, std::max(1.0f, r * 0.12f));
    if (selected) c.draw->AddCircle(at, r + 3, packed(selection_rgb), 24, 2.5f);
    // The id is always drawn, never smaller than legible: on a small window (1024x700) the
    // tokens shrink, and a dot says nothing about who it is.
    const std::string id = std::to_string(co.id);
    const float size =
        std::max(std::min(c.font_size, r * (id.size() > 2 ? 0.9f : 1.2f)), c.font_size * 0.8f);
    draw_text(c, at, text_on(fill), id, size, true);
    const float small = c.font_size;
    const std::string& name = f.model.coro_name(co.id);
    if (labels.fd && co.place.kind == PlaceKind::proactor && co.place.fd >= 0) {
        // The proactor box is wide and low: the name and the fd it waits on go beside the
        // token, one above the other.
        // Each only where it fits before the next token and within the row: the fd first,
        // the name above it when the row holds two lines.
        const std::string fd = "fd " + std::to_string(co.place.fd);
        const float width = labels.name_width - 2 * r - 6;
        if (ImGui::GetFont()->CalcTextSizeA(small, 1e9f, 0, fd.c_str()).x > width) return;
        if (labels.row_height < small * 1.1f) return;
        const std::string cut =
            labels.row_height >= small * 2.2f ? fit_text(name, small, width) : std::string{};
        if (cut.empty()) {
            draw_text(c, {at.x + r + 3, at.y - small * 0.5f}, dim_text_rgb, fd, small);
            return;
        }
        draw_text(c, {at.x + r + 3, at.y - small * 1.05f}, text_rgb, cut, small);
        draw_text(c, {at.x + r + 3, at.y + small * 0.05f}, dim_text_rgb, fd, small);
    } else if (labels.name_beside) {
        draw_text(c, {at.x + r + 3, at.y - small * 0.5f}, text_rgb, name, small);
    } else if (labels.name_width >= 24 && labels.name_height >= small * 1.1f) {
        // Under the token, within its grid cell: never over the next row's tokens.
        const std::string cut = fit_text(name, small, labels.name_width - 4);
        if (!cut.empty())
            draw_text(c, {at.x, at.y + r + small * 0.55f}, dim_text_rgb, cut, small, true);
    }
}

void token_tooltip(const FrameData& f, const CoroutineState& co) {
    ImGui::BeginTooltip();
    ImGui::Text("%s (coro %llu)", f.model.coro_name(co.id).c_str(),
                static_cast<unsigned long long>(co.id));
    place_chip(co.place.kind);
    const std::string op = op_text(f.model, co.place.op ? co.place.op : co.op,
                                   co.place.op ? co.place.op_type : co.op_type);
    if (!op.empty()) ImGui::Text("op: %s", op.c_str());
    const std::string target = wait_target(f.model, co.place);
    if (!target.empty()) ImGui::Text("waits on: %s", target.c_str());
    const std::uint64_t in = f.now_ns > co.since_t_ns ? f.now_ns - co.since_t_ns : 0;
    ImGui::Text("since seq %llu (%s)", static_cast<unsigned long long>(co.since_seq),
                format_duration(in).c_str());
    ImGui::TextDisabled("click to select");
    ImGui::EndTooltip();
}

void draw_caption(const Canvas& c, const FrameData& f, ScreenRect canvas) {
    char line[160];
    // Counted, not listed: the state leaves out coroutines ended long before the cursor.
    const std::uint64_t seen = f.state.alive + f.state.finished + f.state.failed + f.state.killed;
    std::snprintf(line, sizeof line, "seq %llu   t = %s   %llu coroutines, %llu alive",
                  static_cast<unsigned long long>(f.cursor_seq),
                  format_duration(f.state.t_ns).c_str(), static_cast<unsigned long long>(seen),
                  static_cast<unsigned long long>(f.state.alive));
    const float w = ImGui::GetFont()->CalcTextSizeA(c.font_size, 1e9f, 0, line).x;
    const ScreenPoint top_right = c.tf.to_screen(Point{DiagramLayout::width, 0});
    const float x = std::min(top_right.x, canvas.x + canvas.w) - w - 6;
    draw_text(c, {x, std::max(top_right.y, canvas.y) + 4}, text_rgb, line, c.font_size);
}

void draw_legend(const Canvas& c, float canvas_bottom) {
    constexpr PlaceKind kinds[] = {
        PlaceKind::running,  PlaceKind::active,     PlaceKind::processing, PlaceKind::proactor,
        PlaceKind::io_ready, PlaceKind::timer,      PlaceKind::signal,     PlaceKind::join,
        PlaceKind::queue,    PlaceKind::finalizing, PlaceKind::finished,   PlaceKind::failed,
    };
    // At the panels' font, in as many columns as fit right of op.run; the block sits on the
    // canvas's bottom edge when the diagram's own corner is below it.
    const float row = c.font_size * 1.2f;
    const float r = c.font_size * 0.35f;
    float text_w = 0;
    for (const PlaceKind k : kinds) {
        const std::string_view t = to_string(k);
        text_w = std::max(
            text_w,
            ImGui::GetFont()->CalcTextSizeA(c.font_size, 1e9f, 0, t.data(), t.data() + t.size()).x);
    }
    const float col_w = 2 * r + 4 + text_w + 12;
    const ScreenPoint corner = c.tf.to_screen(Point{DiagramLayout::width, DiagramLayout::height});
    struct Block {
        ScreenPoint origin;
        std::size_t rows;
        float top;
    };
    const auto block_at = [&](Point at) {
        const ScreenPoint origin = c.tf.to_screen(at);
        const float room = std::max(corner.x - origin.x, col_w);
        const std::size_t cols =
            std::clamp<std::size_t>(static_cast<std::size_t>(room / col_w), 1, std::size(kinds));
        const std::size_t rows = (std::size(kinds) + cols - 1) / cols;
        return Block{origin, rows,
                     std::min(origin.y, canvas_bottom - static_cast<float>(rows) * row - 4)};
    };
    // Right of op.run, under the proactor's edge to it (layout y 480, its label above); when
    // the canvas is too short for that, a wider block under op.run and the finished box's
    // right (so the rows never climb onto that edge and its label).
    const float edge_y = c.tf.to_screen(Point{0, 486}).y;
    Block b = block_at(Point{650, 500});
    if (b.top < edge_y) b = block_at(Point{245, 516});
    const ScreenPoint origin = b.origin;
    const std::size_t rows = b.rows;
    const float top = b.top;
    for (std::size_t i = 0; i < std::size(kinds); ++i) {
        const float x = origin.x + static_cast<float>(i / rows) * col_w;
        const float y = top + static_cast<float>(i % rows) * row;
        c.draw->AddCircleFilled({x + r, y + row * 0.5f}, r, packed(place_rgb(kinds[i])), 12);
        draw_text(c, {x + 2 * r + 4, y + (row - c.font_size) / 2}, dim_text_rgb,
                  to_string(kinds[i]), c.font_size);
    }
}

}  // namespace

void draw_diagram_panel(const FrameData& f, ViewState& view) {
    DiagramView& d = view.diagram;
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImVec2 size = ImGui::GetContentRegionAvail();
    size.x = std::max(size.x, 50.0f);
    size.y = std::max(size.y, 50.0f);
    ImGui::InvisibleButton("diagram-canvas", size);
    const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
    const bool hovered = ImGui::IsItemHovered();

    const ScreenRect canvas{p0.x, p0.y, size.x, size.y};
    Canvas c;
    c.draw = ImGui::GetWindowDrawList();
    c.tf = DiagramTransform::fit(canvas);
    c.font_size = ImGui::GetFontSize() * std::clamp(c.tf.scale(), 1.0f, 1.2f);
    c.min_radius = ImGui::GetFontSize() * 0.7f;
    // How many tokens each box holds at this size, each at least min_radius with a gap
    // (computed again only when the canvas size or the cap changes).
    const double min_cell = (2.0 * c.min_radius + 3.0) / std::max(c.tf.scale(), 1e-3f);
    if (min_cell != d.caps_min_cell || d.max_per_box != d.caps_max_per_box) {
        for (int b = 0; b < box_count; ++b)
            d.caps[static_cast<std::size_t>(b)] =
                box_capacity(f.layout, static_cast<Box>(b), min_cell, d.max_per_box);
        d.caps_min_cell = min_cell;
        d.caps_max_per_box = d.max_per_box;
    }
    update_tokens(f, d, d.caps);
    c.draw->PushClipRect({canvas.x, canvas.y}, {canvas.x + canvas.w, canvas.y + canvas.h}, true);

    draw_edges(c, f.layout);
    draw_boxes(c, f, view);

    // Tokens at rest, then those travelling on top of them.
    std::array<float, box_count> radius{};
    std::array<TokenLabels, box_count> labels{};
    const bool fd_labels = d.rest.shown(Box::proactor) <= 4;  // room beside each token
    for (int b = 0; b < box_count; ++b) {
        const Box box = static_cast<Box>(b);
        const auto i = static_cast<std::size_t>(b);
        radius[i] = std::max(
            static_cast<float>(token_radius(f.layout, box, d.rest.shown(box))) * c.tf.scale(),
            c.min_radius);
        const TokenCell cell =
            token_cell(f.layout, box, std::min(d.rest.counts[i], d.rest.cap(box)));
        labels[i].name_width = static_cast<float>(cell.w) * c.tf.scale();
        // Below the token, within the cell: half the cell's height under its centre.
        labels[i].name_height = static_cast<float>(cell.h) * c.tf.scale() / 2 - radius[i];
        labels[i].row_height = static_cast<float>(cell.h) * c.tf.scale();
        labels[i].fd = fd_labels;
    }
    std::vector<DrawnToken> drawn;
    std::vector<std::size_t> moving;
    for (std::size_t i = 0; i < d.rest.spots.size(); ++i) {
        const TokenSpot& s = d.rest.spots[i];
        if (!s.shown) continue;
        auto m =
            std::lower_bound(d.motions.begin(), d.motions.end(), s.coro,
                             [](const TokenMotion& x, std::uint64_t id) { return x.coro < id; });
        const bool in_motion =
            m != d.motions.end() && m->coro == s.coro && f.clock_s - m->start_s < f.motion_s;
        if (in_motion) {
            moving.push_back(i);
            continue;
        }
        const float r = radius[static_cast<std::size_t>(s.box)];
        const ImVec2 at = iv(c.tf.to_screen(s.at));
        draw_token(c, f, f.state.coroutines[i], at, r, view.selected_coro == s.coro,
                   labels[static_cast<std::size_t>(s.box)]);
        drawn.push_back({s.coro, at, r});
    }
    for (std::size_t i : moving) {
        const TokenSpot& s = d.rest.spots[i];
        auto m =
            std::lower_bound(d.motions.begin(), d.motions.end(), s.coro,
                             [](const TokenMotion& x, std::uint64_t id) { return x.coro < id; });
        const double t01 = (f.clock_s - m->start_s) / f.motion_s;
        const Point p = moving_token(f.layout, m->from, m->to, m->from_rest, s.at, t01);
        const float r = std::max(radius[static_cast<std::size_t>(s.box)], 6.0f * c.tf.scale());
        const ImVec2 at = iv(c.tf.to_screen(p));
        draw_token(c, f, f.state.coroutines[i], at, r, view.selected_coro == s.coro,
                   {.name_beside = true});
        drawn.push_back({s.coro, at, r});
    }
    std::erase_if(d.motions,
                  [&](const TokenMotion& m) { return f.clock_s - m.start_s >= f.motion_s; });
    for (int b = 0; b < box_count; ++b) {
        const Box box = static_cast<Box>(b);
        const std::size_t hidden = d.rest.hidden(box);
        if (hidden == 0) continue;
        const ImVec2 at = iv(c.tf.to_screen(overflow_slot(f.layout, d.rest, box)));
        draw_text(c, at, text_rgb, "+" + std::to_string(hidden), c.font_size, true);
    }
    draw_caption(c, f, canvas);
    draw_legend(c, canvas.y + canvas.h);
    c.draw->PopClipRect();

    // Hover and click: a token first, else a box.
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const DrawnToken* under = nullptr;
    for (const DrawnToken& t : drawn) {
        const float dx = mouse.x - t.at.x;
        const float dy = mouse.y - t.at.y;
        if (dx * dx + dy * dy <= (t.radius + 2) * (t.radius + 2)) under = &t;
    }
    if (hovered && under) {
        if (const CoroutineState* co = f.state.find(under->coro)) token_tooltip(f, *co);
    }
    if (clicked) {
        if (under) {
            view.select(under->coro);
            if (const TokenSpot* s = d.rest.find(under->coro))
                d.selected_box = static_cast<int>(s->box);
        } else {
            d.selected_box = -1;
            const Point at = c.tf.to_layout({mouse.x, mouse.y});
            for (int b = 0; b < box_count; ++b) {
                if (f.layout.box(static_cast<Box>(b)).contains(at)) d.selected_box = b;
            }
        }
    }
    // The heading goes last so that it sits on top of the canvas, top-left.
    ImGui::SetCursorScreenPos({p0.x + 4, p0.y + 2});
    panel_heading("Loop diagram", HelpTopic::diagram);
}

}  // namespace cogen::viz
