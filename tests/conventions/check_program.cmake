# One command-line convention of one program (tests/conventions/CMakeLists.txt).
# -DPROGRAM=path -DCHECK=help|badarg|version [-DNAME=... -DVERSION=...]
if(CHECK STREQUAL "help")
    execute_process(COMMAND ${PROGRAM} --help RESULT_VARIABLE rc OUTPUT_VARIABLE out
                    ERROR_VARIABLE err TIMEOUT 15)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${PROGRAM} --help exited ${rc} (want 0)\n${out}${err}")
    endif()
    if(NOT out MATCHES "[Uu]sage")
        message(FATAL_ERROR "${PROGRAM} --help printed no usage on stdout:\n${out}")
    endif()
elseif(CHECK STREQUAL "badarg")
    execute_process(COMMAND ${PROGRAM} --no-such-option RESULT_VARIABLE rc OUTPUT_VARIABLE out
                    ERROR_VARIABLE err TIMEOUT 15)
    if(NOT rc EQUAL 2)
        message(FATAL_ERROR "${PROGRAM} --no-such-option exited ${rc} (want 2)\n${out}${err}")
    endif()
    if(err STREQUAL "")
        message(FATAL_ERROR "${PROGRAM} --no-such-option said nothing on stderr")
    endif()
elseif(CHECK STREQUAL "version")
    execute_process(COMMAND ${PROGRAM} --version RESULT_VARIABLE rc OUTPUT_VARIABLE out
                    ERROR_VARIABLE err TIMEOUT 15)
    if(NOT rc EQUAL 0 OR NOT out STREQUAL "${NAME} ${VERSION}\n")
        message(FATAL_ERROR "${PROGRAM} --version: exit ${rc}, printed '${out}' "
                            "(want '${NAME} ${VERSION}', exit 0)\n${err}")
    endif()
else()
    message(FATAL_ERROR "unknown CHECK '${CHECK}'")
endif()
