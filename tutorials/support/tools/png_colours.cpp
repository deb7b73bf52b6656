// png_colours FILE [MIN]: reads a PNG and fails (exit 1) unless it has at least MIN distinct
// colours (default 8). The tutorial.NN.png tests use it to tell a drawn window from a blank
// or single-colour frame. Exit 2: unreadable file or bad arguments.
#include <cstdio>
#include <cstdlib>
#include <unordered_set>

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <stb/stb_image.h>

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        std::fprintf(stderr, "usage: png_colours FILE [MIN]\n");
        return 2;
    }
    const long min_colours = argc == 3 ? std::strtol(argv[2], nullptr, 10) : 8;
    int w = 0, h = 0, n = 0;
    unsigned char* pixels = stbi_load(argv[1], &w, &h, &n, 3);
    if (!pixels) {
        std::fprintf(stderr, "png_colours: cannot read %s: %s\n", argv[1], stbi_failure_reason());
        return 2;
    }
    std::unordered_set<unsigned> colours;
    const long count = static_cast<long>(w) * h;
    for (long i = 0; i < count; ++i) {
        const unsigned char* p = pixels + 3 * i;
        colours.insert(unsigned(p[0]) << 16 | unsigned(p[1]) << 8 | p[2]);
    }
    stbi_image_free(pixels);
    std::printf("%s: %dx%d, %zu distinct colours\n", argv[1], w, h, colours.size());
    if (static_cast<long>(colours.size()) < min_colours) {
        std::fprintf(stderr, "png_colours: %s looks blank (%zu colours, want >= %ld)\n", argv[1],
                     colours.size(), min_colours);
        return 1;
    }
    return 0;
}
