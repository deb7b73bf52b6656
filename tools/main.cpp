// cogen-trace: command-line tool over trace files (summary, export, text, diff, stalls, why).
// Exit codes: 0 ok (and --help, --version), 1 findings (a diff, stalls), 2 bad input or usage.
// A FILE of "-" is standard input. Docs: docs/cogen-trace.md.
#include <cstdio>
#include <exception>
#include <system_error>

#include "cli_common.hpp"
#include "cogen/version.hpp"

int main(int argc, char** argv) {
    using namespace cogen::trace::cli;
    CLI::App app{
        "cogen-trace: summarize, export, render, compare and check cogen traces "
        "(JSON Lines or JSON document)"};
    app.set_version_flag("--version", "cogen-trace " COGEN_VERSION);
    app.require_subcommand(1);
    int exit_code = exit_ok;
    for (const CommandInstaller install :
         {&add_summary_command, &add_export_command, &add_text_command, &add_diff_command,
          &add_stalls_command, &add_why_command}) {
        install(app, exit_code);
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? exit_ok : exit_bad_input;
    } catch (const cogen::trace::TraceReadError& e) {
        std::fprintf(stderr, "cogen-trace: bad trace: %s\n", e.what());
        return exit_bad_input;
    } catch (const std::system_error& e) {
        std::fprintf(stderr, "cogen-trace: %s\n", e.what());
        return exit_bad_input;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cogen-trace: %s\n", e.what());
        return exit_bad_input;
    }
    return exit_code;
}
