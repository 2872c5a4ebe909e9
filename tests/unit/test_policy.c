// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace unit test of the softres policy core, compiled from the kernel
 * tree's drivers/dax/hmem/softres_policy.c (the same source KUnit tests).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "softres_policy.h"

#define G (1ULL << 30)
#define M (1ULL << 20)

static int passed, failed;

#define CHECK(cond) do {						\
	if (cond) {							\
		passed++;						\
	} else {							\
		failed++;						\
		printf("FAIL %s:%d: %s\n", __func__, __LINE__, #cond);	\
	}								\
} while (0)

static struct softres_span span(u64 start, u64 size)
{
	return (struct softres_span){ .start = start, .end = start + size - 1, .committed = true };
}

static const struct softres_span R = { .start = 5 * G, .end = 6 * G - 1 };

static void test_not_in_window(void)
{
	struct softres_decision d = softres_decide(&R, false, NULL, 0);

	CHECK(d.owner == SOFTRES_OWNER_HMEM && d.why == SOFTRES_WHY_NO_CXL);
	CHECK(!softres_mismatch(&d));
}

static void test_empty(void)
{
	struct softres_decision d = softres_decide(&R, true, NULL, 0);

	CHECK(softres_covered(&R, NULL, 0) == 0);
	CHECK(d.owner == SOFTRES_OWNER_HMEM && d.why == SOFTRES_WHY_NO_REGION);
	CHECK(d.region == -1 && softres_mismatch(&d));
}

static void test_exact(void)
{
	struct softres_span r[] = { span(5 * G, G) };
	struct softres_decision d = softres_decide(&R, true, r, 1);

	CHECK(d.owner == SOFTRES_OWNER_CXL && d.why == SOFTRES_WHY_COVERED);
	CHECK(d.covered == G && d.region == 0 && !softres_mismatch(&d));
}

static void test_contiguous_pair(void)
{
	/* one firmware range, one region per window, listed out of order */
	struct softres_span r[] = { span(5 * G + 512 * M, 512 * M), span(5 * G, 512 * M) };
	struct softres_decision d = softres_decide(&R, true, r, 2);

	CHECK(d.owner == SOFTRES_OWNER_CXL && d.covered == G);
}

static void test_gap_in_middle(void)
{
	struct softres_span r[] = { span(5 * G, 256 * M), span(5 * G + 512 * M, 512 * M) };
	struct softres_decision d = softres_decide(&R, true, r, 2);

	CHECK(d.owner == SOFTRES_OWNER_HMEM && d.why == SOFTRES_WHY_PARTIAL);
	CHECK(d.covered == 768 * M && softres_mismatch(&d));
}

static void test_partial(void)
{
	struct softres_span r[] = { span(5 * G, 512 * M) };
	struct softres_decision d = softres_decide(&R, true, r, 1);

	CHECK(d.why == SOFTRES_WHY_PARTIAL && d.covered == 512 * M && d.region == 0);
}

static void test_overlap(void)
{
	/* overlapping regions count once */
	struct softres_span r[] = { span(5 * G, 768 * M), span(5 * G + 256 * M, 768 * M),
				    span(5 * G + 100 * M, 10 * M) };

	CHECK(softres_covered(&R, r, 3) == G);
	CHECK(softres_decide(&R, true, r, 3).owner == SOFTRES_OWNER_CXL);
	r[1].end -= 1;
	CHECK(softres_covered(&R, r, 3) == G - 1);
}

static void test_off_by_one(void)
{
	struct softres_span r[1];
	struct softres_decision d;

	r[0] = span(5 * G + 1, G - 1);		/* misses the first byte */
	d = softres_decide(&R, true, r, 1);
	CHECK(d.why == SOFTRES_WHY_PARTIAL && d.covered == G - 1);

	r[0] = span(5 * G, G - 1);		/* misses the last byte */
	d = softres_decide(&R, true, r, 1);
	CHECK(d.why == SOFTRES_WHY_PARTIAL && d.covered == G - 1);

	r[0] = span(5 * G - 1, G + 1);		/* starts one byte early */
	d = softres_decide(&R, true, r, 1);
	CHECK(d.why == SOFTRES_WHY_OVERHANG && d.owner == SOFTRES_OWNER_HMEM);

	r[0] = span(5 * G, G + 1);		/* ends one byte late */
	d = softres_decide(&R, true, r, 1);
	CHECK(d.why == SOFTRES_WHY_OVERHANG);

	r[0] = span(6 * G, G);			/* adjacent, not inside */
	d = softres_decide(&R, true, r, 1);
	CHECK(d.why == SOFTRES_WHY_NO_REGION && softres_covered(&R, r, 1) == 0);

	r[0] = span(4 * G, G);			/* adjacent below */
	CHECK(softres_decide(&R, true, r, 1).why == SOFTRES_WHY_NO_REGION);
}

static void test_uncommitted(void)
{
	struct softres_span r[] = { span(5 * G, G) };
	struct softres_decision d;

	r[0].committed = false;
	d = softres_decide(&R, true, r, 1);
	CHECK(d.owner == SOFTRES_OWNER_HMEM && d.why == SOFTRES_WHY_UNCOMMITTED);
	CHECK(d.region == 0 && softres_covered(&R, r, 1) == 0);
}

static void test_other_ranges_ignored(void)
{
	struct softres_span r[] = { span(7 * G, G), span(5 * G, G), span(9 * G, 4 * G) };
	struct softres_decision d = softres_decide(&R, true, r, 3);

	r[0].committed = false;
	CHECK(d.owner == SOFTRES_OWNER_CXL && d.region == 1);
	CHECK(softres_decide(&R, true, r, 3).owner == SOFTRES_OWNER_CXL);
}

/* pmem and accelerator regions: neither driver, and no strict mismatch */
static void test_foreign(void)
{
	struct softres_span r[] = { span(5 * G, G / 2), span(5 * G + G / 2, G / 2) };
	struct softres_decision d;

	r[0].use = SOFTRES_USE_PMEM;
	d = softres_decide(&R, true, r, 2);
	CHECK(d.owner == SOFTRES_OWNER_NOBODY && d.why == SOFTRES_WHY_PMEM);
	CHECK(d.region == 0 && d.covered == G / 2 && !softres_mismatch(&d));

	/* an accelerator region wins over assembly failure elsewhere */
	r[0].use = SOFTRES_USE_SYSTEM;
	r[0].committed = false;
	r[1].use = SOFTRES_USE_ACCEL;
	d = softres_decide(&R, true, r, 2);
	CHECK(d.owner == SOFTRES_OWNER_NOBODY && d.why == SOFTRES_WHY_ACCEL);
	CHECK(d.region == 1 && !softres_mismatch(&d));

	/* one outside the range changes nothing */
	r[0] = span(5 * G, G);
	r[1] = span(6 * G, G);
	r[1].use = SOFTRES_USE_PMEM;
	CHECK(softres_decide(&R, true, r, 2).owner == SOFTRES_OWNER_CXL);
}

/* 64 ranges of 1G at 16G, each covered by 4 regions: 256 regions in all */
static void test_many(void)
{
	static struct softres_span ranges[64], regions[256];
	unsigned int i, cxl = 0;
	clock_t t = clock();

	for (i = 0; i < 64; i++)
		ranges[i] = span(16 * G + i * G, G);
	for (i = 0; i < 256; i++)	/* reversed, to defeat any ordering luck */
		regions[255 - i] = span(16 * G + i * 256 * M, 256 * M);
	regions[255 - 130].committed = false;	/* range 32, second quarter */
	regions[255 - 200].end -= 4096;		/* range 50 */

	for (i = 0; i < 64; i++) {
		struct softres_decision d = softres_decide(&ranges[i], true, regions, 256);

		if (d.owner == SOFTRES_OWNER_CXL)
			cxl++;
		else if (i == 32)
			CHECK(d.why == SOFTRES_WHY_UNCOMMITTED && d.region == 255 - 130);
		else if (i == 50)
			CHECK(d.why == SOFTRES_WHY_PARTIAL && d.covered == G - 4096);
		else
			CHECK(!"unexpected hmem decision");
	}
	CHECK(cxl == 62);
	CHECK((clock() - t) * 1000 / CLOCKS_PER_SEC < 1000);
}

int main(void)
{
	test_not_in_window();
	test_empty();
	test_exact();
	test_contiguous_pair();
	test_gap_in_middle();
	test_partial();
	test_overlap();
	test_off_by_one();
	test_uncommitted();
	test_other_ranges_ignored();
	test_foreign();
	test_many();
	printf("policy: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
