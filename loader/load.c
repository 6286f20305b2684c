// SPDX-License-Identifier: GPL-2.0
/*
 * zswap-bpf load and unload: open a policy object, set its knobs, attach
 * its struct_ops link (fresh, or replacing the pinned one in place) and pin
 * it; unload removes what load pinned. pin.c states what is pinned where.
 *
 * Invariants:
 * 1. A failed load leaves nothing behind: pins are made after the attach
 *    and removed if a later step fails, and closing the object drops the
 *    link and the maps.
 * 2. Replacing updates the pinned link in place (one BPF_LINK_UPDATE), so
 *    the kernel never runs without a policy in between, and only if the
 *    link still holds the policy it was read to hold (BPF_F_REPLACE).
 * 3. load and unload hold pin_dir_lock() from before they read the pins
 *    until they are done with them; a second one fails.
 */
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
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <linux/capability.h>

#include "main.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif

#define MAX_SETS 32

struct load_args {
	const char *policy;
	const char *sets[MAX_SETS];
	int nr_sets;
	bool replace;
	const char *cgroup;
};

static void load_usage(FILE *out)
{
	fprintf(out,
		"Usage: %s load POLICY [--set NAME=VALUE]... [--replace] [--cgroup CGROUP]\n"
		"\n"
		"       POLICY := { NAME | PATH.bpf.o }\n"
		"\n"
		"Attach a zswap writeback policy and pin its link at %s/link\n"
		"(%s/cgroup-ID/link for one attached at a cgroup).\n"
		"NAME is looked up as NAME.bpf.o in the policy directory ('%s list').\n"
		"--set sets a knob (a const volatile global of the policy) before load;\n"
		"--replace swaps the policy attached there for this one atomically;\n"
		"--cgroup attaches it at CGROUP (a path, absolute or under %s):\n"
		"it steers writeback of that subtree, unless a descendant has its own.\n"
		"Without it, the policy is the root cgroup's (all pool-limit writeback).\n",
		bin_name, pin_base_dir(), pin_base_dir(), bin_name,
		cgroup_root());
}

static int parse_load_args(int argc, char **argv, struct load_args *a)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--replace")) {
			a->replace = true;
		} else if (!strcmp(argv[i], "--cgroup") ||
			   !strncmp(argv[i], "--cgroup=", 9)) {
			a->cgroup = argv[i][8] ? argv[i] + 9 : argv[++i];
			if (!a->cgroup)
				return usage_error("load",
						   "--cgroup needs a CGROUP");
		} else if (!strcmp(argv[i], "--set") ||
			   !strncmp(argv[i], "--set=", 6)) {
			const char *v = argv[i][5] ? argv[i] + 6 : argv[++i];

			if (!v)
				return usage_error("load",
						   "--set needs NAME=VALUE");
			if (a->nr_sets == MAX_SETS)
				return usage_error("load", "more than %d --set",
						   MAX_SETS);
			a->sets[a->nr_sets++] = v;
		} else if (argv[i][0] == '-') {
			return usage_error("load", "unknown option '%s'",
					   argv[i]);
		} else if (a->policy) {
			return usage_error(
				"load",
				"unexpected argument '%s' (one POLICY at a time)",
				argv[i]);
		} else {
			a->policy = argv[i];
		}
	}
	if (!a->policy)
		return usage_error("load", "load needs a POLICY");
	return 0;
}

/* The object's zswap_writeback_ops map, or NULL after an error message */
static struct bpf_map *policy_ops_map(struct bpf_object *obj, const char *path)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map, *found = NULL;
	const struct btf_type *t;
	const char *tname;
	int nr = 0;

	bpf_object__for_each_map(map, obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		nr++;
		t = btf ? btf__type_by_id(btf,
					  bpf_map__btf_value_type_id(map)) :
			  NULL;
		tname = t ? btf__name_by_offset(btf, t->name_off) : "?";
		if (strcmp(tname, ZSWAP_BPF_OPS_TYPE)) {
			p_err("'%s' is not a zswap policy: its struct_ops map '%s' is a %s, not a %s",
			      path, bpf_map__name(map), tname,
			      ZSWAP_BPF_OPS_TYPE);
			return NULL;
		}
		found = map;
	}
	if (nr != 1) {
		p_err("'%s' is not a zswap policy: it has %d struct_ops maps, a policy has one (defined with ZSWAP_WB_OPS_DEFINE())",
		      path, nr);
		return NULL;
	}
	if (!(bpf_map__map_flags(found) & BPF_F_LINK)) {
		p_err("'%s': ops '%s' are in section .struct_ops, not .struct_ops.link, so they cannot be attached as a link (define them with ZSWAP_WB_OPS_DEFINE())",
		      path, bpf_map__name(found));
		return NULL;
	}
	return found;
}

/* --- attach, replace --------------------------------------------------- */

/*
 * What a load needs: CAP_BPF for the struct_ops map and bpf() itself,
 * CAP_PERFMON for struct_ops programs (kernel/bpf/syscall.c,
 * is_perfmon_prog_type), CAP_SYS_ADMIN for the ids of what it replaces
 * (bpf_link_get_fd_by_id, bpf_map_get_fd_by_id)
 */
static const int load_caps[] = { CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN };

/* An unload opens the pinned link and finds its map by id */
static const int unload_caps[] = { CAP_BPF, CAP_SYS_ADMIN };

#define NR_CAPS(a) (int)(sizeof(a) / sizeof((a)[0]))

/* The capabilities, a kernel with the hook, a bpffs for the pins: -errno */
static int load_preflight(void)
{
	char dir[PATH_MAX], *slash;
	struct statfs sfs;
	int hook, err;

	err = caps_require("loading a policy", load_caps, NR_CAPS(load_caps));
	if (err)
		return err;
	hook = kernel_has_hook();
	if (hook < 0) {
		p_err("cannot read the kernel's BTF (/sys/kernel/btf/vmlinux): %s; the kernel needs CONFIG_DEBUG_INFO_BTF=y",
		      strerror(-hook));
		return -EOPNOTSUPP;
	}
	if (!hook) {
		p_err("%s", NO_HOOK_MSG);
		return -EOPNOTSUPP;
	}
	snprintf(dir, sizeof(dir), "%s", pin_base_dir());
	slash = strrchr(dir, '/');
	if (slash && slash != dir)
		*slash = '\0';
	if (statfs(dir, &sfs) || sfs.f_type != BPF_FS_MAGIC) {
		p_err("%s is not a BPF filesystem: mount it with 'mount -t bpf bpf %s'",
		      dir, dir);
		return -EMEDIUMTYPE; /* the wrong filesystem: a runtime error */
	}
	if ((mkdir(pin_base_dir(), 0700) && errno != EEXIST) ||
	    (mkdir(pin_dir(), 0700) && errno != EEXIST)) {
		err = -errno;
		p_err("cannot create %s: %s", pin_dir(), strerror(-err));
		return errno_as(err, EXIT_RUNTIME);
	}
	return 0;
}

static void print_loaded(const char *name, const char *replaced, int link_fd,
			 int map_fd)
{
	struct bpf_link_info li = {};
	struct bpf_map_info mi = {};
	__u32 llen = sizeof(li), mlen = sizeof(mi);
	char path[PATH_MAX];

	bpf_link_get_info_by_fd(link_fd, &li, &llen);
	bpf_map_get_info_by_fd(map_fd, &mi, &mlen);
	pin_path(path, sizeof(path), "link");
	if (json_output) {
		jw_init(&jw, stdout, opts.pretty);
		jw_start_object(&jw);
		jw_string_field(&jw, "loaded", name);
		if (replaced)
			jw_string_field(&jw, "replaced", replaced);
		jw_uint_field(&jw, "link_id", li.id);
		jw_uint_field(&jw, "map_id", mi.id);
		jw_string_field(&jw, "pinned", path);
		jw_end_object(&jw);
		return;
	}
	if (replaced)
		printf("replaced policy %s with %s (link id %u, map id %u, pinned at %s)\n",
		       replaced, name, li.id, mi.id, path);
	else
		printf("loaded policy %s (link id %u, map id %u, pinned at %s)\n",
		       name, li.id, mi.id, path);
}

/*
 * Nothing attached: pin the new link, @link (libbpf's) or @lfd, and the
 * policy's maps
 */
static int attach_fresh(struct bpf_object *obj, struct bpf_map *map,
			struct bpf_link *link, int lfd)
{
	char path[PATH_MAX];
	int err;

	pin_path(path, sizeof(path), "link");
	unlink(path); /* a pin left by a link someone detached */
	if (link)
		err = bpf_link__pin(link, path);
	else
		err = bpf_obj_pin(lfd, path) ? -errno : 0;
	if (!err) {
		err = pin_stats(obj) ?: pin_params(obj);
		if (err) {
			unpin_params(NULL);
			unpin_stats();
			unlink(path);
		}
	}
	if (err) {
		p_err("cannot pin the policy under %s: %s", pin_dir(),
		      strerror(-err));
		if (link)
			bpf_link__destroy(link);
		else
			close(lfd);
		return errno_as(err, EXIT_RUNTIME);
	}
	print_loaded(bpf_map__name(map), NULL, link ? bpf_link__fd(link) : lfd,
		     bpf_map__fd(map));
	if (!link) {
		close(lfd); /* the pin keeps it */
		return 0;
	}
	bpf_link__disconnect(link); /* the pin keeps it */
	bpf_link__destroy(link);
	return 0;
}

/*
 * Store @map's value in the kernel, as bpf_map__attach_struct_ops() does
 * before it creates its link, for the link it cannot create: one with a
 * target (libbpf has no option for it). The kernel's value is struct
 * bpf_struct_ops_<type>; its "data" member takes each callback as a program
 * fd and the other members as the object has them. -errno.
 */
static int struct_ops_store(struct bpf_object *obj, struct bpf_map *map)
{
	const struct btf *obtf = bpf_object__btf(obj);
	const struct btf_type *ot, *kt, *vt, *mt;
	const struct btf_member *om, *km;
	struct bpf_program *prog;
	struct btf *kbtf;
	size_t size, doff = 0;
	int oid, kid, vid, i, j, err = 0;
	char *data, *val = NULL;
	long long msize;
	__u32 zero = 0;
	const char *name;

	data = bpf_map__initial_value(map, &size);
	kbtf = btf__load_vmlinux_btf();
	if (!kbtf)
		return -errno;
	oid = btf__find_by_name_kind(obtf, ZSWAP_BPF_OPS_TYPE, BTF_KIND_STRUCT);
	kid = btf__find_by_name_kind(kbtf, ZSWAP_BPF_OPS_TYPE, BTF_KIND_STRUCT);
	vid = btf__find_by_name_kind(kbtf, "bpf_struct_ops_" ZSWAP_BPF_OPS_TYPE,
				     BTF_KIND_STRUCT);
	if (!data || oid < 0 || kid < 0 || vid < 0) {
		err = -ENOENT;
		goto out;
	}
	ot = btf__type_by_id(obtf, oid);
	kt = btf__type_by_id(kbtf, kid);
	vt = btf__type_by_id(kbtf, vid);
	km = btf_members(vt);
	for (j = 0; j < btf_vlen(vt); j++, km++)
		if (!strcmp(btf__name_by_offset(kbtf, km->name_off), "data"))
			doff = km->offset / 8;
	val = calloc(1, vt->size);
	if (!val || !doff || vt->size != bpf_map__value_size(map)) {
		err = val ? -EINVAL : -ENOMEM;
		goto out;
	}
	om = btf_members(ot);
	for (i = 0; i < btf_vlen(ot); i++, om++) {
		name = btf__name_by_offset(obtf, om->name_off);
		km = btf_members(kt);
		for (j = 0; j < btf_vlen(kt); j++, km++)
			if (!strcmp(btf__name_by_offset(kbtf, km->name_off),
				    name))
				break;
		if (j == btf_vlen(kt)) {
			err = -EINVAL;
			goto out;
		}
		mt = btf__type_by_id(obtf, btf__resolve_type(obtf, om->type));
		if (btf_is_ptr(mt)) {
			prog = *(struct bpf_program **)(data + om->offset / 8);
			if (prog)
				*(unsigned long *)(val + doff + km->offset / 8) =
					bpf_program__fd(prog);
			continue;
		}
		msize = btf__resolve_size(obtf, om->type);
		if (msize < 0 ||
		    km->offset / 8 + (size_t)msize > vt->size - doff) {
			err = -EINVAL;
			goto out;
		}
		memcpy(val + doff + km->offset / 8, data + om->offset / 8,
		       msize);
	}
	/* EBUSY: stored already, by an earlier link of the map */
	if (bpf_map_update_elem(bpf_map__fd(map), &zero, val, 0) &&
	    errno != EBUSY)
		err = -errno;
out:
	free(val);
	btf__free(kbtf);
	return err;
}

/* Create @map's link with the cgroup @cgfd as its target: an fd, or -errno */
static int attach_cgroup_link(struct bpf_object *obj, struct bpf_map *map,
			      int cgfd)
{
	int err, fd;

	err = struct_ops_store(obj, map);
	if (err)
		return err;
	fd = bpf_link_create(bpf_map__fd(map), cgfd, ZSWAP_BPF_ATTACH_STRUCT_OPS,
			     NULL);
	return fd < 0 ? -errno : fd;
}

/*
 * The struct_ops map the pinned link @lfd holds, and its name: an fd, or
 * -errno
 */
static int link_map(int lfd, char *name, size_t len)
{
	struct bpf_link_info li = {};
	struct bpf_map_info mi = {};
	__u32 llen = sizeof(li), mlen = sizeof(mi);
	int mfd;

	if (bpf_link_get_info_by_fd(lfd, &li, &llen))
		return -errno;
	mfd = bpf_map_get_fd_by_id(link_info_struct_ops_map_id(&li));
	if (mfd < 0)
		return -errno;
	if (!bpf_map_get_info_by_fd(mfd, &mi, &mlen))
		snprintf(name, len, "%s", mi.name);
	return mfd;
}

/*
 * A policy is attached: swap it for @map on the pinned link, if the link
 * still holds the policy read from it (invariant 2). @map is ready
 * (libbpf's attach attempt stored its value before the kernel said EBUSY).
 */
static int attach_replace(struct bpf_object *obj, struct bpf_map *map,
			  const char *attached)
{
	LIBBPF_OPTS(bpf_link_update_opts, uo, .flags = BPF_F_REPLACE);
	char path[PATH_MAX], old[BPF_OBJ_NAME_LEN] = "(unknown)";
	int lfd, ofd, err;

	pin_path(path, sizeof(path), "link");
	lfd = bpf_obj_get(path);
	if (lfd < 0) {
		p_err("policy '%s' is attached, but not by %s (no %s): detach it with the tool that attached it",
		      attached, bin_name, path);
		return -EBUSY;
	}
	ofd = link_map(lfd, old, sizeof(old));
	if (ofd < 0) {
		p_err("cannot read the policy on %s: %s", path, strerror(-ofd));
		close(lfd);
		return errno_as(ofd, EXIT_RUNTIME);
	}
	uo.old_map_fd = ofd;
	err = bpf_link_update(lfd, bpf_map__fd(map), &uo) ? -errno : 0;
	close(ofd);
	if (err == -EPERM)
		p_err("policy '%s' was replaced by someone else while loading '%s': see '%s status', then retry",
		      old, bpf_map__name(map), bin_name);
	else if (err)
		p_err("the kernel refused to replace policy '%s' with '%s': %s",
		      old, bpf_map__name(map), strerror(-err));
	if (err) {
		close(lfd);
		return err;
	}
	err = pin_swap(lfd, "link");
	err = err ?: pin_stats(obj);
	err = err ?: pin_params(obj);
	if (err)
		/* attached, but status, trace and set may see the old maps */
		p_err("replaced policy '%s' with '%s', but re-pinning under %s failed: %s; run '%s unload%s' and load it again",
		      old, bpf_map__name(map), pin_dir(), strerror(-err),
		      bin_name, attach_cgroup_opt());
	else
		print_loaded(bpf_map__name(map), old, lfd, bpf_map__fd(map));
	close(lfd);
	return err ? errno_as(err, EXIT_RUNTIME) : 0;
}

/* A link is pinned: zswap-bpf attached the policy there is */
static bool linked(void)
{
	char path[PATH_MAX];

	pin_path(path, sizeof(path), "link");
	return !access(path, F_OK);
}

static int load_attach(struct bpf_object *obj, struct bpf_map *map,
		       const char *path, bool replace, int cgfd)
{
	struct bpf_policy_info info;
	struct bpf_link *link;
	char old[64];
	int err, lfd;

	if (bpf_object__load(obj)) {
		err = -errno;
		p_err("the kernel refused policy '%s': %s", path,
		      strerror(-err));
		libbpf_log_tail(12);
		return errno_as(err, EXIT_REFUSED);
	}
	if (cgfd >= 0) {
		lfd = attach_cgroup_link(obj, map, cgfd);
		if (lfd >= 0)
			return attach_fresh(obj, map, NULL, lfd);
		err = lfd;
	} else {
		link = bpf_map__attach_struct_ops(map);
		if (link)
			return attach_fresh(obj, map, link, -1);
		err = -errno;
	}
	if (err == -EINVAL && cgfd >= 0)
		p_err("the kernel refused to attach policy '%s' at a cgroup: %s (a kernel without per-cgroup attachment, or a cgroup without its own memory controller)",
		      path, strerror(-err));
	else if (err == -ENOENT && cgfd >= 0)
		p_err("the kernel refused to attach policy '%s': the cgroup is being removed",
		      path);
	if ((err == -EINVAL || err == -ENOENT) && cgfd >= 0)
		return err;
	if (err != -EBUSY) {
		p_err("the kernel refused to attach policy '%s': %s", path,
		      strerror(-err));
		libbpf_log_tail(6);
		return err;
	}
	attached_name(old, sizeof(old));
	if (replace)
		return attach_replace(obj, map, old);
	if (!attach_cgroup() && !kernel_policy_info(&info) &&
	    !strcmp(info.state, "ejected"))
		p_err("policy '%s' is still attached, though the kernel ejected it (%s: %s): use '%s load --replace %s' to replace it, or '%s unload' first",
		      old, info.last_exit, info.last_exit_reason, bin_name,
		      path, bin_name);
	else
		p_err("policy '%s' is already attached: use '%s load --replace %s%s' to replace it, or '%s unload%s' first",
		      old, bin_name, path, attach_cgroup_opt(), bin_name,
		      attach_cgroup_opt());
	return -EBUSY;
}

/* Open POLICY's object, set its knobs, attach it and pin it: 0 or -errno */
static int load_object(const struct load_args *a, const char *path, int cgfd)
{
	struct bpf_object *obj;
	struct bpf_map *map;
	int i, err, lock = -1;

	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		char msg[128];

		libbpf_strerror(errno, msg, sizeof(msg));
		p_err("cannot open '%s' as a BPF object: %s", path, msg);
		libbpf_log_tail(4);
		return -EUSAGE;
	}
	map = policy_ops_map(obj, path);
	err = map ? 0 : -EUSAGE;
	for (i = 0; !err && i < a->nr_sets; i++)
		err = knob_set(obj, path, a->sets[i]);
	err = err ?: load_preflight();
	if (!err) {
		lock = pin_dir_lock();
		err = lock < 0 ? lock : 0;
	}
	if (!err && a->replace && linked())
		err = params_reuse(obj);
	err = err ?: load_attach(obj, map, path, a->replace, cgfd);
	bpf_object__close(obj);
	if (lock >= 0)
		close(lock);
	return err;
}

int do_load(int argc, char **argv)
{
	struct load_args a = {};
	char path[PATH_MAX];
	int err, cgfd = -1;

	if (is_help(argc, argv)) {
		load_usage(stdout);
		return EXIT_OK;
	}
	err = parse_load_args(argc, argv, &a);
	err = err ?: policy_resolve(a.policy, path, sizeof(path));
	if (!err && a.cgroup)
		err = attach_cgroup_arg("load", a.cgroup, &cgfd);
	err = err ?: load_object(&a, path, cgfd);
	if (cgfd >= 0)
		close(cgfd);
	return exit_code_from_errno(err);
}

/* --- unload ------------------------------------------------------------ */

/*
 * Nothing pinned: say what is attached instead, if anything. With
 * --if-loaded (systemd's ExecStop) that is success: the policy is gone.
 */
static int unload_none(const char *path, bool if_loaded)
{
	struct bpf_policy_info info;

	if (if_loaded) {
		p_note("no policy loaded (nothing pinned at %s)", path);
		return 0;
	}
	if (!kernel_policy_info(&info) && info.name[0])
		p_err("no policy loaded by %s (nothing at %s); policy '%s' was attached by another tool: detach it there",
		      bin_name, path, info.name);
	else
		p_err("no policy loaded (nothing pinned at %s)", path);
	return -ENOENT;
}

/* Detach the link pinned at @path and remove the pins; 0 or -errno */
static int unload_pinned(const char *path, bool if_loaded)
{
	char name[64];
	int lfd, err;

	lfd = bpf_obj_get(path);
	if (lfd < 0 && errno == ENOENT)
		return unload_none(path, if_loaded);
	if (lfd < 0) {
		err = -errno;
		p_err("cannot open %s: %s", path, strerror(-err));
		return err;
	}
	attached_name(name, sizeof(name));
	/* detach even if someone else holds the link open */
	if (bpf_link_detach(lfd)) {
		/* still attached: keep the pins that say so */
		err = -errno;
		p_err("the kernel refused to detach policy '%s': %s", name,
		      strerror(-err));
		close(lfd);
		return err;
	}
	unpin_stats();
	unpin_params(NULL);
	unlink(path);
	close(lfd);
	if (json_output) {
		jw_init(&jw, stdout, opts.pretty);
		jw_start_object(&jw);
		jw_string_field(&jw, "unloaded", name);
		jw_end_object(&jw);
	} else {
		printf("unloaded policy %s\n", name);
	}
	return 0;
}

/* Unload the policy at @cgroup (NULL: the root's): 0 or -errno */
static int unload(const char *cgroup, bool if_loaded)
{
	char path[PATH_MAX];
	int lock, err, cgfd = -1;

	/*
	 * A removed cgroup took its policy with it: for --if-loaded (a
	 * systemd ExecStop after the cgroup went) there is nothing to do.
	 */
	if (cgroup && if_loaded && cgroup_gone(cgroup)) {
		p_note("cgroup '%s' does not exist: no policy loaded there",
		       cgroup);
		return 0;
	}
	if (cgroup) {
		err = attach_cgroup_arg("unload", cgroup, &cgfd);
		if (err)
			return err;
		if (cgfd >= 0)
			close(cgfd);
	}
	/* without them, a bare "Operation not permitted" on a path */
	err = caps_require("unloading a policy", unload_caps,
			   NR_CAPS(unload_caps));
	if (err)
		return err;
	pin_path(path, sizeof(path), "link");
	/* no PIN_DIR: nothing was ever loaded, and nothing to lock */
	if (access(pin_dir(), F_OK) && errno == ENOENT)
		return unload_none(path, if_loaded);
	lock = pin_dir_lock();
	if (lock < 0)
		return lock;
	err = unload_pinned(path, if_loaded);
	close(lock);
	/* a cgroup's pin directory goes with its policy */
	if (!err && attach_cgroup())
		rmdir(pin_dir());
	return err;
}

int do_unload(int argc, char **argv)
{
	bool if_loaded = false;
	const char *cgroup = NULL;
	int i, err = 0;

	if (is_help(argc, argv)) {
		printf("Usage: %s unload [--if-loaded] [--cgroup CGROUP]\n\n"
		       "Detach the policy %s loaded (at CGROUP; default the root cgroup),\n"
		       "and remove its pins.\n"
		       "--if-loaded: exit 0 when none is loaded (for systemd's ExecStop).\n",
		       bin_name, bin_name);
		return EXIT_OK;
	}
	for (i = 0; i < argc && !err; i++) {
		if (!strcmp(argv[i], "--if-loaded"))
			if_loaded = true;
		else if (!strcmp(argv[i], "--cgroup") && i + 1 < argc)
			cgroup = argv[++i];
		else
			err = usage_error("unload", "unexpected argument '%s'",
					  argv[i]);
	}
	return exit_code_from_errno(err ?: unload(cgroup, if_loaded));
}
