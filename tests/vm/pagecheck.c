// SPDX-License-Identifier: GPL-2.0
/*
 * pagecheck - memory whose every page can be verified, for make torture.
 *
 * Page i holds a tag word (seed, i, generation), then RANDOM% of
 * pseudo-random bytes generated from (seed, i, generation), then zeros: a
 * page that comes back from zswap or the swap disk corrupted, stale (an
 * older generation) or in another page's place is told apart.
 *
 *   loop   (default) fill anonymous memory, then until SIGTERM or SIGINT:
 *          verify every page; rewrite every REWRITE-th page with its next
 *          generation (which invalidates its zswap entry or swap slot); push
 *          a random eighth of the area out with MADV_PAGEOUT.  On SIGTERM,
 *          one last full verification.
 *   fill   fill FILE (say on tmpfs: shmem, which outlives us and our
 *          cgroup), push it out with MADV_PAGEOUT, exit
 *   check  verify FILE, filled with the same seed, exit
 *
 * Ends with one line on stdout:
 *   pagecheck: passes=N verified=N rewritten=N bad=N
 * and exits 1 if any page was bad (the first few are described on stderr).
 *
 * usage: pagecheck [-s SEED] [-p RANDOM%] [-w REWRITE] [-i PAUSE_MS]
 *                  [-m loop|fill|check] [-f FILE] SIZE_MB
 *   -i  loop mode: pause between passes (default 0), leaving the CPU to
 *       the rest of a torture run
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

#define PAGE_SZ		4096UL
#define WORDS		(PAGE_SZ / sizeof(uint64_t))
#define MAX_REPORTS	5

enum mode { MODE_LOOP, MODE_FILL, MODE_CHECK };

struct area {
	char *mem;
	size_t pages;
	size_t rnd_words;	/* random words per page, after the tag */
	uint64_t seed;
	uint8_t *gen;		/* generation of each page, loop mode only */
	unsigned long verified, rewritten, bad, passes;
};

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: pagecheck [-s SEED] [-p RANDOM%%] [-w REWRITE] [-i PAUSE_MS] [-m loop|fill|check] [-f FILE] SIZE_MB\n");
	exit(2);
}

static void die(const char *what)
{
	fprintf(stderr, "pagecheck: %s: %s\n", what, strerror(errno));
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

static uint64_t tag(const struct area *a, size_t i, unsigned int gen)
{
	return a->seed ^ ((uint64_t)i << 16) ^ ((uint64_t)gen << 56) ^
	       0x7a73776170ULL;
}

static void page_words(const struct area *a, size_t i, unsigned int gen,
		       uint64_t *out)
{
	uint64_t s = mix(a->seed ^ mix(i) ^ ((uint64_t)gen << 48)) | 1;
	size_t w;

	out[0] = tag(a, i, gen);
	for (w = 1; w <= a->rnd_words; w++)
		out[w] = next_rand(&s);
	for (; w < WORDS; w++)
		out[w] = 0;
}

static unsigned int gen_of(const struct area *a, size_t i)
{
	return a->gen ? a->gen[i] : 0;
}

static void write_page(struct area *a, size_t i)
{
	page_words(a, i, gen_of(a, i), (uint64_t *)(a->mem + i * PAGE_SZ));
}

/* Say how page @i is wrong: whose tag it carries, where it differs */
static void describe(const struct area *a, size_t i, const uint64_t *want)
{
	const char *p = a->mem + i * PAGE_SZ, *w = (const char *)want;
	uint64_t got = *(const uint64_t *)p;
	unsigned int gen = gen_of(a, i);
	const char *why = "";
	size_t off = 0;

	while (off < PAGE_SZ && p[off] == w[off])
		off++;
	if (gen && got == tag(a, i, gen - 1))
		why = " (stale: the previous generation)";
	else if (!got)
		why = " (zeros)";
	fprintf(stderr,
		"pagecheck: page %zu of %zu (seed %#llx, gen %u) differs from byte %zu: tag %#llx, want %#llx%s\n",
		i, a->pages, (unsigned long long)a->seed, gen, off,
		(unsigned long long)got, (unsigned long long)want[0], why);
}

static void verify(struct area *a)
{
	uint64_t want[WORDS];
	size_t i;

	for (i = 0; i < a->pages; i++) {
		page_words(a, i, gen_of(a, i), want);
		a->verified++;
		if (!memcmp(a->mem + i * PAGE_SZ, want, PAGE_SZ))
			continue;
		if (a->bad++ < MAX_REPORTS)
			describe(a, i, want);
	}
	a->passes++;
}

static void pageout(struct area *a, size_t first, size_t n)
{
	/* EINVAL on kernels without MADV_PAGEOUT: reclaim still comes */
	madvise(a->mem + first * PAGE_SZ, n * PAGE_SZ, MADV_PAGEOUT);
}

static void loop(struct area *a, unsigned long rewrite, unsigned long pause_ms,
		 uint64_t rnd)
{
	size_t i, n = a->pages / 8 ? a->pages / 8 : 1;

	a->gen = calloc(a->pages, 1);
	if (!a->gen)
		die("calloc");
	for (i = 0; i < a->pages; i++)
		write_page(a, i);
	while (!stop && !a->bad) {
		verify(a);
		for (i = next_rand(&rnd) % rewrite; i < a->pages; i += rewrite) {
			a->gen[i]++;
			write_page(a, i);
			a->rewritten++;
		}
		pageout(a, next_rand(&rnd) % (a->pages - n + 1), n);
		if (pause_ms && !stop)
			usleep(pause_ms * 1000);
	}
	if (!a->bad)
		verify(a);
}

static void map_file(struct area *a, const char *path, int create)
{
	size_t len = a->pages * PAGE_SZ;
	int fd = open(path, create ? O_RDWR | O_CREAT | O_TRUNC : O_RDWR, 0600);

	if (fd < 0)
		die(path);
	if (create && ftruncate(fd, len))
		die(path);
	a->mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (a->mem == MAP_FAILED)
		die("mmap");
	close(fd);
}

int main(int argc, char **argv)
{
	struct area a = { .seed = 1 };
	const char *file = NULL;
	enum mode mode = MODE_LOOP;
	unsigned long rewrite = 8, pause_ms = 0;
	unsigned int pct = 50;
	struct sigaction sa = { .sa_handler = on_stop };
	char *end;
	size_t i;
	int opt;

	while ((opt = getopt(argc, argv, "s:p:w:i:m:f:")) != -1) {
		switch (opt) {
		case 's':
			a.seed = strtoull(optarg, &end, 0);
			if (*end)
				usage();
			break;
		case 'p':
			pct = strtoul(optarg, &end, 10);
			if (*end || pct > 100)
				usage();
			break;
		case 'w':
			rewrite = strtoul(optarg, &end, 10);
			if (*end || !rewrite)
				usage();
			break;
		case 'i':
			pause_ms = strtoul(optarg, &end, 10);
			if (*end)
				usage();
			break;
		case 'm':
			if (!strcmp(optarg, "loop"))
				mode = MODE_LOOP;
			else if (!strcmp(optarg, "fill"))
				mode = MODE_FILL;
			else if (!strcmp(optarg, "check"))
				mode = MODE_CHECK;
			else
				usage();
			break;
		case 'f':
			file = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1 || (mode != MODE_LOOP) != !!file)
		usage();
	a.pages = (strtoul(argv[optind], &end, 10) << 20) / PAGE_SZ;
	if (*end || !a.pages)
		usage();
	a.rnd_words = (WORDS - 1) * pct / 100;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	if (file) {
		map_file(&a, file, mode == MODE_FILL);
	} else {
		a.mem = mmap(NULL, a.pages * PAGE_SZ, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (a.mem == MAP_FAILED)
			die("mmap");
		/* zswap in 6.12 stores order-0 folios only */
		madvise(a.mem, a.pages * PAGE_SZ, MADV_NOHUGEPAGE);
	}

	switch (mode) {
	case MODE_LOOP:
		loop(&a, rewrite, pause_ms, mix(a.seed ^ getpid()) | 1);
		break;
	case MODE_FILL:
		for (i = 0; i < a.pages; i++)
			write_page(&a, i);
		pageout(&a, 0, a.pages);
		break;
	case MODE_CHECK:
		verify(&a);
		break;
	}
	printf("pagecheck: passes=%lu verified=%lu rewritten=%lu bad=%lu\n",
	       a.passes, a.verified, a.rewritten, a.bad);
	return a.bad ? 1 : 0;
}
