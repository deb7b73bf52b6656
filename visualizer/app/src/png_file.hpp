// PNG output of a rendered frame (headless mode, doc pictures), through stb_image_write.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace cogen::viz {

/// Writes `rgba` (width x height, top row first) to `path`. False, with `error` set, on failure.
bool write_png(const std::string& path, int width, int height,
               const std::vector<std::uint8_t>& rgba, std::string& error);

}  // namespace cogen::viz
