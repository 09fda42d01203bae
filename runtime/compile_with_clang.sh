#!/bin/sh
# The runtime's C_COMPILER_LAUNCHER when CMake's C compiler is not clang (runtime/CMakeLists.txt):
# runs the same compile command with clang in place of that compiler, because the runtime's
# slow path uses clang's preserve_most calling convention, which GCC does not have.
# usage: compile_with_clang.sh CLANG COMPILER ARGUMENT...
clang=$1
shift 2
exec "$clang" "$@"
