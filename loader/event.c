// SPDX-License-Identifier: GPL-2.0
/*
 * zswap-bpf trace: the policy's step events (struct zswap_bpf_event) as
 * text or JSON lines, and the names of the cgroups they name.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "event.h"
#include "json_writer.h"

/* Deeper cgroup trees than this are not walked (paths stay ids) */
#define CGID_MAX_DEPTH 32

const char *event_reason_name(__u32 reason)
{
	switch (reason) {
	case ZSWAP_BPF_EV_POOL_LIMIT:
		return "pool-limit";
	case ZSWAP_BPF_EV_PROACTIVE:
		return "proactive";
	}
	return "unknown";
}

/* JSON gets the errno name, text what it means for the user */
const char *event_result(__s32 err, bool json)
{
	switch (err) {
	case 0:
		return "ok";
	case -ENOENT:
		return json ? "ENOENT" : "nothing there (-ENOENT)";
	case -EAGAIN:
		return json ? "EAGAIN" : "nothing written (-EAGAIN)";
	}
	return "error";
}

void event_header(FILE *out)
{
	fprintf(out, "%10s %-16s %-10s %5s %8s %-24s %10s %s\n", "TIME",
		"ATTACHED AT", "REASON", "STEP", "CGID", "CGROUP", "BYTES",
		"RESULT");
}

/* A path, or null when the cgroup is not known (removed since) */
static void jw_path_field(struct json_writer *jw, const char *name,
			  const char *path)
{
	jw_name(jw, name);
	if (path)
		jw_string(jw, path);
	else
		jw_null(jw);
}

static void event_json(FILE *out, const struct event_src *src,
		       const struct zswap_bpf_event *e, double t,
		       const char *cgroup)
{
	struct json_writer jw;

	jw_init(&jw, out, false);
	jw_start_object(&jw);
	jw_double_field(&jw, "time", t);
	jw_uint_field(&jw, "attachment_cgroup_id", src->cgid);
	jw_path_field(&jw, "attachment", src->path);
	jw_string_field(&jw, "reason", event_reason_name(e->reason));
	jw_uint_field(&jw, "step", e->step);
	jw_uint_field(&jw, "cgroup_id", e->cgid);
	jw_path_field(&jw, "cgroup", cgroup);
	jw_uint_field(&jw, "bytes", e->bytes);
	jw_int_field(&jw, "err", e->err);
	jw_string_field(&jw, "result", event_result(e->err, true));
	jw_end_object(&jw); /* and the newline, at the top level */
}

void event_print(FILE *out, const struct event_src *src,
		 const struct zswap_bpf_event *e, double t, const char *cgroup,
		 bool json)
{
	if (json) {
		event_json(out, src, e, t, cgroup);
		return;
	}
	fprintf(out, "%10.3f %-16s %-10s %5u %8llu %-24s %10llu ", t,
		src->path ? src->path : "-", event_reason_name(e->reason),
		e->step,
		(unsigned long long)e->cgid, cgroup ? cgroup : "-",
		(unsigned long long)e->bytes);
	if (e->err == 0 || e->err == -ENOENT || e->err == -EAGAIN) {
		fprintf(out, "%s\n", event_result(e->err, false));
		return;
	}
	fprintf(out, "error %d\n", e->err);
}

/* --- cgroup id -> path ------------------------------------------------- */

static int cgid_add(struct cgid_cache *c, __u64 id, const char *rel)
{
	struct cgid_entry *n;

	if (c->nr == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		n = realloc(c->ents, c->cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		c->ents = n;
	}
	c->ents[c->nr].id = id;
	c->ents[c->nr].path = strdup(rel[0] ? rel : "/");
	if (!c->ents[c->nr].path)
		return -ENOMEM;
	c->nr++;
	return 0;
}

/* @dir is @root@rel; recurse into its subdirectories, which are cgroups */
static int cgid_walk(struct cgid_cache *c, const char *root, const char *rel,
		     int depth)
{
	char dir[PATH_MAX], sub[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;
	int err;

	snprintf(dir, sizeof(dir), "%s%s", root, rel);
	if (stat(dir, &st))
		return -errno;
	err = cgid_add(c, st.st_ino, rel);
	d = depth < CGID_MAX_DEPTH ? opendir(dir) : NULL;
	while (!err && d && (de = readdir(d))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", rel, de->d_name) <
		    (int)sizeof(sub))
			err = cgid_walk(c, root, sub, depth + 1);
	}
	if (d)
		closedir(d);
	/* a cgroup removed while we walk is not an error */
	return err == -ENOENT ? 0 : err;
}

static int cgid_cmp(const void *a, const void *b)
{
	const struct cgid_entry *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* (Re)read the tree under @root; an error leaves what was read */
int cgid_cache_fill(struct cgid_cache *c, const char *root)
{
	size_t i;
	int err;

	for (i = 0; i < c->nr; i++)
		free(c->ents[i].path);
	c->nr = 0;
	err = cgid_walk(c, root, "", 0);
	qsort(c->ents, c->nr, sizeof(*c->ents), cgid_cmp);
	return err;
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
