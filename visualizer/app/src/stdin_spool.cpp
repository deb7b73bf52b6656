// SpooledStdin: standard input copied to a temporary file (stdin_spool.hpp).
#include "stdin_spool.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <vector>

namespace cogen::viz {

SpooledStdin::SpooledStdin() {
    std::error_code ec;
    const std::filesystem::path tmp = std::filesystem::temp_directory_path(ec);
    std::string pattern = (ec ? std::filesystem::path("/tmp") : tmp) / "cogen-viz-stdin-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (!::mkdtemp(buffer.data())) {
        m_error = std::string("cannot make a temporary folder for standard input: ") +
                  std::strerror(errno);
        return;
    }
    m_dir = buffer.data();
    m_path = m_dir + "/stdin.jsonl";
    std::ofstream out(m_path, std::ios::binary);
    out << std::cin.rdbuf();  // an empty input sets failbit on `out`: not an error here
    out.clear();
    out.flush();
    if (!out) m_error = "cannot copy standard input to " + m_path;
}

SpooledStdin::~SpooledStdin() {
    if (m_dir.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
}

}  // namespace cogen::viz
