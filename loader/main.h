/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zswap-bpf: what the subcommand files share.
 */
#ifndef __ZSWAP_BPF_MAIN_H
#define __ZSWAP_BPF_MAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <time.h>
#include <sys/stat.h>

#include <linux/bpf.h>

#include "cgtree.h"
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
int errno_as(int err, int code);

/* Paths, each overridable from the environment (see the man page) */
const char *cgroup_root(void);
const char *debugfs_dir(void);
const char *pin_dir(void);
const char *pin_base_dir(void);
const char *run_dir(void);
const char *psi_dir(void);
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

/*
 * status.c: the kernel's policy state and counters, explaining a failure;
 * without debugfs (have_debugfs false after it) they show as unavailable
 */
extern bool have_debugfs;
int kernel_state(struct bpf_policy_info *info, uint64_t *vals);

void libbpf_log_setup(bool verbose);
void libbpf_log_tail(int lines);

/* status.c: the policy's per-CPU stats map, summed; -errno if not loaded */
#define MAX_STATS 16
int policy_stats_read(uint64_t *vals, int max, int *nr);
extern const char *const policy_stat_names[];
const char *policy_stat_name(int i, char *buf, size_t len);

/* list.c: the policy directories, in search order, and POLICY in them */
#define MAX_DIRS 4
int policy_dirs(char dirs[][PATH_MAX]);
int policy_resolve(const char *arg, char *out, size_t len);
bool has_suffix(const char *s, const char *sfx);

/* knob.c: NAME=VALUE of load --set, into the object's .rodata */
struct bpf_object;
int knob_set(struct bpf_object *obj, const char *path, const char *arg);

/* pin.c: what load pins under PIN_DIR (invariants there) */
struct link_state {
	bool pinned;
	__u32 link_id;
	__u32 map_id;
	char map_name[BPF_OBJ_NAME_LEN];
	time_t loaded;
};

void link_state_read(struct link_state *ls, const char *dir);
int pin_dir_lock(void);
void attached_name(char *buf, size_t len);
int pin_swap(int fd, const char *name);
int pin_stats(struct bpf_object *obj);
void unpin_stats(void);
void unpin_params(struct bpf_object *obj);
int params_reuse(struct bpf_object *obj);
int pin_params(struct bpf_object *obj);
/* each cgroup-<id> pin directory: an attachment at a cgroup */
void cgroup_pin_dirs(void (*fn)(unsigned long long id, const char *dir,
				void *ctx),
		     void *ctx);

/* link, stats, events: pins under PIN_DIR that are not parameter maps */
bool is_fixed_pin(const char *name);

/* a map `set` can update (ZSWAP_BPF_CGROUP_MAP), by its layout */
bool is_param_map(int type, unsigned int key_size, unsigned int value_size);

/* cgroup.c: CGROUP arguments, cgroup ids, the memcg table */
bool is_cgroup2(const char *path);
int cgroup_arg(const char *cmd, const char *arg, char *path, size_t len,
	       const char *file);
int cgroup_id_of(const char *path, __u64 *id);

/* memory.stat keys of a memcg_row */
enum {
	MS_ZSWAP, /* compressed bytes */
	MS_ZSWAPPED, /* pages */
	MS_ZSWPIN,
	MS_ZSWPOUT,
	MS_ZSWPWB,
	MS_PROACTIVE, /* zswpwb_proactive_b, compressed bytes */
	MS_NR,
};

/* One memcg of a subtree */
struct memcg_row {
	char path[PATH_MAX];
	unsigned long long id;
	uint64_t v[MS_NR];
	bool found[MS_NR];
	int writeback; /* memory.zswap.writeback; -1 if none */
	int parent; /* index in the table; -1 for the top */
};

struct memcg_table {
	struct memcg_row *rows;
	int nr, cap;
};

/* memory.stat keys, by MS_* index */
extern const char *const ms_keys[MS_NR];

/*
 * @path and its descendants with a memory controller, in pre-order; none
 * (tb->nr == 0) if @path has none
 */
void memcg_table_fill(struct memcg_table *tb, const char *path);

/*
 * reclaim.c: "@bytes source=zswap" into @path/memory.reclaim, 0 or -errno;
 * -EINTR once reclaim_interrupt() (async-signal-safe) has run, whether
 * the write had begun or not
 */
int reclaim_write(const char *path, uint64_t bytes);
void reclaim_interrupt(void);

/* agent.c: the agents' counters (their state files), for stats */
void agent_stats_print(const char *subtree);
void agent_stats_json(const char *subtree);
void agent_stats_prometheus(const char *subtree);
/* stats.c: the text exposition format's label values and headers */
void prom_quote(const char *s);
void prom_header(const char *name, const char *type, const char *help);

int do_load(int argc, char **argv);
int do_unload(int argc, char **argv);
int do_list(int argc, char **argv);
int do_status(int argc, char **argv);
int do_trace(int argc, char **argv);
int do_reclaim(int argc, char **argv);
int do_stats(int argc, char **argv);
int do_set(int argc, char **argv);
int do_agent(int argc, char **argv);

#endif /* __ZSWAP_BPF_MAIN_H */
