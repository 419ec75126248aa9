# Reputation Manager. `make run` starts the whole stack; `make test` runs every test.
# See README.md for the rest.

PROGRAMS := auth campaigns patients reports webhooks sender
PKGS     := fcgi libpq json-c libcurl libxcrypt libctemplate libcrypto

CC      ?= cc
CXX     ?= c++
OPT     ?= -O2
CFLAGS  += -std=c11 -D_GNU_SOURCE -g $(OPT) -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -fno-strict-aliasing $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CXXFLAGS += -std=c++17 -g $(OPT) -Wall -Wextra -Werror $(shell pkg-config --cflags libctemplate 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lphonenumber -lstdc++
ifeq ($(SAN),1)
  CFLAGS   += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  CXXFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer
  LDFLAGS  += -fsanitize=address,undefined
  B := build/san
else
  B := build/release
endif

CORE_C   := $(sort $(wildcard fcgi/core/*.c))
CORE_CC  := $(sort $(wildcard fcgi/core/*.cc))
CORE_OBJ := $(CORE_C:fcgi/core/%.c=$(B)/core/%.o) $(CORE_CC:fcgi/core/%.cc=$(B)/core/%.o)
BINS     := $(PROGRAMS:%=$(B)/bin/%)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNITS    := $(UNIT_SRC:tests/unit/%.c=$(B)/unit/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

.PHONY: all deps run stop reset test unit unit-build integration fuzz fuzz-build bench migrate \
        print-programs \
        migrate-status migrate-down clean
all: $(BINS)

deps:
	scripts/install-deps.sh

# Quiet by default; `make V=1` prints every command.
ifeq ($(V),1)
  Q :=
  say = @true
else
  Q := @
  say = @echo "  $(1)	$(2)"
endif

$(B)/core/%.o: fcgi/core/%.c fcgi/core/*.h | $(B)/core
	$(call say,CC,$<)
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<
$(B)/core/%.o: fcgi/core/%.cc fcgi/core/*.h | $(B)/core
	$(call say,CXX,$<)
	$(Q)$(CXX) $(CXXFLAGS) -c -o $@ $<
$(B)/libcore.a: $(CORE_OBJ)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# A program is fcgi/<name>.c, or fcgi/<name>/*.c once it outgrows one file.
.SECONDEXPANSION:
$(B)/bin/%: $$(wildcard fcgi/$$*.c fcgi/$$*/*.c) $(B)/libcore.a fcgi/core/*.h | $(B)/bin
	$(call say,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -Ifcgi -o $@ $(filter %.c,$^) $(B)/libcore.a $(LDFLAGS) $(LDLIBS)

$(B)/unit/%: tests/unit/%.c $(B)/libcore.a fcgi/core/*.h | $(B)/unit
	$(call say,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -Ifcgi -o $@ $(filter %.c,$^) $(B)/libcore.a $(LDFLAGS) $(LDLIBS) -lcmocka

# Unit tests of a program's own pure modules link that module too.
$(B)/unit/test_practice_checks: fcgi/campaigns/practice_checks.c fcgi/campaigns/practice_checks.h
$(B)/unit/test_labels: fcgi/reports/audit_labels.c fcgi/reports/audit_labels.h

$(B)/core $(B)/bin $(B)/unit:
	mkdir -p $@

# Unit tests alone (no database needed).
unit: $(UNITS)
	scripts/test.sh unit $(UNITS)

unit-build: $(UNITS)

# Everything: unit tests (built with ASan and UBSan), fuzzers over their corpora, then a
# throwaway stack and the integration tests through nginx. Ends with one line:
# N passed, N failed.
SAN_UNITS := $(UNIT_SRC:tests/unit/%.c=build/san/unit/%)
test: deps all fuzz-build
	$(MAKE) --no-print-directory SAN=1 unit-build
	scripts/test.sh all $(SAN_UNITS)

integration: deps all
	scripts/test.sh integration

# libFuzzer harnesses (clang), one per parser. `make fuzz FUZZ_SECONDS=300` for longer.
FUZZ_SECONDS ?= 60
FZ := build/fuzz
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
               -fno-sanitize-recover=undefined $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -Ifcgi
FUZZ_BINS := $(FUZZ_SRC:tests/fuzz/%.c=$(FZ)/%)
# The core built again with clang and the sanitizers, as an archive: each harness pulls
# in only the modules it uses.
FUZZ_OBJ := $(CORE_C:fcgi/core/%.c=$(FZ)/core/%.o) $(CORE_CC:fcgi/core/%.cc=$(FZ)/core/%.o)
# No vptr check: it needs UBSan's C++ runtime, which linking with the C driver leaves
# out, and it would only look at the libraries' classes, not at our code.
FUZZ_CXXFLAGS := -std=c++17 -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
                 -fno-sanitize=vptr $(shell pkg-config --cflags libctemplate 2>/dev/null)
$(FZ)/core/%.o: fcgi/core/%.c fcgi/core/*.h
	@mkdir -p $(FZ)/core
	$(call say,CLANG,$<)
	$(Q)clang $(FUZZ_CFLAGS:-fsanitize=fuzzer,%=-fsanitize=fuzzer-no-link,%) -c -o $@ $<
# The C++ shims (phone.cc over libphonenumber, tpl.cc over ctemplate) go in the same
# archive; LDLIBS brings -lphonenumber and -lstdc++ for the harnesses that use them.
$(FZ)/core/%.o: fcgi/core/%.cc fcgi/core/*.h
	@mkdir -p $(FZ)/core
	$(call say,CLANG++,$<)
	$(Q)clang++ $(FUZZ_CXXFLAGS) -c -o $@ $<
$(FZ)/libcore.a: $(FUZZ_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^
$(FZ)/%: tests/fuzz/%.c $(FZ)/libcore.a
	$(call say,FUZZ,$@)
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $< $(FZ)/libcore.a $(LDLIBS)
fuzz-build: $(FUZZ_BINS)
fuzz: deps $(FUZZ_BINS)
	scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

# The stack. State lives under var/ (a link to a directory the postgres user and nginx's
# workers can reach, whatever the permissions above this clone).
run: deps all
	scripts/stack.sh start dev
stop:
	scripts/stack.sh stop dev
reset:
	scripts/stack.sh reset dev
migrate: deps
	scripts/stack.sh migrate dev
migrate-status:
	scripts/stack.sh migrate-status dev
migrate-down:
	scripts/stack.sh migrate-down dev
bench: deps all
	scripts/bench.sh
	tests/bench/staff.sh
	tests/bench/import.sh
	tests/bench/reports.sh
	tests/bench/sender.sh
	tests/bench/webhooks.sh
# 1,000,000 patients and 5,000,000 messages in the bench instance, kept between runs.
.PHONY: bench-data
bench-data: deps all
	scripts/bench-data.sh

# The one list of programs; scripts/stack.sh (and through it nginx) reads it from here.
print-programs:
	@echo $(PROGRAMS)

clean:
	rm -rf build
