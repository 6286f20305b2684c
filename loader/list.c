// SPDX-License-Identifier: GPL-2.0
/*
 * zswap-bpf list, and where policies are found: the policy directories
 * that list shows and load resolves a POLICY name in.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "main.h"

/*
 * The policy directories, in search order: --policy-dir or
 * $ZSWAP_BPF_POLICY_DIR alone if given; otherwise policies/ next to the
 * binary (the build tree), ../lib/zswap-bpf from it (an install) and
 * ZSWAP_BPF_LIB_DIR.
 */
int policy_dirs(char dirs[][PATH_MAX])
{
	const char *env = getenv("ZSWAP_BPF_POLICY_DIR");
	char exe[PATH_MAX - 32], *slash;
	ssize_t n;
	int nr = 0;

	if (opts.policy_dir || (env && *env)) {
		snprintf(dirs[0], PATH_MAX, "%s",
			 opts.policy_dir ? opts.policy_dir : env);
		return 1;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		snprintf(dirs[nr++], PATH_MAX, "%s/policies", exe);
		/* PREFIX/sbin/zswap-bpf -> PREFIX/lib/zswap-bpf */
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		snprintf(dirs[nr++], PATH_MAX, "%s/lib/zswap-bpf", exe);
	}
	snprintf(dirs[nr++], PATH_MAX, "%s", ZSWAP_BPF_LIB_DIR);
	return nr;
}

bool has_suffix(const char *s, const char *sfx)
{
	size_t n = strlen(s), m = strlen(sfx);

	return n >= m && !strcmp(s + n - m, sfx);
}

/* The object file POLICY names, into @out; 0 or -EUSAGE */
int policy_resolve(const char *arg, char *out, size_t len)
{
	char dirs[MAX_DIRS][PATH_MAX], searched[MAX_DIRS * (PATH_MAX + 2)];
	int i, nr;

	/*
	 * AT_EACCESS: what open() will decide, by the effective ids and
	 * capabilities; access() would refuse a user granted them
	 */
	if (strchr(arg, '/') || has_suffix(arg, ".o")) {
		if (faccessat(AT_FDCWD, arg, R_OK, AT_EACCESS)) {
			p_err("policy file '%s': %s (give a .bpf.o path or a name from '%s list')",
			      arg, strerror(errno), bin_name);
			return -EUSAGE;
		}
		snprintf(out, len, "%s", arg);
		return 0;
	}
	nr = policy_dirs(dirs);
	searched[0] = '\0';
	for (i = 0; i < nr; i++) {
		if (snprintf(out, len, "%s/%s.bpf.o", dirs[i], arg) <
			    (int)len &&
		    !faccessat(AT_FDCWD, out, R_OK, AT_EACCESS))
			return 0;
		strcat(searched, i ? ", " : "");
		strcat(searched, dirs[i]);
	}
	p_err("no policy '%s' in %s (see '%s list', set --policy-dir, or give a path to a .bpf.o)",
	      arg, searched, bin_name);
	return -EUSAGE;
}

/* --- list -------------------------------------------------------------- */

/*
 * The one-line description of policy @name: the first line of the header
 * comment of its source, "name - what it does", found next to the object
 * or in ../../bpf/ (build/policies -> bpf/).
 */
static void policy_description(const char *dir, const char *name, char *buf,
			       size_t len)
{
	char path[PATH_MAX], text[4096], *line, *dash;
	const char *const fmts[] = { "%s/%s.bpf.c", "%s/../../bpf/%s.bpf.c" };
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), fmts[i], dir, name);
		if (read_text(path, text, sizeof(text)) > 0)
			break;
	}
	if (i == 2)
		return;
	line = strstr(text, "/*");
	if (!line)
		return;
	line = strstr(line, "\n * ");
	if (!line)
		return;
	line += 4;
	line[strcspn(line, "\n")] = '\0';
	dash = strstr(line, " - ");
	snprintf(buf, len, "%s", dash ? dash + 3 : line);
}

static int list_dir(const char *dir, int shown)
{
	char name[NAME_MAX + 1], desc[256], path[PATH_MAX + NAME_MAX + 2];
	struct dirent **ents;
	int i, n;

	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return shown;
	for (i = 0; i < n; i++) {
		if (has_suffix(ents[i]->d_name, ".bpf.o")) {
			snprintf(name, sizeof(name), "%s", ents[i]->d_name);
			name[strlen(name) - 6] = '\0';
			policy_description(dir, name, desc, sizeof(desc));
			if (json_output) {
				jw_start_object(&jw);
				jw_string_field(&jw, "name", name);
				jw_string_field(&jw, "description", desc);
				snprintf(path, sizeof(path), "%s/%s", dir,
					 ents[i]->d_name);
				jw_string_field(&jw, "path", path);
				jw_end_object(&jw);
			} else {
				printf("%-16s %s\n", name, desc);
			}
			shown++;
		}
		free(ents[i]);
	}
	free(ents);
	return shown;
}

int do_list(int argc, char **argv)
{
	char dirs[MAX_DIRS][PATH_MAX];
	int i, nr, shown = 0;

	if (is_help(argc, argv)) {
		printf("Usage: %s list\n\nThe policies in the policy directory, with their descriptions.\n",
		       bin_name);
		return EXIT_OK;
	}
	if (argc)
		return exit_code_from_errno(usage_error(
			"list", "unexpected argument '%s'", argv[0]));
	nr = policy_dirs(dirs);
	if (json_output) {
		jw_init(&jw, stdout, opts.pretty);
		jw_start_array(&jw);
	}
	/* the first directory that has policies wins, as for load */
	for (i = 0; i < nr && !shown; i++)
		shown = list_dir(dirs[i], shown);
	if (json_output)
		jw_end_array(&jw);
	else if (!shown)
		p_note("no policies in %s%s (build them with 'make policies')",
		       dirs[0], nr > 1 ? " or the install directories" : "");
	return EXIT_OK;
}
