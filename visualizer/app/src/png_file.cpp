// PNG output through stb_image_write; its implementation is compiled into libstb (Debian's
// libstb-dev), so this file only includes the declarations.
#include "png_file.hpp"

#include <stb/stb_image_write.h>

namespace cogen::viz {

bool write_png(const std::string& path, int width, int height,
               const std::vector<std::uint8_t>& rgba, std::string& error) {
    const std::size_t need = static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4;
    if (width <= 0 || height <= 0 || rgba.size() < need) {
        error = "no pixels to write";
        return false;
    }
    if (stbi_write_png(path.c_str(), width, height, 4, rgba.data(), width * 4) == 0) {
        error = "cannot write " + path;
        return false;
    }
    return true;
}

}  // namespace cogen::viz
