// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON the loader prints (-j): jw_quote() of any C string, as cgroup
 * paths and kernel reasons reach it, and event_print() of any trace event.
 * Quoted output is one JSON string: quotes at the ends only, every control
 * byte escaped, every backslash a valid escape.
 */
#include "event.h"
#include "fuzz.h"
#include "json_writer.h"

/* @s (@len bytes) is one JSON string literal (bytes >= 0x80 passed as is) */
static void check_json_string(const char *s, size_t len)
{
	size_t i;

	FUZZ_CHECK(len >= 2 && s[0] == '"' && s[len - 1] == '"');
	for (i = 1; i < len - 1; i++) {
		unsigned char c = s[i];

		FUZZ_CHECK(c >= 0x20 && c != 0x7f && c != '"');
		if (c != '\\')
			continue;
		c = s[++i];
		FUZZ_CHECK(i < len - 1 && strchr("\"\\/bfnrtu", c));
		if (c == 'u') {
			FUZZ_CHECK(i + 4 < len - 1);
			i += 4;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zswap_bpf_event e = {};
	char *s = fuzz_str(data, size), *out = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&out, &len);
	jw_quote(f, s);
	fclose(f);
	check_json_string(out, len);
	free(out);

	memcpy(&e, data, size < sizeof(e) ? size : sizeof(e));
	f = open_memstream(&out, &len);
	event_print(f, &e, (double)e.time_ns / 1e9, size > sizeof(e) ?
			   s + sizeof(e) : NULL, size & 1);
	fclose(f);
	FUZZ_CHECK(len && out[len - 1] == '\n');
	free(out);
	free(s);
	return 0;
}
