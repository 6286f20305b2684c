/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zswap-bpf: what the subcommand files share.
 */
#ifndef __ZSWAP_BPF_MAIN_H
#define __ZSWAP_BPF_MAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json_writer.h"
#include "parse.h"
#include "compat.h"
#include "zswap_bpf.h"

#define ZSWAP_BPF_VERSION "0.1"
#define ZSWAP_BPF_OPS_TYPE "zswap_writeback_ops"
#define ZSWAP_BPF_LIB_DIR "/usr/local/lib/zswap-bpf"
#define CGROUP_ROOT "/sys/fs/cgroup"
#define NO_HOOK_MSG \
	"this kernel has no zswap_writeback_ops: boot the kernel built from kernel-patches/ (make kernel), e.g. with tests/vm/run"

extern const char *bin_name;
extern struct global_opts opts;
extern struct json_writer jw;

#define json_output (opts.json)

void p_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void p_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool is_help(int argc, char **argv);

/* Paths, each overridable from the environment (see the man page) */
const char *cgroup_root(void);
const char *debugfs_dir(void);
const char *pin_dir(void);
const char *pin_base_dir(void);
void attach_cgroup_set(uint64_t cgid);
uint64_t attach_cgroup(void);
void attach_cgroup_opt_set(const char *arg);
const char *attach_cgroup_opt(void);
int attach_cgroup_arg(const char *cmd, const char *arg, int *fd);
bool cgroup_gone(const char *arg);
void pin_path(char *buf, size_t len, const char *name);

int read_text(const char *path, char *buf, size_t len);
int read_u64(const char *path, uint64_t *val);
double now_sec(void);

int kernel_has_hook(void);
int caps_require(const char *what, const int *caps, int n);
int kernel_policy_info(struct bpf_policy_info *info);

/* debugfs zswap/bpf_*: runs, steps, bytes, invalid, fallbacks, ejections */
#define NR_KERNEL_COUNTERS 7
int kernel_counters_read(uint64_t *vals);
const char *kernel_counter_name(int i);

void libbpf_log_setup(bool verbose);
void libbpf_log_tail(int lines);

/* the policy's per-CPU stats map, summed; -errno if not loaded */
int policy_stats_read(uint64_t *vals, int max, int *nr);
extern const char *const policy_stat_names[];
const char *policy_stat_name(int i, char *buf, size_t len);

/* link, stats, events: pins under PIN_DIR that are not parameter maps */
bool is_fixed_pin(const char *name);

/* a map `set` can update (ZSWAP_BPF_CGROUP_MAP), by its layout */
bool is_param_map(int type, unsigned int key_size, unsigned int value_size);

int do_load(int argc, char **argv);
int do_unload(int argc, char **argv);
int do_list(int argc, char **argv);
int do_status(int argc, char **argv);
int do_trace(int argc, char **argv);
int do_reclaim(int argc, char **argv);
int do_stats(int argc, char **argv);
int do_set(int argc, char **argv);

#endif /* __ZSWAP_BPF_MAIN_H */
