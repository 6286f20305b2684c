/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsers of zswap-bpf's inputs: command line, sizes, cgroup paths, knob
 * assignments, and the kernel's text files. No libbpf and no I/O here, so
 * that the unit tests (tests/unit/loader_unit.c) link this file alone.
 */
#ifndef __ZSWAP_BPF_PARSE_H
#define __ZSWAP_BPF_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes; also in --help and the man page */
enum {
	EXIT_OK = 0, /* done; for reclaim: the budget was met */
	EXIT_RUNTIME = 1, /* a runtime error (I/O, missing file...) */
	EXIT_USAGE = 2, /* bad command line or argument */
	EXIT_REFUSED = 3, /* the kernel refused or lacks support */
	EXIT_PARTIAL = 4, /* reclaim wrote back less than asked */
	EXIT_INTR = 5, /* interrupted by a signal */
};

/*
 * Not a system errno: the command line is wrong. Helpers return it (after
 * usage_error()) so that the command maps it to EXIT_USAGE, where EINVAL
 * from the kernel is EXIT_REFUSED.
 */
#define EUSAGE 1024

int exit_code_from_errno(int err);

/* A subcommand; tables end with a NULL name */
struct cmd {
	const char *name;
	int (*func)(int argc, char **argv);
};

#define CMD_NOT_FOUND (-1)
#define CMD_AMBIGUOUS (-2)
int cmd_find(const struct cmd *cmds, const char *arg);

struct global_opts {
	bool json;
	bool pretty;
	bool verbose;
	bool help;
	bool version;
	const char *policy_dir;
	/* on error: the offending argument, and a format that says why */
	const char *bad_arg;
	const char *why;
};

int global_opts_parse(int argc, char **argv, struct global_opts *o,
		      char **rest);

int parse_size(const char *s, uint64_t *bytes);
int parse_duration(const char *s, uint64_t *ms);
int parse_percent(const char *s, double *pct);
int psi_some_avg10(const char *text, double *avg10);
void format_bytes(uint64_t bytes, char *buf, size_t len);

int cgroup_resolve(const char *root, const char *arg, char *out, size_t len);
const char *cgroup_rel(const char *root, const char *path);

/* The type of a `const volatile` knob, from the policy's BTF */
struct knob_type {
	unsigned int size; /* 1, 2, 4 or 8 */
	bool is_signed;
	bool is_bool;
};

int knob_assign_parse(const char *arg, char *name, size_t name_len,
		      const char **value);
int knob_value_parse(const char *value, const struct knob_type *t, void *out);
void knob_type_describe(const struct knob_type *t, char *buf, size_t len);

/* `set NAME CGROUP=VALUE`: a per-cgroup map parameter (u32, or "default") */
int param_assign_parse(const char *arg, char *cgroup, size_t len,
		       uint32_t *value, bool *del);

/* /sys/kernel/debug/zswap/bpf_policy */
struct bpf_policy_info {
	char name[32]; /* "" when no policy is attached */
	char state[16]; /* none | enabled | ejected */
	char last_exit[32]; /* none | unregistered | replaced | ejected_* */
	char last_exit_reason[160];
	/* "run_begin=US select_memcg=US ...": each callback's slowest call */
	char slowest_us[160];
};

int bpf_policy_parse(const char *text, struct bpf_policy_info *info);

/* memory.stat: the value of each of @keys; found[i] tells if it was there */
void memstat_parse(const char *text, const char *const *keys, int nkeys,
		   uint64_t *vals, bool *found);

#endif /* __ZSWAP_BPF_PARSE_H */
