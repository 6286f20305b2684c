/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cgroup tree (cgtree.c): the one walk of a cgroup subtree, and the
 * cgroup id -> path cache. No libbpf here, so that the unit tests link it
 * alone.
 */
#ifndef __ZSWAP_BPF_CGTREE_H
#define __ZSWAP_BPF_CGTREE_H

#include <stddef.h>
#include <sys/stat.h>

#include <linux/types.h>

#define CGROUP_WALK_MAX_DEPTH 64

/*
 * Called for each directory of a walk with what it returned for the
 * parent; a negative return skips the directory's subtree
 */
typedef int (*cgroup_visit_fn)(const char *path, const struct stat *st,
			       int parent, void *ctx);
int cgroup_walk(const char *path, int parent, cgroup_visit_fn fn, void *ctx);

/* Cgroup ids (cgroup v2: the inode number of the directory) to paths */
struct cgid_entry {
	__u64 id;
	char *path; /* relative to the cgroup root, "/" for the root */
};

struct cgid_cache {
	struct cgid_entry *ents;
	size_t nr, cap;
	double filled; /* when, in now_sec() time; 0: never */
};

int cgid_cache_fill(struct cgid_cache *c, const char *root);
const char *cgid_cache_find(const struct cgid_cache *c, __u64 id);
void cgid_cache_free(struct cgid_cache *c);

#endif /* __ZSWAP_BPF_CGTREE_H */
