# Imported targets for the libraries cogen links that ship no CMake package of their own:
# cogen_dep::uring (liburing), cogen_dep::stb (libstb) and cogen_dep::imgui (Dear ImGui with
# its GLFW and OpenGL3 backends, Debian's libimgui-dev). The build uses them, and the
# installed cogenConfig.cmake includes this same file so that a program linking the static
# cogen libraries gets the same libraries under the same target names.
#
# Each function sets <NAME>_FOUND in the caller. pkg-config is used for hints when present;
# find_library/find_path do the finding, so neither the build nor a consumer needs it.

function(_cogen_dep_import target library include_dir)
    if(NOT TARGET ${target})
        add_library(${target} UNKNOWN IMPORTED GLOBAL)
        set_target_properties(${target} PROPERTIES IMPORTED_LOCATION "${library}"
                                                   INTERFACE_INCLUDE_DIRECTORIES "${include_dir}")
    endif()
endfunction()

function(_cogen_dep_pkg_hints module prefix)
    find_package(PkgConfig QUIET)
    if(PkgConfig_FOUND)
        pkg_check_modules(${prefix} QUIET ${module})
        set(${prefix}_LIBRARY_DIRS "${${prefix}_LIBRARY_DIRS}" PARENT_SCOPE)
        set(${prefix}_INCLUDE_DIRS "${${prefix}_INCLUDE_DIRS}" PARENT_SCOPE)
    endif()
endfunction()

# liburing (Debian/Ubuntu: liburing-dev): the io_uring proactor.
function(cogen_find_uring)
    if(NOT TARGET cogen_dep::uring)
        _cogen_dep_pkg_hints(liburing _COGEN_PC_URING)
        find_path(COGEN_URING_INCLUDE_DIR liburing.h HINTS ${_COGEN_PC_URING_INCLUDE_DIRS})
        find_library(COGEN_URING_LIBRARY uring HINTS ${_COGEN_PC_URING_LIBRARY_DIRS})
        mark_as_advanced(COGEN_URING_INCLUDE_DIR COGEN_URING_LIBRARY)
        if(COGEN_URING_INCLUDE_DIR AND COGEN_URING_LIBRARY)
            _cogen_dep_import(cogen_dep::uring ${COGEN_URING_LIBRARY} ${COGEN_URING_INCLUDE_DIR})
        endif()
    endif()
    if(TARGET cogen_dep::uring)
        set(COGEN_URING_FOUND TRUE PARENT_SCOPE)
    else()
        set(COGEN_URING_FOUND FALSE PARENT_SCOPE)
    endif()
endfunction()

# stb (Debian/Ubuntu: libstb-dev): PNG writing in the visualizer.
function(cogen_find_stb)
    if(NOT TARGET cogen_dep::stb)
        _cogen_dep_pkg_hints(stb _COGEN_PC_STB)
        find_path(COGEN_STB_INCLUDE_DIR stb/stb_image_write.h)
        find_library(COGEN_STB_LIBRARY stb HINTS ${_COGEN_PC_STB_LIBRARY_DIRS})
        mark_as_advanced(COGEN_STB_INCLUDE_DIR COGEN_STB_LIBRARY)
        if(COGEN_STB_INCLUDE_DIR AND COGEN_STB_LIBRARY)
            _cogen_dep_import(cogen_dep::stb ${COGEN_STB_LIBRARY} ${COGEN_STB_INCLUDE_DIR})
        endif()
    endif()
    if(TARGET cogen_dep::stb)
        set(COGEN_STB_FOUND TRUE PARENT_SCOPE)
    else()
        set(COGEN_STB_FOUND FALSE PARENT_SCOPE)
    endif()
endfunction()

# Dear ImGui (Debian/Ubuntu: libimgui-dev), whose library holds the GLFW and OpenGL3
# backends; its headers are included as <imgui.h> and <backends/...>.
function(cogen_find_imgui)
    if(NOT TARGET cogen_dep::imgui)
        _cogen_dep_pkg_hints(imgui _COGEN_PC_IMGUI)
        find_path(COGEN_IMGUI_INCLUDE_DIR imgui.h HINTS ${_COGEN_PC_IMGUI_INCLUDE_DIRS}
                  PATH_SUFFIXES imgui)
        find_library(COGEN_IMGUI_LIBRARY imgui HINTS ${_COGEN_PC_IMGUI_LIBRARY_DIRS})
        mark_as_advanced(COGEN_IMGUI_INCLUDE_DIR COGEN_IMGUI_LIBRARY)
        cogen_find_stb()  # imgui.pc: Requires: stb
        if(COGEN_IMGUI_INCLUDE_DIR AND COGEN_IMGUI_LIBRARY AND COGEN_STB_FOUND)
            _cogen_dep_import(cogen_dep::imgui ${COGEN_IMGUI_LIBRARY} ${COGEN_IMGUI_INCLUDE_DIR})
            set_property(TARGET cogen_dep::imgui APPEND PROPERTY
                         INTERFACE_LINK_LIBRARIES cogen_dep::stb ${CMAKE_DL_LIBS})
        endif()
    endif()
    if(TARGET cogen_dep::imgui)
        set(COGEN_IMGUI_FOUND TRUE PARENT_SCOPE)
    else()
        set(COGEN_IMGUI_FOUND FALSE PARENT_SCOPE)
    endif()
endfunction()
