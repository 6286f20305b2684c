// SPDX-License-Identifier: GPL-2.0
/*
 * workload - one memcg's part of an A/B scenario (tests/bench/ab).
 *
 * Fills SIZE_MB of anonymous memory whose every page can be checked later,
 * pushes it into zswap, then does what it is told by signals:
 *
 *   SIGUSR1  re-access: read back the pages of the re-accessed fraction,
 *            verifying each, and report the elapsed time and faults
 *   SIGUSR2  verify every page, report, and exit (1 on any mismatch)
 *   SIGHUP   touch: read the touched part of the re-accessed pages (-t),
 *            verifying each, and report; they stay resident, as the
 *            part of its working set a warm job has read lately
 *   SIGTERM  exit 0
 *
 * Page i holds RANDOM% of pseudo-random bytes generated from (seed, i),
 * then zeros: like tests/vm/memhog, about half-compressible by default. The
 * re-accessed pages are those whose hash of (seed, i) falls under the
 * fraction, spread over the whole area, so that which of them writeback
 * takes does not depend on the order zswap stored them in. The touched
 * pages are those re-accessed pages whose second hash of (seed, i) falls
 * under the touched fraction: a subset of them, spread the same way.
 *
 * After each phase a status line replaces STATUSFILE (written to a
 * temporary name, then renamed), for the harness to wait on:
 *
 *   pushed pages=N zswapped=BYTES reclaim_rc=ERRNO ns=NS  (fill and push)
 *   reaccess pages=N ns=NS majflt=N bad=N
 *   touched pages=N ns=NS majflt=N bad=N
 *   verified pages=N ns=NS majflt=N bad=N
 *
 * The process blocks the four signals from the start, so a signal sent
 * before it waits for one stays pending and is not lost.
 *
 * With -c DIR:COUNT the memory is spread over COUNT memcgs DIR/m0000...,
 * which it creates (DIR must exist with +memory in its subtree_control):
 * the process enters each in turn, faults its share of the pages there and
 * pushes them into zswap from there. Pages stay charged to the memcg they
 * were faulted in, so one process populates a thousand memcgs, where a
 * process per memcg would not fit in a small VM.
 *
 * With -w it is a writer instead: after pushing, it writes every page
 * afresh, over and over, until SIGTERM. In a memcg whose memory.max is
 * below SIZE_MB that keeps reclaim storing its pages into zswap
 * (tests/bench/ab uses it to keep a full pool's shrink worker busy), and
 * it never faults a page back in from swap.
 *
 * usage: workload [-p RANDOM%] [-s SEED] [-f FRACTION] [-t FRACTION] [-n]
 *                 [-c DIR:COUNT] [-w] STATUSFILE SIZE_MB
 *   -p  percentage of each page that is random (default 50)
 *   -s  seed (default 1): the same seed gives the same pages
 *   -f  fraction of the pages the re-access phase reads, 0..1 (default 0)
 *   -t  fraction of those that SIGHUP touches, 0..1 (default 0)
 *   -n  do not push the memory into zswap after filling
 *   -c  spread the memory over COUNT new memcgs under DIR
 *   -w  write the pages afresh until SIGTERM instead of waiting for signals
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PAGE_SZ		4096UL
#define WORDS		(PAGE_SZ / sizeof(uint64_t))
/* Fractions are kept in millionths */
#define FRAC_ONE	1000000UL

struct workload {
	char *mem;
	size_t pages;
	size_t rnd_words;	/* random words per page, after the tag */
	uint64_t seed;
	unsigned long frac;	/* re-accessed fraction, in FRAC_ONE */
	unsigned long touch;	/* touched part of it, in FRAC_ONE */
	const char *status;
	const char *dir;	/* -c: parent of the memcgs, else NULL */
	unsigned int count;	/* -c: number of memcgs */
};

static void usage(void)
{
	fprintf(stderr,
		"usage: workload [-p RANDOM%%] [-s SEED] [-f FRACTION] [-t FRACTION] [-n]\n"
		"                [-c DIR:COUNT] [-w] STATUSFILE SIZE_MB\n");
	exit(2);
}

static void die(const char *what)
{
	fprintf(stderr, "workload: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* splitmix64: a well-mixed 64-bit value from any input */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* xorshift64: fast, and enough that lzo/zstd cannot squeeze it */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Word w of page i. Word 0 tags the page with its index, so a page that
 * comes back in another page's place is told apart from a corrupt one.
 */
static void page_words(const struct workload *wl, size_t i, uint64_t *out)
{
	uint64_t s = mix(wl->seed ^ mix(i)) | 1;
	size_t w;

	out[0] = wl->seed ^ (i << 20) ^ 0x7a73776170ULL;
	for (w = 1; w <= wl->rnd_words; w++)
		out[w] = next_rand(&s);
	for (; w < WORDS; w++)
		out[w] = 0;
}

static int reaccessed(const struct workload *wl, size_t i)
{
	return mix(wl->seed * 31 + i) % FRAC_ONE < wl->frac;
}

static int touched(const struct workload *wl, size_t i)
{
	return reaccessed(wl, i) &&
	       mix(wl->seed * 77 + i + 0x5bd1e995) % FRAC_ONE < wl->touch;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static long majflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_majflt;
}

static void fill(const struct workload *wl, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		page_words(wl, i, (uint64_t *)(wl->mem + i * PAGE_SZ));
}

enum check_what { CHECK_REACCESSED, CHECK_ALL, CHECK_TOUCHED };

/* Compare the pages of @what; returns bad pages */
static size_t check(const struct workload *wl, enum check_what what,
		    size_t *seen)
{
	uint64_t want[WORDS];
	size_t i, bad = 0;

	*seen = 0;
	for (i = 0; i < wl->pages; i++) {
		const char *p = wl->mem + i * PAGE_SZ;

		if ((what == CHECK_REACCESSED && !reaccessed(wl, i)) ||
		    (what == CHECK_TOUCHED && !touched(wl, i)))
			continue;
		(*seen)++;
		page_words(wl, i, want);
		if (!memcmp(p, want, PAGE_SZ))
			continue;
		if (!bad) {
			const char *w = (const char *)want;
			size_t off = 0;

			while (p[off] == w[off])
				off++;
			fprintf(stderr,
				"workload: page %zu of %zu (seed %llu) differs from byte %zu (tag %#llx, want %#llx)\n",
				i, wl->pages, (unsigned long long)wl->seed, off,
				(unsigned long long)*(const uint64_t *)p,
				(unsigned long long)want[0]);
		}
		bad++;
	}
	return bad;
}

static void report(const struct workload *wl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void report(const struct workload *wl, const char *fmt, ...)
{
	char tmp[4096];
	va_list ap;
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", wl->status);
	f = fopen(tmp, "w");
	if (!f)
		die(tmp);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	if (fclose(f) || rename(tmp, wl->status))
		die(wl->status);
}

/* The memory.* file of our own cgroup (cgroup v2: the "0::" line) */
static void own_cgroup_file(const char *name, char *buf, size_t len)
{
	char line[4096];
	FILE *f = fopen("/proc/self/cgroup", "r");

	if (!f)
		die("/proc/self/cgroup");
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = 0;
		snprintf(buf, len, "/sys/fs/cgroup%s/%s",
			 strcmp(line + 3, "/") ? line + 3 : "", name);
		fclose(f);
		return;
	}
	fclose(f);
	errno = ENOENT;
	die("no cgroup v2 line in /proc/self/cgroup");
}

static long long memcg_stat(const char *key)
{
	char path[4200], k[64];
	long long v, ret = -1;
	FILE *f;

	own_cgroup_file("memory.stat", path, sizeof(path));
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", k, &v) == 2) {
		if (!strcmp(k, key)) {
			ret = v;
			break;
		}
	}
	fclose(f);
	return ret;
}

/*
 * Ordinary reclaim of our own memcg pushes the anonymous pages into zswap.
 * Returns 0 or the errno of the write (EAGAIN: less than asked was
 * reclaimed, normal when a few pages are pinned or just faulted).
 */
static int push(size_t pages)
{
	char path[4200], req[32];
	int fd, n, err = 0;

	own_cgroup_file("memory.reclaim", path, sizeof(path));
	fd = open(path, O_WRONLY);
	if (fd < 0)
		die(path);
	n = snprintf(req, sizeof(req), "%zu", pages * PAGE_SZ);
	if (write(fd, req, n) < 0)
		err = errno;
	close(fd);
	return err;
}

/* Create memcg DIR/m<j> and move this process into it */
static void enter_memcg(const struct workload *wl, unsigned int j)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/m%04u", wl->dir, j);
	if (mkdir(path, 0755) && errno != EEXIST)
		die(path);
	strncat(path, "/cgroup.procs", sizeof(path) - strlen(path) - 1);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, "0", 1) != 1)
		die(path);
	close(fd);
}

/*
 * Fill the area and push it into zswap: from where we are, or memcg by
 * memcg with -c. Returns the first errno of memory.reclaim, or 0.
 */
static int populate(const struct workload *wl, int do_push)
{
	size_t from, to;
	unsigned int j;
	int err, first = 0;

	if (!wl->dir) {
		fill(wl, 0, wl->pages);
		return do_push ? push(wl->pages) : 0;
	}
	for (j = 0; j < wl->count; j++) {
		from = wl->pages * j / wl->count;
		to = wl->pages * (j + 1) / wl->count;
		enter_memcg(wl, j);
		fill(wl, from, to);
		err = do_push ? push(to - from) : 0;
		if (err && !first)
			first = err;
	}
	return first;
}

/*
 * -w: write every page again and again, until SIGTERM. Each pass drops the
 * pages first: the writer then never reads a page back from swap, where it
 * would wait on the disk, and store nothing while it waits.
 */
static int rewrite(const struct workload *wl)
{
	const struct timespec now = { 0 };
	sigset_t term;

	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	while (sigtimedwait(&term, NULL, &now) < 0) {
		if (madvise(wl->mem, wl->pages * PAGE_SZ, MADV_DONTNEED))
			die("madvise");
		fill(wl, 0, wl->pages);
	}
	return 0;
}

/* -c DIR:COUNT */
static void parse_spread(struct workload *wl, char *arg)
{
	char *colon = strrchr(arg, ':'), *end;

	if (!colon)
		usage();
	*colon = 0;
	wl->dir = arg;
	wl->count = strtoul(colon + 1, &end, 10);
	if (*end || !wl->count)
		usage();
}

int main(int argc, char **argv)
{
	struct workload wl = { .seed = 1 };
	unsigned int pct = 50;
	int opt, do_push = 1, writer = 0, sig, err = 0;
	size_t bad, seen;
	long flt;
	sigset_t set;
	uint64_t t0;
	double frac;
	char *end;

	while ((opt = getopt(argc, argv, "p:s:f:t:nc:w")) != -1) {
		switch (opt) {
		case 'p':
			pct = strtoul(optarg, &end, 10);
			if (*end || pct > 100)
				usage();
			break;
		case 's':
			wl.seed = strtoull(optarg, &end, 0);
			if (*end)
				usage();
			break;
		case 'f':
			frac = strtod(optarg, &end);
			if (*end || !(frac >= 0 && frac <= 1))
				usage();
			wl.frac = frac * FRAC_ONE + 0.5;
			break;
		case 't':
			frac = strtod(optarg, &end);
			if (*end || !(frac >= 0 && frac <= 1))
				usage();
			wl.touch = frac * FRAC_ONE + 0.5;
			break;
		case 'n':
			do_push = 0;
			break;
		case 'c':
			parse_spread(&wl, optarg);
			break;
		case 'w':
			writer = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 2)
		usage();
	wl.status = argv[optind];
	wl.pages = (strtoul(argv[optind + 1], &end, 10) << 20) / PAGE_SZ;
	if (*end || !wl.pages || wl.count > wl.pages)
		usage();
	wl.rnd_words = (WORDS - 1) * pct / 100;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		die("sigprocmask");

	wl.mem = mmap(NULL, wl.pages * PAGE_SZ, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (wl.mem == MAP_FAILED)
		die("mmap");
	/* zswap in 6.12 stores order-0 folios only */
	madvise(wl.mem, wl.pages * PAGE_SZ, MADV_NOHUGEPAGE);
	t0 = now_ns();
	err = populate(&wl, do_push);
	report(&wl, "pushed pages=%zu zswapped=%lld reclaim_rc=%d ns=%llu",
	       wl.pages, memcg_stat("zswapped"), err,
	       (unsigned long long)(now_ns() - t0));
	if (writer)
		return rewrite(&wl);

	for (;;) {
		if (sigwait(&set, &sig))
			die("sigwait");
		if (sig == SIGTERM)
			return 0;
		flt = majflt();
		t0 = now_ns();
		bad = check(&wl, sig == SIGUSR2 ? CHECK_ALL :
				 sig == SIGHUP ? CHECK_TOUCHED : CHECK_REACCESSED,
			    &seen);
		report(&wl, "%s pages=%zu ns=%llu majflt=%ld bad=%zu",
		       sig == SIGUSR2 ? "verified" :
		       sig == SIGHUP ? "touched" : "reaccess", seen,
		       (unsigned long long)(now_ns() - t0), majflt() - flt, bad);
		if (bad)
			return 1;
		if (sig == SIGUSR2)
			return 0;
	}
}
