// SPDX-License-Identifier: GPL-2.0
/*
 * zswap-bpf reclaim: proactive writeback through memory.reclaim
 * "SIZE source=zswap", and what it moved.
 *
 * memory.stat is flushed lazily: a small change can take up to ~2 s to show,
 * so the bytes reported right after a writeback can fall short.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "main.h"

/*
 * A Ctrl-C (the agent: also SIGTERM) must stop the write to memory.reclaim
 * whenever it comes after the handler is set. In the write, the kernel
 * ends it with EINTR (no SA_RESTART). Before it -- after sigaction(),
 * before write(2) has looked up its fd -- a flag checked first would leave
 * a window between the check and the syscall, and write(2) has no
 * pselect()-like form. So the handler closes the window itself
 * (reclaim_interrupt()): it dup2()s a read-only fd over memory.reclaim's,
 * and a write not yet started fails at once with EBADF (a started one
 * holds its file and gets EINTR). @interrupted then tells the two failures
 * apart, and a signal that came before @reclaim_fd was set is seen by the
 * check after it: there is no window at all. @interrupted stays set: once
 * asked to stop, every later write fails with EINTR.
 */
static volatile sig_atomic_t interrupted;
static volatile sig_atomic_t reclaim_fd = -1;
static volatile sig_atomic_t dud_fd = -1;

/* From a signal handler: end the write in progress, and any later one */
void reclaim_interrupt(void)
{
	interrupted = 1;
	if (reclaim_fd >= 0 && dud_fd >= 0)
		dup2(dud_fd, reclaim_fd);
}

static void on_sigint(int sig)
{
	int saved = errno;

	(void)sig;
	reclaim_interrupt();
	errno = saved;
}

/* write(2) @cmd to @fd, which reclaim_interrupt() turns to a dud */
static int reclaim_write_fd(int fd, const char *cmd, int len)
{
	int err = 0;

	reclaim_fd = fd;
	if (interrupted)
		err = -EINTR;
	else if (write(fd, cmd, len) < 0)
		err = -errno;
	reclaim_fd = -1;
	/* a write that completed stands; a failed one was interrupted */
	return err && interrupted ? -EINTR : err;
}

/* Write "@bytes source=zswap" to @path/memory.reclaim: 0 or -errno */
int reclaim_write(const char *path, uint64_t bytes)
{
	char file[PATH_MAX + 32], cmd[64];
	int fd, len, err;

	snprintf(file, sizeof(file), "%s/memory.reclaim", path);
	fd = open(file, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dud_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (dud_fd < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	len = snprintf(cmd, sizeof(cmd), "%llu source=zswap",
		       (unsigned long long)bytes);
	err = reclaim_write_fd(fd, cmd, len);
	close(dud_fd);
	dud_fd = -1;
	close(fd);
	return err;
}

/* The nearest of @path and its ancestors with memory.zswap.writeback 0 */
static bool writeback_disabled_at(const char *path, char *where, size_t len)
{
	char dir[PATH_MAX], f[PATH_MAX + 32], *slash;
	size_t root_len = strlen(cgroup_root());
	uint64_t v;

	snprintf(dir, sizeof(dir), "%s", path);
	while (strlen(dir) >= root_len) {
		snprintf(f, sizeof(f), "%s/memory.zswap.writeback", dir);
		if (!read_u64(f, &v) && !v) {
			snprintf(where, len, "%s", f);
			return true;
		}
		slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			break;
		*slash = '\0';
	}
	return false;
}

/* Explain EINVAL from memory.reclaim */
static void reclaim_refused(const char *path, bool has_counter)
{
	char where[PATH_MAX + 32];

	if (!has_counter)
		p_err("the kernel refused 'source=zswap' (EINVAL): it has no proactive zswap writeback; boot the kernel built from kernel-patches/ (make kernel)");
	else if (writeback_disabled_at(path, where, sizeof(where)))
		p_err("the kernel refused (EINVAL): zswap writeback is disabled for %s by %s = 0; enable it with 'echo 1 > %s'",
		      path, where, where);
	else
		p_err("the kernel refused '... source=zswap' for %s (EINVAL)",
		      path);
}

static const char *reclaim_result(int err)
{
	switch (err) {
	case 0:
		return "met";
	case -EAGAIN:
		return "partial";
	case -EINTR:
		return "interrupted";
	default:
		return "failed";
	}
}

/* Bytes each memcg itself gave: its delta less its children's */
static void reclaim_local(const struct memcg_table *a,
			  const struct memcg_table *b, int64_t *local)
{
	int i, p;

	for (i = 0; i < b->nr; i++)
		local[i] = 0;
	for (i = 0; i < b->nr && i < a->nr; i++) {
		int64_t d =
			b->rows[i].v[MS_PROACTIVE] - a->rows[i].v[MS_PROACTIVE];

		local[i] += d;
		p = b->rows[i].parent;
		if (p >= 0)
			local[p] -= d;
	}
}

static void reclaim_print(const char *path, uint64_t req, int err, double secs,
			  const struct memcg_table *a,
			  const struct memcg_table *b)
{
	uint64_t done = b->rows[0].v[MS_PROACTIVE] - a->rows[0].v[MS_PROACTIVE];
	int64_t *local = calloc(b->nr, sizeof(*local));
	char rq[32], dn[32], by[32];
	int i, shown = 0;

	/* same walk twice: a memcg created in between breaks the pairing */
	if (local && a->nr == b->nr)
		reclaim_local(a, b, local);
	format_bytes(req, rq, sizeof(rq));
	format_bytes(done, dn, sizeof(dn));
	if (json_output) {
		jw_init(&jw, stdout, opts.pretty);
		jw_start_object(&jw);
		jw_string_field(&jw, "cgroup", path);
		jw_uint_field(&jw, "requested_bytes", req);
		jw_uint_field(&jw, "written_back_bytes", done);
		jw_string_field(&jw, "result", reclaim_result(err));
		jw_double_field(&jw, "elapsed_s", secs);
		jw_name(&jw, "from");
		jw_start_array(&jw);
	} else {
		printf("%s: requested %s, written back %s (%s) in %.3f s\n",
		       path, rq, dn, reclaim_result(err), secs);
	}
	for (i = 0; local && i < b->nr && a->nr == b->nr; i++) {
		if (local[i] <= 0)
			continue;
		if (json_output) {
			jw_start_object(&jw);
			jw_string_field(&jw, "cgroup", b->rows[i].path);
			jw_uint_field(&jw, "id", b->rows[i].id);
			jw_uint_field(&jw, "bytes", local[i]);
			jw_end_object(&jw);
			continue;
		}
		format_bytes(local[i], by, sizeof(by));
		printf("%s %s %s", shown++ ? "," : "  from", b->rows[i].path,
		       by);
	}
	if (json_output) {
		jw_end_array(&jw);
		jw_end_object(&jw);
	} else {
		if (shown)
			printf("\n");
		printf("  (memory.stat is flushed lazily: small amounts can show up to ~2 s late)\n");
	}
	free(local);
}

static void reclaim_usage(FILE *out)
{
	fprintf(out,
		"Usage: %s reclaim CGROUP SIZE\n"
		"\n"
		"       CGROUP := { /sys/fs/cgroup/PATH | PATH relative to /sys/fs/cgroup }\n"
		"       SIZE   := BYTES[K|M|G|T]\n"
		"\n"
		"Write back up to SIZE bytes of compressed zswap data of the CGROUP\n"
		"subtree to swap (memory.reclaim \"SIZE source=zswap\"), and report what\n"
		"was written back (memory.stat zswpwb_proactive_b) and where from.\n"
		"Exit status: 0 budget met, 4 less written (EAGAIN), 3 refused (EINVAL),\n"
		"5 interrupted (EINTR), 2 usage error, 1 other error.\n",
		bin_name);
}

/* A SIZE parse_size() refuses: -EUSAGE after the message */
static int size_error(const char *arg)
{
	uint64_t bytes;

	return usage_error(
		"reclaim", "bad SIZE '%s': %s", arg,
		parse_size(arg, &bytes) == -ERANGE ?
			"too large" :
			"expected bytes with an optional K, M, G or T suffix, e.g. 64M");
}

int do_reclaim(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_sigint }, old;
	struct memcg_table before = {}, after = {};
	char path[PATH_MAX];
	uint64_t bytes;
	double t0, secs;
	int err;

	if (is_help(argc, argv)) {
		reclaim_usage(stdout);
		return EXIT_OK;
	}
	if (argc != 2)
		err = usage_error("reclaim", "reclaim needs CGROUP and SIZE");
	else if (parse_size(argv[1], &bytes))
		err = size_error(argv[1]);
	else
		err = cgroup_arg("reclaim", argv[0], path, sizeof(path),
				 "memory.reclaim");
	if (err)
		return exit_code_from_errno(err);
	memcg_table_fill(&before, path);
	t0 = now_sec();
	/* no SA_RESTART: Ctrl-C makes the write return EINTR */
	sigaction(SIGINT, &sa, &old);
	err = reclaim_write(path, bytes);
	sigaction(SIGINT, &old, NULL);
	secs = now_sec() - t0;
	if (err == -EINVAL) {
		reclaim_refused(
			path, before.nr && before.rows[0].found[MS_PROACTIVE]);
	} else if (err && err != -EAGAIN && err != -EINTR) {
		p_err("writing %s/memory.reclaim: %s", path, strerror(-err));
	} else {
		memcg_table_fill(&after, path);
		if (before.nr && after.nr)
			reclaim_print(path, bytes, err, secs, &before, &after);
	}
	free(before.rows);
	free(after.rows);
	return exit_code_from_errno(err);
}
