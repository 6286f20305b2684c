// SPDX-License-Identifier: GPL-2.0
/*
 * reclaim_fuzz - write random and mutated inputs to a cgroup's
 * memory.reclaim and check that each fails only with an errno the
 * interface documents, and returns.
 *
 * Inputs: mutations of well-formed writes ("10M source=zswap" with bytes
 * flipped, inserted, deleted, tokens duplicated, numbers made huge or
 * negative, swappiness= added, NUL bytes, trailing garbage), random bytes,
 * empty writes and strings longer than a page. The process itself holds
 * MB of half-compressible memory in the cgroup, and every 256 inputs
 * faults it back and pushes it into zswap again, so that the writes find
 * something to write back. Between those, it does not touch its memory:
 * a plain reclaim of a huge size ends once the cgroup has nothing left.
 *
 * Allowed: success, EINVAL, EAGAIN, EINTR (memory_reclaim() and
 * zswap_proactive_writeback() return these, and the interface documents
 * them), and E2BIG for inputs over a page only (cgroup files take writes of at most PAGE_SIZE bytes whole:
 * kernfs' atomic_write_len). A short write, any other errno, or a write
 * still running after TIMEOUT seconds (SIGALRM) fails the run.
 *
 * usage: reclaim_fuzz [-n COUNT] [-d SECONDS] [-s SEED] [-m MB] [-t TIMEOUT]
 *                     CGROUP
 * Prints kselftest TAP comments and one result line; exit 0 if every
 * input got an allowed answer. Run it inside CGROUP (the caller moves it).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MAX_INPUT (64 << 10)
#define REFILL_EVERY 256

static uint64_t rng;
static volatile sig_atomic_t timed_out;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned int below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

static const char *const seeds[] = {
	"10M source=zswap",
	"1M source=zswap",
	"4096 source=zswap",
	"64K source=zswap\n",
	"1 source=zswap",
	"0 source=zswap",
	"source=zswap",
	"10M",
	"1M swappiness=60",
	"1M swappiness=0",
	"1M swappiness=200",
	"1M source=zswap swappiness=60",
	"1M swappiness=60 source=zswap",
	"1M source=zswap source=zswap",
	"1M source=zswapx",
	"1M source=",
	"1M source=anon",
	"2G source=zswap",
	"18446744073709551615 source=zswap",
	"1E source=zswap",
	"  8K   source=zswap  ",
	"8K\tsource=zswap",
	"-1 source=zswap",
	"0x100000 source=zswap",
	"1M,source=zswap",
};

/* Tokens a mutation splices in */
static const char *const tokens[] = {
	" source=zswap",
	" swappiness=",
	"swappiness=60",
	" source=",
	"=",
	"18446744073709551615",
	"18446744073709551616",
	"99999999999999999999999999",
	"-1",
	"-9223372036854775808",
	"0",
	"4294967296",
	"K",
	"M",
	"G",
	"T",
	"P",
	"E",
	"k",
	"m",
	"g",
	"\n",
	"\t",
	" ",
	",",
	"zswap",
	"source=zswap,",
	"%d",
	"%s",
	"\xff",
	"\x80",
};

static size_t splice_in(char *buf, size_t len, size_t pos, const char *s,
			size_t n)
{
	if (len + n > MAX_INPUT)
		return len;
	memmove(buf + pos + n, buf + pos, len - pos);
	memcpy(buf + pos, s, n);
	return len + n;
}

/* One random change of @buf (@len bytes); the new length */
static size_t mutate(char *buf, size_t len)
{
	size_t pos = below(len + 1), n;
	const char *t;
	char c;

	switch (below(8)) {
	case 0: /* flip a bit */
		if (len)
			buf[below(len)] ^= 1 << below(8);
		return len;
	case 1: /* a random byte in */
		c = rnd();
		return splice_in(buf, len, pos, &c, 1);
	case 2: /* bytes out */
		n = below(4) + 1;
		if (pos + n > len)
			n = len - pos;
		memmove(buf + pos, buf + pos + n, len - pos - n);
		return len - n;
	case 3: /* a token in */
		t = tokens[below(sizeof(tokens) / sizeof(tokens[0]))];
		return splice_in(buf, len, pos, t, strlen(t));
	case 4: /* a NUL in */
		return splice_in(buf, len, pos, "", 1);
	case 5: /* duplicate the tail */
		return splice_in(buf, len, len, buf + pos, len - pos);
	case 6: /* truncate */
		return pos;
	default: /* trailing garbage */
		n = below(16) + 1;
		while (n-- && len < MAX_INPUT)
			buf[len++] = rnd();
		return len;
	}
}

/* A well-formed write with a random size, to keep writeback going */
static size_t gen_valid(char *buf)
{
	static const char *const sfx[] = { "", "K", "M", "k", "m" };
	unsigned int s = below(5);
	unsigned long v = s == 0 ? below(1 << 22) :
			  s < 3	 ? below(4096) :
				   below(16);

	return snprintf(buf, MAX_INPUT, "%lu%s source=zswap", v, sfx[s]);
}

static size_t gen_long(char *buf)
{
	static const size_t lens[] = { 4095, 4096, 4097, 8192, MAX_INPUT };
	size_t len = lens[below(5)], n;

	n = snprintf(buf, MAX_INPUT, "%s", below(2) ? "1K source=zswap" : "1K");
	memset(buf + n, below(2) ? ' ' : 'x', len - n);
	if (below(2))
		memcpy(buf + len - 13, " source=zswap", 13);
	return len;
}

static size_t gen_input(char *buf)
{
	size_t len, i, n;
	const char *s;

	switch (below(16)) {
	case 0: /* random bytes */
		len = below(64);
		for (i = 0; i < len; i++)
			buf[i] = rnd();
		return len;
	case 1:
		return 0;
	case 2:
		return gen_long(buf);
	case 3:
	case 4:
	case 5:
		return gen_valid(buf);
	default:
		s = seeds[below(sizeof(seeds) / sizeof(seeds[0]))];
		len = strlen(s);
		memcpy(buf, s, len);
		for (n = below(4) + 1; n; n--)
			len = mutate(buf, len);
		return len;
	}
}

static void print_input(const char *what, const char *buf, size_t len)
{
	size_t i;

	printf("# %s (%zu bytes): \"", what, len);
	for (i = 0; i < len && i < 200; i++) {
		unsigned char c = buf[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	printf("%s\"\n", len > 200 ? "..." : "");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

/* Fault @mem back in, change a little of it, push it into zswap again */
static void refill(char *mem, size_t size, int fd)
{
	char cmd[32];
	size_t off;
	int n;

	for (off = 0; off < size; off += 4096)
		mem[off + 2048] ^= 1;
	n = snprintf(cmd, sizeof(cmd), "%zu", size);
	if (write(fd, cmd, n) < 0 && errno != EAGAIN)
		printf("# refill: %s\n", strerror(errno));
}

struct tally {
	unsigned long ok, short_ok, einval, eagain, eintr, e2big, bad;
	double max_t;
};

static int fuzz_one(int fd, char *buf, size_t len, struct tally *t,
		    unsigned int timeout, char *slowest, size_t *slowest_len)
{
	double t0, dt;
	ssize_t ret;
	int err;

	timed_out = 0;
	alarm(timeout);
	t0 = now();
	ret = write(fd, buf, len);
	err = errno;
	dt = now() - t0;
	alarm(0);
	if (dt > t->max_t) {
		t->max_t = dt;
		memcpy(slowest, buf, len);
		*slowest_len = len;
	}
	if (timed_out) {
		print_input("still writing after the timeout", buf, len);
		return -1;
	}
	if (ret >= 0 && (size_t)ret == len) {
		t->ok++;
		return 0;
	}
	if (ret >= 0) {
		t->short_ok++;
		printf("# short write: %zd of %zu bytes\n", ret, len);
		print_input("input", buf, len);
		return t->short_ok + t->bad < 10 ? 0 : -1;
	}
	if (err == E2BIG && len > 4096) {
		t->e2big++;
		return 0;
	}
	switch (err) {
	case EINVAL:
		t->einval++;
		return 0;
	case EAGAIN:
		t->eagain++;
		return 0;
	case EINTR:
		t->eintr++;
		return 0;
	}
	t->bad++;
	printf("# unexpected errno %d (%s)\n", err, strerror(err));
	print_input("input", buf, len);
	return t->short_ok + t->bad < 10 ? 0 : -1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: reclaim_fuzz [-n COUNT] [-d SECONDS] [-s SEED] [-m MB] [-t TIMEOUT] CGROUP\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long count = 5000, i, mb = 16;
	unsigned int timeout = 120;
	double limit = 0, start;
	struct sigaction sa = { .sa_handler = on_alarm };
	struct tally t = {};
	char path[4096], *buf, *slowest, *mem;
	size_t len, slowest_len = 0, size, off;
	int opt, fd;

	rng = time(NULL) ^ getpid();
	while ((opt = getopt(argc, argv, "n:d:s:m:t:")) != -1) {
		switch (opt) {
		case 'n':
			count = strtoul(optarg, NULL, 0);
			break;
		case 'd':
			limit = strtod(optarg, NULL);
			break;
		case 's':
			rng = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			mb = strtoul(optarg, NULL, 0);
			break;
		case 't':
			timeout = strtoul(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	if (!rng)
		rng = 1;
	printf("# seed %llu\n", (unsigned long long)rng);
	snprintf(path, sizeof(path), "%s/memory.reclaim", argv[optind]);
	fd = open(path, O_WRONLY);
	buf = malloc(MAX_INPUT);
	slowest = malloc(MAX_INPUT);
	size = mb << 20;
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fd < 0 || !buf || !slowest || mem == MAP_FAILED) {
		perror(path);
		return 1;
	}
	madvise(mem, size, MADV_NOHUGEPAGE);
	for (off = 0; off < size; off += 8)
		*(uint64_t *)(mem + off) = (off & 4095) < 2048 ? rnd() : 0;
	sigaction(SIGALRM, &sa, NULL);

	start = now();
	for (i = 0; i < count; i++) {
		if (limit && now() - start > limit)
			break;
		if (i % REFILL_EVERY == 0)
			refill(mem, size, fd);
		len = gen_input(buf);
		if (fuzz_one(fd, buf, len, &t, timeout, slowest, &slowest_len))
			break;
	}
	printf("# %lu inputs in %.1f s: ok %lu, EINVAL %lu, EAGAIN %lu, EINTR %lu, E2BIG (over a page) %lu; short writes %lu, other errors %lu\n",
	       i, now() - start, t.ok, t.einval, t.eagain, t.eintr,
	       t.e2big, t.short_ok, t.bad);
	printf("# slowest write %.3f s\n", t.max_t);
	print_input("slowest input", slowest, slowest_len);
	return t.bad || t.short_ok || timed_out ? 1 : 0;
}
