// cogen-trace export --format json|perfetto|jsonl|binary|text [-o OUT] FILE: convert a trace.
#include "cli_common.hpp"
#include "cogen/trace/binary_format.hpp"
#include "cogen/trace/json_document.hpp"
#include "cogen/trace/jsonl_format.hpp"
#include "cogen/trace/perfetto_export.hpp"
#include "cogen/trace/text_render.hpp"

namespace cogen::trace::cli {

void add_export_command(CLI::App& app, int& exit_code) {
    auto* command = app.add_subcommand(
        "export",
        "Convert a trace: json (versioned document), perfetto (ui.perfetto.dev), "
        "jsonl, binary (what COGEN_TRACE=file: writes), text");
    struct Args {
        InputOptions input;
        std::string path, format = "json", out = "-";
    };
    auto args = std::make_shared<Args>();
    command
        ->add_option("FILE", args->path,
                     "Trace file (binary, .jsonl or .json; - reads standard input)")
        ->required()
        ->check(existing_file_or_stdin());
    command->add_option("-f,--format", args->format, "Output format")
        ->check(CLI::IsMember({"json", "perfetto", "jsonl", "binary", "text"}))
        ->capture_default_str();
    command->add_option("-o,--output", args->out, "Output file ('-' = standard output)")
        ->capture_default_str();
    add_input_options(*command, args->input);
    command->callback([args, &exit_code] {
        const TraceData data = load_trace(args->path, args->input);
        const auto out = open_output(args->out);
        if (args->format == "json") export_json(data, *out);
        if (args->format == "perfetto") export_perfetto(data, *out);
        if (args->format == "jsonl") export_jsonl(data, *out);
        if (args->format == "binary") export_binary(data, *out);
        if (args->format == "text") *out << render_text(data);
        out->flush();
        exit_code = *out ? exit_ok : exit_bad_input;
    });
}

}  // namespace cogen::trace::cli
