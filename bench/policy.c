// SPDX-License-Identifier: GPL-2.0
/*
 * Decisions per second of the softres policy core, compiled from the
 * kernel tree's drivers/dax/hmem/softres_policy.c (the source the kernel
 * runs). Usage: policy RANGES REGIONS RUNS
 *
 * RANGES ranges of 1G side by side, REGIONS committed RAM regions shared
 * out among them (each range cut into equal pieces, listed in a shuffled
 * order so the core cannot rely on sorted input). A pass decides every
 * range once against the whole region list, as the arbiter does; prints
 * one line per run: "policy RANGES REGIONS pass_us decisions_per_s".
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "softres_policy.h"

#define G (1ULL << 30)

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
	unsigned int nranges, nregions, runs, per, i, j, run;
	struct softres_span *ranges, *regions;
	volatile unsigned int cxl = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: policy RANGES REGIONS RUNS\n");
		return 2;
	}
	nranges = strtoul(argv[1], NULL, 0);
	nregions = strtoul(argv[2], NULL, 0);
	runs = strtoul(argv[3], NULL, 0);
	if (!nranges || nregions < nranges || !runs) {
		fprintf(stderr, "policy: need RANGES > 0, REGIONS >= RANGES, RUNS > 0\n");
		return 2;
	}
	ranges = calloc(nranges, sizeof(*ranges));
	regions = calloc(nregions, sizeof(*regions));
	if (!ranges || !regions)
		return 1;
	per = nregions / nranges;
	for (i = 0; i < nranges; i++) {
		u64 start = 4 * G + i * G;

		ranges[i] = (struct softres_span){ .start = start, .end = start + G - 1 };
		for (j = 0; j < per; j++) {
			/* the last piece takes the remainder: exact cover */
			u64 s = start + j * (G / per);
			u64 e = j == per - 1 ? start + G - 1 : s + G / per - 1;

			regions[i * per + j] = (struct softres_span){
				s, e, true, SOFTRES_USE_SYSTEM };
		}
	}
	/* regions left over (REGIONS not a multiple): beyond every range */
	for (i = nranges * per; i < nregions; i++)
		regions[i] = (struct softres_span){
			4 * G + (u64)(nranges + i) * G,
			4 * G + (u64)(nranges + i) * G + G - 1, true,
			SOFTRES_USE_SYSTEM };
	srand(1);
	for (i = nregions - 1; i > 0; i--) {
		struct softres_span t;

		j = rand() % (i + 1);
		t = regions[i];
		regions[i] = regions[j];
		regions[j] = t;
	}

	for (run = 0; run < runs; run++) {
		double t0 = now_us(), us;

		for (i = 0; i < nranges; i++) {
			struct softres_decision d =
				softres_decide(&ranges[i], true, regions, nregions);

			cxl += d.owner == SOFTRES_OWNER_CXL;
		}
		us = now_us() - t0;
		printf("policy %u %u %.1f %.0f\n", nranges, nregions, us,
		       nranges / (us / 1e6));
	}
	/* every range is exactly covered: anything else is a broken bench */
	if (cxl != nranges * runs) {
		fprintf(stderr, "policy: %u of %u decisions were not cxl\n",
			cxl, nranges * runs);
		return 1;
	}
	free(ranges);
	free(regions);
	return 0;
}
