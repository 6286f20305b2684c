// SPDX-License-Identifier: GPL-2.0
/*
 * clockcost - nanoseconds one clock_gettime(CLOCK_MONOTONIC) costs here.
 *
 * A stand-in for the kernel's local_clock(), which reads the same clock
 * source (the TSC, or what the guest fell back to) with similar arithmetic:
 * what patch 0010's timing of each policy callback adds to a step.
 *
 * usage: clockcost [CALLS]   (default 1000000); prints "NS_PER_CALL"
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long calls = argc > 1 ? atol(argv[1]) : 1000000, i;
	struct timespec ts;
	double t0, t1;

	if (calls <= 0)
		return 2;
	t0 = now_ns();
	for (i = 0; i < calls; i++)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	t1 = now_ns();
	printf("%.1f\n", (t1 - t0) / calls);
	return 0;
}
