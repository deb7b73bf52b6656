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

# _cogen_find_dep(<target> <VAR> <pkg-config module> <header> <library> [PATH_SUFFIXES ...]):
# imports <target> from <header>'s folder and <library> once both are found, and sets
# COGEN_<VAR>_FOUND in the caller's caller (the cogen_find_* function's caller).
macro(_cogen_find_dep target var module header library)
    cmake_parse_arguments(_COGEN_DEP "" "" "PATH_SUFFIXES" ${ARGN})
    if(NOT TARGET ${target})
        _cogen_dep_pkg_hints(${module} _COGEN_PC_${var})
        find_path(COGEN_${var}_INCLUDE_DIR ${header} HINTS ${_COGEN_PC_${var}_INCLUDE_DIRS}
                  PATH_SUFFIXES ${_COGEN_DEP_PATH_SUFFIXES})
        find_library(COGEN_${var}_LIBRARY ${library} HINTS ${_COGEN_PC_${var}_LIBRARY_DIRS})
        mark_as_advanced(COGEN_${var}_INCLUDE_DIR COGEN_${var}_LIBRARY)
        if(COGEN_${var}_INCLUDE_DIR AND COGEN_${var}_LIBRARY)
            _cogen_dep_import(${target} ${COGEN_${var}_LIBRARY} ${COGEN_${var}_INCLUDE_DIR})
        endif()
    endif()
    if(TARGET ${target})
        set(COGEN_${var}_FOUND TRUE PARENT_SCOPE)
    else()
        set(COGEN_${var}_FOUND FALSE PARENT_SCOPE)
    endif()
endmacro()

# liburing (Debian/Ubuntu: liburing-dev): the io_uring proactor.
function(cogen_find_uring)
    _cogen_find_dep(cogen_dep::uring URING liburing liburing.h uring)
endfunction()

# stb (Debian/Ubuntu: libstb-dev): PNG writing in the visualizer.
function(cogen_find_stb)
    _cogen_find_dep(cogen_dep::stb STB stb stb/stb_image_write.h stb)
endfunction()

# Dear ImGui (Debian/Ubuntu: libimgui-dev), whose library holds the GLFW and OpenGL3
# backends; its headers are included as <imgui.h> and <backends/...>. It needs stb
# (imgui.pc: Requires: stb), which it links.
function(cogen_find_imgui)
    cogen_find_stb()
    if(NOT COGEN_STB_FOUND)
        set(COGEN_IMGUI_FOUND FALSE PARENT_SCOPE)
        return()
    endif()
    set(_cogen_new_imgui TRUE)
    if(TARGET cogen_dep::imgui)
        set(_cogen_new_imgui FALSE)
    endif()
    _cogen_find_dep(cogen_dep::imgui IMGUI imgui imgui.h imgui PATH_SUFFIXES imgui)
    if(_cogen_new_imgui AND TARGET cogen_dep::imgui)
        set_property(TARGET cogen_dep::imgui APPEND PROPERTY
                     INTERFACE_LINK_LIBRARIES cogen_dep::stb ${CMAKE_DL_LIBS})
    endif()
endfunction()
