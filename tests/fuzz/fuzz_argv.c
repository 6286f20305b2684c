// SPDX-License-Identifier: GPL-2.0
/*
 * The command line: global_opts_parse() and cmd_find() on an argv cut from
 * the input at NUL bytes. What is left for the command is a subsequence of
 * argv, in order, without the global options; a command found by prefix
 * is the only one with that prefix.
 */
#include <errno.h>

#include "fuzz.h"
#include "parse.h"

#define MAX_ARGS 64

static int nop(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static const struct cmd cmds[] = {
	{ "help", nop },   { "load", nop },    { "unload", nop },
	{ "status", nop }, { "reclaim", nop }, { "stats", nop },
	{ "set", nop },	   { "list", nop },    { "trace", nop },
	{ NULL, NULL },
};

static void check_cmd(const char *arg)
{
	int i = cmd_find(cmds, arg), j, n = 0;

	FUZZ_CHECK(i >= 0 || i == CMD_NOT_FOUND || i == CMD_AMBIGUOUS);
	for (j = 0; cmds[j].name; j++)
		n += *arg && !strncmp(cmds[j].name, arg, strlen(arg));
	if (i >= 0)
		FUZZ_CHECK(
			!strcmp(cmds[i].name, arg) ||
			(n == 1 && !strncmp(cmds[i].name, arg, strlen(arg))));
	else if (i == CMD_AMBIGUOUS)
		FUZZ_CHECK(n > 1);
	else
		FUZZ_CHECK(n == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), *argv[MAX_ARGS], *rest[MAX_ARGS];
	struct global_opts o = {};
	int argc = 0, n, i, j;
	size_t off = 0;

	while (off <= size && argc < MAX_ARGS) {
		argv[argc++] = s + off;
		off += strlen(s + off) + 1;
	}
	n = global_opts_parse(argc, argv, &o, rest);
	if (n < 0) {
		FUZZ_CHECK(n == -EINVAL && o.bad_arg && o.why);
	} else {
		FUZZ_CHECK(n <= argc);
		/* rest[] is argv[] in order, less what was taken */
		for (i = 0, j = 0; i < n; i++, j++) {
			while (j < argc && argv[j] != rest[i])
				j++;
			FUZZ_CHECK(j < argc);
		}
		FUZZ_CHECK(!o.pretty || o.json);
		FUZZ_CHECK(!o.policy_dir || *o.policy_dir);
		if (n)
			check_cmd(rest[0]);
	}
	free(s);
	return 0;
}
