// SPDX-License-Identifier: GPL-2.0
/*
 * `load --set NAME=VALUE`: knob_assign_parse(), knob_value_parse() and
 * knob_type_describe(). The first input byte picks the knob's type (size
 * 1, 2, 4, 8 or a bad one; signed; bool). A parsed value is written in
 * exactly the type's size, and is in its range: the value read back,
 * printed in decimal and parsed again, gives the same bytes.
 */
#include <errno.h>
#include <inttypes.h>

#include "fuzz.h"
#include "parse.h"

static const unsigned int sizes[] = { 1, 2, 4, 8, 3 };

static int64_t read_signed(const uint8_t *v, unsigned int size)
{
	switch (size) {
	case 1:
		return (int8_t)v[0];
	case 2: {
		int16_t x;

		memcpy(&x, v, 2);
		return x;
	}
	case 4: {
		int32_t x;

		memcpy(&x, v, 4);
		return x;
	}
	default: {
		int64_t x;

		memcpy(&x, v, 8);
		return x;
	}
	}
}

/* What knob_value_parse() stored reads back and re-parses the same */
static void check_roundtrip(const struct knob_type *t, const uint8_t *v)
{
	uint8_t again[16];
	char text[32];
	uint64_t u = 0;

	memcpy(&u, v, t->size);
	if (t->is_bool) {
		FUZZ_CHECK(u == 0 || u == 1);
		return;
	}
	if (t->is_signed)
		snprintf(text, sizeof(text), "%" PRId64,
			 read_signed(v, t->size));
	else
		snprintf(text, sizeof(text), "%" PRIu64, u);
	memset(again, 0xa5, sizeof(again));
	FUZZ_CHECK(!knob_value_parse(text, t, again));
	FUZZ_CHECK(!memcmp(again, v, t->size));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct knob_type t = {};
	uint8_t out[16];
	const char *value;
	char *s, name[16], desc[48];
	unsigned int i;
	int err;

	if (!size)
		return 0;
	t.size = sizes[data[0] % 5];
	t.is_signed = data[0] & 8;
	t.is_bool = (data[0] & 0x30) == 0x30;
	s = fuzz_str(data + 1, size - 1);

	knob_type_describe(&t, desc, sizeof(desc));
	FUZZ_CHECK(strlen(desc) < sizeof(desc));

	err = knob_assign_parse(s, name, sizeof(name), &value);
	FUZZ_CHECK(err == 0 || err == -EINVAL || err == -ENAMETOOLONG);
	if (!err) {
		FUZZ_CHECK(strlen(name) < sizeof(name) && *value);
		FUZZ_CHECK(!strncmp(s, name, strlen(name)) &&
			   s[strlen(name)] == '=');
	} else {
		value = s;
	}

	memset(out, 0xa5, sizeof(out));
	err = knob_value_parse(value, &t, out);
	FUZZ_CHECK(err == 0 || err == -EINVAL || err == -ERANGE);
	if (t.size == 3)
		FUZZ_CHECK(err == -EINVAL);
	/* never a byte beyond the knob's size */
	for (i = t.size == 3 ? 0 : t.size; i < sizeof(out); i++)
		FUZZ_CHECK(out[i] == 0xa5);
	if (!err)
		check_roundtrip(&t, out);
	free(s);
	return 0;
}
