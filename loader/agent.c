// SPDX-License-Identifier: GPL-2.0
/*
 * zswap-bpf agent: a writeback service for one cgroup. Every interval it
 * writes back, through memory.reclaim "SIZE source=zswap", what is over
 * its target -- entries older than --max-age, and/or the pool above
 * --pool-max -- at most --rate a second, and skips the tick while the
 * host's memory or io pressure (PSI "some" avg10) is above its limit:
 * senpai's practice of leaving a loaded machine alone.
 *
 * The age target is coldest_first's min_age_ms: the agent attaches that
 * policy at its cgroup, so that a run ends (EAGAIN) once no memcg's LRU
 * head is older than the target, and detaches it on exit. Its counters go
 * to a state file under RUN_DIR that `zswap-bpf stats` reads.
 */
#define _GNU_SOURCE /* pipe2 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "main.h"

#define AGENT_POLICY "coldest_first"
#define DEFAULT_RATE (16ULL << 20)
#define DEFAULT_INTERVAL_MS 5000
#define DEFAULT_PSI 10.0

struct agent_cfg {
	const char *cgroup_arg;
	uint64_t max_age_ms; /* 0: no age target */
	uint64_t pool_max; /* bytes; 0: no pool target */
	uint64_t rate; /* bytes a second */
	uint64_t interval_ms;
	double psi_mem, psi_io; /* back off above these, avg10 in % */
};

/* What the state file holds, one "key value" line each, after "cgroup" */
enum {
	AF_PID,
	AF_CGID,
	AF_UPDATED,
	AF_INTERVAL,
	AF_RATE,
	AF_MAX_AGE,
	AF_POOL_MAX,
	AF_PSI_MEM_LIMIT,
	AF_PSI_IO_LIMIT,
	AF_TICKS,
	AF_IDLE,
	AF_BACKOFFS,
	AF_RUNS,
	AF_PARTIAL,
	AF_ERRORS,
	AF_REQUESTED,
	AF_WRITTEN,
	AF_POOL,
	AF_PSI_MEM,
	AF_PSI_IO,
	AF_BACKING_OFF,
	AF_NR,
};

/*
 * @type: the Prometheus type, NULL for none; @pct: kept in hundredths of a
 * percent, shown as a percentage
 */
static const struct {
	const char *key, *type, *help;
	bool pct;
} fields[AF_NR] = {
	[AF_PID] = { "pid", NULL, NULL },
	[AF_CGID] = { "cgroup_id", NULL, NULL },
	[AF_UPDATED] = { "updated_s", "gauge",
			 "Unix time of the agent's last tick" },
	[AF_INTERVAL] = { "interval_ms", "gauge", "Time between ticks" },
	[AF_RATE] = { "rate_bytes", "gauge",
		      "Most compressed bytes written back a second" },
	[AF_MAX_AGE] = { "max_age_ms", "gauge",
			 "Age target: entries older than this go (0: none)" },
	[AF_POOL_MAX] = { "pool_max_bytes", "gauge",
			  "Pool target in compressed bytes (0: none)" },
	[AF_PSI_MEM_LIMIT] = { "psi_memory_limit", "gauge",
			       "Back off above this memory some avg10 (%)",
			       true },
	[AF_PSI_IO_LIMIT] = { "psi_io_limit", "gauge",
			      "Back off above this io some avg10 (%)", true },
	[AF_TICKS] = { "ticks", "counter", "Ticks of the agent's loop" },
	[AF_IDLE] = { "idle_ticks", "counter",
		      "Ticks with nothing over target" },
	[AF_BACKOFFS] = { "backoffs", "counter",
			  "Ticks skipped for host memory or io pressure" },
	[AF_RUNS] = { "runs", "counter", "Writes to memory.reclaim" },
	[AF_PARTIAL] = { "runs_partial", "counter",
			 "Writes that wrote back less than asked (EAGAIN)" },
	[AF_ERRORS] = { "errors", "counter", "Writes that failed otherwise" },
	[AF_REQUESTED] = { "requested_bytes", "counter",
			   "Compressed bytes asked of memory.reclaim" },
	[AF_WRITTEN] = { "written_bytes", "counter",
			 "zswpwb_proactive_b of the cgroup since the start" },
	[AF_POOL] = { "pool_bytes", "gauge",
		      "memory.stat zswap of the cgroup at the last tick" },
	[AF_PSI_MEM] = { "psi_memory", "gauge",
			 "Host memory some avg10 at the last tick (%)", true },
	[AF_PSI_IO] = { "psi_io", "gauge",
			"Host io some avg10 at the last tick (%)", true },
	[AF_BACKING_OFF] = { "backing_off", "gauge",
			     "1 while the agent backs off" },
};

struct agent {
	struct agent_cfg cfg;
	char path[PATH_MAX];
	char state[PATH_MAX + 64];
	uint64_t v[AF_NR];
	uint64_t wb_base; /* zswpwb_proactive_b at the start */
	int last_err;
	int lock_fd;
	bool policy_attached;
	uint64_t cut_short; /* the budget of a write a signal ended */
};

static void agent_usage(FILE *out)
{
	fprintf(out,
		"Usage: %s agent --cgroup CGROUP { --max-age DURATION | --pool-max SIZE }...\n"
		"                 [--rate SIZE] [--interval DURATION] [--psi-mem PCT] [--psi-io PCT]\n"
		"\n"
		"       DURATION := NUMBER[ms|s|m|h]   (no unit: seconds)\n"
		"       SIZE     := BYTES[K|M|G|T]\n"
		"       PCT      := 0..100\n"
		"\n"
		"Keep a writeback target for CGROUP until SIGTERM or SIGINT: every\n"
		"--interval (default 5s) write back (memory.reclaim source=zswap) the\n"
		"zswap entries older than --max-age (by attaching %s with\n"
		"min_age_ms at CGROUP while it runs) and/or the compressed pool of\n"
		"CGROUP above --pool-max, at most --rate a second (default 16M).\n"
		"A tick is skipped while the host's memory or io pressure (PSI some\n"
		"avg10) is above --psi-mem or --psi-io percent (default 10; 100: never).\n"
		"Counters: '%s stats'. Exit status: 0 stopped by a signal, 2 usage\n"
		"error, 3 refused (the policy could not attach), 1 other error.\n",
		bin_name, AGENT_POLICY, bin_name);
}

/* --- options ----------------------------------------------------------- */

enum opt_kind { K_CGROUP, K_DURATION, K_SIZE, K_PCT };

static const struct {
	const char *name;
	enum opt_kind kind;
	size_t off;
} agent_opts[] = {
	{ "cgroup", K_CGROUP, offsetof(struct agent_cfg, cgroup_arg) },
	{ "max-age", K_DURATION, offsetof(struct agent_cfg, max_age_ms) },
	{ "pool-max", K_SIZE, offsetof(struct agent_cfg, pool_max) },
	{ "rate", K_SIZE, offsetof(struct agent_cfg, rate) },
	{ "interval", K_DURATION, offsetof(struct agent_cfg, interval_ms) },
	{ "psi-mem", K_PCT, offsetof(struct agent_cfg, psi_mem) },
	{ "psi-io", K_PCT, offsetof(struct agent_cfg, psi_io) },
};

#define NR_AGENT_OPTS (sizeof(agent_opts) / sizeof(agent_opts[0]))

static const char *const kind_hint[] = {
	[K_CGROUP] = "",
	[K_DURATION] =
		"expected a number with an optional unit ms, s, m or h, e.g. 2m",
	[K_SIZE] =
		"expected bytes with an optional K, M, G or T suffix, e.g. 64M",
	[K_PCT] = "expected a percentage from 0 to 100, e.g. 10",
};

/* Option @i's value @v into @c: 0 or -EUSAGE after a message */
static int opt_value(size_t i, const char *v, struct agent_cfg *c)
{
	void *p = (char *)c + agent_opts[i].off;
	int err = 0;

	switch (agent_opts[i].kind) {
	case K_CGROUP:
		*(const char **)p = v;
		break;
	case K_DURATION:
		err = parse_duration(v, p);
		break;
	case K_SIZE:
		err = parse_size(v, p);
		break;
	case K_PCT:
		err = parse_percent(v, p);
		break;
	}
	if (!err)
		return 0;
	return usage_error("agent", "bad --%s '%s': %s", agent_opts[i].name, v,
			   err == -ERANGE ? "out of range" :
					    kind_hint[agent_opts[i].kind]);
}

/* "--NAME VALUE" or "--NAME=VALUE" at argv[*i]: 0 or -EUSAGE */
static int opt_parse(int argc, char **argv, int *i, struct agent_cfg *c)
{
	const char *a = argv[*i], *eq;
	size_t k, n;

	if (strncmp(a, "--", 2))
		return usage_error("agent", "unexpected argument '%s'", a);
	eq = strchr(a, '=');
	n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
	for (k = 0; k < NR_AGENT_OPTS; k++) {
		if (strlen(agent_opts[k].name) != n ||
		    strncmp(a + 2, agent_opts[k].name, n))
			continue;
		if (!eq && *i + 1 >= argc)
			return usage_error("agent", "%s needs a value", a);
		return opt_value(k, eq ? eq + 1 : argv[++*i], c);
	}
	return usage_error("agent", "unknown option '%s'", a);
}

/* What the options cannot be together: 0 or -EUSAGE */
static int cfg_check(const struct agent_cfg *c)
{
	if (!c->cgroup_arg)
		return usage_error("agent", "agent needs --cgroup CGROUP");
	if (!c->max_age_ms && !c->pool_max)
		return usage_error(
			"agent",
			"agent needs a target: --max-age DURATION and/or --pool-max SIZE");
	if (c->rate > UINT64_MAX / c->interval_ms)
		return usage_error("agent",
				   "--rate times --interval is too large");
	if (c->rate * c->interval_ms / 1000 < 4096)
		return usage_error(
			"agent",
			"--rate times --interval is under a page (4K) a tick: raise either");
	return 0;
}

static int agent_args(int argc, char **argv, struct agent_cfg *c)
{
	int i, err = 0;

	c->rate = DEFAULT_RATE;
	c->interval_ms = DEFAULT_INTERVAL_MS;
	c->psi_mem = DEFAULT_PSI;
	c->psi_io = DEFAULT_PSI;
	for (i = 0; i < argc && !err; i++)
		err = opt_parse(argc, argv, &i, c);
	return err ?: cfg_check(c);
}

/* --- the policy of the age target -------------------------------------- */

/* A child zswap-bpf's exit status as an errno: 0 or -errno */
static int child_errno(int status)
{
	if (!WIFEXITED(status))
		return -EIO;
	switch (WEXITSTATUS(status)) {
	case EXIT_OK:
		return 0;
	case EXIT_USAGE:
		return -EUSAGE;
	case EXIT_REFUSED:
		return -EPERM;
	default:
		return -EIO;
	}
}

/*
 * Run this binary with @args (NULL-terminated) and our global options, its
 * stdout on our stderr (the journal): 0 or -errno
 */
static int run_self(const char *const *args)
{
	const char *argv[16];
	int n = 0, status;
	pid_t pid;

	argv[n++] = bin_name;
	if (opts.policy_dir) {
		argv[n++] = "--policy-dir";
		argv[n++] = opts.policy_dir;
	}
	while (*args && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execv("/proc/self/exe", (char **)argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return child_errno(status);
}

/* The pinned link of an attachment at the agent's cgroup, if any */
static bool policy_pinned(const struct agent *a, uint64_t cgid)
{
	char link[PATH_MAX];

	attach_cgroup_set(strcmp(a->path, cgroup_root()) ? cgid : 0);
	pin_path(link, sizeof(link), "link");
	attach_cgroup_set(0);
	return !access(link, F_OK);
}

/*
 * Attach coldest_first with min_age_ms = the age target at the cgroup. One
 * attached there already is not ours to change: refused, so that the
 * agent leaves the cgroup's policy as it found it.
 */
static int policy_attach(struct agent *a)
{
	char knob[64];
	const char *args[] = { "load",	AGENT_POLICY, "--cgroup", a->path,
			       "--set", knob,	      NULL };
	int err;

	if (policy_pinned(a, a->v[AF_CGID])) {
		p_err("a policy is attached at %s already: --max-age attaches %s there itself; unload that one first ('%s unload --cgroup %s'), or use --pool-max alone",
		      a->path, AGENT_POLICY, bin_name, a->path);
		return -EBUSY;
	}
	snprintf(knob, sizeof(knob), "min_age_ms=%llu",
		 (unsigned long long)a->cfg.max_age_ms);
	err = run_self(args);
	if (err) {
		p_err("could not attach %s at %s for --max-age (see above)",
		      AGENT_POLICY, a->path);
		return err;
	}
	a->policy_attached = true;
	return 0;
}

static void policy_detach(struct agent *a)
{
	const char *args[] = { "unload", "--if-loaded", "--cgroup", a->path,
			       NULL };

	if (a->policy_attached && run_self(args))
		p_err("could not unload %s at %s: unload it with '%s unload --cgroup %s'",
		      AGENT_POLICY, a->path, bin_name, a->path);
	a->policy_attached = false;
}

/* --- signals ----------------------------------------------------------- */

/*
 * SIGTERM and SIGINT stop the agent at once: a write to memory.reclaim in
 * progress or about to start ends with EINTR (reclaim_interrupt()), and a
 * sleep ends on the byte in @wake (a flag alone could come between the
 * check and poll()).
 */
static volatile sig_atomic_t stopping;
static int wake[2] = { -1, -1 };

static void on_stop(int sig)
{
	int saved = errno;

	(void)sig;
	stopping = 1;
	reclaim_interrupt();
	if (write(wake[1], "", 1) < 0) {
		/* a full pipe wakes the sleep all the same */
	}
	errno = saved;
}

static int signals_setup(void)
{
	/* no SA_RESTART: the write to memory.reclaim returns EINTR */
	struct sigaction sa = { .sa_handler = on_stop };

	if (pipe2(wake, O_CLOEXEC | O_NONBLOCK))
		return -errno;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	return 0;
}

static void sleep_until(double deadline)
{
	struct pollfd pfd = { .fd = wake[0], .events = POLLIN };
	double left;

	while (!stopping && (left = deadline - now_sec()) > 0)
		poll(&pfd, 1, left > 3600 ? 3600000 : (int)(left * 1000) + 1);
}

/* --- one tick ---------------------------------------------------------- */

/* memory.stat zswap and zswpwb_proactive_b of @path: 0 or -errno */
static int cgroup_pool(const char *path, uint64_t *pool, uint64_t *wb)
{
	static const char *const keys[] = { "zswap", "zswpwb_proactive_b" };
	char f[PATH_MAX + 32], text[8192];
	uint64_t v[2];
	bool found[2];
	int err;

	snprintf(f, sizeof(f), "%s/memory.stat", path);
	err = read_text(f, text, sizeof(text));
	if (err < 0)
		return err;
	memstat_parse(text, keys, 2, v, found);
	if (!found[0] || !found[1])
		return -EOPNOTSUPP;
	*pool = v[0];
	*wb = v[1];
	return 0;
}

/* The host's @res ("memory", "io") some avg10 in hundredths of a percent */
static uint64_t psi_read(const char *res)
{
	char f[PATH_MAX], text[512];
	double avg10;

	snprintf(f, sizeof(f), "%s/%s", psi_dir(), res);
	if (read_text(f, text, sizeof(text)) < 0 ||
	    psi_some_avg10(text, &avg10))
		return 0;
	return (uint64_t)(avg10 * 100 + 0.5);
}

/* Whether this tick backs off; says so when that changes */
static bool tick_backoff(struct agent *a)
{
	bool over;

	a->v[AF_PSI_MEM] = psi_read("memory");
	a->v[AF_PSI_IO] = psi_read("io");
	over = a->v[AF_PSI_MEM] > a->v[AF_PSI_MEM_LIMIT] ||
	       a->v[AF_PSI_IO] > a->v[AF_PSI_IO_LIMIT];
	if (over != !!a->v[AF_BACKING_OFF])
		p_note("%s: host pressure memory %.2f%% io %.2f%%",
		       over ? "backing off" : "resuming",
		       a->v[AF_PSI_MEM] / 100.0, a->v[AF_PSI_IO] / 100.0);
	a->v[AF_BACKING_OFF] = over;
	a->v[AF_BACKOFFS] += over;
	return over;
}

/*
 * What is over target, capped by the rate: the pool's excess, or for the
 * age target a full tick's worth, since the policy ends the run once
 * nothing is older than the target
 */
static uint64_t tick_budget(const struct agent *a)
{
	uint64_t cap = a->cfg.rate * a->cfg.interval_ms / 1000, want = 0;

	if (a->cfg.max_age_ms)
		want = cap;
	if (a->cfg.pool_max && a->v[AF_POOL] > a->cfg.pool_max &&
	    a->v[AF_POOL] - a->cfg.pool_max > want)
		want = a->v[AF_POOL] - a->cfg.pool_max;
	return want < cap ? want : cap;
}

static void tick_result(struct agent *a, uint64_t budget, int err)
{
	a->v[AF_RUNS]++;
	a->v[AF_REQUESTED] += budget;
	if (err == -EAGAIN)
		a->v[AF_PARTIAL]++;
	else if (err)
		a->v[AF_ERRORS]++;
	if (err && err != -EAGAIN && err != a->last_err)
		p_err("writing %s/memory.reclaim: %s%s", a->path,
		      strerror(-err),
		      err == -EINVAL ? " (memory.zswap.writeback 0?)" : "");
	a->last_err = err;
}

static void tick(struct agent *a)
{
	uint64_t budget, wb;
	int err;

	a->v[AF_TICKS]++;
	a->v[AF_UPDATED] = time(NULL);
	err = cgroup_pool(a->path, &a->v[AF_POOL], &wb);
	if (err == -ENOENT) {
		a->last_err = err;
		return;
	}
	if (!err && wb >= a->wb_base)
		a->v[AF_WRITTEN] = wb - a->wb_base;
	if (tick_backoff(a))
		return;
	budget = tick_budget(a);
	if (!budget) {
		a->v[AF_IDLE]++;
		return;
	}
	err = reclaim_write(a->path, budget);
	if (err == -EINTR)
		a->cut_short = budget;
	else
		tick_result(a, budget, err);
	if (opts.verbose)
		p_note("tick %llu: asked %llu bytes: %s",
		       (unsigned long long)a->v[AF_TICKS],
		       (unsigned long long)budget, strerror(-err));
}

/* --- the state file ---------------------------------------------------- */

/* Replace the state file whole: a reader sees the last tick or the one before */
static void state_write(const struct agent *a)
{
	char buf[4096], tmp[PATH_MAX + 80];
	int i, fd, len;

	len = snprintf(buf, sizeof(buf), "cgroup %s\n", a->path);
	for (i = 0; i < AF_NR && len < (int)sizeof(buf); i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s %llu\n",
				fields[i].key, (unsigned long long)a->v[i]);
	snprintf(tmp, sizeof(tmp), "%s.tmp", a->state);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, buf, len) != len) {
		close(fd);
		unlink(tmp);
		return;
	}
	close(fd);
	rename(tmp, a->state);
}

/*
 * RUN_DIR/agent-<cgroup id>, and its lock: one agent a cgroup. 0 or
 * -errno after a message.
 */
static int state_open(struct agent *a)
{
	char lock[PATH_MAX + 80];
	int err;

	if (mkdir(run_dir(), 0755) && errno != EEXIST) {
		err = -errno;
		p_err("cannot create %s: %s", run_dir(), strerror(-err));
		return err;
	}
	snprintf(a->state, sizeof(a->state), "%s/agent-%llu", run_dir(),
		 (unsigned long long)a->v[AF_CGID]);
	snprintf(lock, sizeof(lock), "%s.lock", a->state);
	a->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (a->lock_fd < 0) {
		err = -errno;
		p_err("cannot open %s: %s", lock, strerror(-err));
		return err;
	}
	if (flock(a->lock_fd, LOCK_EX | LOCK_NB)) {
		err = errno == EWOULDBLOCK ? -EBUSY : -errno;
		p_err("another agent runs for %s (it holds %s)", a->path, lock);
		return err;
	}
	return 0;
}

/* --- start and stop ---------------------------------------------------- */

static void cfg_to_state(struct agent *a)
{
	const struct agent_cfg *c = &a->cfg;

	a->v[AF_PID] = getpid();
	a->v[AF_INTERVAL] = c->interval_ms;
	a->v[AF_RATE] = c->rate;
	a->v[AF_MAX_AGE] = c->max_age_ms;
	a->v[AF_POOL_MAX] = c->pool_max;
	a->v[AF_PSI_MEM_LIMIT] = (uint64_t)(c->psi_mem * 100 + 0.5);
	a->v[AF_PSI_IO_LIMIT] = (uint64_t)(c->psi_io * 100 + 0.5);
}

static int agent_start(struct agent *a)
{
	char f[PATH_MAX];
	int err;

	err = cgroup_pool(a->path, &a->v[AF_POOL], &a->wb_base);
	if (err == -EOPNOTSUPP)
		p_err("%s/memory.stat has no zswpwb_proactive_b: this kernel has no proactive zswap writeback; boot the kernel built from kernel-patches/ (make kernel)",
		      a->path);
	else if (err)
		p_err("cannot read %s/memory.stat: %s", a->path,
		      strerror(-err));
	if (err)
		return err == -EOPNOTSUPP ? err : errno_as(err, EXIT_RUNTIME);
	snprintf(f, sizeof(f), "%s/io", psi_dir());
	if (access(f, R_OK))
		p_note("no %s (CONFIG_PSI off, or psi=0): no back-off on pressure",
		       f);
	cfg_to_state(a);
	err = state_open(a);
	err = err ?: signals_setup();
	if (!err && a->cfg.max_age_ms && !stopping)
		err = policy_attach(a);
	return err;
}

/* Until a signal, or the cgroup is removed: 0 or -ENOENT */
static int agent_loop(struct agent *a)
{
	double next = now_sec();

	p_note("agent for %s: max age %llu ms, pool max %llu bytes, at most %llu bytes/s every %llu ms; back off above memory %.2f%% io %.2f%%",
	       a->path, (unsigned long long)a->cfg.max_age_ms,
	       (unsigned long long)a->cfg.pool_max,
	       (unsigned long long)a->cfg.rate,
	       (unsigned long long)a->cfg.interval_ms, a->cfg.psi_mem,
	       a->cfg.psi_io);
	/* up: stats shows it before its first write, which can take seconds */
	state_write(a);
	while (!stopping) {
		tick(a);
		state_write(a);
		/* a removed cgroup has no target left to keep */
		if (a->last_err == -ENOENT) {
			p_err("cgroup %s is gone: stopping", a->path);
			return -ENOENT;
		}
		next += a->cfg.interval_ms / 1000.0;
		/* a tick that overran starts the next at once, not a burst */
		if (next < now_sec())
			next = now_sec();
		sleep_until(next);
	}
	return 0;
}

static void agent_stop(struct agent *a)
{
	char lock[PATH_MAX + 80];

	policy_detach(a);
	if (a->lock_fd < 0)
		return;
	snprintf(lock, sizeof(lock), "%s.lock", a->state);
	unlink(a->state);
	unlink(lock);
	close(a->lock_fd);
}

int do_agent(int argc, char **argv)
{
	struct agent a = { .lock_fd = -1 };
	struct stat st = {};
	int err;

	if (is_help(argc, argv)) {
		agent_usage(stdout);
		return EXIT_OK;
	}
	err = agent_args(argc, argv, &a.cfg);
	err = err   ?:
		      cgroup_arg("agent", a.cfg.cgroup_arg, a.path,
				 sizeof(a.path), "memory.reclaim");
	/* a cgroup's id is its directory's inode number */
	if (!err && stat(a.path, &st))
		err = errno_as(-errno, EXIT_RUNTIME);
	a.v[AF_CGID] = st.st_ino;
	err = err ?: agent_start(&a);
	if (!err)
		err = agent_loop(&a);
	agent_stop(&a);
	if (!err)
		p_note("agent for %s stopped%s", a.path,
		       a.cut_short ?
			       " (interrupted a write to memory.reclaim)" :
			       "");
	return exit_code_from_errno(err);
}

/* --- stats: the state files -------------------------------------------- */

struct agent_view {
	char cgroup[PATH_MAX];
	uint64_t v[AF_NR];
	bool running;
};

/* RUN_DIR/@name as an agent_view: 0, or -errno for no state file */
static int view_read(const char *name, struct agent_view *av)
{
	const char *keys[AF_NR];
	char f[PATH_MAX + 300], text[4096];
	bool found[AF_NR];
	size_t n;
	int i;

	snprintf(f, sizeof(f), "%s/%s", run_dir(), name);
	if (read_text(f, text, sizeof(text)) < 0 || strncmp(text, "cgroup ", 7))
		return -ENOENT;
	n = strcspn(text + 7, "\n");
	snprintf(av->cgroup, sizeof(av->cgroup), "%.*s", (int)n, text + 7);
	for (i = 0; i < AF_NR; i++)
		keys[i] = fields[i].key;
	memstat_parse(text, keys, AF_NR, av->v, found);
	av->running = av->v[AF_PID] &&
		      (!kill(av->v[AF_PID], 0) || errno == EPERM);
	return 0;
}

/* @cgroup is @subtree or below it */
static bool in_subtree(const char *cgroup, const char *subtree)
{
	size_t n = strlen(subtree);

	if (!strcmp(subtree, cgroup_root()))
		return true;
	return !strncmp(cgroup, subtree, n) &&
	       (cgroup[n] == '\0' || cgroup[n] == '/');
}

/* @fn on each agent of @subtree's state file */
static void views_each(const char *subtree,
		       void (*fn)(const struct agent_view *av))
{
	DIR *d = opendir(run_dir());
	struct agent_view av;
	struct dirent *de;

	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, "agent-", 6) || strchr(de->d_name, '.'))
			continue;
		if (!view_read(de->d_name, &av) &&
		    in_subtree(av.cgroup, subtree))
			fn(&av);
	}
	if (d)
		closedir(d);
}

static void view_plain(const struct agent_view *av)
{
	char req[32], wr[32], pool[32];

	format_bytes(av->v[AF_REQUESTED], req, sizeof(req));
	format_bytes(av->v[AF_WRITTEN], wr, sizeof(wr));
	format_bytes(av->v[AF_POOL], pool, sizeof(pool));
	printf("agent %s: %s (pid %llu): ticks %llu, idle %llu, backoffs %llu%s, runs %llu (partial %llu), errors %llu\n"
	       "  requested %s, written back %s, pool %s; PSI memory %.2f%% io %.2f%%\n",
	       cgroup_rel(cgroup_root(), av->cgroup),
	       av->running ? "running" : "not running",
	       (unsigned long long)av->v[AF_PID],
	       (unsigned long long)av->v[AF_TICKS],
	       (unsigned long long)av->v[AF_IDLE],
	       (unsigned long long)av->v[AF_BACKOFFS],
	       av->v[AF_BACKING_OFF] ? " (backing off)" : "",
	       (unsigned long long)av->v[AF_RUNS],
	       (unsigned long long)av->v[AF_PARTIAL],
	       (unsigned long long)av->v[AF_ERRORS], req, wr, pool,
	       av->v[AF_PSI_MEM] / 100.0, av->v[AF_PSI_IO] / 100.0);
}

void agent_stats_print(const char *subtree)
{
	views_each(subtree, view_plain);
}

static void view_json(const struct agent_view *av)
{
	int i;

	jw_start_object(&jw);
	jw_string_field(&jw, "cgroup", cgroup_rel(cgroup_root(), av->cgroup));
	jw_bool_field(&jw, "running", av->running);
	for (i = 0; i < AF_NR; i++) {
		if (fields[i].pct)
			jw_double_field(&jw, fields[i].key, av->v[i] / 100.0);
		else
			jw_uint_field(&jw, fields[i].key, av->v[i]);
	}
	jw_end_object(&jw);
}

/* The "agents" array of stats -j */
void agent_stats_json(const char *subtree)
{
	jw_name(&jw, "agents");
	jw_start_array(&jw);
	views_each(subtree, view_json);
	jw_end_array(&jw);
}

/* Prometheus wants each metric's samples together: one pass per field */
static int prom_field;

static void view_prom(const struct agent_view *av)
{
	int i = prom_field;

	printf("zswap_bpf_agent_%s%s{cgroup=", fields[i].key,
	       strcmp(fields[i].type, "counter") ? "" : "_total");
	prom_quote(cgroup_rel(cgroup_root(), av->cgroup));
	if (fields[i].pct)
		printf(",id=\"%llu\"} %.2f\n",
		       (unsigned long long)av->v[AF_CGID], av->v[i] / 100.0);
	else
		printf(",id=\"%llu\"} %llu\n",
		       (unsigned long long)av->v[AF_CGID],
		       (unsigned long long)av->v[i]);
}

static void view_prom_up(const struct agent_view *av)
{
	printf("zswap_bpf_agent_up{cgroup=");
	prom_quote(cgroup_rel(cgroup_root(), av->cgroup));
	printf(",id=\"%llu\"} %d\n", (unsigned long long)av->v[AF_CGID],
	       av->running);
}

static int nr_views;

static void view_count(const struct agent_view *av)
{
	(void)av;
	nr_views++;
}

/* No agent, no families: a family without samples is noise to alert on */
void agent_stats_prometheus(const char *subtree)
{
	char name[96];
	int i;

	nr_views = 0;
	views_each(subtree, view_count);
	if (!nr_views)
		return;
	prom_header("zswap_bpf_agent_up", "gauge",
		    "1 while the agent of the cgroup runs");
	views_each(subtree, view_prom_up);
	for (i = 0; i < AF_NR; i++) {
		if (!fields[i].type)
			continue;
		snprintf(name, sizeof(name), "zswap_bpf_agent_%s%s",
			 fields[i].key,
			 strcmp(fields[i].type, "counter") ? "" : "_total");
		prom_header(name, fields[i].type, fields[i].help);
		prom_field = i;
		views_each(subtree, view_prom);
	}
}
