# install.deb: the Debian package `cpack -G DEB` makes in the build directory, its control
# fields and contents, extracted with dpkg-deb -x into a scratch root (no dpkg database
# touched); the kv project built with the root's zaph-cc through make, run, and its profile
# read by the root's zaph-report.
quietly cpack sh -c "cd '$ZAPH_BUILD' && cpack -G DEB -B '$work/cpack'"
step "package" sh -c 'ls cpack/*.deb | xargs -n1 basename'
deb=$(ls cpack/*.deb)
step "control" dpkg-deb -f "$deb" Package Version Architecture Section Depends Recommends
step "contents" sh -c "dpkg-deb -c '$deb' | awk '{print \$1, \$6, \$7, \$8}'"
dpkg-deb -x "$deb" root
copy_kv src
step "make" env ZAPH_CC_VERBOSE=1 make -s -C src CC="$PWD/root/usr/bin/zaph-cc"
step "run kv" env ZAPH_PROFILE_FILE="$PWD/kv.prof" src/kv <src/commands.txt
profile kv.prof
step "zaph-report convert" sh -c "root/usr/bin/zaph-report convert kv.prof | grep -c '^op	'"
