// SPDX-License-Identifier: GPL-2.0
/*
 * memhog - fill anonymous memory with data of a chosen compressibility.
 *
 * Each 4 KiB page gets RANDOM% of random bytes followed by zeros, so with the
 * default 50% a page compresses to roughly half its size: enough for zswap to
 * keep it, and a realistic ratio for writeback measurements.  Pages are
 * order-0 (MADV_NOHUGEPAGE): zswap in 6.12 only stores order-0 folios.
 *
 * usage: memhog [-r READYFILE] [-p RANDOM%] [-s SEED] [-x | -l] SIZE_MB
 *   -r  create READYFILE once the memory is filled (for scripts to wait on)
 *   -p  percentage of each page that is random (default 50)
 *   -s  seed of the random bytes (default: from the pid); the same seed
 *       gives the same pages, so two cgroups can hold identical data
 *   -x  exit after filling instead of waiting for a signal
 *   -l  after filling, read every page again once a second until a signal:
 *       a working set that faults its pages back whenever reclaim pushed
 *       them out (into zswap)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE_SZ 4096UL

static void usage(void)
{
	fprintf(stderr, "usage: memhog [-r READYFILE] [-p RANDOM%%] [-s SEED] [-x | -l] SIZE_MB\n");
	exit(2);
}

/* xorshift64: fast, and good enough that lzo/zstd cannot squeeze it. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void fill(char *mem, size_t size, unsigned int pct, uint64_t seed)
{
	size_t rnd = PAGE_SZ * pct / 100 / sizeof(uint64_t) * sizeof(uint64_t);
	size_t off, i;

	for (off = 0; off < size; off += PAGE_SZ) {
		uint64_t *p = (uint64_t *)(mem + off);

		for (i = 0; i < rnd / sizeof(uint64_t); i++)
			p[i] = next_rand(&seed);
		memset(mem + off + rnd, 0, PAGE_SZ - rnd);
	}
}

/* Read one word of every page, once a second, forever */
static void reread(const char *mem, size_t size)
{
	volatile uint64_t sum = 0;
	size_t off;

	for (;;) {
		for (off = 0; off < size; off += PAGE_SZ)
			sum += *(const volatile uint64_t *)(mem + off);
		sleep(1);
	}
}

static void mark_ready(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0) {
		fprintf(stderr, "memhog: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	close(fd);
}

int main(int argc, char **argv)
{
	const char *ready = NULL;
	uint64_t seed = 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid();
	unsigned int pct = 50;
	int opt, wait = 1, loop = 0;
	size_t size;
	char *end;
	void *mem;

	while ((opt = getopt(argc, argv, "r:p:s:xl")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, &end, 0);
			if (*end || !seed)
				usage();
			break;
		case 'r':
			ready = optarg;
			break;
		case 'p':
			pct = strtoul(optarg, &end, 10);
			if (*end || pct > 100)
				usage();
			break;
		case 'x':
			wait = 0;
			break;
		case 'l':
			loop = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1 || (loop && !wait))
		usage();
	size = strtoul(argv[optind], &end, 10) << 20;
	if (*end || !size)
		usage();

	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("memhog: mmap");
		return 1;
	}
	madvise(mem, size, MADV_NOHUGEPAGE);
	fill(mem, size, pct, seed);
	if (ready)
		mark_ready(ready);
	if (loop)
		reread(mem, size);
	/* Hold the memory (charged to our memcg) until someone kills us. */
	while (wait)
		pause();
	return 0;
}
