// SPDX-License-Identifier: GPL-2.0
/*
 * Parsers of zswap-bpf's inputs. Every function here is pure (no I/O, no
 * global state) and returns 0 or a negative errno:
 *   -EINVAL  the input is not of the expected form
 *   -ERANGE  the input is a number out of range for its destination
 *   -ENAMETOOLONG  the result does not fit the caller's buffer
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#ifndef ENOTSUPP
#define ENOTSUPP 524 /* the kernel's, seen by user space from bpf() */
#endif

/*
 * The exit code for a failure with errno @err, for the do_* functions, the
 * only ones that return exit codes. EUSAGE is the loader's own: a bad
 * command line. EAGAIN and EINTR come from memory.reclaim; the refusals are
 * what bpf() and memory.reclaim return when the kernel says no (verifier,
 * policy already attached, no permission, no support).
 */
int exit_code_from_errno(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case 0:
		return EXIT_OK;
	case EAGAIN:
		return EXIT_PARTIAL;
	case EINTR:
		return EXIT_INTR;
	case EUSAGE:
		return EXIT_USAGE;
	case EINVAL:
	case EBUSY:
	case EPERM:
	case EACCES:
	case EOPNOTSUPP:
	case ENOTSUPP:
	case E2BIG:
		return EXIT_REFUSED;
	default:
		return EXIT_RUNTIME;
	}
}

/*
 * The index in @cmds of the command @arg names: its full name, or a prefix
 * of exactly one name. CMD_AMBIGUOUS when it prefixes several.
 */
int cmd_find(const struct cmd *cmds, const char *arg)
{
	size_t len = strlen(arg);
	int i, found = CMD_NOT_FOUND;

	if (!len)
		return CMD_NOT_FOUND;
	for (i = 0; cmds[i].name; i++) {
		if (!strcmp(cmds[i].name, arg))
			return i;
		if (strncmp(cmds[i].name, arg, len))
			continue;
		found = found == CMD_NOT_FOUND ? i : CMD_AMBIGUOUS;
	}
	return found;
}

static const struct option global_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "policy-dir", required_argument, NULL, 'P' },
	{ NULL, 0, NULL, 0 },
};

/*
 * The global options in @argv[0] (a bundle like -jp, or one long option and
 * its value): how many arguments they take, 0 if @argv[0] is none, as a
 * command's own --set or -1 is not. getopt_long() sees one argument at a
 * time, "+" so that it never permutes, and the options are kept only if it
 * takes all of @argv[0]: "-jx" is the command's, not -j and an error.
 */
static int global_opt(int argc, char **argv, struct global_opts *o)
{
	char *v[] = { "zswap-bpf", argv[0], argc > 1 ? argv[1] : NULL, NULL };
	struct global_opts t = *o;
	int c;

	optind = 0; /* a new scan (glibc) */
	opterr = 0;
	do {
		c = getopt_long(argc > 1 ? 3 : 2, v, "+:jpvhV", global_options,
				NULL);
		if (c == 'j' || c == 'p')
			t.json = true;
		if (c == 'p')
			t.pretty = true;
		if (c == 'v')
			t.verbose = true;
		if (c == 'h')
			t.help = true;
		if (c == 'V')
			t.version = true;
		if (c == 'P')
			t.policy_dir = optarg;
		if (c == ':') {
			o->bad_arg = argv[0];
			o->why = "option '%s' needs a directory";
			return -EINVAL;
		}
		if (c == '?' || c == -1)
			return 0;
	} while (optind == 1);
	*o = t;
	return optind - 1;
}

/*
 * Take the global options out of @argv, anywhere before a "--" as bpftool
 * and earlier versions of this tool take them, leaving the command and its
 * own arguments, in order, in @rest. Returns their number, or -EINVAL with
 * o->bad_arg and o->why (a format for it) set: an option before the command
 * that is not a global one, or a global one without its value.
 */
int global_opts_parse(int argc, char **argv, struct global_opts *o, char **rest)
{
	int i = 0, n = 0, used;

	while (i < argc) {
		if (!strcmp(argv[i], "--")) {
			while (++i < argc)
				rest[n++] = argv[i];
			break;
		}
		used = global_opt(argc - i, argv + i, o);
		if (used < 0)
			return used;
		if (!used && !n && argv[i][0] == '-' && argv[i][1]) {
			o->bad_arg = argv[i];
			o->why = "unknown option '%s'";
			return -EINVAL;
		}
		if (!used)
			rest[n++] = argv[i++];
		i += used;
	}
	if (o->policy_dir && !*o->policy_dir) {
		o->bad_arg = "--policy-dir";
		o->why = "option '%s' needs a directory";
		return -EINVAL;
	}
	return n;
}

/*
 * SIZE: a decimal number of bytes, optionally followed by one of the binary
 * suffixes K, M, G, T (case-insensitive, an optional "B" or "iB" after it).
 * Zero, signs, fractions and anything after the suffix are rejected.
 */
/*
 * The decimal number @s starts with, in *@v, and where it ends: -EINVAL if
 * @s does not start with a digit (strtoull() would take a sign or spaces).
 */
static int parse_leading_ull(const char *s, unsigned long long *v, char **end)
{
	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, end, 10);
	return errno == ERANGE ? -ERANGE : 0;
}

int parse_size(const char *s, uint64_t *bytes)
{
	static const char suffixes[] = "KMGT";
	unsigned long long v;
	const char *p, *sfx;
	char *end;
	int shift = 0, err;

	err = parse_leading_ull(s, &v, &end);
	if (err)
		return err;
	p = end;
	if (*p) {
		sfx = strchr(suffixes, toupper((unsigned char)*p));
		if (!sfx)
			return -EINVAL;
		shift = 10 * (int)(sfx - suffixes + 1);
		p++;
		if (!strcmp(p, "iB") || !strcmp(p, "B") || !strcmp(p, "b"))
			p += strlen(p);
		if (*p)
			return -EINVAL;
	}
	if (!v)
		return -EINVAL;
	if (shift && v > (~0ULL >> shift))
		return -ERANGE;
	*bytes = (uint64_t)v << shift;
	return 0;
}

/* "123 B", "1.5 KiB", "64.0 MiB" */
void format_bytes(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes;
	int u = -1;

	if (bytes < 1024) {
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
		return;
	}
	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f %s", v, units[u]);
}

/* Append component @c (length @n) to @out, which holds @*used bytes */
static int path_append(char *out, size_t len, size_t *used, const char *c,
		       size_t n)
{
	if (*used + 1 + n + 1 > len)
		return -ENAMETOOLONG;
	if (*used == 0 || out[*used - 1] != '/')
		out[(*used)++] = '/';
	memcpy(out + *used, c, n);
	*used += n;
	out[*used] = '\0';
	return 0;
}

/*
 * The cgroup directory @arg names: an absolute path as is, a relative one
 * under @root; duplicate and trailing slashes and "." components removed.
 * ".." is refused (-EINVAL), as is an empty argument.
 */
int cgroup_resolve(const char *root, const char *arg, char *out, size_t len)
{
	const char *p, *src[2];
	size_t used = 0, n;
	int i, err;

	if (!arg || !*arg || len < 2)
		return -EINVAL;
	src[0] = arg[0] == '/' ? "" : root;
	src[1] = arg;
	out[0] = '\0';
	for (i = 0; i < 2; i++) {
		for (p = src[i]; *p; p += n) {
			p += strspn(p, "/");
			n = strcspn(p, "/");
			if (!n || (n == 1 && p[0] == '.'))
				continue;
			if (n == 2 && p[0] == '.' && p[1] == '.')
				return -EINVAL;
			err = path_append(out, len, &used, p, n);
			if (err)
				return err;
		}
	}
	if (!used)
		strcpy(out, "/");
	return 0;
}

/* @path relative to @root, for display: "/" for the root itself */
const char *cgroup_rel(const char *root, const char *path)
{
	size_t n = strlen(root);

	while (n > 1 && root[n - 1] == '/')
		n--;
	if (strncmp(path, root, n) || (path[n] && path[n] != '/'))
		return path;
	if (n == 1) /* root is "/" */
		return path;
	return path[n] ? path + n : "/";
}

static bool is_identifier(const char *s, size_t n)
{
	size_t i;

	if (!n || isdigit((unsigned char)s[0]))
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

/* NAME=VALUE: NAME a C identifier, VALUE not empty */
int knob_assign_parse(const char *arg, char *name, size_t name_len,
		      const char **value)
{
	const char *eq = strchr(arg, '=');
	size_t n;

	if (!eq)
		return -EINVAL;
	n = eq - arg;
	if (!is_identifier(arg, n) || !eq[1])
		return -EINVAL;
	if (n + 1 > name_len)
		return -ENAMETOOLONG;
	memcpy(name, arg, n);
	name[n] = '\0';
	*value = eq + 1;
	return 0;
}

/*
 * CGROUP=VALUE of `set`: split at the last '=' (VALUE never has one, a
 * cgroup name may). VALUE is a u32, or "default" to drop the cgroup's entry
 * (*@del). @cgroup gets the CGROUP part, not resolved.
 */
int param_assign_parse(const char *arg, char *cgroup, size_t len,
		       uint32_t *value, bool *del)
{
	const char *eq = strrchr(arg, '=');
	unsigned long long v;
	size_t n;
	char *end;

	if (!eq || eq == arg || !eq[1])
		return -EINVAL;
	n = eq - arg;
	if (n + 1 > len)
		return -ENAMETOOLONG;
	*del = !strcmp(eq + 1, "default");
	*value = 0;
	if (!*del) {
		if (!isdigit((unsigned char)eq[1]))
			return -EINVAL;
		errno = 0;
		v = strtoull(eq + 1, &end, 10);
		if (*end)
			return -EINVAL;
		if (errno == ERANGE || v > UINT32_MAX)
			return -ERANGE;
		*value = v;
	}
	memcpy(cgroup, arg, n);
	cgroup[n] = '\0';
	return 0;
}

static int parse_bool(const char *s, bool *v)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i])) {
			*v = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*v = false;
			return 0;
		}
	}
	return -EINVAL;
}

/*
 * An integer: decimal, 0x hex, an optional sign, an optional K/M/G/T. A
 * leading 0 is decimal: 0100 is 100, as the man page says, not octal 64.
 */
static int parse_knob_int(const char *s, bool *neg, unsigned long long *mag)
{
	static const char suffixes[] = "KMGT";
	const char *sfx;
	char *end;
	int shift = 0;
	bool hex;

	*neg = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	errno = 0;
	*mag = strtoull(s, &end, hex ? 16 : 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end) {
		sfx = strchr(suffixes, toupper((unsigned char)*end));
		if (!sfx || end[1])
			return -EINVAL;
		shift = 10 * (int)(sfx - suffixes + 1);
		if (*mag > (~0ULL >> shift))
			return -ERANGE;
		*mag <<= shift;
	}
	return 0;
}

/* Store @v, @t->size bytes wide, in host byte order at @out */
static void knob_store(const struct knob_type *t, unsigned long long v,
		       void *out)
{
	uint8_t u8 = v;
	uint16_t u16 = v;
	uint32_t u32 = v;
	uint64_t u64 = v;

	switch (t->size) {
	case 1:
		memcpy(out, &u8, 1);
		break;
	case 2:
		memcpy(out, &u16, 2);
		break;
	case 4:
		memcpy(out, &u32, 4);
		break;
	default:
		memcpy(out, &u64, 8);
	}
}

/*
 * Parse @value for a knob of type @t and store it at @out (t->size bytes).
 * -EINVAL: not a number (or boolean); -ERANGE: does not fit the type.
 */
int knob_value_parse(const char *value, const struct knob_type *t, void *out)
{
	unsigned long long mag, max;
	bool neg, b;
	int err;

	if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8)
		return -EINVAL;
	if (t->is_bool) {
		err = parse_bool(value, &b);
		if (!err)
			knob_store(t, b, out);
		return err;
	}
	err = parse_knob_int(value, &neg, &mag);
	if (err)
		return err;
	max = t->size == 8 ? ~0ULL : (1ULL << (8 * t->size)) - 1;
	if (t->is_signed) {
		max >>= 1;
		/* the most negative value's magnitude is max + 1 */
		if (mag > max + (neg ? 1 : 0))
			return -ERANGE;
		knob_store(t, neg ? -mag : mag, out);
		return 0;
	}
	if ((neg && mag) || mag > max)
		return -ERANGE;
	knob_store(t, mag, out);
	return 0;
}

/* "u32, 0..4294967295", "s8, -128..127", "bool" */
void knob_type_describe(const struct knob_type *t, char *buf, size_t len)
{
	unsigned long long max;

	if (t->is_bool) {
		snprintf(buf, len, "bool");
		return;
	}
	max = t->size >= 8 ? ~0ULL : (1ULL << (8 * t->size)) - 1;
	if (t->is_signed)
		snprintf(buf, len, "s%u, -%llu..%llu", 8 * t->size,
			 (max >> 1) + 1, max >> 1);
	else
		snprintf(buf, len, "u%u, 0..%llu", 8 * t->size, max);
}

/* Copy the rest of the line at @p (after "key ") into @dst */
static void copy_line(char *dst, size_t len, const char *p)
{
	size_t n = strcspn(p, "\n");

	if (n >= len)
		n = len - 1;
	memcpy(dst, p, n);
	dst[n] = '\0';
}

/*
 * The kernel's policy state, from the text of debugfs zswap/bpf_policy:
 * "name X\nstate S\nslowest_us CB=US...\nlast_exit E\nlast_exit_reason TEXT\n" (X and TEXT may
 * be empty). -EINVAL unless the state line is there.
 */
int bpf_policy_parse(const char *text, struct bpf_policy_info *info)
{
	static const struct {
		const char *key;
		size_t off, len;
	} fields[] = {
		{ "name", offsetof(struct bpf_policy_info, name),
		  sizeof(info->name) },
		{ "state", offsetof(struct bpf_policy_info, state),
		  sizeof(info->state) },
		{ "last_exit", offsetof(struct bpf_policy_info, last_exit),
		  sizeof(info->last_exit) },
		{ "last_exit_reason",
		  offsetof(struct bpf_policy_info, last_exit_reason),
		  sizeof(info->last_exit_reason) },
		{ "slowest_us", offsetof(struct bpf_policy_info, slowest_us),
		  sizeof(info->slowest_us) },
	};
	const char *line, *next;
	size_t i, n;

	memset(info, 0, sizeof(*info));
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			next++;
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			n = strlen(fields[i].key);
			if (strncmp(line, fields[i].key, n) ||
			    (line[n] != ' ' && line[n] != '\n' && line[n]))
				continue;
			copy_line((char *)info + fields[i].off, fields[i].len,
				  line[n] == ' ' ? line + n + 1 : line + n);
			break;
		}
	}
	return info->state[0] ? 0 : -EINVAL;
}

/* memory.stat lines are "key value"; keys not found keep vals[i] = 0 */
void memstat_parse(const char *text, const char *const *keys, int nkeys,
		   uint64_t *vals, bool *found)
{
	const char *line;
	size_t n;
	int i;

	for (i = 0; i < nkeys; i++) {
		vals[i] = 0;
		found[i] = false;
	}
	for (line = text; *line;) {
		for (i = 0; i < nkeys; i++) {
			n = strlen(keys[i]);
			if (strncmp(line, keys[i], n) || line[n] != ' ')
				continue;
			vals[i] = strtoull(line + n + 1, NULL, 10);
			found[i] = true;
			break;
		}
		line += strcspn(line, "\n");
		if (*line)
			line++;
	}
}

/*
 * DURATION: a decimal number with an optional unit, ms, s, m or h (none:
 * seconds), into milliseconds. Zero, signs and fractions are rejected.
 */
int parse_duration(const char *s, uint64_t *ms)
{
	static const struct {
		const char *unit;
		uint64_t ms;
	} units[] = { { "", 1000 },
		      { "ms", 1 },
		      { "s", 1000 },
		      { "m", 60000 },
		      { "h", 3600000 } };
	unsigned long long v;
	char *end;
	size_t i;
	int err;

	err = parse_leading_ull(s, &v, &end);
	if (err)
		return err;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit))
			continue;
		if (!v)
			return -EINVAL;
		if (v > UINT64_MAX / units[i].ms)
			return -ERANGE;
		*ms = v * units[i].ms;
		return 0;
	}
	return -EINVAL;
}

/* PCT: a number from 0 to 100, fractions allowed ("10", "2.5") */
int parse_percent(const char *s, double *pct)
{
	char *end;
	double v;

	if (!s || !(isdigit((unsigned char)s[0]) || s[0] == '.'))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || end == s)
		return -EINVAL;
	if (v > 100)
		return -ERANGE;
	*pct = v;
	return 0;
}

/*
 * /proc/pressure/{memory,io} and the cgroup's *.pressure: the avg10 of the
 * "some" line, the share of the last ~10 s in which at least one task
 * stalled, in percent.
 */
int psi_some_avg10(const char *text, double *avg10)
{
	const char *p = strstr(text, "some avg10=");
	char *end;

	if (!p || (p != text && p[-1] != '\n'))
		return -EINVAL;
	p += strlen("some avg10=");
	*avg10 = strtod(p, &end);
	return end == p ? -EINVAL : 0;
}
