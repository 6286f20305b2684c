// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup_resolve() (the CGROUP of `reclaim`, `stats`, `set`) and
 * cgroup_rel(): a resolved path is absolute, normal (no empty, "." or ".."
 * component, no trailing slash), fits its buffer, and resolves to itself;
 * "..", which could leave the cgroup root, is always refused. The first
 * input byte picks the buffer size, to reach ENAMETOOLONG.
 */
#include <errno.h>

#include "fuzz.h"
#include "parse.h"

#define ROOT "/sys/fs/cgroup"

static void check_normal(const char *out, size_t len)
{
	const char *p;

	FUZZ_CHECK(strlen(out) < len);
	FUZZ_CHECK(out[0] == '/');
	FUZZ_CHECK(!strstr(out, "//"));
	FUZZ_CHECK(!strstr(out, "/./"));
	FUZZ_CHECK(!strstr(out, "/../"));
	p = strrchr(out, '/');
	FUZZ_CHECK(strcmp(p, "/.") && strcmp(p, "/.."));
	FUZZ_CHECK(!strcmp(out, "/") || out[strlen(out) - 1] != '/');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *arg, *out, *again;
	const char *rel;
	size_t len;
	int err;

	if (!size)
		return 0;
	len = data[0] < 128 ? data[0] + 1 : 4096;
	arg = fuzz_str(data + 1, size - 1);
	out = malloc(len);
	again = malloc(len);
	err = cgroup_resolve(ROOT, arg, out, len);
	FUZZ_CHECK(err == 0 || err == -EINVAL || err == -ENAMETOOLONG);
	if (strstr(arg, "/../") || !strncmp(arg, "../", 3) ||
	    !strcmp(arg, "..") ||
	    (strlen(arg) >= 3 && !strcmp(arg + strlen(arg) - 3, "/..")))
		FUZZ_CHECK(err); /* -EINVAL, or -ENAMETOOLONG first */
	if (!err) {
		check_normal(out, len);
		FUZZ_CHECK(!cgroup_resolve(ROOT, out, again, len));
		FUZZ_CHECK(!strcmp(out, again));
		if (arg[0] != '/')
			FUZZ_CHECK(!strncmp(out, ROOT, strlen(ROOT)));
		rel = cgroup_rel(ROOT, out);
		/* a suffix of @out, or "/" for the root itself */
		FUZZ_CHECK(!strcmp(rel, "/") ||
			   (rel >= out && rel <= out + strlen(out)));
		FUZZ_CHECK(rel[0] == '/');
	}
	free(again);
	free(out);
	free(arg);
	return 0;
}
