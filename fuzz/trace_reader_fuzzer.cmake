# cogen_trace_reader_fuzzer(NAME SOURCE): a libFuzzer target (ASan + UBSan, -O2) over the trace
# reader, compiled from its sources directly with the two runtime files they need (event kind
# names; the tick clock, which the binary encoder converts a record's time with). Shared by fuzz/reader (JSON Lines, JSON document) and fuzz/binary.
get_filename_component(COGEN_ROOT ${CMAKE_CURRENT_LIST_DIR}/.. ABSOLUTE)
function(cogen_trace_reader_fuzzer name source)
    add_executable(${name} ${source}
        ${COGEN_ROOT}/libcogen/src/instrument.cpp
        ${COGEN_ROOT}/libcogen/src/tick_clock.cpp
        ${COGEN_ROOT}/tracer/src/binary_decoder.cpp
        ${COGEN_ROOT}/tracer/src/binary_format.cpp
        ${COGEN_ROOT}/tracer/src/binary_reader.cpp
        ${COGEN_ROOT}/tracer/src/buffered_input.cpp
        ${COGEN_ROOT}/tracer/src/json_cursor.cpp
        ${COGEN_ROOT}/tracer/src/json_document_reader.cpp
        ${COGEN_ROOT}/tracer/src/jsonl_decoder.cpp
        ${COGEN_ROOT}/tracer/src/jsonl_lines.cpp
        ${COGEN_ROOT}/tracer/src/read_state.cpp
        ${COGEN_ROOT}/tracer/src/reader.cpp
        ${COGEN_ROOT}/tracer/src/record_fields.cpp)
    target_include_directories(${name} PRIVATE
        ${COGEN_ROOT}/libcogen/include ${COGEN_ROOT}/tracer/include ${COGEN_ROOT}/tracer/src)
    target_compile_options(${name} PRIVATE -g -O2 -fsanitize=fuzzer,address,undefined
                                           -fno-sanitize-recover=undefined)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
endfunction()
