// The progress bar of a file being indexed (see load_progress_bar.hpp).
#include "load_progress_bar.hpp"

#include <imgui.h>

#include "widgets.hpp"

namespace cogen::viz {

Rgb load_progress_rgb() noexcept {
    return shade(place_rgb(PlaceKind::running), 0.55);
}

void draw_load_progress(const LoadProgress& progress) {
    ImGui::PushStyleColor(ImGuiCol_PlotHistogram, to_vec4(load_progress_rgb()));
    ImGui::PushStyleColor(ImGuiCol_FrameBg, to_vec4(shade(box_fill_rgb, 1.0)));
    const std::string text = progress.text();
    ImGui::ProgressBar(static_cast<float>(progress.fraction()), {-1, 0}, text.c_str());
    ImGui::PopStyleColor(2);
}

}  // namespace cogen::viz
