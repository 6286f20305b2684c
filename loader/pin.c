// SPDX-License-Identifier: GPL-2.0
/*
 * zswap-bpf's pins under ZSWAP_BPF_PIN_DIR: what load leaves there, the
 * lock that load and unload take, and the walk of the per-cgroup
 * attachments' cgroup-<id> directories that status and trace share.
 *
 * Invariants:
 * 1. A policy zswap-bpf attached has its link pinned at PIN_DIR/link, its
 *    "stats" and "events" maps, if it has them, at PIN_DIR/stats and
 *    PIN_DIR/events, and each of its per-cgroup parameter maps
 *    (is_param_map()) at PIN_DIR/<map name>.
 *    Nothing else is pinned there: an unload removes them all, a replace
 *    those the new policy lacks.
 * 2. A replace carries parameters over: a parameter map of the new policy
 *    whose pinned namesake has the same layout is that map (reused, not
 *    copied), so values set with `set` survive a reload.
 * 3. load and unload hold an exclusive flock on PIN_DIR from before they
 *    read the pins until they are done with them; a second one fails.
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
#include <sys/file.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "main.h"

/*
 * The lock of invariant 3: an fd to close when done, or -errno after a
 * message. It fails at once instead of queueing: a load can spend seconds
 * in the verifier, and the caller decides whether to retry.
 */
int pin_dir_lock(void)
{
	int fd, err;

	fd = open(pin_dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		p_err("cannot open %s: %s", pin_dir(), strerror(err));
		return -err;
	}
	if (!flock(fd, LOCK_EX | LOCK_NB))
		return fd;
	err = errno;
	close(fd);
	if (err == EWOULDBLOCK) {
		p_err("another %s is loading or unloading a policy (it holds the lock on %s): retry when it is done",
		      bin_name, pin_dir());
		/* not EAGAIN: that is reclaim's "less written" */
		return -EALREADY;
	}
	p_err("cannot lock %s: %s", pin_dir(), strerror(err));
	return errno_as(-err, EXIT_RUNTIME);
}

/* The name of the policy attached now, from debugfs or the pinned link */
void attached_name(char *buf, size_t len)
{
	struct bpf_policy_info info;
	struct bpf_link_info li = {};
	struct bpf_map_info mi = {};
	__u32 llen = sizeof(li), mlen = sizeof(mi);
	char path[PATH_MAX];
	int lfd, mfd;

	/* debugfs names the root cgroup's */
	if (!attach_cgroup() && !kernel_policy_info(&info) && info.name[0]) {
		snprintf(buf, len, "%s", info.name);
		return;
	}
	snprintf(buf, len, "(unknown)");
	pin_path(path, sizeof(path), "link");
	lfd = bpf_obj_get(path);
	if (lfd < 0)
		return;
	if (!bpf_link_get_info_by_fd(lfd, &li, &llen)) {
		mfd = bpf_map_get_fd_by_id(link_info_struct_ops_map_id(&li));
		if (mfd >= 0 && !bpf_map_get_info_by_fd(mfd, &mi, &mlen))
			snprintf(buf, len, "%s", mi.name);
		if (mfd >= 0)
			close(mfd);
	}
	close(lfd);
}

/* Pin @fd at PIN_DIR/@name through a temporary name and rename(2) */
int pin_swap(int fd, const char *name)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];

	pin_path(path, sizeof(path), name);
	/* bpffs refuses names with a dot */
	snprintf(tmp, sizeof(tmp), "%s_new", path);
	unlink(tmp);
	if (bpf_obj_pin(fd, tmp))
		return -errno;
	if (rename(tmp, path)) {
		unlink(tmp);
		return -errno;
	}
	return 0;
}

/* Pin map @name of the new policy, or remove a stale pin if it has none */
static int pin_named(struct bpf_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);
	char path[PATH_MAX];

	if (map)
		return pin_swap(bpf_map__fd(map), name);
	pin_path(path, sizeof(path), name);
	unlink(path);
	return 0;
}

/* The maps every policy may have: stats (status) and events (trace) */
int pin_stats(struct bpf_object *obj)
{
	return pin_named(obj, "stats") ?: pin_named(obj, "events");
}

void unpin_stats(void)
{
	char path[PATH_MAX];

	pin_path(path, sizeof(path), "stats");
	unlink(path);
	pin_path(path, sizeof(path), "events");
	unlink(path);
}

/*
 * A per-cgroup parameter map (ZSWAP_BPF_CGROUP_MAP in zswap_bpf.bpf.h): a
 * hash from cgroup id (u64) to a u32
 */
bool is_param_map(int type, unsigned int key_size, unsigned int value_size)
{
	return type == BPF_MAP_TYPE_HASH && key_size == 8 && value_size == 4;
}

/*
 * The pins every policy may have, as opposed to its parameter maps; and
 * the directories of the policies attached at cgroups, beside the root's
 */
bool is_fixed_pin(const char *name)
{
	return !strcmp(name, "link") || !strcmp(name, "stats") ||
	       !strcmp(name, "events") || !strncmp(name, "cgroup-", 7);
}

static bool is_param(const struct bpf_map *map)
{
	return is_param_map(bpf_map__type(map), bpf_map__key_size(map),
			    bpf_map__value_size(map));
}

static bool has_param(struct bpf_object *obj, const char *name)
{
	struct bpf_map *map;

	map = obj ? bpf_object__find_map_by_name(obj, name) : NULL;
	return map && is_param(map);
}

/* Remove the pins of parameter maps @obj lacks (all if NULL) */
void unpin_params(struct bpf_object *obj)
{
	char path[PATH_MAX + NAME_MAX + 2];
	struct dirent *de;
	DIR *d = opendir(pin_dir());

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || is_fixed_pin(de->d_name) ||
		    has_param(obj, de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", pin_dir(), de->d_name);
		unlink(path);
	}
	closedir(d);
}

/* The map pinned at @fd has @map's layout: one can stand for the other */
static bool same_layout(const struct bpf_map *map, int fd)
{
	struct bpf_map_info mi = {};
	__u32 len = sizeof(mi);

	return !bpf_map_get_info_by_fd(fd, &mi, &len) &&
	       mi.type == bpf_map__type(map) &&
	       mi.key_size == bpf_map__key_size(map) &&
	       mi.value_size == bpf_map__value_size(map) &&
	       mi.max_entries == bpf_map__max_entries(map) &&
	       mi.map_flags == bpf_map__map_flags(map);
}

/*
 * Invariant 2, before load: each parameter map of @obj with a pinned
 * namesake of the same layout reuses it. A map whose namesake differs
 * starts empty, and its pin is replaced.
 */
int params_reuse(struct bpf_object *obj)
{
	struct bpf_map *map;
	char path[PATH_MAX];
	int fd, err = 0;

	bpf_object__for_each_map(map, obj) {
		if (!is_param(map))
			continue;
		pin_path(path, sizeof(path), bpf_map__name(map));
		fd = bpf_obj_get(path);
		if (fd < 0)
			continue;
		if (same_layout(map, fd))
			err = bpf_map__reuse_fd(map, fd);
		close(fd);
		if (err) {
			p_err("cannot keep parameter '%s' (%s): %s",
			      bpf_map__name(map), path, strerror(-err));
			return errno_as(err, EXIT_RUNTIME);
		}
	}
	return 0;
}

/* Pin the new policy's parameter maps, then drop the old one's others */
int pin_params(struct bpf_object *obj)
{
	struct bpf_map *map;
	int err;

	bpf_object__for_each_map(map, obj) {
		if (!is_param(map))
			continue;
		err = pin_swap(bpf_map__fd(map), bpf_map__name(map));
		if (err)
			return err;
	}
	unpin_params(obj);
	return 0;
}

/* The link pinned in @dir, if any */
void link_state_read(struct link_state *ls, const char *dir)
{
	struct bpf_link_info li = {};
	struct bpf_map_info mi = {};
	__u32 llen = sizeof(li), mlen = sizeof(mi);
	char path[PATH_MAX];
	struct stat st;
	int lfd, mfd;

	memset(ls, 0, sizeof(*ls));
	snprintf(path, sizeof(path), "%s/link", dir);
	lfd = bpf_obj_get(path);
	if (lfd < 0)
		return;
	ls->pinned = true;
	if (!stat(path, &st))
		ls->loaded = st.st_ctime;
	if (!bpf_link_get_info_by_fd(lfd, &li, &llen)) {
		ls->link_id = li.id;
		ls->map_id = link_info_struct_ops_map_id(&li);
		mfd = bpf_map_get_fd_by_id(ls->map_id);
		if (mfd >= 0 && !bpf_map_get_info_by_fd(mfd, &mi, &mlen))
			snprintf(ls->map_name, sizeof(ls->map_name), "%s",
				 mi.name);
		if (mfd >= 0)
			close(mfd);
	}
	close(lfd);
}

/*
 * Call @fn with @ctx, the cgroup id and the path of each cgroup-<id> pin
 * directory: an attachment at a cgroup, as load --cgroup makes them
 */
void cgroup_pin_dirs(void (*fn)(unsigned long long id, const char *dir,
				void *ctx),
		     void *ctx)
{
	DIR *d = opendir(pin_base_dir());
	char dir[PATH_MAX];
	unsigned long long id;
	struct dirent *de;

	while (d && (de = readdir(d))) {
		if (sscanf(de->d_name, "cgroup-%llu", &id) != 1 || !id)
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", pin_base_dir(), de->d_name);
		fn(id, dir, ctx);
	}
	if (d)
		closedir(d);
}
