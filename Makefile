# zswap-bpf: one entry point.  `make help` lists the targets.
#
# Outputs all go to build/ (ignored by git).  Two trees come from caches
# keyed by their inputs:
# - scripts/kernel-source extracts the patched kernel *source* (no config, no
#   compile), build/kernel-source: libbpf, bpftool and the stock selftests
#   are built from it, so the loader and `make install-loader` need no kernel;
# - scripts/build-kernel builds the kernel, build/kernel: vmlinux.h (hence
#   the policies) and the VM need it.
# What is built from a tree depends on its .done stamp, so a new tree
# rebuilds it.

BUILD      := build
ABS_BUILD  := $(abspath $(BUILD))
KDIR       := $(BUILD)/kernel
KSRC       := $(KDIR)/src
KDONE      := $(KDIR)/.done
SRCDIR     := $(BUILD)/kernel-source
SRCTREE    := $(SRCDIR)/src
SRCDONE    := $(SRCDIR)/.done

CLANG      ?= clang-19
LLVM_STRIP ?= llvm-strip-19
CC         ?= gcc
CFLAGS     ?= -g -O2
WARNINGS   := -Wall -Wextra

LIBBPF_DIR := $(BUILD)/libbpf
LIBBPF     := $(LIBBPF_DIR)/libbpf.a
BPFTOOL    := $(BUILD)/bpftool/bpftool
VMLINUX_H  := $(BUILD)/vmlinux.h

# Sources others add later: the rules work with none of them present.
BPF_SRCS   := $(wildcard bpf/*.bpf.c)
POLICIES   := $(patsubst bpf/%.bpf.c,$(BUILD)/policies/%.bpf.o,$(BPF_SRCS))
LOADER_SRCS:= $(wildcard loader/*.c)
LOADER_OBJS:= $(patsubst loader/%.c,$(BUILD)/loader/%.o,$(LOADER_SRCS))
LOADER     := $(if $(LOADER_SRCS),$(BUILD)/zswap-bpf)
HEADERS    := $(wildcard include/*.h)

SELFTESTS_DIR := $(SRCTREE)/tools/testing/selftests
CG_SELFTESTS  := $(BUILD)/selftests/test_zswap $(BUILD)/selftests/test_memcontrol
TEST_PROGS    := $(BUILD)/tests/memhog $(BUILD)/tests/workload $(BUILD)/tests/reclaim_fuzz \
		 $(BUILD)/tests/pagecheck $(BUILD)/tests/reclaimer $(BUILD)/tests/spread \
		 $(BUILD)/tests/clockcost $(BUILD)/tests/ringpos $(BUILD)/tests/fail_link_detach.so
TEST_BPF      := $(patsubst tests/bpf/%.bpf.c,$(BUILD)/tests/%.bpf.o,$(wildcard tests/bpf/*.bpf.c)) \
		 $(patsubst tests/bench/%.bpf.c,$(BUILD)/tests/%.bpf.o,$(wildcard tests/bench/*.bpf.c))

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall \
	-I $(BUILD) -I include -I $(LIBBPF_DIR)/include
# The user's CPPFLAGS, CFLAGS and LDFLAGS (a distribution's hardening flags)
# apply to the loader; its own come first so that theirs can override.
LOADER_CFLAGS = $(WARNINGS) -I include -I $(BUILD)/skel -I $(LIBBPF_DIR)/include \
	$(CPPFLAGS) $(CFLAGS)

# Quiet by default: `  TAG  target`; V=1 shows the commands.
ifeq ($(V),1)
Q :=
msg =
TOOLS_QUIET :=
else
Q := @
msg = @printf '  %-7s %s\n' '$(1)' '$(2)';
TOOLS_QUIET = >$@.log 2>&1 || { cat $@.log; exit 1; }
endif

.DELETE_ON_ERROR:
.SUFFIXES:
.PHONY: all help deps kernel-source kernel kernel-debug kernel-nobpf torture tools policies policy-objs test-bpf-objs loader \
	selftests test-progs check check-host check-debug bench bench-apps bench-summary demo fuzz mutants clean distclean install install-loader uninstall

all: kernel tools $(VMLINUX_H) policies loader

help:
	@echo 'zswap-bpf targets:'
	@echo '  all (default)  kernel, tools, build/vmlinux.h, BPF policies, the loader'
	@echo '  deps           apt-get install the Debian packages needed (root)'
	@echo '  kernel         build the guest kernel (cached; build/kernel links to it)'
	@echo '  kernel-source  extract and patch the kernel source only (cached;'
	@echo '                 build/kernel-source): all the tools and the loader need'
	@echo '  tools          libbpf (static) and bpftool from the kernel source'
	@echo '  policies       bpf/<name>.bpf.c -> build/policies/<name>.bpf.o'
	@echo '  loader         loader/*.c -> build/zswap-bpf (kernel source only, no'
	@echo '                 kernel build); honours CPPFLAGS, CFLAGS, LDFLAGS'
	@echo '  selftests      stock cgroup selftests test_zswap, test_memcontrol'
	@echo '  kernel-debug   the debug kernel (KASAN, lockdep, kmemleak...) into'
	@echo '                 build/kernel-debug; same as make kernel KCONFIG=debug'
	@echo '  kernel-nobpf   the series with CONFIG_ZSWAP_BPF=n, build/kernel-nobpf'
	@echo '  check          deps + all + selftests + kernel-debug + kernel-nobpf, host'
	@echo '                 unit tests, the in-guest suite, the configuration boots'
	@echo '                 (zswap off at boot, CONFIG_ZSWAP_BPF=n, debug kernel) and'
	@echo '                 a 3-minute torture on the debug kernel'
	@echo '  check-debug    the debug kernel: zswap off at boot, toggled at runtime,'
	@echo '                 policy lifecycle, per-cgroup attachment, torture (~52 min)'
	@echo '  torture        in the VM on the debug kernel: reclaim, policy swaps,'
	@echo '                 cgroup churn, pool limit at once for DURATION (3m);'
	@echo '                 then test_delegated for DELEG_DURATION (600 s)'
	@echo '  check-host     host unit tests only (no kernel needed)'
	@echo '  mutants        mutation testing: each tests/mutants/*.mut (a wrong change'
	@echo '                 to the kernel series or the loader) rebuilt and run against'
	@echo '                 the tests that should kill it; MUTANTS=name... for some'
	@echo '  demo           boot the VM: built-in round-robin vs coldest_first on two'
	@echo '                 subtrees, then the mixed A/B scenario once, built-in,'
	@echo '                 round_robin and coldest_first at the same time, each'
	@echo '                 on a twin subtree of its own'
	@echo '  bench          in the VM: source=zswap budgets and timing, hook overhead,'
	@echo '                 policies on 4000 leaves vs built-in, the cost of timing'
	@echo '                 callbacks, A/B of policies on every tests/bench/scenarios/ file;'
	@echo '                 SVG charts in build/bench/; then bench-apps; ends with'
	@echo '                 bench-summary'"'"'s table'
	@echo '  bench-summary  on the host, from the JSON in build/bench/: one table of'
	@echo '                 issue 15'"'"'s figures and goals (pool-limit and proactive'
	@echo '                 ratios, callback ns per step, bytes per zswap entry,'
	@echo '                 scale); markdown in build/bench/summary.md'
	@echo '  bench-apps     in the VM: redis, memcached and postgres tenants, the'
	@echo '                 built-in round-robin and each policy: throughput,'
	@echo '                 p50/p99, pages read back, bytes written back'
	@echo '  fuzz           libFuzzer runs of the loader'"'"'s parsers (tests/fuzz/),'
	@echo '                 FUZZ_RUNS inputs each (default 1000000) or FUZZ_TIME s'
	@echo '  install        loader, policies, man page, systemd units, bash completion under'
	@echo '                 $$(DESTDIR)$$(PREFIX) (default /usr/local); uninstall'
	@echo '  install-loader the same without the policies: needs no kernel build'
	@echo '  clean          remove build/'
	@echo '  distclean      clean, and remove the kernel cache'
	@echo 'variables: V=1 (show commands), ZSWAP_BPF_CACHE (kernel cache dir,'
	@echo '  default ~/.cache/zswap-bpf), VM_ARGS (extra tests/vm/run options),'
	@echo '  BENCH_POLICIES (every policy: the default of the next five),'
	@echo '  BENCH_MIXED, BENCH_POOL_LIMIT, BENCH_PROTECT, BENCH_SCALE (policies of'
	@echo '  each make bench A/B), BENCH_REPEAT, BENCH_POOL_LIMIT_REPEAT,'
	@echo '  BENCH_VM_TIMEOUT (seconds a guest of make bench may take, 7200),'
	@echo '  BENCH_APPS, BENCH_APPS_MB,'
	@echo '  BENCH_APPS_OPS, BENCH_APPS_REPEAT (make bench-apps), PREFIX, DESTDIR,'
	@echo '  FUZZ_RUNS, FUZZ_TIME, FUZZ_TARGETS (make fuzz), MUTANTS (make mutants),'
	@echo '  KCONFIG (kernel variant), DURATION and DELEG_DURATION (make torture), TORTURE_DURATION'
	@echo '  (make check; 0 skips the torture)'

deps:
	$(Q)scripts/install-deps

# KCONFIG=debug builds the variant kernel-patches/config.debug describes into
# build/kernel-debug instead; build/kernel and what is built from it stay.
KCONFIG ?=
kernel:
	$(Q)scripts/build-kernel $(if $(KCONFIG),--config $(KCONFIG))

kernel-debug:
	$(Q)scripts/build-kernel --config debug

# The series with CONFIG_ZSWAP_BPF=n, which make check boots too: built from
# a copy of the normal kernel's tree, which must be there first
kernel-nobpf: kernel
	$(Q)scripts/build-kernel --config nobpf

# The stamp is (re)made by the phony kernel target; make re-reads its time.
$(KDONE): kernel ;

# The source the tools are built from: extracted and patched, not built
kernel-source:
	$(Q)scripts/kernel-source >/dev/null

$(SRCDONE): kernel-source ;

tools: $(LIBBPF) $(BPFTOOL)

# libbpf.a is linked into the loader: it gets the user's CPPFLAGS and
# CFLAGS too (its Makefile puts EXTRA_CFLAGS first, its -Wall -Werror after)
$(LIBBPF): $(SRCDONE)
	$(call msg,LIBBPF,$@)
	$(Q)mkdir -p $(LIBBPF_DIR)
	$(Q)$(MAKE) --no-print-directory -C $(SRCTREE)/tools/lib/bpf \
		OUTPUT=$(ABS_BUILD)/libbpf/ DESTDIR=$(ABS_BUILD)/libbpf prefix= \
		EXTRA_CFLAGS="$(strip $(CPPFLAGS) $(CFLAGS))" \
		$(ABS_BUILD)/libbpf/libbpf.a install_headers $(TOOLS_QUIET)

$(BPFTOOL): $(SRCDONE)
	$(call msg,BPFTOOL,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(MAKE) --no-print-directory -C $(SRCTREE)/tools/bpf/bpftool \
		CLANG=$(CLANG) LLVM_STRIP=$(LLVM_STRIP) OUTPUT=$(ABS_BUILD)/bpftool/ \
		$(TOOLS_QUIET)

# The marker tells include/zswap_bpf.bpf.h (and the policies rule) whether
# this kernel has the hook: a stock kernel's vmlinux.h does not.
$(VMLINUX_H): $(KDONE) $(BPFTOOL)
	$(call msg,GEN,$@)
	$(Q)$(BPFTOOL) btf dump file $(KSRC)/vmlinux format c >$@
	$(Q)if grep -q '^struct zswap_writeback_ops {' $@; then \
		echo '#define ZSWAP_BPF_VMLINUX_HAS_OPS 1' >>$@; fi

# Policies need the patched kernel; on a stock one they are skipped, loudly,
# so that the rest (loader, tests of the harness) still builds.
policies: $(VMLINUX_H)
	$(Q)if grep -q '^#define ZSWAP_BPF_VMLINUX_HAS_OPS' $(VMLINUX_H); then \
		$(MAKE) --no-print-directory policy-objs; \
	elif [ -n "$(POLICIES)" ]; then \
		echo "  SKIP    policies: the kernel has no struct zswap_writeback_ops (kernel-patches/series not applied?)"; \
	fi

policy-objs: $(POLICIES)

test-bpf-objs: $(TEST_BPF)

$(BUILD)/policies/%.bpf.o: bpf/%.bpf.c $(VMLINUX_H) $(LIBBPF) $(HEADERS)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# Test-only policies (tests/bpf/): bad behaviour on purpose
$(BUILD)/tests/%.bpf.o: tests/bpf/%.bpf.c $(VMLINUX_H) $(LIBBPF) $(HEADERS)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# The A/B benchmark's oracle (tests/bench/)
$(BUILD)/tests/%.bpf.o: tests/bench/%.bpf.c $(VMLINUX_H) $(LIBBPF) $(HEADERS)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# Skeletons on demand (make build/skel/<name>.skel.h); the loader opens .bpf.o
# files at run time and needs none.
$(BUILD)/skel/%.skel.h: $(BUILD)/policies/%.bpf.o $(BPFTOOL)
	$(call msg,SKEL,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*) >$@

loader: $(LOADER)

$(BUILD)/loader/%.o: loader/%.c $(LIBBPF)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(LOADER_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/zswap-bpf: $(LOADER_OBJS) $(LIBBPF)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(LOADER_OBJS) $(LIBBPF) -lelf -lz

# The stock cgroup selftests, compiled straight from the kernel source against
# the host's headers (their own Makefile wants `make headers` and kselftest's
# lib.mk; two files each is all they need).  No -O: like kselftest's lib.mk.
# At -O2 gcc deletes their malloc/touch/free loads (allocate_bytes), and
# test_zswap_usage etc. then fail for want of any memory pressure.
selftests: $(CG_SELFTESTS)

$(BUILD)/selftests/%: $(SRCDONE)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -g -Wall -pthread -I $(SELFTESTS_DIR) -o $@ \
		$(SELFTESTS_DIR)/cgroup/$*.c $(SELFTESTS_DIR)/cgroup/cgroup_util.c

# Small helpers the in-guest tests and the demo run.
test-progs: $(TEST_PROGS) $(VMLINUX_H)
	$(Q)if grep -q '^#define ZSWAP_BPF_VMLINUX_HAS_OPS' $(VMLINUX_H); then \
		$(MAKE) --no-print-directory test-bpf-objs; fi

$(BUILD)/tests/%: tests/vm/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(WARNINGS) -MMD -MP -o $@ $<

# An LD_PRELOAD shim (test_loader: a detach the kernel refuses)
$(BUILD)/tests/fail_link_detach.so: tests/vm/fail_link_detach.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(WARNINGS) -shared -fPIC -o $@ $< -ldl

$(BUILD)/tests/%: tests/bench/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(WARNINGS) -MMD -MP -o $@ $<

check-host:
	$(Q)tests/run-all --host

# deps first (a fresh machine has no compiler yet), then the builds, in
# separate makes so that -j cannot start them before their tools exist.
check: deps
	$(Q)$(MAKE) --no-print-directory all selftests test-progs kernel-debug kernel-nobpf
	$(Q)tests/run-all

# make check's debug boots and the suite's targeted tests of zswap toggled
# at runtime, the policy lifecycle and per-cgroup attachment, each in a
# debug boot of its own (about 52 minutes on a slow host).
check-debug: deps
	$(Q)$(MAKE) --no-print-directory all selftests test-progs kernel-debug
	$(Q)tests/run-all --debug

# The debug kernel's checkers (config.debug) watch everything at once;
# tests/vm/torture.sh says what runs and what counts as a finding.
# Then tests/vm/test_delegated.sh's scenarios (a delegated owner trying to
# get root's policy ejected) for DELEG_DURATION seconds in all.
DURATION ?= 3m
DELEG_DURATION ?= 600
torture: deps
	$(Q)$(MAKE) --no-print-directory all test-progs kernel-debug
	$(Q)tests/vm/run --debug $(VM_ARGS) -- tests/vm/torture.sh $(DURATION)
	$(Q)tests/vm/run --debug $(VM_ARGS) -- env DELEG_DURATION=$(DELEG_DURATION) \
		tests/vm/test_delegated.sh

# Benchmarks print tables; they assert nothing about time.  The A/B runs
# compare, on each scenario of tests/bench/scenarios/, the built-in
# round-robin, the policies of BENCH_<SCENARIO> that are built and the
# oracle, BENCH_REPEAT times (tables on stdout, JSON in build/bench/); then
# tests/bench/chart draws SVG charts there.  tests/bench/policy_cost.sh
# (4000 leaves under each policy, BENCH_COST_REPEAT times, each refilling
# 135 MiB of zswap: ~2 minutes a configuration), the cost of timing
# callbacks and tests/bench/kfunc_cost.sh (each kfunc, by id and by css:
# 1 minute) come first, tests/bench/apps last; then, on the host, the sizes
# of a zswap entry with and without CONFIG_ZSWAP_BPF (pahole, hence
# kernel-nobpf) and tests/bench/summary's one table of the figures issue 15
# sets goals for, from this run's JSON.  With every policy on every
# scenario, 51 minutes under TCG on an idle 2-core host (2026-11-29).
BENCH_COST_REPEAT ?= 2
# every policy of bpf/ on every scenario
BENCH_POLICIES   ?= round_robin coldest_first largest_first proportional \
		    weighted refault_aware refault_cost
BENCH_MIXED      ?= $(BENCH_POLICIES)
BENCH_POOL_LIMIT ?= $(BENCH_POLICIES)
BENCH_PROTECT    ?= $(BENCH_POLICIES)
BENCH_SCALE      ?= $(BENCH_POLICIES)
BENCH_REPEAT     ?= 2
# its time spreads 10x within one configuration under TCG: more repeats,
# compared per repeat (ab's built-in / policy table)
BENCH_POOL_LIMIT_REPEAT ?= 5
BENCH_APPS       ?= $(BENCH_POLICIES)
BENCH_APPS_MB    ?= 24
BENCH_APPS_OPS   ?= 10000
BENCH_APPS_REPEAT ?= 1
# Each guest's limit in seconds: on a slow 2-CPU host the scale A/B took
# more than tests/vm/run's default 1800 s, and make bench lost its last
# parts.  A --timeout in VM_ARGS comes after it, and wins.
BENCH_VM_TIMEOUT ?= 7200
BENCH_VM = tests/vm/run --timeout $(BENCH_VM_TIMEOUT) $(VM_ARGS)
AB = $(BENCH_VM) -- tests/bench/ab
# The policies of $(1) that are built, listed by the shell when the line runs:
# a $(wildcard) would be expanded with the whole recipe, before its first
# line builds them, and a fresh tree would compare nothing.
built = $$(for p in $(1); do [ ! -e $(BUILD)/policies/$$p.bpf.o ] || echo $$p; done)
bench: deps
	$(Q)$(MAKE) --no-print-directory all test-progs kernel-nobpf
	$(Q)$(BENCH_VM) -- tests/bench/proactive.sh
	$(Q)$(BENCH_VM) -- env REPEAT=$(BENCH_COST_REPEAT) tests/bench/policy_cost.sh
	$(Q)$(BENCH_VM) -- tests/bench/kfunc_cost.sh
	$(Q)$(AB) tests/bench/scenarios/mixed $(call built,$(BENCH_MIXED)) \
		--repeat $(BENCH_REPEAT)
	$(Q)$(AB) tests/bench/scenarios/pool_limit $(call built,$(BENCH_POOL_LIMIT)) \
		--repeat $(BENCH_POOL_LIMIT_REPEAT)
	$(Q)$(AB) tests/bench/scenarios/protect $(call built,$(BENCH_PROTECT)) \
		--repeat $(BENCH_REPEAT)
	$(Q)$(AB) tests/bench/scenarios/scale $(call built,$(BENCH_SCALE)) \
		--repeat $(BENCH_REPEAT)
	$(Q)$(APPS)
	$(Q)tests/bench/chart
	$(Q)tests/kernel/test_entry_size.sh --json $(BUILD)/bench/entry_size.json
	$(Q)tests/bench/summary --md-out $(BUILD)/bench/summary.md

# The table alone, from the JSON a make bench (or its parts) left
bench-summary:
	$(Q)tests/bench/summary --md-out $(BUILD)/bench/summary.md

# Real servers (tests/bench/apps): redis, memcached and postgres tenants,
# BENCH_APPS_MB of data each, under the built-in round-robin and each
# policy of BENCH_APPS that is built; 1-2 minutes a configuration under
# TCG (10 minutes for the seven at the defaults).
APPS = $(BENCH_VM) -- env APPS_MB=$(BENCH_APPS_MB) \
	APPS_OPS=$(BENCH_APPS_OPS) tests/bench/apps $(call built,$(BENCH_APPS)) \
	--repeat $(BENCH_APPS_REPEAT)
bench-apps: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(APPS)

# Mutation testing (tests/mutants/run): one mutant at a time, each kernel
# mutant a kernel build of its own (cached apart, in build/mutants/cache)
# and a VM boot; slow (over an hour for all), so not part of check.
MUTANTS ?=
mutants: deps
	$(Q)$(MAKE) --no-print-directory all selftests test-progs
	$(Q)tests/mutants/run $(MUTANTS)

# Fuzzing needs no kernel: clang-19 and its fuzzer runtime (make deps).
# New corpus entries and crashes stay in build/fuzz/.
FUZZ_RUNS ?= 1000000
FUZZ_TIME ?=
fuzz: deps
	$(Q)tests/fuzz/run --runs $(FUZZ_RUNS) $(if $(FUZZ_TIME),--time $(FUZZ_TIME)) $(FUZZ_TARGETS)

# The demo, then one simultaneous A/B run of the mixed scenario: the
# built-in round-robin, round_robin and coldest_first each on a twin subtree
# of its own, all at once in one VM (3 x 88 MB; about two minutes in all
# under TCG)
demo: deps
	$(Q)$(MAKE) --no-print-directory all test-progs
	$(Q)tests/vm/run $(VM_ARGS) -- sh -c 'tests/vm/demo.sh && \
		tests/bench/ab tests/bench/scenarios/mixed "$$@" --simultaneous \
		--no-oracle --json build/bench/demo.json' sh \
		$(call built,round_robin coldest_first)

# Install.  The loader finds policies in ../lib/zswap-bpf from its own
# directory, so SBINDIR and POLICYDIR must stay siblings under PREFIX.  The
# policy sources go next to the objects: `zswap-bpf list` reads each one's
# description from its header comment.  The man page is rendered only when
# rst2man is there; its source always goes to DOCDIR.
PREFIX    ?= /usr/local
SBINDIR   := $(PREFIX)/sbin
POLICYDIR := $(PREFIX)/lib/zswap-bpf
MANDIR    := $(PREFIX)/share/man/man8
DOCDIR    := $(PREFIX)/share/doc/zswap-bpf
UNITDIR   ?= $(PREFIX)/lib/systemd/system
COMPDIR   ?= $(PREFIX)/share/bash-completion/completions
# The root's unit, one instance per cgroup with a policy of its own, one
# per cgroup with a writeback agent
UNITS     := zswap-bpf.service zswap-bpf-cgroup@.service zswap-bpf-agent@.service
RST2MAN   ?= $(firstword $(foreach t,rst2man rst2man.py,$(shell command -v $(t) 2>/dev/null)))
INSTALL   ?= install

# Build first, in its own make, as `check` does (the kernel comes first).
# install-loader builds and installs all but the policies: it needs the
# kernel source (build/kernel-source), never a kernel build.
install: install-loader
	$(Q)$(MAKE) --no-print-directory all
	$(call msg,INSTALL,$(DESTDIR)$(POLICYDIR))
	$(Q)$(INSTALL) -d $(DESTDIR)$(POLICYDIR)
	$(Q)for p in $(BPF_SRCS); do n=$$(basename $$p .bpf.c); \
		[ -e $(BUILD)/policies/$$n.bpf.o ] || continue; \
		$(INSTALL) -m 644 $(BUILD)/policies/$$n.bpf.o $$p $(DESTDIR)$(POLICYDIR)/; \
	done

install-loader:
	$(Q)$(MAKE) --no-print-directory loader
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(DOCDIR) $(DESTDIR)$(UNITDIR)
	$(Q)$(INSTALL) -m 755 $(BUILD)/zswap-bpf $(DESTDIR)$(SBINDIR)/
	$(Q)$(INSTALL) -m 644 docs/zswap-bpf.8.rst $(DESTDIR)$(DOCDIR)/
	$(Q)if [ -n "$(RST2MAN)" ]; then $(INSTALL) -d $(DESTDIR)$(MANDIR) && \
		$(RST2MAN) docs/zswap-bpf.8.rst >$(DESTDIR)$(MANDIR)/zswap-bpf.8; fi
	$(Q)for u in $(UNITS); do \
		sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@LIBDIR@|$(POLICYDIR)|g' \
			systemd/$$u.in >$(DESTDIR)$(UNITDIR)/$$u && \
		chmod 644 $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	$(Q)$(INSTALL) -D -m 644 completion/zswap-bpf.bash $(DESTDIR)$(COMPDIR)/zswap-bpf

# Everything install may have put there, whether or not it is still built
uninstall:
	$(call msg,RM,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(DESTDIR)$(SBINDIR)/zswap-bpf $(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS)) \
		$(DESTDIR)$(MANDIR)/zswap-bpf.8 $(DESTDIR)$(DOCDIR)/zswap-bpf.8.rst \
		$(DESTDIR)$(COMPDIR)/zswap-bpf
	$(Q)rm -f $(DESTDIR)$(POLICYDIR)/*.bpf.o $(DESTDIR)$(POLICYDIR)/*.bpf.c
	$(Q)rmdir $(DESTDIR)$(POLICYDIR) $(DESTDIR)$(DOCDIR) 2>/dev/null || true

clean:
	$(call msg,CLEAN,$(BUILD))
	$(Q)rm -rf $(BUILD)

distclean: clean
	$(call msg,CLEAN,$${ZSWAP_BPF_CACHE:-$$HOME/.cache/zswap-bpf})
	$(Q)rm -rf "$${ZSWAP_BPF_CACHE:-$$HOME/.cache/zswap-bpf}"

-include $(wildcard $(BUILD)/loader/*.d $(BUILD)/tests/*.d)
