/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer, after bpftool's json_writer: it places the
 * commas, escapes strings and indents when asked to.
 */
#ifndef __ZSWAP_BPF_JSON_WRITER_H
#define __ZSWAP_BPF_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JW_MAX_DEPTH 16

struct json_writer {
	FILE *out;
	bool pretty;
	int depth;
	/* per nesting level: a value was written, so the next needs a comma */
	bool sep[JW_MAX_DEPTH];
	/* a name was just written: the value follows without a comma */
	bool after_name;
};

void jw_init(struct json_writer *jw, FILE *out, bool pretty);
void jw_start_object(struct json_writer *jw);
void jw_end_object(struct json_writer *jw);
void jw_start_array(struct json_writer *jw);
void jw_end_array(struct json_writer *jw);
void jw_name(struct json_writer *jw, const char *name);
void jw_string(struct json_writer *jw, const char *s);
void jw_uint(struct json_writer *jw, uint64_t v);
void jw_int(struct json_writer *jw, int64_t v);
void jw_bool(struct json_writer *jw, bool v);
void jw_null(struct json_writer *jw);
void jw_double(struct json_writer *jw, double v);

void jw_string_field(struct json_writer *jw, const char *name, const char *s);
void jw_uint_field(struct json_writer *jw, const char *name, uint64_t v);
void jw_int_field(struct json_writer *jw, const char *name, int64_t v);
void jw_bool_field(struct json_writer *jw, const char *name, bool v);
void jw_double_field(struct json_writer *jw, const char *name, double v);

/* Write @s as a quoted JSON string to @out */
void jw_quote(FILE *out, const char *s);

#endif /* __ZSWAP_BPF_JSON_WRITER_H */
