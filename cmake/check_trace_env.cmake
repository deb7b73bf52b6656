# Runs PROGRAM ARGS with COGEN_TRACE=file:WORK_DIR/trace.jsonl and no display, then checks
# that the trace file exists and that it, or a later scheduler's trace-N.jsonl beside it,
# holds coroutine events (a program's first scheduler may run no coroutine).
# Usage: cmake -DPROGRAM=exe -DARGS="a;b" -DWORK_DIR=dir -P check_trace_env.cmake
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(trace ${WORK_DIR}/trace.jsonl)
execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=DISPLAY --unset=WAYLAND_DISPLAY
                        COGEN_TRACE=file:${trace} ${PROGRAM} ${ARGS}
                WORKING_DIRECTORY ${WORK_DIR}
                OUTPUT_VARIABLE out
                ERROR_VARIABLE err
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "${PROGRAM} exited with '${status}'.\nstderr:\n${err}\nstdout:\n${out}")
endif()
if(NOT EXISTS ${trace})
    message(FATAL_ERROR "${PROGRAM} ignored COGEN_TRACE: no ${trace}\nstderr:\n${err}")
endif()
file(GLOB traces ${WORK_DIR}/trace.jsonl ${WORK_DIR}/trace-*.jsonl)
foreach(file IN LISTS traces)
    file(READ ${file} text)
    string(FIND "${text}" "\"coro.spawn\"" at)
    if(NOT at EQUAL -1)
        message(STATUS "${PROGRAM}: COGEN_TRACE honoured (${file})")
        return()
    endif()
endforeach()
message(FATAL_ERROR "no coro.spawn event in ${traces}")
