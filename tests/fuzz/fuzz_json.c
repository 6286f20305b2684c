// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON the loader prints (-j): jw_quote() of any C string, as cgroup
 * paths and kernel reasons reach it, and event_print() of any trace event.
 * Quoted output is one JSON string: quotes at the ends only, every control
 * byte escaped, every backslash a valid escape, well-formed UTF-8 (bytes
 * that are not become U+FFFD).
 */
#include "event.h"
#include "fuzz.h"
#include "json_writer.h"

/*
 * The code point of the UTF-8 sequence at @s (@left bytes), its length in
 * *@n; aborts on anything RFC 3629 forbids. Decodes, where the writer
 * only classifies bytes: two ways to the same answer.
 */
static uint32_t decode_utf8(const unsigned char *s, size_t left, int *n)
{
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	uint32_t cp;
	int i;

	*n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 0;
	FUZZ_CHECK(*n && s[0] < 0xf8 && (size_t)*n <= left);
	cp = s[0] & (0x7f >> *n);
	for (i = 1; i < *n; i++) {
		FUZZ_CHECK((s[i] & 0xc0) == 0x80);
		cp = cp << 6 | (s[i] & 0x3f);
	}
	FUZZ_CHECK(cp >= min[*n] && cp <= 0x10ffff);
	FUZZ_CHECK(cp < 0xd800 || cp > 0xdfff);
	return cp;
}

/* @s (@len bytes) is one JSON string literal, in UTF-8 */
static void check_json_string(const char *s, size_t len)
{
	size_t i;
	int n;

	FUZZ_CHECK(len >= 2 && s[0] == '"' && s[len - 1] == '"');
	for (i = 1; i < len - 1; i++) {
		unsigned char c = s[i];

		FUZZ_CHECK(c >= 0x20 && c != 0x7f && c != '"');
		if (c >= 0x80) {
			decode_utf8((const unsigned char *)s + i, len - 1 - i,
				    &n);
			i += n - 1;
			continue;
		}
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
	struct event_src src;
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
	src.cgid = e.cgid;
	src.path = size & 2 ? s : NULL;
	event_print(f, &src, &e, (double)e.time_ns / 1e9,
		    size > sizeof(e) ? s + sizeof(e) : NULL, size & 1);
	fclose(f);
	FUZZ_CHECK(len && out[len - 1] == '\n');
	free(out);
	free(s);
	return 0;
}
