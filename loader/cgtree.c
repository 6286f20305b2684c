// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroup tree: the one walk of a subtree, which stats, reclaim and
 * trace share, and trace's cgroup id -> path cache built on it. No libbpf
 * and no messages, so that the unit tests link this file alone.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cgtree.h"

/*
 * The one walk of a cgroup subtree: @fn gets @path, then each directory
 * below it, parents before children and siblings in name order, with what
 * @fn returned for the parent (@parent for @path itself). A negative return
 * skips the directory's subtree. A directory that goes away meanwhile (a
 * removed cgroup) is skipped; deeper than CGROUP_WALK_MAX_DEPTH is not
 * walked, so that the recursion stays bounded.
 */
static void walk(const char *path, const struct stat *st, int parent, int depth,
		 cgroup_visit_fn fn, void *ctx)
{
	char child[PATH_MAX];
	struct dirent **ents;
	struct stat cst;
	int i, n, self;

	self = fn(path, st, parent, ctx);
	if (self < 0 || depth >= CGROUP_WALK_MAX_DEPTH)
		return;
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0)
		return;
	for (i = 0; i < n; i++) {
		if (ents[i]->d_type == DT_DIR && ents[i]->d_name[0] != '.' &&
		    snprintf(child, sizeof(child), "%s/%s", path,
			     ents[i]->d_name) < (int)sizeof(child) &&
		    !stat(child, &cst))
			walk(child, &cst, self, depth + 1, fn, ctx);
		free(ents[i]);
	}
	free(ents);
}

/* -errno if @path itself cannot be read */
int cgroup_walk(const char *path, int parent, cgroup_visit_fn fn, void *ctx)
{
	struct stat st;

	if (stat(path, &st))
		return -errno;
	walk(path, &st, parent, 0, fn, ctx);
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
	int err;

	for (i = 0; i < c->nr; i++)
		free(c->ents[i].path);
	c->nr = 0;
	err = cgroup_walk(root, 0, cgid_add, &f);
	qsort(c->ents, c->nr, sizeof(*c->ents), cgid_cmp);
	return err ?: f.err;
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
