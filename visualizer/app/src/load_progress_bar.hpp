// The progress bar of a file being indexed (replay mode's top bar): the share of the file
// indexed, with the events so far, the rate and the time left written over it.
#pragma once
#include "load_progress.hpp"
#include "palette.hpp"

namespace cogen::viz {

/// The bar's fill colour (tests look for it).
Rgb load_progress_rgb() noexcept;

/// One row: the bar across the window's width.
void draw_load_progress(const LoadProgress& progress);

}  // namespace cogen::viz
