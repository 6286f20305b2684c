// SPDX-License-Identifier: GPL-2.0
/*
 * parse_size() (SIZE of `reclaim`) and format_bytes(): an accepted size is
 * positive, fits 64 bits, and is what its digits times its suffix say; the
 * formatted text always fits the buffer.
 */
#include <ctype.h>
#include <errno.h>

#include "fuzz.h"
#include "parse.h"

static void check_accepted(const char *s, uint64_t bytes)
{
	unsigned long long digits = strtoull(s, NULL, 10);
	const char *p = s;
	int shift = 0;

	while (isdigit((unsigned char)*p))
		p++;
	if (*p)
		shift = 10 * (int)(strchr("KMGT", toupper((unsigned char)*p)) -
				   "KMGT" + 1);
	FUZZ_CHECK(bytes > 0);
	FUZZ_CHECK(bytes >> shift == digits);
	FUZZ_CHECK(bytes == (uint64_t)digits << shift);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), buf[32], small[4];
	uint64_t bytes = 0;
	int err;

	err = parse_size(s, &bytes);
	FUZZ_CHECK(err == 0 || err == -EINVAL || err == -ERANGE);
	if (!err)
		check_accepted(s, bytes);
	if (size >= 8)
		memcpy(&bytes, data, 8);
	format_bytes(bytes, buf, sizeof(buf));
	FUZZ_CHECK(strlen(buf) < sizeof(buf) && strlen(buf) > 0);
	format_bytes(bytes, small, sizeof(small));
	FUZZ_CHECK(strlen(small) < sizeof(small));
	free(s);
	return 0;
}
