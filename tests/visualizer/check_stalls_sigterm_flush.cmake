# Runs the victim with COGEN_TRACE=file:... and COGEN_STALLS=1; it raises SIGTERM after N
# Sleep{0} awaits. The trace must hold every one of them (an op.process of Sleep each): the
# stall check's ring is drained into the file sink before the sink flushes.
set(n 1000)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(trace ${WORK_DIR}/trace.jsonl)
set(ENV{COGEN_TRACE} file:${trace})
set(ENV{COGEN_STALLS} 1)
execute_process(COMMAND ${PROGRAM} ${n}
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err TIMEOUT 60)
# A death by a signal is a message, not a number ("Terminated", "Child killed by signal").
if(rc MATCHES "^[0-9]+$")
    message(FATAL_ERROR "the victim should have died of SIGTERM, exit ${rc}:\n${err}")
endif()
if(NOT EXISTS ${trace})
    message(FATAL_ERROR "no trace written (exit ${rc}):\n${err}")
endif()
file(STRINGS ${trace} processes REGEX "\"kind\":\"op\\.process\"")
list(LENGTH processes count)
# The n Sleeps, and the coroutine's first round (a start is not an op.process).
if(count LESS n)
    message(FATAL_ERROR "the trace holds ${count} op.process events of ${n}: the stall "
                        "check's ring was not drained into the file before the signal flush")
endif()
message(STATUS "SIGTERM with COGEN_TRACE and COGEN_STALLS: ${count} op.process events kept")
