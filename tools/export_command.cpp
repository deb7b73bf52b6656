// cogen-trace export --format json|perfetto|jsonl|binary|text [-o OUT] FILE: convert a trace.
// jsonl, binary and text stream the file; json reads a file twice (the document lists the whole
// string table before the events); perfetto holds the trace (its flows link across it).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "cli_common.hpp"
#include "cogen/trace/binary_format.hpp"
#include "cogen/trace/json_document.hpp"
#include "cogen/trace/jsonl_format.hpp"
#include "cogen/trace/perfetto_export.hpp"
#include "cogen/trace/text_render.hpp"

namespace cogen::trace::cli {
namespace {

// Every event of the slice in memory (perfetto, and json from standard input or a feed).
TraceData collect(const std::string& path, const InputOptions& input) {
    std::vector<TraceEvent> events;
    TraceData data = stream_trace(path, input, [&](const TraceBatch& batch) {
        events.insert(events.end(), batch.events.begin(), batch.events.end());
    });
    data.events = std::move(events);
    return data;
}

void stream_jsonl(const std::string& path, const InputOptions& input, std::ostream& out) {
    std::string buf;
    bool header = false;
    std::size_t strings_written = 1;  // id 0 is the empty string, never written
    const auto new_strings = [&](const StringTable& strings) {
        for (; strings_written < strings.size(); ++strings_written) {
            const auto id = static_cast<std::uint32_t>(strings_written);
            append_jsonl_string(buf, id, strings.get(id));
        }
    };
    const TraceData tail = stream_trace(path, input, [&](const TraceBatch& batch) {
        if (!header) append_jsonl_header(buf, batch.header);
        header = true;
        new_strings(batch.strings);
        for (const TraceEvent& e : batch.events) {
            append_jsonl_event(buf, e, batch.strings);
            if (buf.size() >= (1u << 16)) {
                out.write(buf.data(), std::ssize(buf));
                buf.clear();
            }
        }
    });
    if (!header) append_jsonl_header(buf, tail.header);
    new_strings(tail.strings);
    out.write(buf.data(), std::ssize(buf));
}

// The binary format (docs/trace-format.md) block by block: strings before the events that
// name them, a block written whenever it reaches BinaryEncoder::block_target.
void stream_binary(const std::string& path, const InputOptions& input, std::ostream& out) {
    std::string buf;
    BinaryEncoder encoder;
    bool header = false;
    std::size_t strings_written = 1;
    const auto new_strings = [&](const StringTable& strings) {
        for (; strings_written < strings.size(); ++strings_written) {
            const auto id = static_cast<std::uint32_t>(strings_written);
            encoder.add_string(id, strings.get(id));
        }
    };
    const auto flush = [&] {
        encoder.finish_block(buf);
        out.write(buf.data(), std::ssize(buf));
        buf.clear();
    };
    const TraceData tail = stream_trace(path, input, [&](const TraceBatch& batch) {
        if (!header) BinaryEncoder::append_header(buf, batch.header);
        header = true;
        new_strings(batch.strings);
        for (const TraceEvent& e : batch.events) {
            encoder.add_event(e);
            if (encoder.block_size() >= BinaryEncoder::block_target) flush();
        }
    });
    if (!header) BinaryEncoder::append_header(buf, tail.header);
    new_strings(tail.strings);
    flush();
}

void stream_json(const std::string& path, const InputOptions& input, std::ostream& out) {
    if (path == "-" || !input.attach.empty()) {
        export_json(collect(path, input), out);
        return;
    }
    InputOptions first = input;  // the first pass only learns the string table
    first.quiet = true;
    const TraceData tail = stream_trace(path, first, [](const TraceBatch&) {});
    JsonDocumentWriter writer{out, tail.header, tail.strings};
    stream_trace(path, input, [&](const TraceBatch& batch) {
        for (const TraceEvent& e : batch.events) writer.add(e);
    });
    writer.finish();
}

void stream_text(const std::string& path, const InputOptions& input, std::ostream& out) {
    std::unique_ptr<TextRenderer> renderer;
    std::string buf;
    stream_trace(path, input, [&](const TraceBatch& batch) {
        if (!renderer) renderer = std::make_unique<TextRenderer>(batch.strings);
        for (const TraceEvent& e : batch.events) {
            buf.append(renderer->line(e));
            buf.push_back('\n');
            if (buf.size() >= (1u << 16)) {
                out.write(buf.data(), std::ssize(buf));
                buf.clear();
            }
        }
    });
    out.write(buf.data(), std::ssize(buf));
}

}  // namespace

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
    add_range_options(*command, args->input);
    command->callback([args, &exit_code] {
        std::error_code ec;
        if (args->out != "-" && args->path != "-" &&
            std::filesystem::equivalent(args->out, args->path, ec)) {
            throw std::invalid_argument("export: the output " + args->out +
                                        " is the input file (it is read while written)");
        }
        auto out = open_output(args->out);
        try {
            if (args->format == "json") stream_json(args->path, args->input, *out);
            if (args->format == "perfetto") export_perfetto(collect(args->path, args->input), *out);
            if (args->format == "jsonl") stream_jsonl(args->path, args->input, *out);
            if (args->format == "binary") stream_binary(args->path, args->input, *out);
            if (args->format == "text") stream_text(args->path, args->input, *out);
        } catch (...) {
            // A bad trace leaves no half-written output file behind.
            out.reset();
            if (args->out != "-" && !args->out.empty()) std::remove(args->out.c_str());
            throw;
        }
        out->flush();
        exit_code = *out ? exit_ok : exit_bad_input;
    });
}

}  // namespace cogen::trace::cli
