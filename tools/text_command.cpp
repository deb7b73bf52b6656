// cogen-trace text FILE: the time-free rendering, one line per event, streamed.
#include <iostream>
#include <memory>

#include "cli_common.hpp"
#include "cogen/trace/text_render.hpp"

namespace cogen::trace::cli {

void add_text_command(CLI::App& app, int& exit_code) {
    auto* command = app.add_subcommand(
        "text", "Print the trace as time-free text, one line per event (what tests compare)");
    struct Args {
        InputOptions input;
        std::string path;
        bool normalize = false;
    };
    auto args = std::make_shared<Args>();
    command->add_flag("-n,--normalize", args->normalize,
                      "Number coroutines, ops and events by first appearance (as diff does)");
    add_trace_source(*command, args->path, args->input);
    add_range_options(*command, args->input);
    command->callback([args, &exit_code] {
        std::unique_ptr<TextRenderer> renderer;  // on the reader's string table, which grows
        std::string buf;
        stream_trace(args->path, args->input, [&](const TraceBatch& batch) {
            if (!renderer) {
                renderer = std::make_unique<TextRenderer>(
                    batch.strings, TextOptions{.normalize_ids = args->normalize});
            }
            for (const TraceEvent& e : batch.events) {
                buf.append(renderer->line(e));
                buf.push_back('\n');
                if (buf.size() >= (1u << 16)) {
                    std::cout << buf;
                    buf.clear();
                }
            }
        });
        std::cout << buf;
        exit_code = exit_ok;
    });
}

}  // namespace cogen::trace::cli
