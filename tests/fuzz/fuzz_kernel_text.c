// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's text files as the loader reads them: debugfs
 * zswap/bpf_policy (bpf_policy_parse()) and memory.stat (memstat_parse()).
 * Whatever the text, every field ends inside its buffer, and a parsed
 * state means there was a "state" line.
 */
#include <errno.h>

#include "fuzz.h"
#include "parse.h"

static void check_field(const char *f, size_t len)
{
	FUZZ_CHECK(memchr(f, '\0', len));
	FUZZ_CHECK(!strchr(f, '\n'));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "zswap", "zswapped", "zswpwb",
					    "zswpwb_proactive_b", "" };
	char *s = fuzz_str(data, size);
	struct bpf_policy_info info;
	uint64_t vals[5];
	bool found[5];
	int err;

	err = bpf_policy_parse(s, &info);
	FUZZ_CHECK(err == 0 || err == -EINVAL);
	check_field(info.name, sizeof(info.name));
	check_field(info.state, sizeof(info.state));
	check_field(info.last_exit, sizeof(info.last_exit));
	check_field(info.last_exit_reason, sizeof(info.last_exit_reason));
	if (!err)
		FUZZ_CHECK(info.state[0] &&
			   (!strncmp(s, "state ", 6) || strstr(s, "\nstate ")));

	memstat_parse(s, keys, 5, vals, found);
	FUZZ_CHECK(!found[4] || strstr(s, " ") != NULL);
	free(s);
	return 0;
}
