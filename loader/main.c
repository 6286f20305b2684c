// SPDX-License-Identifier: GPL-2.0
/*
 * zswap-bpf: load, replace and inspect BPF zswap writeback policies, and
 * drive proactive zswap writeback. Command dispatch after bpftool: a
 * struct cmd table, unique prefixes accepted, `help` everywhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "main.h"

const char *bin_name = "zswap-bpf";
struct global_opts opts;
struct json_writer jw;

static int do_help(int argc, char **argv);

static const struct cmd cmds[] = {
	{ "help", do_help },
	{ "load", do_load },
	{ "unload", do_unload },
	{ "status", do_status },
	{ "reclaim", do_reclaim },
	{ "stats", do_stats },
	{ "set", do_set },
	{ "list", do_list },
	{ "trace", do_trace },
	{ "agent", do_agent },
	{ NULL, NULL },
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [OPTIONS] COMMAND [ARGS]\n"
		"       %s COMMAND help\n"
		"\n"
		"       COMMAND := { load | unload | status | reclaim | stats | set | list | trace |\n"
		"                    agent | help }\n"
		"\n"
		"       %s load POLICY [--set NAME=VALUE]... [--replace] [--cgroup CGROUP]\n"
		"       %s unload [--if-loaded] [--cgroup CGROUP]\n"
		"       %s status\n"
		"       %s reclaim CGROUP SIZE\n"
		"       %s stats [CGROUP] [--prometheus]\n"
		"       %s set PARAM CGROUP=VALUE...\n"
		"       %s list\n"
		"       %s trace [INTERVAL]\n"
		"       %s agent --cgroup CGROUP { --max-age DURATION | --pool-max SIZE }...\n"
		"                [--rate SIZE] [--interval DURATION] [--psi-mem PCT] [--psi-io PCT]\n"
		"\n"
		"       POLICY  := { NAME | PATH.bpf.o }\n"
		"       CGROUP  := { /sys/fs/cgroup/PATH | PATH relative to /sys/fs/cgroup }\n"
		"       SIZE    := BYTES[K|M|G|T]\n"
		"       DURATION := NUMBER[ms|s|m|h]\n"
		"       OPTIONS := { -j|--json | -p|--pretty | -v|--verbose |\n"
		"                    --policy-dir DIR | -h|--help | -V|--version }\n"
		"\n"
		"Exit status: 0 ok (reclaim: budget met), 1 runtime error, 2 usage error,\n"
		"3 refused by the kernel (or no kernel support), 4 reclaim wrote back\n"
		"less than asked (EAGAIN), 5 interrupted (EINTR).\n",
		bin_name, bin_name, bin_name, bin_name, bin_name, bin_name,
		bin_name, bin_name, bin_name, bin_name, bin_name);
}

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (json_output) {
		jw_init(&jw, stdout, opts.pretty);
		jw_null(&jw);
		fputc('\n', stdout);
		return EXIT_OK;
	}
	usage(stdout);
	return EXIT_OK;
}

/* COMMAND [ARGS]: the command's exit code */
static int do_command(int argc, char **argv)
{
	int i;

	if (argc < 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	i = cmd_find(cmds, argv[0]);
	if (i == CMD_AMBIGUOUS)
		return exit_code_from_errno(usage_error(
			NULL, "command '%s' is ambiguous", argv[0]));
	if (i < 0)
		return exit_code_from_errno(
			usage_error(NULL, "unknown command '%s'", argv[0]));
	return cmds[i].func(argc - 1, argv + 1);
}

/*
 * The global options (parse.c: getopt_long(), anywhere before "--"), then
 * the command: the process's exit code
 */
int main(int argc, char **argv)
{
	char **rest;
	int n;

	rest = calloc(argc, sizeof(*rest));
	if (!rest)
		return EXIT_RUNTIME;
	n = global_opts_parse(argc - 1, argv + 1, &opts, rest);
	if (n < 0) {
		free(rest);
		return exit_code_from_errno(
			usage_error(NULL, opts.why, opts.bad_arg));
	}
	if (opts.version) {
		printf("%s %s (libbpf %s)\n", bin_name, ZSWAP_BPF_VERSION,
		       libbpf_version_string());
		n = 0;
	} else if (opts.help && !n) {
		n = do_help(0, NULL);
	} else {
		if (opts.help) {
			/* "zswap-bpf load -h": the command's own help */
			rest[1] = "help";
			n = 2;
		}
		libbpf_log_setup(opts.verbose);
		n = do_command(n, rest);
	}
	free(rest);
	return n;
}
