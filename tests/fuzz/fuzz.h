/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the libFuzzer harnesses of the loader's parsers share: a
 * NUL-terminated copy of the input, and checks that abort (libFuzzer then
 * saves the input as a crash) with the broken invariant.
 */
#ifndef __ZSWAP_BPF_FUZZ_H
#define __ZSWAP_BPF_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond)                                                 \
	do {                                                             \
		if (!(cond)) {                                           \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", \
				__FILE__, __LINE__, #cond);              \
			abort();                                         \
		}                                                        \
	} while (0)

/* The input as a C string: the parsers take them from argv and files */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* __ZSWAP_BPF_FUZZ_H */
