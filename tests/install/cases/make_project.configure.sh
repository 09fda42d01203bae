# install.make_project.configure: the kv project through its configure script (kv/configure,
# in the manner of autoconf's: it builds and runs a test program) with CC=<prefix>/bin/zaph-cc,
# then make, then a run. The test program has no ops and leaves no profile.
copy_kv src
cd src || exit 1
step "configure" ./configure CC="$ZAPH_PREFIX/bin/zaph-cc"
step "config.mk" cat config.mk
quietly make make
step "run kv" env ZAPH_PROFILE_FILE="$work/kv.prof" ./kv <commands.txt
cd "$work" || exit 1
step "files" sh -c 'ls src | grep -v "\.[ch]$"'
profile kv.prof
