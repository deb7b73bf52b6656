// tutorial_readme: the README checks of a chapter (tutorials/AUTHORING.md, "README conventions").
//
//   tutorial_readme blocks README.md OUTDIR [runtime|plain]
//       writes every ```cpp block to OUTDIR/block-N.cpp behind a prelude of includes, for the
//       tutorial.NN.readme_cpp test to compile; ```cpp fragment blocks are skipped.
//   tutorial_readme quotes README.md CHAPTER_DIR
//       checks that every ```output block appears in expected.txt, every ```check block in
//       check.txt and every ```pick block in pick-expected.txt (each verbatim, as one piece),
//       that the README has a "Predict" heading, and that no ```check block comes before
//       the first one (the answer is never printed above its question).
// Exit 0 when all is well, 1 with one line per problem otherwise, 2 on bad arguments.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Block {
    std::string info;  // what follows ``` on the opening line ("cpp", "cpp fragment", "output")
    std::string text;  // the lines between the fences, each ending in '\n'
    int line = 0;      // 1-based line of the opening fence
    bool after_predict = false;
};

bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream s;
    s << in.rdbuf();
    out = s.str();
    return true;
}

std::vector<Block> blocks_of(const std::string& readme, bool& has_predict) {
    std::vector<Block> blocks;
    std::istringstream in(readme);
    std::string line;
    int n = 0;
    bool inside = false;
    has_predict = false;
    while (std::getline(in, line)) {
        ++n;
        if (!inside && line.rfind("#", 0) == 0 && line.find("Predict") != std::string::npos)
            has_predict = true;
        if (line.rfind("```", 0) == 0) {
            if (!inside) {
                blocks.push_back({line.substr(3), "", n, has_predict});
                inside = true;
            } else {
                inside = false;
            }
            continue;
        }
        if (inside) blocks.back().text += line + "\n";
    }
    return blocks;
}

int extract(const std::string& readme_path, const std::string& outdir, const std::string& kind) {
    std::string readme;
    if (!read_file(readme_path, readme)) {
        std::fprintf(stderr, "tutorial_readme: cannot read %s\n", readme_path.c_str());
        return 2;
    }
    bool has_predict = false;
    std::filesystem::create_directories(outdir);
    for (const auto& old : std::filesystem::directory_iterator(outdir))
        if (old.path().extension() == ".cpp") std::filesystem::remove(old.path());
    int count = 0;
    for (const Block& b : blocks_of(readme, has_predict)) {
        if (b.info != "cpp") continue;  // "cpp fragment", "output", "sh"... are not compiled
        const std::string path = outdir + "/block-" + std::to_string(++count) + ".cpp";
        std::ofstream out(path);
        out << "// " << readme_path << ", the ```cpp block at line " << b.line << "\n"
            << "#include <chrono>\n#include <cstdio>\n#include <string>\n#include <vector>\n";
        if (kind == "runtime")
            out << "#include \"cogen/cogen.hpp\"\n#include \"cogen/scheduler_observer.hpp\"\n"
                   "#include \"tutorial/chapter.hpp\"\n";
        out << "using namespace std::chrono_literals;\n#line " << b.line + 1 << " \"" << readme_path
            << "\"\n"
            << b.text;
    }
    std::printf("%d block(s)\n", count);
    return 0;
}

int quotes(const std::string& readme_path, const std::string& dir) {
    std::string readme;
    if (!read_file(readme_path, readme)) {
        std::fprintf(stderr, "tutorial_readme: cannot read %s\n", readme_path.c_str());
        return 2;
    }
    bool has_predict = false;
    const std::vector<Block> blocks = blocks_of(readme, has_predict);
    int problems = 0;
    auto problem = [&](int line, const std::string& what) {
        std::fprintf(stderr, "%s:%d: %s\n", readme_path.c_str(), line, what.c_str());
        ++problems;
    };
    if (!has_predict) problem(1, "no \"Predict\" heading: every chapter asks before it tells");
    for (const Block& b : blocks) {
        std::string file;
        if (b.info == "output")
            file = "expected.txt";
        else if (b.info == "check")
            file = "check.txt";
        else if (b.info == "pick")
            file = "pick-expected.txt";
        else
            continue;
        if (b.info == "check" && !b.after_predict)
            problem(b.line,
                    "a ```check block before the first Predict heading gives the answer away");
        std::string text;
        if (!read_file(dir + "/" + file, text)) {
            problem(b.line, "```" + b.info + " block, but there is no " + file);
        } else if (text.find(b.text) == std::string::npos) {
            problem(b.line, "this ```" + b.info + " block is not in " + file +
                                " (quote it verbatim, one piece per block)");
        }
    }
    return problems == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string cmd = argc > 1 ? argv[1] : "";
    if (cmd == "blocks" && (argc == 4 || argc == 5))
        return extract(argv[2], argv[3], argc == 5 ? argv[4] : "runtime");
    if (cmd == "quotes" && argc == 4) return quotes(argv[2], argv[3]);
    std::fprintf(stderr,
                 "usage: tutorial_readme blocks README.md OUTDIR [runtime|plain]\n"
                 "       tutorial_readme quotes README.md CHAPTER_DIR\n");
    return 2;
}
