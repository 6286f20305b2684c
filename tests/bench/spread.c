// SPDX-License-Identifier: GPL-2.0
/*
 * spread - one process whose memory is charged to many cgroups.
 *
 * Moves itself into PARENT/l0, PARENT/l1, ... PARENT/l<N-1> in turn (the
 * leaves must exist) and fills KB KiB of anonymous memory in each, half
 * random bytes per page as tests/vm/memhog does: a charge stays with the
 * cgroup it was made in, so each leaf holds KB KiB of its own. Then it
 * creates READYFILE and waits for a signal.
 *
 * usage: spread READYFILE PARENT N KB
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE_SZ 4096UL

static void die(const char *what)
{
	fprintf(stderr, "spread: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Move the calling process into @dir ("0" names the writer itself) */
static void enter(const char *dir)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, "0\n", 2) != 2)
		die(path);
	close(fd);
}

int main(int argc, char **argv)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	size_t size, off, i;
	char dir[4096];
	long n, leaf;
	char *mem;
	int fd;

	if (argc != 5) {
		fprintf(stderr, "usage: spread READYFILE PARENT N KB\n");
		return 2;
	}
	n = atol(argv[3]);
	size = (size_t)atol(argv[4]) << 10;
	for (leaf = 0; leaf < n; leaf++) {
		snprintf(dir, sizeof(dir), "%s/l%ld", argv[2], leaf);
		enter(dir);
		mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem == MAP_FAILED)
			die("mmap");
		/* zswap in 6.12 stores order-0 folios only */
		madvise(mem, size, MADV_NOHUGEPAGE);
		for (off = 0; off < size; off += PAGE_SZ) {
			uint64_t *p = (uint64_t *)(mem + off);

			for (i = 0; i < PAGE_SZ / 2 / sizeof(*p); i++) {
				seed ^= seed << 13;
				seed ^= seed >> 7;
				seed ^= seed << 17;
				p[i] = seed;
			}
			memset(mem + off + PAGE_SZ / 2, 0, PAGE_SZ / 2);
		}
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die(argv[1]);
	close(fd);
	for (;;)
		pause();
}
