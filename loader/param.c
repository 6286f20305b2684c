// SPDX-License-Identifier: GPL-2.0
/*
 * zswap-bpf set: per-cgroup parameters of the loaded policy, in the maps
 * the loader pinned at PIN_DIR/<name> (hash: cgroup id -> u32). A cgroup's
 * id is the inode number of its directory, the id the kernel passes to the
 * policy.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "main.h"

static void set_usage(FILE *out)
{
	fprintf(out,
		"Usage: %s set PARAM CGROUP=VALUE...\n"
		"\n"
		"       VALUE := { 0..4294967295 | default }\n"
		"\n"
		"Set a per-cgroup parameter of the loaded policy: PARAM is one of its\n"
		"maps pinned under %s (e.g. 'weight' of the weighted policy).\n"
		"'default' removes the cgroup's entry, so the policy's default applies.\n",
		bin_name, pin_dir());
}

/* "weight, boost" or "none": the parameter maps pinned now */
static void params_pinned(char *buf, size_t len)
{
	struct dirent *de;
	size_t used = 0;
	DIR *d = opendir(pin_dir());

	buf[0] = '\0';
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || is_fixed_pin(de->d_name))
			continue;
		used += snprintf(buf + used, used < len ? len - used : 0,
				 "%s%s", used ? ", " : "", de->d_name);
	}
	if (d)
		closedir(d);
	if (!buf[0])
		snprintf(buf, len, "none");
}

/* The pinned map of PARAM, checked: an fd, or -exit code after a message */
static int param_map_open(const char *name)
{
	struct bpf_policy_info info;
	struct bpf_map_info mi = {};
	__u32 mlen = sizeof(mi);
	char path[PATH_MAX], all[512], pol[64] = "(unknown)";
	int fd;

	if (!kernel_policy_info(&info) && info.name[0])
		snprintf(pol, sizeof(pol), "%s", info.name);
	pin_path(path, sizeof(path), "link");
	if (access(path, F_OK)) {
		p_err("no policy loaded by %s (nothing at %s): load one first, e.g. '%s load weighted'",
		      bin_name, path, bin_name);
		return -EXIT_RUNTIME;
	}
	pin_path(path, sizeof(path), name);
	fd = strchr(name, '/') || name[0] == '.' ? -1 : bpf_obj_get(path);
	if (fd < 0) {
		params_pinned(all, sizeof(all));
		p_err("policy '%s' has no parameter '%s' (no map %s); its parameters: %s",
		      pol, name, path, all);
		return -EXIT_USAGE;
	}
	if (bpf_map_get_info_by_fd(fd, &mi, &mlen) ||
	    !is_param_map(mi.type, mi.key_size, mi.value_size)) {
		p_err("%s is not a per-cgroup parameter map (hash of cgroup id to u32)",
		      path);
		close(fd);
		return -EXIT_USAGE;
	}
	return fd;
}

static int param_set_one(int fd, const char *name, const char *arg)
{
	char cg[PATH_MAX], path[PATH_MAX];
	struct stat st;
	uint32_t value;
	__u64 id;
	bool del;
	int err;

	err = param_assign_parse(arg, cg, sizeof(cg), &value, &del);
	if (err)
		return usage_error("set",
				   "bad '%s': expected CGROUP=VALUE, VALUE 0..4294967295 or 'default'%s",
				   arg, err == -ERANGE ? " (out of range)" : "");
	if (cgroup_resolve(cgroup_root(), cg, path, sizeof(path)))
		return usage_error("set",
				   "bad CGROUP '%s': a path, absolute or under %s, without '..'",
				   cg, cgroup_root());
	if (stat(path, &st) || !S_ISDIR(st.st_mode)) {
		p_err("cgroup '%s' does not exist (no directory %s)", cg, path);
		return EXIT_USAGE;
	}
	id = st.st_ino;
	if (del)
		err = bpf_map_delete_elem(fd, &id) && errno != ENOENT ? -errno : 0;
	else
		err = bpf_map_update_elem(fd, &id, &value, BPF_ANY) ? -errno : 0;
	if (err) {
		p_err("cannot set %s of %s: %s%s", name, path, strerror(-err),
		      err == -E2BIG ? " (the map is full)" : "");
		return exit_code_from_errno(err);
	}
	if (json_output) {
		jw_start_object(&jw);
		jw_string_field(&jw, "cgroup", path);
		jw_uint_field(&jw, "id", id);
		if (del) {
			jw_name(&jw, name);
			jw_null(&jw);
		} else {
			jw_uint_field(&jw, name, value);
		}
		jw_end_object(&jw);
	} else if (del) {
		printf("%s of %s (id %llu): default\n", name, path,
		       (unsigned long long)id);
	} else {
		printf("%s of %s (id %llu) = %u\n", name, path,
		       (unsigned long long)id, value);
	}
	return EXIT_OK;
}

int do_set(int argc, char **argv)
{
	int fd, i, ret = EXIT_OK;

	if (is_help(argc, argv)) {
		set_usage(stdout);
		return EXIT_OK;
	}
	if (argc < 2)
		return usage_error("set", "set needs PARAM and CGROUP=VALUE");
	for (i = 1; i < argc; i++) {
		char cg[PATH_MAX];
		uint32_t v;
		bool del;
		int err = param_assign_parse(argv[i], cg, sizeof(cg), &v, &del);

		if (err)
			return usage_error("set",
					   "bad '%s': expected CGROUP=VALUE, VALUE 0..4294967295 or 'default'%s",
					   argv[i], err == -ERANGE ? " (out of range)" : "");
	}
	fd = param_map_open(argv[0]);
	if (fd < 0)
		return -fd;
	if (json_output) {
		jw_init(&jw, stdout, opts.pretty);
		jw_start_array(&jw);
	}
	for (i = 1; i < argc && !ret; i++)
		ret = param_set_one(fd, argv[0], argv[i]);
	if (json_output)
		jw_end_array(&jw);
	close(fd);
	return ret;
}
