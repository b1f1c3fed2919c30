# dmarcstat -- DMARC aggregate report collector.
#
#   make            build ./build/dmarcstat (release flags)
#   make deps       install missing Debian packages (apt only; quiet when all is there)
#   make run        deps, build, local PostgreSQL under ./var, ingest samples/, summary
#   make test       deps, ASan+UBSan build in ./build-test, unit + integration tests
#   make install    PREFIX=/usr/local DESTDIR=
#   make check-layers   include rules between the parts
#
# Each part builds a static library; tests link only what they test, so a
# dependency that points the wrong way fails at link time.

BUILD  ?= build
MODE   ?= release
PREFIX ?= /usr/local
DESTDIR ?=

PKGS := gmime-3.0 libarchive libxml-2.0 libpq libmicrohttpd glib-2.0 gio-2.0 gio-unix-2.0 \
        libcares libpsl libmaxminddb
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CC ?= cc
CPPFLAGS += -D_GNU_SOURCE -I. -I$(BUILD)
WARN := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wpointer-arith -Wvla -Wundef -fno-common
CFLAGS ?=
CFLAGS += -std=c11 -g $(WARN)
ifeq ($(MODE),test)
  CFLAGS  += -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
             -fno-omit-frame-pointer -Werror -DDMARCSTAT_TEST_BUILD=1
  LDFLAGS += -fsanitize=address,undefined
else
  CFLAGS  += -O2 -fstack-protector-strong -fPIE
  CPPFLAGS += -D_FORTIFY_SOURCE=2
  LDFLAGS += -pie -Wl,-z,relro,-z,now
endif

CORE_SRC   := $(wildcard core/*.c)
STORE_SRC  := $(wildcard store/*.c)
INGEST_SRC := $(wildcard ingest/*.c)
ADVISE_SRC := $(wildcard advise/*.c)
DNS_SRC    := $(wildcard dns/*.c)
CHECK_SRC  := $(wildcard check/*.c)
WEB_SRC    := $(wildcard web/*.c)
CLI_SRC    := $(wildcard cli/*.c)
SCHEMA_SQL := $(sort $(wildcard schema/*.sql))
STATIC     := $(sort $(wildcard web/static/*))
DATA       := $(sort $(wildcard data/*))
UNIT_SRC   := $(wildcard tests/unit/test_*.c)

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))

LIB_CORE   := $(BUILD)/libcore.a
LIB_STORE  := $(BUILD)/libstore.a
LIB_INGEST := $(BUILD)/libingest.a
LIB_ADVISE := $(BUILD)/libadvise.a
LIB_WEB    := $(BUILD)/libweb.a
LIB_DNS    := $(BUILD)/libdns.a
LIB_CHECK  := $(BUILD)/libcheck.a
ALL_LIBS   := $(LIB_WEB) $(LIB_ADVISE) $(LIB_CHECK) $(LIB_INGEST) $(LIB_STORE) $(LIB_DNS) $(LIB_CORE)

RES_C := $(BUILD)/resources.c
RES_O := $(BUILD)/resources.o
BIN   := $(BUILD)/dmarcstat
UNIT_BINS := $(patsubst %.c,$(BUILD)/%,$(UNIT_SRC))

.PHONY: all deps run stop test unit-tests install uninstall clean check-layers bench
all: $(BIN)

# V=1 shows the full command lines.
Q := $(if $(V),,@)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/lib%.a:
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIB_CORE):   $(call obj,$(CORE_SRC)) $(RES_O)
$(LIB_STORE):  $(call obj,$(STORE_SRC))
$(LIB_INGEST): $(call obj,$(INGEST_SRC))
$(LIB_ADVISE): $(call obj,$(ADVISE_SRC))
$(LIB_WEB):    $(call obj,$(WEB_SRC))
$(LIB_DNS):    $(call obj,$(DNS_SRC))
$(LIB_CHECK):  $(call obj,$(CHECK_SRC))

# The migrations, the static web assets and data/ (the known-senders map)
# are embedded in the binary, so an installed dmarcstat needs no files beside it.
$(BUILD)/resources.gresource.xml: $(SCHEMA_SQL) $(STATIC) $(DATA) Makefile
	@mkdir -p $(@D)
	$(Q){ echo '<?xml version="1.0" encoding="UTF-8"?>'; \
	  echo '<gresources><gresource prefix="/dmarcstat/schema">'; \
	  for f in $(SCHEMA_SQL); do echo "<file alias=\"$$(basename $$f)\">$(CURDIR)/$$f</file>"; done; \
	  echo '</gresource><gresource prefix="/dmarcstat/static">'; \
	  for f in $(STATIC); do echo "<file alias=\"$$(basename $$f)\">$(CURDIR)/$$f</file>"; done; \
	  echo '</gresource><gresource prefix="/dmarcstat/data">'; \
	  for f in $(DATA); do echo "<file alias=\"$$(basename $$f)\">$(CURDIR)/$$f</file>"; done; \
	  echo '</gresource></gresources>'; } > $@

$(RES_C): $(BUILD)/resources.gresource.xml $(SCHEMA_SQL) $(STATIC) $(DATA)
	$(Q)glib-compile-resources --generate-source --manual-register --c-name dmarcstat_resources --target=$@ $<

$(RES_O): $(RES_C)
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(filter-out -W%,$(CFLAGS)) -c $< -o $@

$(BIN): $(call obj,$(CLI_SRC)) $(ALL_LIBS)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(call obj,$(CLI_SRC)) $(ALL_LIBS) $(PKG_LIBS) -lcrypt -lm

# Unit tests link the libraries below the web; a test of store/ or web/
# code adds its library in UNIT_LIBS_test_<name>.
UNIT_LIBS := $(LIB_INGEST) $(LIB_CORE)
$(BUILD)/tests/unit/test_%: tests/unit/test_%.c $(UNIT_LIBS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(UNIT_LIBS_test_$*) $(UNIT_LIBS) $(PKG_LIBS) -lcrypt -lm

UNIT_LIBS_test_core := $(LIB_STORE)
$(BUILD)/tests/unit/test_core: $(LIB_STORE)
UNIT_LIBS_test_advise := $(LIB_ADVISE)
$(BUILD)/tests/unit/test_advise: $(LIB_ADVISE)
UNIT_LIBS_test_web := $(LIB_WEB) $(LIB_ADVISE) $(LIB_STORE)
$(BUILD)/tests/unit/test_web: $(LIB_WEB) $(LIB_ADVISE) $(LIB_STORE)
UNIT_LIBS_test_dns := $(LIB_DNS)
$(BUILD)/tests/unit/test_dns: $(LIB_DNS)
UNIT_LIBS_test_identity := $(LIB_DNS)
$(BUILD)/tests/unit/test_identity: $(LIB_DNS)
UNIT_LIBS_test_check := $(LIB_CHECK) $(LIB_DNS)
$(BUILD)/tests/unit/test_check: $(LIB_CHECK) $(LIB_DNS)

# libFuzzer targets (`make fuzz`) and the replay of their saved inputs,
# which joins the unit tests.
include tests/fuzz/fuzz.mk

unit-tests: $(UNIT_BINS)

deps:
	@sh tools/deps.sh

# The test build: AddressSanitizer + UndefinedBehaviorSanitizer, -Werror.
test: deps
	@$(MAKE) --no-print-directory BUILD=build-test MODE=test all unit-tests
	@$(MAKE) --no-print-directory check-layers
	@sh tests/run.sh build-test

run: deps
	@$(MAKE) --no-print-directory all
	@sh tools/run.sh $(BIN)

stop:
	@sh tools/stop.sh

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/systemd/system \
	           $(DESTDIR)$(PREFIX)/share/doc/dmarcstat
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/dmarcstat
	for unit in dmarcstat-ingest dmarcstat-serve; do \
	  sed 's|@BINDIR@|$(PREFIX)/bin|g' dist/$$unit.service \
	    > $(DESTDIR)$(PREFIX)/lib/systemd/system/$$unit.service; done
	install -m 0644 dist/dmarcstat.conf.example README.md $(DESTDIR)$(PREFIX)/share/doc/dmarcstat/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/dmarcstat \
	      $(DESTDIR)$(PREFIX)/lib/systemd/system/dmarcstat-ingest.service \
	      $(DESTDIR)$(PREFIX)/lib/systemd/system/dmarcstat-serve.service
	rm -rf $(DESTDIR)$(PREFIX)/share/doc/dmarcstat

# Dependencies point one way: core <- store <- ingest; core <- dns <- check;
# advise <- web; cli on top.
check-layers:
	@sh tools/check-layers.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@sh tools/bench.sh $(BIN)
	@sh tools/load.sh $(BIN)

clean:
	rm -rf build build-test

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
