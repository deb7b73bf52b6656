// ChildProcess: runs a program of the build (the victim, cogen-trace) with arguments, extra
// environment and a working folder, and reports how it ended and what it printed.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

namespace cogen::trace::test {

struct ChildResult {
    int exit_code = -1;  ///< when it exited
    int signal = 0;      ///< when a signal ended it
    std::string out, err;
};

class ChildProcess {
  public:
    /// Starts `program args...` with `env` ("NAME=value") added, in folder `cwd` (if not empty).
    ChildProcess(const std::string& program, const std::vector<std::string>& args,
                 const std::vector<std::string>& env = {}, const std::string& cwd = {});
    ~ChildProcess();
    /// Reads one line of its standard output (without '\n'), or "" at its end.
    std::string read_line();
    void send_signal(int signo);
    /// Waits for it to end (killing it after `timeout_s`) and collects the rest of its output.
    ChildResult wait(int timeout_s = 30);

  private:
    pid_t m_pid = -1;
    int m_out = -1, m_err = -1;
    std::string m_out_buffer;
};

/// Runs to completion: `auto r = run_child(COGEN_TRACE_CLI, {"summary", path});`
ChildResult run_child(const std::string& program, const std::vector<std::string>& args,
                      const std::vector<std::string>& env = {}, const std::string& cwd = {});

}  // namespace cogen::trace::test
