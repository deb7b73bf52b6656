// process_trace_header: this program's name and pid for trace headers.
// The name is the executable's (argv[0]'s base name, from /proc/self/cmdline), not the
// kernel's task name in /proc/self/comm, which is cut to 15 characters
// ("cogen-stall-hea" for cogen-stall-healthy). /proc/self/exe and then comm are fallbacks.
#include "cogen/trace/process_header.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace cogen::trace {
namespace {

std::string base_name(const std::string& path) {
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string argv0_name() {
    std::ifstream cmdline{"/proc/self/cmdline", std::ios::binary};
    std::string argv0;
    if (!cmdline || !std::getline(cmdline, argv0, '\0')) return {};
    return base_name(argv0);
}

std::string exe_name() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : exe.filename().string();
}

std::string comm_name() {
    std::ifstream comm{"/proc/self/comm"};
    std::string name;
    if (comm) std::getline(comm, name);
    return name;
}

}  // namespace

TraceHeader process_trace_header() {
    TraceHeader header;
    header.pid = static_cast<std::int64_t>(::getpid());
    header.program = argv0_name();
    if (header.program.empty()) header.program = exe_name();
    if (header.program.empty()) header.program = comm_name();
    return header;
}

}  // namespace cogen::trace
