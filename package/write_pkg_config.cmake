# Writes lib/pkgconfig/zaph.pc at install time (package/CMakeLists.txt includes it in the install
# script), with one variable of compile flags for each plugin directory the prefix has:
# clang14_cflags for lib/zaph/clang-14/, gcc12_cflags for lib/zaph/gcc-12/, ... A later install
# of another build into the same prefix writes it again with its own major added.
set(root "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}")
file(GLOB plugin_dirs RELATIVE ${root}/lib/zaph ${root}/lib/zaph/clang-* ${root}/lib/zaph/gcc-*)
list(SORT plugin_dirs COMPARE NATURAL)
set(variables "")
set(names "")
foreach(dir IN LISTS plugin_dirs)
  string(REPLACE "-" "" name "${dir}")
  if(dir MATCHES "^clang-")
    string(APPEND variables "${name}_cflags=-fplugin=\${plugindir}/${dir}/zaph-frontend.so "
      "-fpass-plugin=\${plugindir}/${dir}/zaph-pass.so\n")
  else()
    string(APPEND variables "${name}_cflags=-fplugin=\${plugindir}/${dir}/zaph.so\n")
  endif()
  list(APPEND names ${name})
endforeach()
string(REPLACE ";" " " names "${names}")
# pkg-config splits values at spaces unless they are escaped.
string(REPLACE " " "\\ " pc_prefix "${CMAKE_INSTALL_PREFIX}")
file(WRITE ${ZAPH_PC_WORK}/zaph.pc "prefix=${pc_prefix}
libdir=\${prefix}/lib
includedir=\${prefix}/include
plugindir=\${libdir}/zaph
# The plugin flags of each installed compiler major: pkg-config --variable=clang14_cflags zaph
compilers=${names}
${variables}
Name: zaph
Description: exact per-op access counts: the zaph runtime (static) and plugin flags
Version: ${ZAPH_VERSION}
Cflags: -I\${includedir}
Libs: -L\${libdir} -l:libzaph-rt.a -lpthread
")
# file(INSTALL) takes a file of the same modification time (to the second) as up to date: an
# install of another build just before this one wrote zaph.pc in the same second.
file(REMOVE ${root}/lib/pkgconfig/zaph.pc)
file(INSTALL ${ZAPH_PC_WORK}/zaph.pc DESTINATION ${CMAKE_INSTALL_PREFIX}/lib/pkgconfig)
