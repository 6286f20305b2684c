// SPDX-License-Identifier: GPL-2.0
/*
 * zswap-bpf set: per-cgroup parameters of the loaded policy, in the maps
 * the loader pinned at PIN_DIR/<name> (hash: cgroup id -> u32). A cgroup's
 * id is the one the kernel passes to the policy, from the file handle of
 * its cgroup v2 directory (name_to_handle_at); anything else is refused.
 */
#define _GNU_SOURCE /* name_to_handle_at */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
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

/* The pinned map of PARAM, checked: an fd, or -errno after a message */
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
		return -ENOENT;
	}
	pin_path(path, sizeof(path), name);
	fd = strchr(name, '/') || name[0] == '.' ? -1 : bpf_obj_get(path);
	if (fd < 0) {
		params_pinned(all, sizeof(all));
		p_err("policy '%s' has no parameter '%s' (no map %s); its parameters: %s",
		      pol, name, path, all);
		return -EUSAGE;
	}
	if (bpf_map_get_info_by_fd(fd, &mi, &mlen) ||
	    !is_param_map(mi.type, mi.key_size, mi.value_size)) {
		p_err("%s is not a per-cgroup parameter map (hash of cgroup id to u32)",
		      path);
		close(fd);
		return -EUSAGE;
	}
	return fd;
}

/* One CGROUP=VALUE of the command line, resolved */
struct param_set {
	char cg[PATH_MAX];
	char path[PATH_MAX];
	__u64 id;
	uint32_t value;
	bool del;
};

/*
 * CGROUP as a cgroup v2 directory and its id: 0 or -errno. An absolute
 * path that is not one is tried under the cgroup root, as the form of
 * /proc/PID/cgroup ("/system.slice/x.service").
 */
static int param_cgroup(struct param_set *ps)
{
	const char *cg = ps->cg;
	char under[PATH_MAX];
	int err;

	if (cgroup_resolve(cgroup_root(), cg, ps->path, sizeof(ps->path)))
		return usage_error(
			"set",
			"bad CGROUP '%s': a path, absolute or under %s, without '..'",
			cg, cgroup_root());
	if (!is_cgroup2(ps->path) && cg[0] == '/' &&
	    !cgroup_resolve(cgroup_root(), cg + 1, under, sizeof(under)) &&
	    is_cgroup2(under))
		snprintf(ps->path, sizeof(ps->path), "%s", under);
	if (!is_cgroup2(ps->path)) {
		p_err("'%s' is not a cgroup v2 directory (%s): give a path under %s, absolute or relative",
		      cg, ps->path, cgroup_root());
		return -EUSAGE;
	}
	err = cgroup_id_of(ps->path, &ps->id);
	if (err) {
		p_err("cannot get the cgroup id of %s: %s", ps->path,
		      strerror(-err));
		return errno_as(err, EXIT_RUNTIME);
	}
	return 0;
}

/* CGROUP=VALUE, its syntax only: 0 or -EUSAGE */
static int param_parse(const char *arg, struct param_set *ps)
{
	int err;

	err = param_assign_parse(arg, ps->cg, sizeof(ps->cg), &ps->value,
				 &ps->del);
	if (err)
		return usage_error(
			"set",
			"bad '%s': expected CGROUP=VALUE, VALUE 0..4294967295 or 'default'%s",
			arg, err == -ERANGE ? " (out of range)" : "");
	return 0;
}

static int param_update(int fd, const char *name, const struct param_set *ps)
{
	int err;

	if (ps->del)
		err = bpf_map_delete_elem(fd, &ps->id) && errno != ENOENT ?
			      -errno :
			      0;
	else
		err = bpf_map_update_elem(fd, &ps->id, &ps->value, BPF_ANY) ?
			      -errno :
			      0;
	if (err)
		p_err("cannot set %s of %s: %s%s", name, ps->path,
		      strerror(-err),
		      err == -E2BIG ? " (the map is full)" : "");
	return err;
}

static void param_print(const char *name, const struct param_set *ps)
{
	if (json_output) {
		jw_start_object(&jw);
		jw_string_field(&jw, "cgroup", ps->path);
		jw_uint_field(&jw, "id", ps->id);
		jw_name(&jw, name);
		if (ps->del)
			jw_null(&jw);
		else
			jw_uint(&jw, ps->value);
		jw_end_object(&jw);
	} else if (ps->del) {
		printf("%s of %s (id %llu): default\n", name, ps->path,
		       (unsigned long long)ps->id);
	} else {
		printf("%s of %s (id %llu) = %u\n", name, ps->path,
		       (unsigned long long)ps->id, ps->value);
	}
}

/* PARAM @name of each of @ps[@nr], in the map @fd: 0 or -errno */
static int params_update(int fd, const char *name, const struct param_set *ps,
			 int nr)
{
	int i, err = 0;

	for (i = 0; i < nr && !err; i++)
		err = param_update(fd, name, &ps[i]);
	if (err && i > 1)
		p_note("the %d values before it were set", i - 1);
	if (err)
		return err;
	if (json_output) {
		jw_init(&jw, stdout, opts.pretty);
		jw_start_array(&jw);
	}
	for (i = 0; i < nr; i++)
		param_print(name, &ps[i]);
	if (json_output)
		jw_end_array(&jw);
	return 0;
}

/*
 * Every argument is checked before any is set, and the JSON array is
 * written only once all are: an error is then one {"error"} object, not an
 * element that breaks the array. 0 or -errno.
 */
static int set(int argc, char **argv, struct param_set *ps)
{
	int fd, i, err = 0;

	for (i = 1; i < argc && !err; i++)
		err = param_parse(argv[i], &ps[i - 1]);
	fd = err ?: param_map_open(argv[0]);
	if (fd < 0)
		return fd;
	for (i = 0; i < argc - 1 && !err; i++)
		err = param_cgroup(&ps[i]);
	err = err ?: params_update(fd, argv[0], ps, argc - 1);
	close(fd);
	return err;
}

int do_set(int argc, char **argv)
{
	struct param_set *ps;
	int err;

	if (is_help(argc, argv)) {
		set_usage(stdout);
		return EXIT_OK;
	}
	if (argc < 2)
		return exit_code_from_errno(
			usage_error("set", "set needs PARAM and CGROUP=VALUE"));
	ps = calloc(argc - 1, sizeof(*ps));
	err = ps ? set(argc, argv, ps) : -ENOMEM;
	free(ps);
	return exit_code_from_errno(err);
}
