# Compiles every ```cpp block of a chapter's README.md (tutorials/AUTHORING.md).
# Usage: cmake -DTOOL=tutorial_readme -DREADME=README.md -DOUT_DIR=dir -DKIND=runtime|plain
#              -DCXX=compiler "-DINCLUDES=dir;dir" -P compile_readme.cmake
# The tool writes each block to OUT_DIR/block-N.cpp behind a prelude of includes; each is
# checked with `CXX -std=c++20 -fsyntax-only` on its own.
cmake_minimum_required(VERSION 3.20)
execute_process(COMMAND ${TOOL} blocks ${README} ${OUT_DIR} ${KIND}
                RESULT_VARIABLE status ERROR_VARIABLE err)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "extracting the ```cpp blocks of ${README} failed:\n${err}")
endif()
set(flags -std=c++20 -fsyntax-only -Wall -Wextra)
foreach(dir IN LISTS INCLUDES)
    list(APPEND flags -I${dir})
endforeach()
file(GLOB blocks ${OUT_DIR}/block-*.cpp)
set(failed "")
foreach(block IN LISTS blocks)
    execute_process(COMMAND ${CXX} ${flags} ${block} RESULT_VARIABLE status
                    ERROR_VARIABLE err OUTPUT_VARIABLE out)
    if(NOT status EQUAL 0)
        message("${err}")
        list(APPEND failed ${block})
    endif()
endforeach()
if(failed)
    message(FATAL_ERROR "README code blocks that do not compile (errors above): ${failed}\n"
                        "A block that is not meant to compile is marked ```cpp fragment.")
endif()
list(LENGTH blocks n)
message(STATUS "${n} block(s) compile")
