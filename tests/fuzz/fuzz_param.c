// SPDX-License-Identifier: GPL-2.0
/*
 * `set PARAM CGROUP=VALUE`: param_assign_parse(). Accepted: CGROUP is the
 * input up to its last '=' (not empty), VALUE a u32 in decimal or
 * "default"; the CGROUP part always fits the buffer given.
 */
#include <errno.h>
#include <inttypes.h>

#include "fuzz.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), cgroup[64], num[16];
	const char *eq;
	uint32_t value = 1;
	bool del = false;
	int err;

	err = param_assign_parse(s, cgroup, sizeof(cgroup), &value, &del);
	FUZZ_CHECK(err == 0 || err == -EINVAL || err == -ERANGE ||
		   err == -ENAMETOOLONG);
	if (!err) {
		eq = strrchr(s, '=');
		FUZZ_CHECK(eq && eq > s);
		FUZZ_CHECK(strlen(cgroup) == (size_t)(eq - s));
		FUZZ_CHECK(!strncmp(s, cgroup, eq - s));
		if (del) {
			FUZZ_CHECK(!strcmp(eq + 1, "default") && !value);
		} else {
			/* the digits, less leading zeros, are the value */
			snprintf(num, sizeof(num), "%" PRIu32, value);
			eq++;
			while (eq[0] == '0' && eq[1])
				eq++;
			FUZZ_CHECK(!strcmp(eq, num));
		}
	}
	free(s);
	return 0;
}
