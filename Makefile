# dyadseq — build, test, demo. `make help` lists the targets.
#
#   make            build build/dyadseq (installs missing packages first)
#   make demo       analyze datasets/demo into results/demo.h5 and figures
#   make check      build and run every test; ends with "N passed, N failed, N skipped"
#   make reproduce  reproduce the published worked examples
#   make install PREFIX=/usr/local
#   make SANITIZE=1 check   the same under AddressSanitizer and UBSan
#   make check-sanitize     the unit and command-line tests under them (CI)
#   make bench      benchmark into results/bench.md (BENCH_EVENTS=10000000: large)
#   make MPI=1      build build/dyadseq-mpi (Open MPI, parallel HDF5; README)
#   make check-mpi  build it and run its tests under mpirun (tests/mpi)
#   make fault      the allocation-failure loop over every N (FAULT_ARGS="-e 10"
#                   for every 10th; tests/fault/loop.sh says the options)
#   make fuzz       each libFuzzer harness for FUZZ_SECONDS (default 60)

CC      ?= gcc
PREFIX  ?= /usr/local
BUILD   := build
BIN     := $(BUILD)/dyadseq

PKGS    := gsl hdf5
# Debian's HDF5 is found by pkg-config as hdf5-serial
HDF5_PC := $(shell pkg-config --exists hdf5-serial 2>/dev/null && echo hdf5-serial || echo hdf5)

# MPI=1: the MPI program build/dyadseq-mpi (issue 16), built apart (its own
# objects and library) against Open MPI and parallel HDF5; src/mpi_*.c are
# compiled only here, src/dist_serial.c (their one-process versions) only
# in the serial build, which stays the default and unchanged.
ifeq ($(MPI),1)
  HDF5_PC := $(shell pkg-config --exists hdf5-openmpi 2>/dev/null && echo hdf5-openmpi || echo hdf5)
  MPI_PC  := ompi-c
  BIN     := $(BUILD)/dyadseq-mpi
  MPISUF  := -mpi
  CPPFLAGS += -DDS_MPI
endif

ifeq ($(SANITIZE),1)
  MODE    := san
  OPTFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined
else
  MODE    := opt
  OPTFLAGS := -O2 -g
endif
OBJDIR  := $(BUILD)/obj-$(MODE)$(MPISUF)

# messages are cut to fixed buffers on purpose, hence no -Wformat-truncation
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 \
           -Wno-format-truncation
CPPFLAGS += -Iinclude -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64
CFLAGS  += -std=c11 $(OPTFLAGS) $(WARN) -fopenmp -MMD -MP
# jansson and expat read the BORIS project (JSON) and ELAN (XML) files of
# `convert`: no hand-written JSON or XML parser (README, Dependencies)
PKG_CFLAGS = $(shell pkg-config --cflags gsl $(HDF5_PC) jansson expat $(MPI_PC))
PKG_LIBS   = $(shell pkg-config --libs gsl $(HDF5_PC) jansson expat $(MPI_PC))
LDFLAGS += $(OPTFLAGS) -fopenmp
# STATIC_LIBS=1 (the default, serial build): GSL, HDF5, jansson
# and expat are linked in from their Debian -dev packages' archives, so
# a start does not load Debian's shared HDF5 and the ~30 libraries it
# pulls in (libcurl, TLS, Kerberos, LDAP) that dyadseq never uses: a
# start costs 8 ms instead of 22 (README, Dependencies). STATIC_LIBS=0
# links them as shared libraries; so does the MPI program, and so does
# the serial one on a system without those archives. Which is decided
# when linking (these are `=` variables), once install-deps has run.
# libcsv is the exception: Debian's shared libcsv.so.3 is one small file
# with no dependencies, and its csv_parse, the innermost loop of reading,
# then runs from the same code at the same addresses in every build. From
# the archive, its place in the program moved with the size of the code
# linked before it, and one place made a one-thread `validate` of the
# 1-million-event benchmark 4% slower than another (docs/performance.md).
STATIC_LIBS ?= $(if $(filter 1,$(MPI)),0,1)
LIBS_STATIC = -lcsv -Wl,-Bstatic $(filter-out -lm,$(PKG_LIBS)) -lsz -laec \
              -lz -Wl,-Bdynamic -ldl -lm
LIBS_SHARED = -lcsv $(PKG_LIBS) -lz -lm
# (looked for once, at the first link: the eval keeps the answer)
HAVE_ARCHIVES = $(eval HAVE_ARCHIVES := $(shell sh scripts/have_archives.sh \
                  "$(CC)" $(filter -L%,$(PKG_LIBS))))$(HAVE_ARCHIVES)
LDLIBS  += $(if $(and $(filter 1,$(STATIC_LIBS)),$(HAVE_ARCHIVES)),$(LIBS_STATIC),$(LIBS_SHARED))

ifeq ($(MPI),1)
SRC     := $(filter-out src/dist_serial.c,$(sort $(wildcard src/*.c)))
else
SRC     := $(filter-out src/mpi_%.c,$(sort $(wildcard src/*.c)))
endif
OBJ     := $(SRC:src/%.c=$(OBJDIR)/%.o)
# libdyadseq.a: everything but the command line (main.c, cli.c, cli_*.c,
# cmd_*.c); the program and the unit tests link it.
APPOBJ  := $(filter $(OBJDIR)/main.o $(OBJDIR)/cli.o $(OBJDIR)/cli_%.o \
                    $(OBJDIR)/cmd_%.o,$(OBJ))
LIBOBJ  := $(filter-out $(APPOBJ),$(OBJ))
LIB     := $(BUILD)/libdyadseq-$(MODE)$(MPISUF).a
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests-$(MODE)$(MPISUF)/%)

DEPS_STAMP := $(BUILD)/.deps-installed$(MPISUF)
FAULT_SO := $(BUILD)/fault/libfaultinject.so

.PHONY: all deps demo check check-build check-mpi serial-bin unit reproduce \
        install clean help bench fault fuzz fuzz-build check-sanitize
all: $(BIN)

# Install missing system packages once per build tree (idempotent script).
$(DEPS_STAMP): scripts/install-deps.sh
	@mkdir -p $(BUILD)
	@DYADSEQ_WITH_MPI=$(MPI) scripts/install-deps.sh
	@touch $@
deps: $(DEPS_STAMP)

# The binary records which mode built it, so switching SANITIZE relinks.
$(BUILD)/.mode-$(MODE):
	@mkdir -p $(BUILD)
	@rm -f $(BUILD)/.mode-*
	@touch $@
# (the MPI program has objects of its own: switching MPI never relinks the
# serial one)

$(LIB): $(LIBOBJ)
	@rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

$(BIN): $(APPOBJ) $(LIB) $(BUILD)/.mode-$(MODE) Makefile
	$(CC) $(LDFLAGS) -o $@ $(APPOBJ) $(LIB) $(LDLIBS)

$(OBJDIR)/%.o: src/%.c | $(DEPS_STAMP)
	@mkdir -p $(OBJDIR)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -Isrc -c -o $@ $<

$(BUILD)/tests-$(MODE)$(MPISUF)/%: tests/unit/%.c $(LIB) tests/unit/unit.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(UNIT_CFLAGS) -Isrc -Itests/unit -o $@ $< $(LIB) $(LDLIBS)

# The unit test programs are compiled without optimisation (-O0): they
# call the library, which is built as shipped, and so cost the check's
# build 40% less (about 8 s of CPU). The sanitizer build keeps its flags.
UNIT_CFLAGS = $(patsubst -O2,-O0,$(CFLAGS))

unit: $(UNIT_BIN)

ifeq ($(MPI),1)
# the MPI program: its unit tests, every test with it as the program (one
# process), and the tests under mpirun against the serial program
check: $(BIN) $(UNIT_BIN) serial-bin $(FAULT_SO)
	@UNIT_DIR=$(BUILD)/tests-$(MODE)$(MPISUF) DYADSEQ=$(BIN) MPI_TESTS=1 \
	    DYADSEQ_SERIAL=$(BUILD)/dyadseq DYADSEQ_MPI=$(BIN) \
	    FAULT_SO=$(FAULT_SO) sh tests/run.sh
serial-bin:
	@$(MAKE) --no-print-directory MPI= all
check-mpi: $(BIN) serial-bin
	@UNIT_DIR=/nonexistent TESTS=tests/mpi/ MPI_TESTS=1 \
	    DYADSEQ=$(BUILD)/dyadseq DYADSEQ_SERIAL=$(BUILD)/dyadseq \
	    DYADSEQ_MPI=$(BIN) sh tests/run.sh
else
# The build runs CHECK_JOBS compilers at a time unless make was given -j:
# a fresh clone compiles some 120 objects and unit-test programs (about
# 40 s of CPU), which a plain `make check` (CI's) built one at a time.
CHECK_JOBS ?= 2
check:
	@$(MAKE) --no-print-directory \
	    $(if $(findstring -j,$(MAKEFLAGS)),,-j$(CHECK_JOBS)) check-build
	@UNIT_DIR=$(BUILD)/tests-$(MODE) DYADSEQ=$(BIN) FAULT_SO=$(FAULT_SO) \
	    sh tests/run.sh
check-build: $(BIN) $(UNIT_BIN) $(FAULT_SO)
	@:
# the MPI tests (tests/mpi): build the MPI program and run them
check-mpi: $(BIN)
	@$(MAKE) --no-print-directory MPI=1 check-mpi
endif

# CI: the unit and command-line tests under AddressSanitizer and UBSan,
# built apart in $(BUILD)/san so the normal build stays (issue 18). Left
# out: the cross-checks against R and Python, the figures, the benchmarks
# and the property sweeps, which check numbers the normal build checks and
# took a third of the sanitized run's time; `make SANITIZE=1 check` runs
# everything. The groups are run.sh's TESTS patterns, one run each.
SAN_TESTS := unit/ tests/agree/ tests/analyze/test_e tests/analyze/test_permute \
             tests/cli/ tests/compare/ tests/convert/ tests/dyadic/ \
             tests/golden/ tests/power/ tests/published/ tests/results/ \
             tests/robust/ tests/simulate/
check-sanitize:
	@$(MAKE) --no-print-directory SANITIZE=1 BUILD=$(BUILD)/san all unit
	@bad=0; for t in $(SAN_TESTS); do \
	    UNIT_DIR=$(BUILD)/san/tests-san DYADSEQ=$(BUILD)/san/dyadseq \
	        TESTS=$$t sh tests/run.sh || bad=$$((bad + 1)); \
	done; echo "check-sanitize: $$bad group(s) failed"; [ $$bad -eq 0 ]

# The allocation-failure shim (LD_PRELOAD; tests only, never linked into
# dyadseq) and the loop over every N (issue 18).
$(FAULT_SO): tests/fault/faultinject.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -fPIC -shared -Wall -Wextra -o $@ $< -ldl -pthread

fault: $(BIN) $(FAULT_SO)
	@DYADSEQ=$(BIN) FAULT_SO=$(FAULT_SO) sh tests/fault/loop.sh $(FAULT_ARGS)

# libFuzzer harnesses of the parsers (tests/fuzz/), built with clang,
# AddressSanitizer and UBSan over the library's sources (issue 18).
FUZZ_SECONDS ?= 60
FUZZ_CC     := clang
FUZZ_DIR    := $(BUILD)/fuzz
FUZZ_CFLAGS := -std=c11 -g -O1 -fno-omit-frame-pointer -fopenmp \
               -fsanitize=address,undefined,fuzzer-no-link \
               -fno-sanitize-recover=undefined -Wall -Wextra
FUZZ_LIBOBJ := $(patsubst src/%.c,$(FUZZ_DIR)/obj/%.o,\
                 $(filter-out src/main.c src/cli.c src/cli_%.c src/cmd_%.c \
                              src/mpi_%.c,$(sort $(wildcard src/*.c))))
FUZZ_NAMES  := time codebook zeros transcript results import
FUZZ_BIN    := $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz_%)

# clang and its runtime (libFuzzer, sanitizers), installed when missing
FUZZ_STAMP  := $(BUILD)/.deps-installed-fuzz
$(FUZZ_STAMP): scripts/install-deps.sh
	@mkdir -p $(BUILD)
	@DYADSEQ_WITH_FUZZ=1 scripts/install-deps.sh
	@touch $@

$(FUZZ_DIR)/obj/%.o: src/%.c | $(DEPS_STAMP) $(FUZZ_STAMP)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(PKG_CFLAGS) $(FUZZ_CFLAGS) -MMD -MP -Isrc -c -o $@ $<

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIBOBJ) | $(FUZZ_STAMP)
	$(FUZZ_CC) $(CPPFLAGS) $(PKG_CFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer \
	    -Isrc -Itests/fuzz -o $@ $< $(FUZZ_LIBOBJ) $(LDLIBS)

.SECONDARY: $(FUZZ_LIBOBJ)

fuzz-build: $(FUZZ_BIN)

fuzz: $(BIN) $(FUZZ_BIN)
	@DYADSEQ=$(BIN) FUZZ_DIR=$(FUZZ_DIR) sh tests/fuzz/run.sh $(FUZZ_SECONDS)

demo: $(BIN)
	@sh scripts/demo.sh

reproduce: $(BIN)
	@sh scripts/reproduce.sh

# The parse-only floor: libcsv with callbacks that only count (issue #7).
$(BUILD)/bench/parse_floor: scripts/bench/parse_floor.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< -lcsv

# (with the MPI program measured too when it is built: make MPI=1 first)
bench: $(BUILD)/dyadseq $(BUILD)/bench/parse_floor
	@DYADSEQ=$(BUILD)/dyadseq PARSE_FLOOR=$(BUILD)/bench/parse_floor \
	    DYADSEQ_MPI=$(wildcard $(BUILD)/dyadseq-mpi) sh scripts/bench/run.sh

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/$(notdir $(BIN))

clean:
	rm -rf $(BUILD)

help:
	@sed -n '2,15p' Makefile | sed 's/^# \{0,1\}//'

-include $(OBJ:.o=.d) $(UNIT_BIN:%=%.d) $(FUZZ_LIBOBJ:.o=.d)
