#!/bin/sh
# install.prefix: installs this build into the install tests' scratch prefix, afresh.
set -eu
rm -rf "$ZAPH_PREFIX"
cmake --install "$ZAPH_BUILD" --prefix "$ZAPH_PREFIX" >/dev/null
