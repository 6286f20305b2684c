// SPDX-License-Identifier: GPL-2.0
/*
 * reclaimer - write "SIZE source=zswap" to cgroups' memory.reclaim in a
 * loop, for make torture, and count what the writes return.
 *
 * Each write goes to one of the CGROUPs at random, with a size drawn
 * log-uniformly from 4K to MAX, then sleeps up to DELAY ms.  SIGUSR1 is
 * caught (without SA_RESTART) so that a signal can interrupt a run: the
 * write then fails with EINTR.  SIGTERM or SIGINT ends the loop; the last
 * line on stdout is the histogram of results:
 *
 *   reclaimer: writes=N ok=N EAGAIN=N EINTR=N ...
 *
 * Judging which errnos are allowed is the caller's business.
 *
 * usage: reclaimer [-m MAX_BYTES] [-d DELAY_MS] [-s SEED] CGROUP...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_ERRNO	4096
#define MIN_SIZE	4096ULL

static volatile sig_atomic_t stop;
static unsigned long hist[MAX_ERRNO];

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void usage(void)
{
	fprintf(stderr, "usage: reclaimer [-m MAX_BYTES] [-d DELAY_MS] [-s SEED] CGROUP...\n");
	exit(2);
}

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* 4K << k for k uniform in [0, log2(max / 4K)], plus a random remainder */
static unsigned long long pick_size(uint64_t *rnd, unsigned long long max)
{
	unsigned int shifts = 0;
	unsigned long long sz;

	while ((MIN_SIZE << (shifts + 1)) <= max)
		shifts++;
	sz = MIN_SIZE << (next_rand(rnd) % (shifts + 1));
	return sz + next_rand(rnd) % sz;
}

/* One write; returns 0 or the errno */
static int reclaim(const char *cg, unsigned long long size)
{
	char path[4096], req[64];
	int fd, n, err = 0;

	snprintf(path, sizeof(path), "%s/memory.reclaim", cg);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	n = snprintf(req, sizeof(req), "%llu source=zswap", size);
	if (write(fd, req, n) < 0)
		err = errno;
	close(fd);
	return err;
}

static void sleep_ms(unsigned long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	unsigned long long max = 16ULL << 20;
	unsigned long delay = 50, writes = 0;
	uint64_t rnd = 0;
	struct sigaction sa = { .sa_handler = on_stop };
	struct sigaction su = { .sa_handler = on_usr1 };
	char *end;
	int opt, e;

	while ((opt = getopt(argc, argv, "m:d:s:")) != -1) {
		switch (opt) {
		case 'm':
			max = strtoull(optarg, &end, 0);
			if (*end || max < MIN_SIZE)
				usage();
			break;
		case 'd':
			delay = strtoul(optarg, &end, 10);
			if (*end)
				usage();
			break;
		case 's':
			rnd = strtoull(optarg, &end, 0);
			if (*end)
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	if (!rnd)
		rnd = 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid() << 17;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &su, NULL);

	while (!stop) {
		const char *cg = argv[optind + next_rand(&rnd) % (argc - optind)];

		e = reclaim(cg, pick_size(&rnd, max));
		hist[e]++;	/* errnos are below 4096 */
		writes++;
		if (delay)
			sleep_ms(next_rand(&rnd) % (delay + 1));
	}

	printf("reclaimer: writes=%lu ok=%lu", writes, hist[0]);
	for (e = 1; e < MAX_ERRNO; e++)
		if (hist[e])
			printf(" %s=%lu", strerrorname_np(e) ?: "E?", hist[e]);
	printf("\n");
	return 0;
}
