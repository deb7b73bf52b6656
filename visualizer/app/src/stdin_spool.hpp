// spool_stdin: cogen-viz's "-" (trace from standard input). The trace loader reads files (it
// looks at the start, then reads on), so standard input is first copied to a private
// temporary file, which SpooledStdin removes again.
#pragma once
#include <string>

namespace cogen::viz {

/// A copy of standard input in a temporary folder of its own (".../stdin.jsonl").
///
///     SpooledStdin in;
///     if (!in.ok()) fail(in.error());
///     load(in.path());
class SpooledStdin {
  public:
    SpooledStdin();
    ~SpooledStdin();
    SpooledStdin(const SpooledStdin&) = delete;
    SpooledStdin& operator=(const SpooledStdin&) = delete;

    bool ok() const noexcept { return m_error.empty(); }
    const std::string& path() const noexcept { return m_path; }
    const std::string& error() const noexcept { return m_error; }

  private:
    std::string m_dir;
    std::string m_path;
    std::string m_error;
};

}  // namespace cogen::viz
