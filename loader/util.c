// SPDX-License-Identifier: GPL-2.0
/*
 * zswap-bpf: messages, paths and small file helpers shared by the commands.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "main.h"

/*
 * "Error: ..." on stderr, or {"error": "..."} on stdout with --json, where a
 * consumer of the JSON output finds it.
 */
void p_err(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (json_output) {
		struct json_writer ejw;

		jw_init(&ejw, stdout, opts.pretty);
		jw_start_object(&ejw);
		jw_string_field(&ejw, "error", msg);
		jw_end_object(&ejw);
		return;
	}
	fprintf(stderr, "Error: %s\n", msg);
}

/* Advice and progress on stderr; nothing in JSON mode */
void p_note(const char *fmt, ...)
{
	va_list ap;

	if (json_output)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* p_err() with a pointer to the command's help; returns -EUSAGE */
int usage_error(const char *cmd, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p_err("%s (see '%s %s%shelp')", msg, bin_name, cmd ? cmd : "",
	      cmd ? " " : "");
	return -EUSAGE;
}

bool is_help(int argc, char **argv)
{
	return argc > 0 &&
	       (!strcmp(argv[0], "help") || !strcmp(argv[0], "--help") ||
		!strcmp(argv[0], "-h"));
}

static const char *env_or(const char *var, const char *def)
{
	const char *v = getenv(var);

	return v && *v ? v : def;
}

const char *cgroup_root(void)
{
	return env_or("ZSWAP_BPF_CGROUP_ROOT", CGROUP_ROOT);
}

const char *debugfs_dir(void)
{
	return env_or("ZSWAP_BPF_DEBUGFS_DIR", ZSWAP_BPF_DEBUGFS_DIR);
}

const char *pin_base_dir(void)
{
	return env_or("ZSWAP_BPF_PIN_DIR", ZSWAP_BPF_PIN_DIR);
}

/* The agents' state files */
const char *run_dir(void)
{
	return env_or("ZSWAP_BPF_RUN_DIR", ZSWAP_BPF_RUN_DIR);
}

/* The host's pressure files the agent backs off on */
const char *psi_dir(void)
{
	return env_or("ZSWAP_BPF_PSI_DIR", "/proc/pressure");
}

/* The attachment load and unload work on: 0 for the root cgroup's */
static uint64_t attach_cgid;
static char attach_dir[PATH_MAX];

void attach_cgroup_set(uint64_t cgid)
{
	attach_cgid = cgid;
	snprintf(attach_dir, sizeof(attach_dir), "%s/cgroup-%llu",
		 pin_base_dir(), (unsigned long long)cgid);
}

uint64_t attach_cgroup(void)
{
	return attach_cgid;
}

/* How messages name the attachment in commands: "" or " --cgroup CG" */
static char attach_opt[PATH_MAX + 16];

void attach_cgroup_opt_set(const char *arg)
{
	snprintf(attach_opt, sizeof(attach_opt), " --cgroup %s", arg);
}

const char *attach_cgroup_opt(void)
{
	return attach_cgid ? attach_opt : "";
}

/*
 * Where the attachment's pins are: PIN_DIR itself for the root cgroup's
 * (the layout of a single system-wide policy), PIN_DIR/cgroup-<id> for a
 * cgroup's
 */
const char *pin_dir(void)
{
	return attach_cgid ? attach_dir : pin_base_dir();
}

void pin_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", pin_dir(), name);
}

/* Read a small text file, NUL-terminated; bytes read or -errno */
int read_text(const char *path, char *buf, size_t len)
{
	ssize_t n;
	size_t off = 0;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (off + 1 < len) {
		n = read(fd, buf + off, len - 1 - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			close(fd);
			return err;
		}
		if (!n)
			break;
		off += n;
	}
	close(fd);
	buf[off] = '\0';
	return off;
}

int read_u64(const char *path, uint64_t *val)
{
	char buf[64], *end;
	int n;

	n = read_text(path, buf, sizeof(buf));
	if (n < 0)
		return n;
	errno = 0;
	*val = strtoull(buf, &end, 10);
	if (errno || end == buf)
		return -EINVAL;
	return 0;
}

double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* 1 if the running kernel's BTF has the struct_ops type, 0 if not, -errno */
int kernel_has_hook(void)
{
	struct btf *btf;
	int id;

	btf = btf__load_vmlinux_btf();
	if (!btf)
		return -errno;
	id = btf__find_by_name_kind(btf, ZSWAP_BPF_OPS_TYPE, BTF_KIND_STRUCT);
	btf__free(btf);
	return id > 0;
}

static const char *cap_name(int cap)
{
	switch (cap) {
	case CAP_BPF:
		return "CAP_BPF";
	case CAP_PERFMON:
		return "CAP_PERFMON";
	case CAP_SYS_ADMIN:
		return "CAP_SYS_ADMIN";
	default:
		return "CAP_?";
	}
}

/* "CAP_A, CAP_B and CAP_C" of the @n capabilities in @caps */
static void cap_list(char *buf, size_t len, const int *caps, int n)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s",
				!i ? "" : i == n - 1 ? " and " : ", ",
				cap_name(caps[i]));
}

/*
 * The kernel checks capabilities, not the uid: a root that dropped
 * CAP_SYS_ADMIN is refused, a user granted the capabilities is not. So
 * check the effective set (capget(2), no libcap) before the first bpf()
 * call, and name what is missing instead of a bare EPERM from libbpf.
 * 0 if this process has all @n of @caps (or capget fails: then the kernel
 * decides), else -EPERM after "@what needs ...".
 */
int caps_require(const char *what, const int *caps, int n)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
	int missing[8], i, nr = 0;
	char all[128], lack[128];

	if (syscall(SYS_capget, &hdr, data))
		return 0;
	for (i = 0; i < n && nr < 8; i++)
		if (!(data[CAP_TO_INDEX(caps[i])].effective &
		      CAP_TO_MASK(caps[i])))
			missing[nr++] = caps[i];
	if (!nr)
		return 0;
	cap_list(all, sizeof(all), caps, n);
	cap_list(lack, sizeof(lack), missing, nr);
	p_err("%s needs %s (this process lacks %s): run it as root or grant them",
	      what, all, lack);
	return -EPERM;
}

/*
 * @err (-errno) as an error of the exit code @code wants: itself if
 * exit_code_from_errno() maps it there, else -EIO (EXIT_RUNTIME) or -EPERM
 * (EXIT_REFUSED). A failure to pin, say, is a runtime error even when its
 * errno is EACCES, which from bpf() is the kernel's refusal.
 */
int errno_as(int err, int code)
{
	if (exit_code_from_errno(err) == code)
		return err;
	return code == EXIT_REFUSED ? -EPERM : -EIO;
}

/* The kernel's debugfs bpf_policy; -ENOENT if absent */
int kernel_policy_info(struct bpf_policy_info *info)
{
	char path[512], text[1024];
	int n;

	snprintf(path, sizeof(path), "%s/bpf_policy", debugfs_dir());
	n = read_text(path, text, sizeof(text));
	if (n < 0)
		return n;
	return bpf_policy_parse(text, info);
}

/*
 * libbpf's messages. With -v all go to stderr as they come; otherwise the
 * last lines of warnings are kept (the verifier log comes this way) and
 * shown after a failed load.
 */
#define LOG_LINES 32
static char log_ring[LOG_LINES][256];
static int log_next;
static bool log_verbose;

/*
 * The whole message is formatted, however long: the verifier log comes as
 * one message of up to megabytes, and its reason for a refusal is on its
 * last lines.
 */
static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	char *buf, *line, *save;
	va_list aq;
	int n;

	if (log_verbose)
		return vfprintf(stderr, fmt, ap);
	if (level > LIBBPF_WARN)
		return 0;
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	buf = n >= 0 ? malloc(n + 1) : NULL;
	if (!buf)
		return 0;
	vsnprintf(buf, n + 1, fmt, ap);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		snprintf(log_ring[log_next % LOG_LINES], sizeof(log_ring[0]),
			 "%s", line);
		log_next++;
	}
	free(buf);
	return 0;
}

void libbpf_log_setup(bool verbose)
{
	log_verbose = verbose;
	libbpf_set_print(libbpf_print);
}

/* Print the last @lines kept lines of libbpf's log to stderr */
void libbpf_log_tail(int lines)
{
	int i, first;

	if (log_verbose || !log_next)
		return;
	if (lines > LOG_LINES)
		lines = LOG_LINES;
	first = log_next > lines ? log_next - lines : 0;
	fprintf(stderr, "libbpf's last messages (all of them with -v):\n");
	for (i = first; i < log_next; i++)
		fprintf(stderr, "  %s\n", log_ring[i % LOG_LINES]);
}
