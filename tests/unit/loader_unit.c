// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the loader's parsers (loader/parse.c), JSON writer
 * (loader/json_writer.c) and trace event formatting (loader/event.c): no
 * kernel, no libbpf. kselftest TAP output.
 *
 * Built and run by tests/unit/test_loader.sh.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgtree.h"
#include "event.h"
#include "json_writer.h"
#include "parse.h"

static int test_nr, test_failed;
/* failures within the current test */
static int fails;

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond)) {                                           \
			printf("# %s:%d: check failed: %s\n", __FILE__,  \
			       __LINE__, #cond);                         \
			fails++;                                         \
		}                                                        \
	} while (0)

#define CHECK_STR(a, b)                                                   \
	do {                                                              \
		const char *__a = (a), *__b = (b);                        \
		if (strcmp(__a, __b)) {                                   \
			printf("# %s:%d: '%s' != '%s'\n", __FILE__, __LINE__, \
			       __a, __b);                                 \
			fails++;                                          \
		}                                                         \
	} while (0)

/* SIZE: suffixes, and every form of garbage rejected */
static void test_parse_size(void)
{
	static const struct {
		const char *in;
		int err;
		uint64_t out;
	} cases[] = {
		{ "1", 0, 1 },
		{ "4096", 0, 4096 },
		{ "8K", 0, 8192 },
		{ "8k", 0, 8192 },
		{ "64M", 0, 64ULL << 20 },
		{ "64MiB", 0, 64ULL << 20 },
		{ "64MB", 0, 64ULL << 20 },
		{ "2G", 0, 2ULL << 30 },
		{ "1T", 0, 1ULL << 40 },
		{ "18446744073709551615", 0, ~0ULL },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "17179869184G", -ERANGE, 0 },
		{ "", -EINVAL, 0 },
		{ "0", -EINVAL, 0 },
		{ "0M", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "+1", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "1 ", -EINVAL, 0 },
		{ "1.5M", -EINVAL, 0 },
		{ "M", -EINVAL, 0 },
		{ "12X", -EINVAL, 0 },
		{ "1MM", -EINVAL, 0 },
		{ "1Mx", -EINVAL, 0 },
		{ "0x10", -EINVAL, 0 },
		{ "1 source=zswap", -EINVAL, 0 },
	};
	uint64_t v;
	size_t i;
	int err;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = 0;
		err = parse_size(cases[i].in, &v);
		if (err != cases[i].err ||
		    (!err && v != cases[i].out)) {
			printf("# parse_size(\"%s\") = %d, %llu; want %d, %llu\n",
			       cases[i].in, err, (unsigned long long)v,
			       cases[i].err, (unsigned long long)cases[i].out);
			fails++;
		}
	}
	CHECK(parse_size(NULL, &v) == -EINVAL);
}

static void test_format_bytes(void)
{
	char buf[32];

	format_bytes(0, buf, sizeof(buf));
	CHECK_STR(buf, "0 B");
	format_bytes(1023, buf, sizeof(buf));
	CHECK_STR(buf, "1023 B");
	format_bytes(1536, buf, sizeof(buf));
	CHECK_STR(buf, "1.5 KiB");
	format_bytes(64ULL << 20, buf, sizeof(buf));
	CHECK_STR(buf, "64.0 MiB");
	format_bytes(3ULL << 40, buf, sizeof(buf));
	CHECK_STR(buf, "3.0 TiB");
}

/* CGROUP: relative under the root, absolute as is, normalised */
static void test_cgroup_resolve(void)
{
	static const struct {
		const char *root, *in;
		int err;
		const char *out;
	} cases[] = {
		{ "/sys/fs/cgroup", "job", 0, "/sys/fs/cgroup/job" },
		{ "/sys/fs/cgroup", "a/b/", 0, "/sys/fs/cgroup/a/b" },
		{ "/sys/fs/cgroup", "./a//b", 0, "/sys/fs/cgroup/a/b" },
		{ "/sys/fs/cgroup", "/sys/fs/cgroup/x", 0, "/sys/fs/cgroup/x" },
		{ "/sys/fs/cgroup/", "x", 0, "/sys/fs/cgroup/x" },
		{ "/sys/fs/cgroup", "/tmp/cg//y/", 0, "/tmp/cg/y" },
		{ "/sys/fs/cgroup", ".", 0, "/sys/fs/cgroup" },
		{ "/sys/fs/cgroup", "/", 0, "/" },
		{ "/sys/fs/cgroup", "", -EINVAL, NULL },
		{ "/sys/fs/cgroup", "../etc", -EINVAL, NULL },
		{ "/sys/fs/cgroup", "a/../../b", -EINVAL, NULL },
		{ "/sys/fs/cgroup", "a/..b", 0, "/sys/fs/cgroup/a/..b" },
	};
	char out[64], tiny[16];
	size_t i;
	int err;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		strcpy(out, "?");
		err = cgroup_resolve(cases[i].root, cases[i].in, out,
				     sizeof(out));
		if (err != cases[i].err ||
		    (!err && strcmp(out, cases[i].out))) {
			printf("# cgroup_resolve(\"%s\", \"%s\") = %d, \"%s\"; want %d, \"%s\"\n",
			       cases[i].root, cases[i].in, err, out,
			       cases[i].err, cases[i].out ? cases[i].out : "");
			fails++;
		}
	}
	CHECK(cgroup_resolve("/sys/fs/cgroup", "abc", tiny, sizeof(tiny)) ==
	      -ENAMETOOLONG);
	CHECK(cgroup_resolve("/sys/fs/cgroup", NULL, out, sizeof(out)) ==
	      -EINVAL);

	CHECK_STR(cgroup_rel("/sys/fs/cgroup", "/sys/fs/cgroup"), "/");
	CHECK_STR(cgroup_rel("/sys/fs/cgroup", "/sys/fs/cgroup/a/b"), "/a/b");
	CHECK_STR(cgroup_rel("/sys/fs/cgroup/", "/sys/fs/cgroup/a"), "/a");
	CHECK_STR(cgroup_rel("/sys/fs/cgroup", "/sys/fs/cgroupx/a"),
		  "/sys/fs/cgroupx/a");
	CHECK_STR(cgroup_rel("/", "/a"), "/a");
}

/* --set NAME=VALUE: the split, and the errors */
static void test_knob_assign(void)
{
	const char *v = NULL;
	char name[16];

	CHECK(knob_assign_parse("budget=64", name, sizeof(name), &v) == 0);
	CHECK_STR(name, "budget");
	CHECK_STR(v, "64");
	CHECK(knob_assign_parse("a_1=x=y", name, sizeof(name), &v) == 0);
	CHECK_STR(name, "a_1");
	CHECK_STR(v, "x=y");
	CHECK(knob_assign_parse("_x=-1", name, sizeof(name), &v) == 0);
	CHECK_STR(v, "-1");
	CHECK(knob_assign_parse("budget", name, sizeof(name), &v) == -EINVAL);
	CHECK(knob_assign_parse("=5", name, sizeof(name), &v) == -EINVAL);
	CHECK(knob_assign_parse("budget=", name, sizeof(name), &v) ==
	      -EINVAL);
	CHECK(knob_assign_parse("1abc=5", name, sizeof(name), &v) == -EINVAL);
	CHECK(knob_assign_parse("a-b=5", name, sizeof(name), &v) == -EINVAL);
	CHECK(knob_assign_parse("a b=5", name, sizeof(name), &v) == -EINVAL);
	CHECK(knob_assign_parse("a_very_long_knob_name=1", name, sizeof(name),
				&v) == -ENAMETOOLONG);
}

/* set NAME CGROUP=VALUE: split at the last '=', u32 or "default" */
static void test_param_assign(void)
{
	char cg[16];
	uint32_t v = 7;
	bool del = true;

	CHECK(param_assign_parse("/sys/fs/cgroup/db=0", cg, sizeof(cg), &v,
				 &del) == -ENAMETOOLONG);
	CHECK(param_assign_parse("db=0", cg, sizeof(cg), &v, &del) == 0);
	CHECK_STR(cg, "db");
	CHECK(v == 0 && !del);
	CHECK(param_assign_parse("a=b/c=300", cg, sizeof(cg), &v, &del) == 0);
	CHECK_STR(cg, "a=b/c");
	CHECK(v == 300 && !del);
	CHECK(param_assign_parse("x=4294967295", cg, sizeof(cg), &v, &del) ==
	      0);
	CHECK(v == 4294967295u);
	CHECK(param_assign_parse("x=default", cg, sizeof(cg), &v, &del) == 0);
	CHECK_STR(cg, "x");
	CHECK(del);
	CHECK(param_assign_parse("x=4294967296", cg, sizeof(cg), &v, &del) ==
	      -ERANGE);
	CHECK(param_assign_parse("x=99999999999999999999", cg, sizeof(cg), &v,
				 &del) == -ERANGE);
	CHECK(param_assign_parse("x", cg, sizeof(cg), &v, &del) == -EINVAL);
	CHECK(param_assign_parse("=5", cg, sizeof(cg), &v, &del) == -EINVAL);
	CHECK(param_assign_parse("x=", cg, sizeof(cg), &v, &del) == -EINVAL);
	CHECK(param_assign_parse("x=-1", cg, sizeof(cg), &v, &del) == -EINVAL);
	CHECK(param_assign_parse("x= 1", cg, sizeof(cg), &v, &del) == -EINVAL);
	CHECK(param_assign_parse("x=1k", cg, sizeof(cg), &v, &del) == -EINVAL);
	CHECK(param_assign_parse("x=Default", cg, sizeof(cg), &v, &del) ==
	      -EINVAL);
}

/* Knob values: each width, signedness and bool, ranges enforced */
static void test_knob_value(void)
{
	const struct knob_type u8 = { 1, false, false },
			       s8 = { 1, true, false },
			       u16 = { 2, false, false },
			       u32 = { 4, false, false },
			       s32 = { 4, true, false },
			       u64 = { 8, false, false },
			       s64 = { 8, true, false },
			       b = { 1, false, true },
			       odd = { 3, false, false };
	uint8_t v8;
	int8_t i8;
	uint16_t v16;
	uint32_t v32;
	int32_t i32;
	uint64_t v64;
	int64_t i64;
	char desc[64];

	CHECK(knob_value_parse("255", &u8, &v8) == 0 && v8 == 255);
	CHECK(knob_value_parse("256", &u8, &v8) == -ERANGE);
	CHECK(knob_value_parse("-1", &u8, &v8) == -ERANGE);
	CHECK(knob_value_parse("-0", &u8, &v8) == 0 && v8 == 0);
	CHECK(knob_value_parse("-128", &s8, &i8) == 0 && i8 == -128);
	CHECK(knob_value_parse("127", &s8, &i8) == 0 && i8 == 127);
	CHECK(knob_value_parse("128", &s8, &i8) == -ERANGE);
	CHECK(knob_value_parse("-129", &s8, &i8) == -ERANGE);
	CHECK(knob_value_parse("0xffff", &u16, &v16) == 0 && v16 == 0xffff);
	/* a leading zero is decimal, not octal */
	CHECK(knob_value_parse("0100", &u32, &v32) == 0 && v32 == 100);
	CHECK(knob_value_parse("08", &u32, &v32) == 0 && v32 == 8);
	CHECK(knob_value_parse("0x", &u32, &v32) == -EINVAL);
	CHECK(knob_value_parse("65536", &u16, &v16) == -ERANGE);
	CHECK(knob_value_parse("4294967295", &u32, &v32) == 0 &&
	      v32 == 4294967295u);
	CHECK(knob_value_parse("4294967296", &u32, &v32) == -ERANGE);
	CHECK(knob_value_parse("64K", &u32, &v32) == 0 && v32 == 65536);
	CHECK(knob_value_parse("4G", &u32, &v32) == -ERANGE);
	CHECK(knob_value_parse("-2147483648", &s32, &i32) == 0 &&
	      i32 == INT32_MIN);
	CHECK(knob_value_parse("2147483648", &s32, &i32) == -ERANGE);
	CHECK(knob_value_parse("18446744073709551615", &u64, &v64) == 0 &&
	      v64 == UINT64_MAX);
	CHECK(knob_value_parse("18446744073709551616", &u64, &v64) ==
	      -ERANGE);
	CHECK(knob_value_parse("-9223372036854775808", &s64, &i64) == 0 &&
	      i64 == INT64_MIN);
	CHECK(knob_value_parse("9223372036854775808", &s64, &i64) == -ERANGE);
	CHECK(knob_value_parse("1M", &u64, &v64) == 0 && v64 == 1 << 20);
	CHECK(knob_value_parse("true", &b, &v8) == 0 && v8 == 1);
	CHECK(knob_value_parse("OFF", &b, &v8) == 0 && v8 == 0);
	CHECK(knob_value_parse("1", &b, &v8) == 0 && v8 == 1);
	CHECK(knob_value_parse("2", &b, &v8) == -EINVAL);
	CHECK(knob_value_parse("", &u32, &v32) == -EINVAL);
	CHECK(knob_value_parse("abc", &u32, &v32) == -EINVAL);
	CHECK(knob_value_parse("12abc", &u32, &v32) == -EINVAL);
	CHECK(knob_value_parse("1.5", &u32, &v32) == -EINVAL);
	CHECK(knob_value_parse("1", &odd, &v32) == -EINVAL);
	/* a failed parse leaves the destination alone */
	v32 = 7;
	CHECK(knob_value_parse("x", &u32, &v32) == -EINVAL && v32 == 7);

	knob_type_describe(&u32, desc, sizeof(desc));
	CHECK_STR(desc, "u32, 0..4294967295");
	knob_type_describe(&s8, desc, sizeof(desc));
	CHECK_STR(desc, "s8, -128..127");
	knob_type_describe(&b, desc, sizeof(desc));
	CHECK_STR(desc, "bool");
}

/* Run @fn writing JSON into a string */
static char *json_of(void (*fn)(struct json_writer *jw), bool pretty)
{
	struct json_writer jw;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	jw_init(&jw, f, pretty);
	fn(&jw);
	fclose(f);
	return buf;
}

static void json_escapes(struct json_writer *jw)
{
	jw_start_object(jw);
	jw_string_field(jw, "s", "a\"b\\c\nd\te\x01" "f/\x7f");
	jw_end_object(jw);
}

/* Cgroup names are bytes: well-formed UTF-8 passes, the rest is U+FFFD */
static void json_utf8(struct json_writer *jw)
{
	/* é, €, U+1F600; then a lone continuation byte, a truncated
	 * sequence, an overlong '/', a surrogate, 0xff */
	jw_string(jw, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80|\x80|\xe2\x82|"
		      "\xc0\xaf|\xed\xa0\x80|\xff");
}

static void json_nested(struct json_writer *jw)
{
	jw_start_object(jw);
	jw_uint_field(jw, "u", 18446744073709551615ULL);
	jw_int_field(jw, "i", -5);
	jw_bool_field(jw, "b", false);
	jw_name(jw, "n");
	jw_null(jw);
	jw_name(jw, "a");
	jw_start_array(jw);
	jw_uint(jw, 1);
	jw_start_object(jw);
	jw_end_object(jw);
	jw_start_array(jw);
	jw_end_array(jw);
	jw_string(jw, "x");
	jw_end_array(jw);
	jw_end_object(jw);
}

static void json_pretty(struct json_writer *jw)
{
	jw_start_object(jw);
	jw_uint_field(jw, "a", 1);
	jw_name(jw, "l");
	jw_start_array(jw);
	jw_uint(jw, 2);
	jw_end_array(jw);
	jw_end_object(jw);
}

static void test_json_writer(void)
{
	char *s;

	s = json_of(json_escapes, false);
	CHECK_STR(s, "{\"s\":\"a\\\"b\\\\c\\nd\\te\\u0001f/\\u007f\"}\n");
	free(s);
	s = json_of(json_utf8, false);
	CHECK_STR(s, "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80|\\ufffd|"
		     "\\ufffd\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd|"
		     "\\ufffd\"");
	free(s);
	s = json_of(json_nested, false);
	CHECK_STR(s, "{\"u\":18446744073709551615,\"i\":-5,\"b\":false,"
		     "\"n\":null,\"a\":[1,{},[],\"x\"]}\n");
	free(s);
	s = json_of(json_pretty, true);
	CHECK_STR(s, "{\n    \"a\": 1,\n    \"l\": [\n        2\n    ]\n}\n");
	free(s);
}

static int dummy(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* Unique prefixes select, ambiguous and unknown ones do not */
static void test_cmd_find(void)
{
	static const struct cmd cmds[] = {
		{ "help", dummy },   { "load", dummy },	 { "unload", dummy },
		{ "status", dummy }, { "stats", dummy }, { "list", dummy },
		{ NULL, NULL },
	};

	CHECK(cmd_find(cmds, "load") == 1);
	CHECK(cmd_find(cmds, "lo") == 1);
	CHECK(cmd_find(cmds, "l") == CMD_AMBIGUOUS);
	CHECK(cmd_find(cmds, "li") == 5);
	CHECK(cmd_find(cmds, "u") == 2);
	CHECK(cmd_find(cmds, "stat") == CMD_AMBIGUOUS);
	CHECK(cmd_find(cmds, "stats") == 4);
	CHECK(cmd_find(cmds, "statu") == 3);
	CHECK(cmd_find(cmds, "status") == 3);
	CHECK(cmd_find(cmds, "statuses") == CMD_NOT_FOUND);
	CHECK(cmd_find(cmds, "x") == CMD_NOT_FOUND);
	CHECK(cmd_find(cmds, "") == CMD_NOT_FOUND);
}

/* Global options anywhere, the rest kept in order */
static void test_global_opts(void)
{
	char *argv1[] = { "-j", "load", "rr", "--set", "a=1", "-v",
			  "--policy-dir", "/p", "--replace" };
	char *argv2[] = { "status", "-jp", "--", "-v" };
	char *argv3[] = { "list", "--policy-dir" };
	char *argv4[] = { "load", "-x", "--json", "--version" };
	char *rest[16];
	struct global_opts o;
	int n;

	memset(&o, 0, sizeof(o));
	n = global_opts_parse(9, argv1, &o, rest);
	CHECK(n == 5);
	CHECK(o.json && !o.pretty && o.verbose);
	CHECK(o.policy_dir && !strcmp(o.policy_dir, "/p"));
	if (n == 5) {
		CHECK_STR(rest[0], "load");
		CHECK_STR(rest[2], "--set");
		CHECK_STR(rest[4], "--replace");
	}

	memset(&o, 0, sizeof(o));
	n = global_opts_parse(4, argv2, &o, rest);
	CHECK(n == 2 && o.json && o.pretty && !o.verbose);
	if (n == 2)
		CHECK_STR(rest[1], "-v");

	memset(&o, 0, sizeof(o));
	CHECK(global_opts_parse(2, argv3, &o, rest) == -EINVAL);
	CHECK(o.bad_arg && !strcmp(o.bad_arg, "--policy-dir"));

	memset(&o, 0, sizeof(o));
	n = global_opts_parse(4, argv4, &o, rest);
	CHECK(n == 2 && o.json && o.version);
	if (n == 2)
		CHECK_STR(rest[1], "-x");
}

/* debugfs zswap/bpf_policy as mm/zswap.c prints it */
static void test_bpf_policy_parse(void)
{
	struct bpf_policy_info info;

	CHECK(bpf_policy_parse("name round_robin\nstate enabled\n"
			       "last_exit none\nlast_exit_reason \n",
			       &info) == 0);
	CHECK_STR(info.name, "round_robin");
	CHECK_STR(info.state, "enabled");
	CHECK_STR(info.last_exit, "none");
	CHECK_STR(info.last_exit_reason, "");

	/* no policy: the name is empty */
	CHECK(bpf_policy_parse("name \nstate none\nlast_exit replaced\n"
			       "last_exit_reason replaced\n",
			       &info) == 0);
	CHECK_STR(info.name, "");
	CHECK_STR(info.state, "none");
	CHECK_STR(info.last_exit, "replaced");

	/* a reason with spaces, no final newline, fields in any order */
	CHECK(bpf_policy_parse("state ejected\nlast_exit_reason 16 invalid "
			       "choices in a row\nlast_exit ejected_invalid\n"
			       "name coldest_first",
			       &info) == 0);
	CHECK_STR(info.state, "ejected");
	CHECK_STR(info.last_exit, "ejected_invalid");
	CHECK_STR(info.last_exit_reason, "16 invalid choices in a row");
	CHECK_STR(info.name, "coldest_first");

	/* "last_exit" must not match "last_exit_reason" and vice versa */
	CHECK(bpf_policy_parse("state none\nlast_exit_reason x\n", &info) ==
	      0);
	CHECK_STR(info.last_exit, "");
	CHECK_STR(info.last_exit_reason, "x");

	CHECK(bpf_policy_parse("", &info) == -EINVAL);
	CHECK(bpf_policy_parse("name x\n", &info) == -EINVAL);
	CHECK(bpf_policy_parse("statex enabled\n", &info) == -EINVAL);
}

static void test_memstat_parse(void)
{
	static const char *const keys[] = { "zswap", "zswapped", "zswpwb",
					    "zswpwb_proactive_b" };
	const char *text = "anon 100\nzswap 4096\nzswapped 3\nzswpin 1\n"
			   "zswpout 9\nzswpwb 2\nthp_fault_alloc 0\n";
	uint64_t v[4];
	bool f[4];

	memstat_parse(text, keys, 4, v, f);
	CHECK(f[0] && v[0] == 4096);
	CHECK(f[1] && v[1] == 3);
	CHECK(f[2] && v[2] == 2);
	CHECK(!f[3] && v[3] == 0);
	memstat_parse("zswpwb_proactive_b 123456789012", keys, 4, v, f);
	CHECK(f[3] && v[3] == 123456789012ULL && !f[0]);
}

/* agent's --max-age and --interval: ms, s (the default), m, h */
static void test_parse_duration(void)
{
	uint64_t ms = 7;

	CHECK(!parse_duration("2m", &ms) && ms == 120000);
	CHECK(!parse_duration("90", &ms) && ms == 90000);
	CHECK(!parse_duration("250ms", &ms) && ms == 250);
	CHECK(!parse_duration("1h", &ms) && ms == 3600000);
	CHECK(!parse_duration("5s", &ms) && ms == 5000);
	CHECK(parse_duration("0", &ms) == -EINVAL);
	CHECK(parse_duration("0s", &ms) == -EINVAL);
	CHECK(parse_duration("-1s", &ms) == -EINVAL);
	CHECK(parse_duration("1.5s", &ms) == -EINVAL);
	CHECK(parse_duration("2x", &ms) == -EINVAL);
	CHECK(parse_duration("2 m", &ms) == -EINVAL);
	CHECK(parse_duration("", &ms) == -EINVAL);
	CHECK(parse_duration(NULL, &ms) == -EINVAL);
	CHECK(parse_duration("99999999999999999h", &ms) == -ERANGE);
	CHECK(parse_duration("99999999999999999999999", &ms) == -ERANGE);
}

static void test_parse_percent(void)
{
	double p = -1;

	CHECK(!parse_percent("10", &p) && p == 10);
	CHECK(!parse_percent("2.5", &p) && p == 2.5);
	CHECK(!parse_percent("0", &p) && p == 0);
	CHECK(!parse_percent("100", &p) && p == 100);
	CHECK(parse_percent("100.01", &p) == -ERANGE);
	CHECK(parse_percent("-1", &p) == -EINVAL);
	CHECK(parse_percent("10%", &p) == -EINVAL);
	CHECK(parse_percent("nan", &p) == -EINVAL);
	CHECK(parse_percent("", &p) == -EINVAL);
}

/* /proc/pressure/io and memory.pressure: "some" avg10 only */
static void test_psi_some_avg10(void)
{
	double v = -1;

	CHECK(!psi_some_avg10("some avg10=12.34 avg60=1.00 avg300=0.00 total=5\n"
			      "full avg10=99.00 avg60=0.00 avg300=0.00 total=1\n",
			      &v) &&
	      v == 12.34);
	CHECK(!psi_some_avg10("some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", &v) &&
	      v == 0);
	CHECK(psi_some_avg10("full avg10=9.00 avg60=0.00 avg300=0.00 total=1\n", &v) ==
	      -EINVAL);
	CHECK(psi_some_avg10("xsome avg10=9.00\n", &v) == -EINVAL);
	CHECK(psi_some_avg10("some avg10=\n", &v) == -EINVAL);
	CHECK(psi_some_avg10("", &v) == -EINVAL);
}

/* The documented exit codes */
static void test_exit_codes(void)
{
	CHECK(exit_code_from_errno(0) == EXIT_OK);
	CHECK(exit_code_from_errno(EAGAIN) == EXIT_PARTIAL);
	CHECK(exit_code_from_errno(-EAGAIN) == EXIT_PARTIAL);
	CHECK(exit_code_from_errno(EINTR) == EXIT_INTR);
	CHECK(exit_code_from_errno(-EUSAGE) == EXIT_USAGE);
	CHECK(exit_code_from_errno(EINVAL) == EXIT_REFUSED);
	CHECK(exit_code_from_errno(EBUSY) == EXIT_REFUSED);
	CHECK(exit_code_from_errno(EPERM) == EXIT_REFUSED);
	CHECK(exit_code_from_errno(EACCES) == EXIT_REFUSED);
	CHECK(exit_code_from_errno(EOPNOTSUPP) == EXIT_REFUSED);
	CHECK(exit_code_from_errno(524) == EXIT_REFUSED);
	CHECK(exit_code_from_errno(ENOENT) == EXIT_RUNTIME);
	CHECK(exit_code_from_errno(EIO) == EXIT_RUNTIME);
	CHECK(EXIT_OK == 0 && EXIT_RUNTIME == 1 && EXIT_USAGE == 2 &&
	      EXIT_REFUSED == 3 && EXIT_PARTIAL == 4 && EXIT_INTR == 5);
}

/* An event as event_print() prints it (a static buffer) */
static const char *event_str(const struct zswap_bpf_event *e, double t,
			     const char *cg, bool json)
{
	static const struct event_src src = { .cgid = 77, .path = "/job" };
	static char buf[512];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	if (!f)
		return "";
	event_print(f, &src, e, t, cg, json);
	fclose(f);
	return buf;
}

/* trace: one line per step, text and JSON, every result */
static void test_event_format(void)
{
	struct zswap_bpf_event e = {
		.time_ns = 5, .cgid = 1234, .bytes = 65536,
		.reason = ZSWAP_BPF_EV_PROACTIVE, .step = 3, .err = 0,
	};

	CHECK_STR(event_str(&e, 1.5, "/job/a", false),
		  "     1.500 /job             proactive      3     1234 /job/a                        65536 ok\n");
	CHECK_STR(event_str(&e, 1.5, "/job/a", true),
		  "{\"time\":1.500000,\"attachment_cgroup_id\":77,"
		  "\"attachment\":\"/job\",\"reason\":\"proactive\",\"step\":3,"
		  "\"cgroup_id\":1234,\"cgroup\":\"/job/a\",\"bytes\":65536,"
		  "\"err\":0,\"result\":\"ok\"}\n");
	e.reason = ZSWAP_BPF_EV_POOL_LIMIT;
	e.bytes = 0;
	e.err = -ENOENT;
	CHECK_STR(event_str(&e, 0, NULL, false),
		  "     0.000 /job             pool-limit     3     1234 -                                 0 nothing there (-ENOENT)\n");
	CHECK(strstr(event_str(&e, 0, NULL, true),
		     "\"cgroup\":null,\"bytes\":0,\"err\":-2,\"result\":\"ENOENT\""));
	e.err = -EAGAIN;
	CHECK(strstr(event_str(&e, 0, "/", false), " nothing written (-EAGAIN)\n"));
	CHECK(strstr(event_str(&e, 0, "/", true), "\"result\":\"EAGAIN\""));
	e.err = -EINVAL;
	e.reason = 7;
	CHECK(strstr(event_str(&e, 0, "/", false), " error -22\n"));
	CHECK(strstr(event_str(&e, 0, "/", false), " unknown "));
	CHECK(strstr(event_str(&e, 0, "/", true), "\"result\":\"error\""));
}

static __u64 ino_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_ino;
}

/* cgroup id -> path: ids are inode numbers of the cgroup directories */
static void test_cgid_cache(void)
{
	char root[] = "/tmp/zswap-bpf-unit.XXXXXX", p[128], q[128];
	struct cgid_cache c = {};

	if (!mkdtemp(root)) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(p, sizeof(p), "%s/a", root);
	snprintf(q, sizeof(q), "%s/a/b", root);
	CHECK(!mkdir(p, 0700) && !mkdir(q, 0700));
	CHECK(cgid_cache_fill(&c, root) == 0);
	CHECK(c.nr == 3);
	CHECK_STR(cgid_cache_find(&c, ino_of(root)) ?: "?", "/");
	CHECK_STR(cgid_cache_find(&c, ino_of(p)) ?: "?", "/a");
	CHECK_STR(cgid_cache_find(&c, ino_of(q)) ?: "?", "/a/b");
	CHECK(!cgid_cache_find(&c, 1));
	/* refilled: what is gone is gone */
	rmdir(q);
	CHECK(cgid_cache_fill(&c, root) == 0 && c.nr == 2);
	rmdir(p);
	rmdir(root);
	CHECK(cgid_cache_fill(&c, root) == -ENOENT && c.nr == 0);
	cgid_cache_free(&c);
}

#define T(x) { x, #x }
static const struct {
	void (*fn)(void);
	const char *name;
} tests[] = {
	T(test_parse_size),	  T(test_format_bytes),
	T(test_cgroup_resolve),	  T(test_knob_assign),
	T(test_param_assign),
	T(test_knob_value),	  T(test_json_writer),
	T(test_cmd_find),	  T(test_global_opts),
	T(test_bpf_policy_parse), T(test_memstat_parse),
	T(test_exit_codes),	  T(test_parse_duration),
	T(test_parse_percent),	  T(test_psi_some_avg10),
	T(test_event_format),	  T(test_cgid_cache),
};
#undef T

int main(void)
{
	size_t i;

	printf("TAP version 13\n");
	printf("1..%zu\n", sizeof(tests) / sizeof(tests[0]));
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		fails = 0;
		tests[i].fn();
		test_nr++;
		if (fails)
			test_failed++;
		printf("%sok %d %s\n", fails ? "not " : "", test_nr,
		       tests[i].name);
	}
	return test_failed ? 1 : 0;
}
