// SPDX-License-Identifier: GPL-2.0
/*
 * Cgroups on the command line and in the tree: a CGROUP argument resolved
 * and checked, a cgroup's id, the one walk of a cgroup subtree, and what
 * is built on it: the memcg table of reclaim and stats, and trace's cgroup
 * id -> path cache.
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

/*
 * The one walk of a cgroup subtree: @fn gets @path, then each directory
 * below it, parents before children and siblings in name order, with what
 * @fn returned for the parent (@parent for @path itself). A negative return
 * skips the directory's subtree. A directory that goes away meanwhile (a
 * removed cgroup) is skipped; deeper than CGROUP_WALK_MAX_DEPTH is not
 * walked, so that the recursion stays bounded.
 */
static void walk(const char *path, int parent, int depth, cgroup_visit_fn fn,
		 void *ctx)
{
	char child[PATH_MAX];
	struct dirent **ents;
	struct stat st;
	int i, n, self;

	if (stat(path, &st))
		return;
	self = fn(path, &st, parent, ctx);
	if (self < 0 || depth >= CGROUP_WALK_MAX_DEPTH)
		return;
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0)
		return;
	for (i = 0; i < n; i++) {
		if (ents[i]->d_type == DT_DIR && ents[i]->d_name[0] != '.' &&
		    snprintf(child, sizeof(child), "%s/%s", path,
			     ents[i]->d_name) < (int)sizeof(child))
			walk(child, self, depth + 1, fn, ctx);
		free(ents[i]);
	}
	free(ents);
}

void cgroup_walk(const char *path, int parent, cgroup_visit_fn fn, void *ctx)
{
	walk(path, parent, 0, fn, ctx);
}

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
	snprintf(file, sizeof(file), "%s/memory.zswap.writeback", path);
	r->writeback = read_u64(file, &wb) ? -1 : (int)wb;
	return tb->nr++;
}

void memcg_table_fill(struct memcg_table *tb, const char *path)
{
	cgroup_walk(path, -1, memcg_read, tb);
}

/*
 * The cgroup directory CGROUP names, checked: an exit code. A missing
 * directory, or one without memory.@file, is a usage error.
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
		return EXIT_USAGE;
	}
	snprintf(f, sizeof(f), "%s/%s", path, file);
	if (access(f, F_OK)) {
		p_err("cgroup '%s' has no memory controller (no %s): enable it with 'echo +memory > PARENT/cgroup.subtree_control'",
		      arg, f);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/*
 * The cgroup a policy attaches at, for load and unload --cgroup: sets the
 * attachment (attach_cgroup_set()) and opens the directory, in *@fd, for
 * the link's target. The root cgroup is no target (*@fd = -1), so that its
 * attachment keeps the pins of a system-wide one. An exit code.
 */
int attach_cgroup_arg(const char *cmd, const char *arg, int *fd)
{
	struct stat st, root;
	char path[PATH_MAX];
	int ret;

	*fd = -1;
	ret = cgroup_arg(cmd, arg, path, sizeof(path), "memory.stat");
	if (ret)
		return ret;
	if (stat(cgroup_root(), &root)) {
		p_err("cannot read %s: %s", cgroup_root(), strerror(errno));
		return EXIT_RUNTIME;
	}
	*fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0 || fstat(*fd, &st)) {
		p_err("cannot open cgroup '%s' (%s): %s", arg, path,
		      strerror(errno));
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		return EXIT_RUNTIME;
	}
	if (st.st_ino == root.st_ino && st.st_dev == root.st_dev) {
		close(*fd);
		*fd = -1;
		return EXIT_OK;
	}
	/* a cgroup's id is its directory's inode number */
	attach_cgroup_set(st.st_ino);
	attach_cgroup_opt_set(arg);
	return EXIT_OK;
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

/* What cgid_cache_fill()'s walk needs: the root's length, the first error */
struct cgid_fill {
	struct cgid_cache *c;
	size_t root_len;
	int err;
};

static int cgid_add(const char *path, const struct stat *st, int parent,
		    void *ctx)
{
	struct cgid_fill *f = ctx;
	struct cgid_cache *c = f->c;
	const char *rel = path + f->root_len;
	struct cgid_entry *n;

	(void)parent;
	if (c->nr == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		n = realloc(c->ents, c->cap * sizeof(*n));
		if (!n)
			return f->err = -ENOMEM;
		c->ents = n;
	}
	c->ents[c->nr].id = st->st_ino;
	c->ents[c->nr].path = strdup(rel[0] ? rel : "/");
	if (!c->ents[c->nr].path)
		return f->err = -ENOMEM;
	c->nr++;
	return 0;
}

static int cgid_cmp(const void *a, const void *b)
{
	const struct cgid_entry *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* (Re)read the tree under @root; an error leaves what was read */
int cgid_cache_fill(struct cgid_cache *c, const char *root)
{
	struct cgid_fill f = { .c = c, .root_len = strlen(root) };
	size_t i;

	for (i = 0; i < c->nr; i++)
		free(c->ents[i].path);
	c->nr = 0;
	cgroup_walk(root, 0, cgid_add, &f);
	qsort(c->ents, c->nr, sizeof(*c->ents), cgid_cmp);
	return f.err;
}

const char *cgid_cache_find(const struct cgid_cache *c, __u64 id)
{
	struct cgid_entry key = { .id = id }, *e;

	if (!c->nr)
		return NULL;
	e = bsearch(&key, c->ents, c->nr, sizeof(*c->ents), cgid_cmp);
	return e ? e->path : NULL;
}

void cgid_cache_free(struct cgid_cache *c)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		free(c->ents[i].path);
	free(c->ents);
	memset(c, 0, sizeof(*c));
}
