// The tracer's umbrella header: sinks (Recorder, JsonlWriter, LiveFeed, PerfettoWriter,
// FlightRecorder), formats (JSON Lines, JSON document, Perfetto, text),
// the reader, analysis (summary, diff) and COGEN_TRACE parsing. Guide: docs/tracing.md.
#pragma once
#include "cogen/trace/event_text.hpp"
#include "cogen/trace/flight_recorder.hpp"
#include "cogen/trace/json_document.hpp"
#include "cogen/trace/jsonl_decoder.hpp"
#include "cogen/trace/jsonl_format.hpp"
#include "cogen/trace/jsonl_writer.hpp"
#include "cogen/trace/live_address.hpp"
#include "cogen/trace/live_client.hpp"
#include "cogen/trace/live_feed.hpp"
#include "cogen/trace/perfetto_export.hpp"
#include "cogen/trace/perfetto_writer.hpp"
#include "cogen/trace/process_header.hpp"
#include "cogen/trace/reader.hpp"
#include "cogen/trace/recorder.hpp"
#include "cogen/trace/summary.hpp"
#include "cogen/trace/text_render.hpp"
#include "cogen/trace/trace_data.hpp"
#include "cogen/trace/trace_diff.hpp"
#include "cogen/trace/trace_spec.hpp"
