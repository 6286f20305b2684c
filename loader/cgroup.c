// SPDX-License-Identifier: GPL-2.0
/*
 * Cgroups on the command line: a CGROUP argument resolved and checked, a
 * cgroup's id; and the memcg table of reclaim and stats, built on
 * cgtree.c's walk of a subtree.
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
#include <unistd.h>
#include <sys/statfs.h>

#include "main.h"

const char *const ms_keys[MS_NR] = {
	"zswap",   "zswapped", "zswpin",
	"zswpout", "zswpwb",   "zswpwb_proactive_b",
};

/* A memcg_table row for @path: its index, or -errno if it has no memcg */
static int memcg_read(const char *path, const struct stat *st, int parent,
		      void *ctx)
{
	char file[PATH_MAX + 32], text[8192];
	struct memcg_table *tb = ctx;
	struct memcg_row *r;
	uint64_t wb;
	int err;

	snprintf(file, sizeof(file), "%s/memory.stat", path);
	err = read_text(file, text, sizeof(text));
	if (err < 0)
		return err;
	if (tb->nr == tb->cap) {
		tb->cap = tb->cap ? 2 * tb->cap : 16;
		r = realloc(tb->rows, tb->cap * sizeof(*r));
		if (!r)
			return -ENOMEM;
		tb->rows = r;
	}
	r = &tb->rows[tb->nr];
	snprintf(r->path, sizeof(r->path), "%s", path);
	r->id = st->st_ino;
	r->parent = parent;
	memstat_parse(text, ms_keys, MS_NR, r->v, r->found);
	/* memory.stat gives page-state items, zswapped among them, in bytes */
	r->v[MS_ZSWAPPED] /= (uint64_t)sysconf(_SC_PAGESIZE);
	snprintf(file, sizeof(file), "%s/memory.zswap.writeback", path);
	r->writeback = read_u64(file, &wb) ? -1 : (int)wb;
	return tb->nr++;
}

void memcg_table_fill(struct memcg_table *tb, const char *path)
{
	cgroup_walk(path, -1, memcg_read, tb);
}

/*
 * The cgroup directory CGROUP names, checked: 0 or -errno. A missing
 * directory, or one without memory.@file, is a usage error (-EUSAGE).
 */
int cgroup_arg(const char *cmd, const char *arg, char *path, size_t len,
	       const char *file)
{
	char f[PATH_MAX + 32];
	struct stat st;

	if (cgroup_resolve(cgroup_root(), arg, path, len))
		return usage_error(
			cmd,
			"bad CGROUP '%s': a path, absolute or under %s, without '..'",
			arg, cgroup_root());
	if (stat(path, &st) || !S_ISDIR(st.st_mode)) {
		p_err("cgroup '%s' does not exist (no directory %s)", arg,
		      path);
		return -EUSAGE;
	}
	snprintf(f, sizeof(f), "%s/%s", path, file);
	if (access(f, F_OK)) {
		p_err("cgroup '%s' has no memory controller (no %s): enable it with 'echo +memory > PARENT/cgroup.subtree_control'",
		      arg, f);
		return -EUSAGE;
	}
	return 0;
}

/*
 * The cgroup a policy attaches at, for load and unload --cgroup: sets the
 * attachment (attach_cgroup_set()) and opens the directory, in *@fd, for
 * the link's target. The root cgroup is no target (*@fd = -1), so that its
 * attachment keeps the pins of a system-wide one. 0 or -errno.
 */
int attach_cgroup_arg(const char *cmd, const char *arg, int *fd)
{
	struct stat st, root;
	char path[PATH_MAX];
	int err;

	*fd = -1;
	err = cgroup_arg(cmd, arg, path, sizeof(path), "memory.stat");
	if (err)
		return err;
	if (stat(cgroup_root(), &root)) {
		err = -errno;
		p_err("cannot read %s: %s", cgroup_root(), strerror(-err));
		return errno_as(err, EXIT_RUNTIME);
	}
	*fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0 || fstat(*fd, &st)) {
		err = -errno;
		p_err("cannot open cgroup '%s' (%s): %s", arg, path,
		      strerror(-err));
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		return errno_as(err, EXIT_RUNTIME);
	}
	if (st.st_ino == root.st_ino && st.st_dev == root.st_dev) {
		close(*fd);
		*fd = -1;
		return 0;
	}
	/* a cgroup's id is its directory's inode number */
	attach_cgroup_set(st.st_ino);
	attach_cgroup_opt_set(arg);
	return 0;
}

/*
 * Whether the cgroup @arg names a well-formed path whose directory does not
 * exist (removed, or never created): unload --if-loaded's "nothing loaded
 * there", since the kernel detaches a cgroup's policy with the cgroup.
 */
bool cgroup_gone(const char *arg)
{
	char path[PATH_MAX];
	struct stat st;

	return !cgroup_resolve(cgroup_root(), arg, path, sizeof(path)) &&
	       stat(path, &st) && errno == ENOENT;
}

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

bool is_cgroup2(const char *path)
{
	struct statfs sfs;

	return !statfs(path, &sfs) && sfs.f_type == CGROUP2_SUPER_MAGIC;
}

/* The id the kernel gives the cgroup at @path: its kernfs file handle */
int cgroup_id_of(const char *path, __u64 *id)
{
	char buf[sizeof(struct file_handle) + sizeof(*id)]
		__attribute__((aligned(8)));
	struct file_handle *fh = (struct file_handle *)buf;
	int mnt;

	fh->handle_bytes = sizeof(*id);
	if (name_to_handle_at(AT_FDCWD, path, fh, &mnt, 0))
		return -errno;
	if (fh->handle_bytes != sizeof(*id))
		return -EINVAL;
	memcpy(id, fh->f_handle, sizeof(*id));
	return 0;
}
