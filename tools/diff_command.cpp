// cogen-trace diff A B: the first place where two traces stop doing the same things.
#include <iostream>

#include "cli_common.hpp"
#include "cogen/trace/trace_diff.hpp"

namespace cogen::trace::cli {

void add_diff_command(CLI::App& app, int& exit_code) {
    auto* command =
        app.add_subcommand("diff",
                           "Show the first divergence of two traces (time-free, ids normalized); "
                           "exit 1 when they differ");
    struct Args {
        InputOptions input;
        std::string left, right;
    };
    auto args = std::make_shared<Args>();
    command->add_option("A", args->left, "First trace")
        ->required()
        ->check(existing_file_or_stdin());
    command->add_option("B", args->right, "Second trace")
        ->required()
        ->check(existing_file_or_stdin());
    add_input_options(*command, args->input);
    command->callback([args, &exit_code] {
        const TraceData left = load_trace(args->left, args->input);
        const TraceData right = load_trace(args->right, args->input);
        const auto d = first_divergence(left, right);
        if (!d) {
            std::cout << "the traces match (" << left.events.size() << " events)\n";
            exit_code = exit_ok;
            return;
        }
        std::cout << "first divergence at event " << d->index + 1 << ":\n";
        for (const std::string& line : d->context) std::cout << "    " << line << "\n";
        std::cout << "A   " << (d->left.empty() ? "(trace ends)" : d->left) << "\n";
        std::cout << "B   " << (d->right.empty() ? "(trace ends)" : d->right) << "\n";
        exit_code = exit_findings;
    });
}

}  // namespace cogen::trace::cli
