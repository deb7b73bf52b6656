# The one-way rule of docs/architecture.md, checked: a file may include headers of
# its own layer and of the layers below it, never of a layer above.
#
#   runtime (libcogen/) <- tracer (tracer/) <- model (visualizer/model/)
#                                            <- GUI (visualizer/app/), CLI (tools/)
#
# A layer's headers are the files under its include/ folder; a third-party library
# belongs to the lowest layer allowed to use it. Run as
#   cmake -DROOT=<source tree> -P check_layers.cmake
# It prints every offending line (file:line: includes X, a header of layer Y) and
# fails when there is one.
if(NOT ROOT)
    message(FATAL_ERROR "check_layers: pass -DROOT=<source tree>")
endif()

# Layers, lowest first: name, folders of its sources, its include folder.
set(layers runtime tracer model gui cli)
set(runtime_dirs libcogen)
set(runtime_include libcogen/include)
set(tracer_dirs tracer)
set(tracer_include tracer/include)
set(model_dirs visualizer/model)
set(model_include visualizer/model/include)
set(gui_dirs visualizer/app)
set(gui_include visualizer/app/include)
set(cli_dirs tools)
set(cli_include "")
# Third-party headers (by prefix) and the lowest layer that may include them.
set(third_party "nlohmann/=tracer" "imgui=gui" "GLFW/=gui" "EGL/=gui" "CLI/=cli")

# The rank of every header a layer provides, keyed by its include path.
set(rank 0)
foreach(layer IN LISTS layers)
    set(${layer}_rank ${rank})
    if(${layer}_include AND IS_DIRECTORY ${ROOT}/${${layer}_include})
        file(GLOB_RECURSE headers RELATIVE ${ROOT}/${${layer}_include}
             ${ROOT}/${${layer}_include}/*.hpp ${ROOT}/${${layer}_include}/*.h)
        foreach(header IN LISTS headers)
            string(MAKE_C_IDENTIFIER "${header}" key)
            set(owner_${key} ${layer})
        endforeach()
    endif()
    math(EXPR rank "${rank} + 1")
endforeach()

set(violations 0)
foreach(layer IN LISTS layers)
    set(files "")
    foreach(dir IN LISTS ${layer}_dirs)
        if(IS_DIRECTORY ${ROOT}/${dir})
            file(GLOB_RECURSE found ${ROOT}/${dir}/*.hpp ${ROOT}/${dir}/*.h ${ROOT}/${dir}/*.cpp)
            list(APPEND files ${found})
        endif()
    endforeach()
    foreach(file IN LISTS files)
        file(STRINGS ${file} lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
        file(RELATIVE_PATH shown ${ROOT} ${file})
        foreach(line IN LISTS lines)
            string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[<\"]([^>\"]+)[>\"].*$" "\\1"
                   included "${line}")
            set(owner "")
            string(MAKE_C_IDENTIFIER "${included}" key)
            if(DEFINED owner_${key})
                set(owner ${owner_${key}})
            else()
                foreach(entry IN LISTS third_party)
                    string(REPLACE "=" ";" pair "${entry}")
                    list(GET pair 0 prefix)
                    list(GET pair 1 lowest)
                    string(FIND "${included}" "${prefix}" at)
                    if(at EQUAL 0)
                        set(owner ${lowest})
                    endif()
                endforeach()
            endif()
            if(owner AND ${owner}_rank GREATER ${layer}_rank)
                # The GUI and the CLI are siblings: both sit on the model, neither on the other.
                message("${shown}: includes ${included}, a header of the ${owner} layer "
                        "(this file is in the ${layer} layer)")
                math(EXPR violations "${violations} + 1")
            endif()
        endforeach()
    endforeach()
endforeach()

if(violations GREATER 0)
    message(FATAL_ERROR "check_layers: ${violations} include(s) run up a layer")
endif()
message(STATUS "check_layers: every include points down or sideways")
