// SPDX-License-Identifier: GPL-2.0
/*
 * ringpos - where a pinned BPF ring buffer's consumer and producer are, for
 * tests/vm/test_loader.sh: whether a policy's events are written while
 * nobody reads them (zswap_bpf_emit()).
 *
 * Reads both positions from the map's first two pages, as a libbpf
 * consumer maps them, without consuming anything. Prints one line:
 *   consumer=N producer=N
 *
 * usage: ringpos PINNED_MAP
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static int obj_get(const char *path)
{
	union bpf_attr attr;

	/* read-write: mmap() wants a shared mapping, which needs it */
	memset(&attr, 0, sizeof(attr));
	attr.pathname = (unsigned long)path;
	return syscall(__NR_bpf, BPF_OBJ_GET, &attr, sizeof(attr));
}

/* The position at the start of page @pg of ring buffer @fd, or -1 */
static long long ring_pos(int fd, long pg)
{
	long sz = sysconf(_SC_PAGESIZE);
	unsigned long *p = mmap(NULL, sz, PROT_READ, MAP_SHARED, fd, pg * sz);
	long long pos;

	if (p == MAP_FAILED)
		return -1;
	pos = __atomic_load_n(p, __ATOMIC_ACQUIRE);
	munmap(p, sz);
	return pos;
}

int main(int argc, char **argv)
{
	long long cons, prod;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: ringpos PINNED_MAP\n");
		return 2;
	}
	fd = obj_get(argv[1]);
	if (fd < 0) {
		fprintf(stderr, "ringpos: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	cons = ring_pos(fd, 0);
	prod = ring_pos(fd, 1);
	if (cons < 0 || prod < 0) {
		fprintf(stderr, "ringpos: %s: not a ring buffer? %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	printf("consumer=%lld producer=%lld\n", cons, prod);
	return 0;
}
