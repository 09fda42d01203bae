# install.layout: every file `cmake --install` puts in the prefix, and the links among them.
find "$ZAPH_PREFIX" -mindepth 1 -printf '%P %y %l\n' | sort | mask
