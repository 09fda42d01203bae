# zaph's CMake package, installed as lib/cmake/zaph/zaphConfig.cmake: find_package(zaph) gives
#   zaph::runtime         the static runtime, libzaph-rt.a (with its include directory)
#   zaph::runtime_shared  the shared runtime, libzaph-rt.so
#   zaph_instrument(<target> [LIST <file>] [SHARED_RUNTIME])
#                         builds <target> with the zaph plugin of its compiler's major version
#                         and links the runtime after its objects
#   ZAPH_PLUGINS          the installed plugin directories, as clang-14;gcc-12
# The plugins are looked up here, when the package is used, so a prefix holding several
# builds' plugins (lib/zaph/clang-N/, lib/zaph/gcc-N/) serves each compiler with its own.
include(${CMAKE_CURRENT_LIST_DIR}/zaphTargets.cmake)
get_filename_component(ZAPH_PREFIX "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
set(ZAPH_PLUGIN_DIR ${ZAPH_PREFIX}/lib/zaph)
file(GLOB ZAPH_PLUGINS RELATIVE ${ZAPH_PLUGIN_DIR} ${ZAPH_PLUGIN_DIR}/clang-*
  ${ZAPH_PLUGIN_DIR}/gcc-*)
list(SORT ZAPH_PLUGINS COMPARE NATURAL)

# The plugin flags for the compiler of language LANG (C or CXX), in OUT; a fatal error naming
# TARGET when that compiler is not clang or GCC or its major has no plugin installed.
function(_zaph_plugin_flags target lang out)
  set(id ${CMAKE_${lang}_COMPILER_ID})
  set(compiler ${CMAKE_${lang}_COMPILER})
  string(REGEX MATCH "^[0-9]+" major "${CMAKE_${lang}_COMPILER_VERSION}")
  if(id STREQUAL "Clang")
    set(dir clang-${major})
    set(files zaph-frontend.so zaph-pass.so)
    set(flags -fplugin=${ZAPH_PLUGIN_DIR}/${dir}/zaph-frontend.so
      -fpass-plugin=${ZAPH_PLUGIN_DIR}/${dir}/zaph-pass.so)
  elseif(id STREQUAL "GNU")
    set(dir gcc-${major})
    set(files zaph.so)
    set(flags -fplugin=${ZAPH_PLUGIN_DIR}/${dir}/zaph.so)
  else()
    message(FATAL_ERROR "zaph_instrument(${target}): the ${lang} compiler ${compiler} is "
      "${id}, not clang or GCC; zaph has plugins only for those")
  endif()
  foreach(file IN LISTS files)
    if(NOT EXISTS ${ZAPH_PLUGIN_DIR}/${dir}/${file})
      string(REPLACE ";" ", " installed "${ZAPH_PLUGINS}")
      message(FATAL_ERROR "zaph_instrument(${target}): no zaph plugin for ${id} ${major} "
        "(${compiler}): ${ZAPH_PLUGIN_DIR}/${dir}/${file} does not exist (installed: "
        "${installed}). A plugin built for another major crashes the compiler: install zaph "
        "built for this compiler, or configure with one it has a plugin for.")
    endif()
  endforeach()
  set(${out} ${flags} PARENT_SCOPE)
endfunction()

function(zaph_instrument target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "SHARED_RUNTIME" "LIST" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "zaph_instrument(${target}): unexpected arguments "
      "'${arg_UNPARSED_ARGUMENTS}' (it takes [LIST <file>] [SHARED_RUNTIME])")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "zaph_instrument(${target}): there is no target '${target}'")
  endif()
  # One call a target: a second one would add a second list file or runtime beside the first's.
  get_target_property(done ${target} ZAPH_INSTRUMENTED)
  if(done)
    message(FATAL_ERROR "zaph_instrument(${target}): ${target} is instrumented already")
  endif()
  set_target_properties(${target} PROPERTIES ZAPH_INSTRUMENTED ON)
  set(list_flag)
  if(DEFINED arg_LIST)
    get_filename_component(list "${arg_LIST}" ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    if(NOT EXISTS ${list} OR IS_DIRECTORY ${list})
      message(FATAL_ERROR "zaph_instrument(${target}): the list file ${list} does not exist")
    endif()
    set(list_flag -fplugin-arg-zaph-list=${list})
    # An edited list file rebuilds the target's objects.
    get_target_property(sources ${target} SOURCES)
    set_property(SOURCE ${sources} TARGET_DIRECTORY ${target} APPEND PROPERTY
      OBJECT_DEPENDS ${list})
  endif()
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  foreach(lang C CXX)
    if(lang IN_LIST languages)
      _zaph_plugin_flags(${target} ${lang} flags)
      target_compile_options(${target} PRIVATE
        "$<$<COMPILE_LANGUAGE:${lang}>:${flags};${list_flag}>")
    endif()
  endforeach()
  # A shared library or module uses the runtime of the program that loads it (README.md).
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "SHARED_LIBRARY" OR type STREQUAL "MODULE_LIBRARY")
    target_include_directories(${target} PRIVATE ${ZAPH_PREFIX}/include)
  elseif(arg_SHARED_RUNTIME)
    target_link_libraries(${target} PRIVATE zaph::runtime_shared)
  else()
    target_link_libraries(${target} PRIVATE zaph::runtime)
  endif()
endfunction()
