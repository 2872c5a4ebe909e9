// SPDX-License-Identifier: GPL-2.0
/*
 * softres-decide: the kernel's softres policy core as a command, the
 * oracle of tests/vm/topology-fuzz. Compiled from the kernel tree's
 * drivers/dax/hmem/softres_policy.c, as the unit test is.
 *
 *   softres-decide START END IN_WINDOW [RSTART:REND:COMMITTED:USE ...]
 *
 * Addresses in any base strtoull() reads, END inclusive; IN_WINDOW and
 * COMMITTED 0 or 1; USE system, pmem or accel. Prints "OWNER WHY MISMATCH",
 * OWNER cxl, hmem or none, WHY the softres_why number, MISMATCH 0 or 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "softres_policy.h"

static const char *owner_name(enum softres_owner owner)
{
	switch (owner) {
	case SOFTRES_OWNER_CXL:
		return "cxl";
	case SOFTRES_OWNER_HMEM:
		return "hmem";
	case SOFTRES_OWNER_NOBODY:
		return "none";
	default:
		return "pending";
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: softres-decide START END IN_WINDOW [RSTART:REND:COMMITTED:USE ...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct softres_span range, *regions;
	struct softres_decision d;
	char use[16];
	int i, nr, committed;

	if (argc < 4)
		return usage();
	range = (struct softres_span){
		.start = strtoull(argv[1], NULL, 0),
		.end = strtoull(argv[2], NULL, 0),
	};
	nr = argc - 4;
	regions = calloc(nr ? nr : 1, sizeof(*regions));
	if (!regions)
		return 1;
	for (i = 0; i < nr; i++) {
		unsigned long long s, e;

		if (sscanf(argv[4 + i], "%lli:%lli:%d:%15s", &s, &e, &committed, use) != 4)
			return usage();
		regions[i] = (struct softres_span){ .start = s, .end = e, .committed = committed };
		if (!strcmp(use, "pmem"))
			regions[i].use = SOFTRES_USE_PMEM;
		else if (!strcmp(use, "accel"))
			regions[i].use = SOFTRES_USE_ACCEL;
		else if (strcmp(use, "system"))
			return usage();
	}
	d = softres_decide(&range, atoi(argv[3]), regions, nr);
	printf("%s %d %d\n", owner_name(d.owner), d.why, softres_mismatch(&d));
	free(regions);
	return 0;
}
