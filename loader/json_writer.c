// SPDX-License-Identifier: GPL-2.0
/*
 * A small streaming JSON writer. The caller keeps the structure balanced;
 * the writer handles separators, indentation and string escaping.
 */
#include <inttypes.h>

#include "json_writer.h"

void jw_init(struct json_writer *jw, FILE *out, bool pretty)
{
	jw->out = out;
	jw->pretty = pretty;
	jw->depth = 0;
	jw->sep[0] = false;
	jw->after_name = false;
}

static void jw_indent(struct json_writer *jw)
{
	int i;

	if (!jw->pretty)
		return;
	fputc('\n', jw->out);
	for (i = 0; i < jw->depth; i++)
		fputs("    ", jw->out);
}

/* Before any value or name: a comma if needed, then a new line if pretty */
static void jw_begin_value(struct json_writer *jw)
{
	if (jw->after_name) {
		jw->after_name = false;
		return;
	}
	if (jw->sep[jw->depth])
		fputc(',', jw->out);
	if (jw->depth > 0)
		jw_indent(jw);
	jw->sep[jw->depth] = true;
}

static void jw_open(struct json_writer *jw, char c)
{
	jw_begin_value(jw);
	fputc(c, jw->out);
	if (jw->depth < JW_MAX_DEPTH - 1)
		jw->depth++;
	jw->sep[jw->depth] = false;
}

static void jw_close(struct json_writer *jw, char c)
{
	bool empty = !jw->sep[jw->depth];

	if (jw->depth > 0)
		jw->depth--;
	if (!empty)
		jw_indent(jw);
	fputc(c, jw->out);
	/* the top-level value ends a line */
	if (jw->depth == 0) {
		fputc('\n', jw->out);
		jw->sep[0] = false;
	}
}

void jw_start_object(struct json_writer *jw)
{
	jw_open(jw, '{');
}

void jw_end_object(struct json_writer *jw)
{
	jw_close(jw, '}');
}

void jw_start_array(struct json_writer *jw)
{
	jw_open(jw, '[');
}

void jw_end_array(struct json_writer *jw)
{
	jw_close(jw, ']');
}

/*
 * The length of the well-formed UTF-8 sequence at @p (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or 0.
 */
static int utf8_len(const unsigned char *p)
{
	int n, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 3;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 4;
	else
		return 0;
	if (*p == 0xe0)
		lo = 0xa0;
	else if (*p == 0xed)
		hi = 0x9f;
	else if (*p == 0xf0)
		lo = 0x90;
	else if (*p == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

/*
 * @s as a JSON string. Cgroup names are bytes, not text: a byte that does
 * not start well-formed UTF-8 becomes U+FFFD, so that the output stays
 * JSON (RFC 8259 wants UTF-8) and parsers do not reject the whole document.
 */
void jw_quote(FILE *out, const char *s)
{
	int n;

	const unsigned char *p;

	fputc('"', out);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case '\b':
			fputs("\\b", out);
			break;
		case '\f':
			fputs("\\f", out);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				fprintf(out, "\\u%04x", *p);
			} else if (*p < 0x80) {
				fputc(*p, out);
			} else if ((n = utf8_len(p))) {
				fwrite(p, 1, n, out);
				p += n - 1;
			} else {
				fputs("\\ufffd", out);
			}
		}
	}
	fputc('"', out);
}

void jw_name(struct json_writer *jw, const char *name)
{
	jw_begin_value(jw);
	jw_quote(jw->out, name);
	fputs(jw->pretty ? ": " : ":", jw->out);
	jw->after_name = true;
}

void jw_string(struct json_writer *jw, const char *s)
{
	jw_begin_value(jw);
	jw_quote(jw->out, s ? s : "");
}

void jw_uint(struct json_writer *jw, uint64_t v)
{
	jw_begin_value(jw);
	fprintf(jw->out, "%" PRIu64, v);
}

void jw_int(struct json_writer *jw, int64_t v)
{
	jw_begin_value(jw);
	fprintf(jw->out, "%" PRId64, v);
}

void jw_bool(struct json_writer *jw, bool v)
{
	jw_begin_value(jw);
	fputs(v ? "true" : "false", jw->out);
}

void jw_null(struct json_writer *jw)
{
	jw_begin_value(jw);
	fputs("null", jw->out);
}

void jw_double(struct json_writer *jw, double v)
{
	jw_begin_value(jw);
	fprintf(jw->out, "%.6f", v);
}

void jw_string_field(struct json_writer *jw, const char *name, const char *s)
{
	jw_name(jw, name);
	jw_string(jw, s);
}

void jw_uint_field(struct json_writer *jw, const char *name, uint64_t v)
{
	jw_name(jw, name);
	jw_uint(jw, v);
}

void jw_int_field(struct json_writer *jw, const char *name, int64_t v)
{
	jw_name(jw, name);
	jw_int(jw, v);
}

void jw_bool_field(struct json_writer *jw, const char *name, bool v)
{
	jw_name(jw, name);
	jw_bool(jw, v);
}

void jw_double_field(struct json_writer *jw, const char *name, double v)
{
	jw_name(jw, name);
	jw_double(jw, v);
}
