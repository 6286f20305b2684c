// SPDX-License-Identifier: GPL-2.0
/*
 * An LD_PRELOAD shim for tests/vm/test_loader.sh: every bpf(BPF_LINK_DETACH)
 * fails with EPERM, as when the kernel refuses to detach a link, so that
 * the test can see what `zswap-bpf unload` does then (exit 3, the pins and
 * the policy stay).  libbpf makes its bpf() calls through libc's syscall(),
 * which this one stands in for; every other call goes through unchanged.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>

long syscall(long nr, ...)
{
	static long (*real)(long, ...);
	long a[6];
	va_list ap;
	int i;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == __NR_bpf && a[0] == BPF_LINK_DETACH) {
		errno = EPERM;
		return -1;
	}
	if (!real)
		real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
