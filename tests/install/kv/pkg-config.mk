# The kv server built with the flags zaph.pc gives: `make -f pkg-config.mk CC=clang-14
# COMPILER=clang14` (install tests); the runtime from --libs comes after the objects.
CFLAGS += $(shell pkg-config --cflags zaph) $(shell pkg-config --variable=$(COMPILER)_cflags zaph)
LDLIBS += $(shell pkg-config --libs zaph)
include Makefile
