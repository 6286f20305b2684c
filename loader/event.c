// SPDX-License-Identifier: GPL-2.0
/*
 * zswap-bpf trace: the policy's step events (struct zswap_bpf_event) as
 * text or JSON lines.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "event.h"
#include "json_writer.h"

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
