# fuzz.mk -- libFuzzer targets and the replay of their saved inputs, which
# joins the unit tests.  Included by the Makefile before its unit-tests rule.
#
#   make fuzz                      build, seed and run every target 60 s
#   make fuzz FUZZ_SECONDS=1800    the long campaign
#   make fuzz FUZZ_TARGETS="xml mail"
#   make fuzz-build                only build build-fuzz/fuzz_*
#   make fuzz-clean                remove build-fuzz/ (corpus included)
#
# The same target sources (tests/fuzz/fuzz_NAME.c) are built twice:
#
#   - build-fuzz/fuzz_NAME: clang, libFuzzer, ASan, UBSan.  The project's
#     libraries are compiled again here, with coverage instrumentation
#     (-fsanitize=fuzzer-no-link), into one archive; the Makefile's own
#     builds only know gcc's release and test modes.  tools/fuzz.sh runs
#     these binaries.
#   - $(BUILD)/tests/unit/test_fuzz_replay: the Makefile's compiler and
#     flags (in MODE=test: gcc, ASan, UBSan, -Werror), every target renamed
#     to fuzz_NAME_one and driven by tests/fuzz/replay.c over the inputs in
#     tests/fuzz/regressions/NAME/.  It is one of UNIT_BINS, so `make test`
#     runs it.

FUZZ_NAMES   := mail unpack xml csv http config dns records
FUZZ_BUILD   := build-fuzz
FUZZ_CC      := clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(FUZZ_NAMES)

# -fno-sanitize-recover: a UBSan finding must stop the run, or libFuzzer
# never sees it.
FUZZ_SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CPPFLAGS := -D_GNU_SOURCE -I. -I$(FUZZ_BUILD)
# clang calls a g_autoptr() local that only exists to be freed "unused".
FUZZ_CFLAGS   := -std=c11 -g -O1 $(WARN) -Wno-unused-variable $(FUZZ_SAN) \
                 -fsanitize=fuzzer-no-link
FUZZ_LDFLAGS  := $(FUZZ_SAN) -fsanitize=fuzzer

FUZZ_LIB_SRC := $(CORE_SRC) $(STORE_SRC) $(INGEST_SRC) $(ADVISE_SRC) $(DNS_SRC) \
                $(CHECK_SRC) $(WEB_SRC)
FUZZ_LIB     := $(FUZZ_BUILD)/libdmarcstat.a
FUZZ_UTIL_O  := $(FUZZ_BUILD)/tests/fuzz/fuzz_util.o
FUZZ_BINS    := $(patsubst %,$(FUZZ_BUILD)/fuzz_%,$(FUZZ_TARGETS))

.PHONY: fuzz fuzz-build fuzz-clean

fuzz:
	@FUZZ_SECONDS="$(FUZZ_SECONDS)" FUZZ_TARGETS="$(FUZZ_TARGETS)" MAKE="$(MAKE)" \
	  sh tools/fuzz.sh

fuzz-build: $(FUZZ_BINS)

fuzz-clean:
	rm -rf $(FUZZ_BUILD)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZCC  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(PKG_CFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

# The embedded resources (static files for /static/) come from the
# Makefile's own generated source; they need no instrumentation.
$(FUZZ_BUILD)/resources.o: $(RES_C)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(PKG_CFLAGS) -g -O1 -c $< -o $@

# One archive: the linker takes only the objects a target needs.
$(FUZZ_LIB): $(patsubst %.c,$(FUZZ_BUILD)/%.o,$(FUZZ_LIB_SRC)) $(FUZZ_BUILD)/resources.o
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_UTIL_O) $(FUZZ_LIB)
	@$(if $(Q),echo "  FUZZLD  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $< $(FUZZ_UTIL_O) $(FUZZ_LIB) $(PKG_LIBS) -lcrypt -lm

# Built through the pattern rule above, yet kept: make would delete them
# as intermediate files and relink every target next time.
.SECONDARY: $(patsubst %,$(FUZZ_BUILD)/tests/fuzz/fuzz_%.o,$(FUZZ_NAMES)) $(FUZZ_UTIL_O)

ifneq ($(filter fuzz-build,$(MAKECMDGOALS)),)
-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
endif

# ---- the replay, a unit test ----

FUZZ_REPLAY      := $(BUILD)/tests/unit/test_fuzz_replay
FUZZ_REPLAY_OBJS := $(patsubst %,$(BUILD)/tests/fuzz/fuzz_%.replay.o,$(FUZZ_NAMES)) \
                    $(BUILD)/tests/fuzz/fuzz_util.o
UNIT_BINS += $(FUZZ_REPLAY)

# Each target under its own name, so that all of them link into one binary.
$(BUILD)/tests/fuzz/fuzz_%.replay.o: tests/fuzz/fuzz_%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -DLLVMFuzzerTestOneInput=fuzz_$*_one \
	  -MMD -MP -c $< -o $@

$(FUZZ_REPLAY): tests/fuzz/replay.c $(FUZZ_REPLAY_OBJS) $(ALL_LIBS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(FUZZ_REPLAY_OBJS) \
	  $(ALL_LIBS) $(PKG_LIBS) -lcrypt -lm
