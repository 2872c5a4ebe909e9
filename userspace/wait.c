// SPDX-License-Identifier: GPL-2.0
/* softresctl wait: until no boot-time decision is pending */
#include <getopt.h>
#include <string.h>
#include <time.h>

#include "softresctl.h"

static const char wait_usage[] =
	"usage: softresctl wait [--timeout S]\n"
	"\n"
	"Wait until no range is pending its boot-time decision.\n"
	"Exit 0 when none is, 1 on timeout.\n"
	"\n"
	"  -t, --timeout S  give up after S seconds (default 60)\n"
	"  -h, --help       this text\n";

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int cmd_wait(int argc, char **argv, struct ctx *c)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	double timeout = 60, deadline;
	int opt, rc;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "t:h", opts, NULL)) != -1) {
		switch (opt) {
		case 't':
			if (sr_parse_seconds(optarg, &timeout) ||
			    timeout > 1e6) {
				sr_err(c, "invalid timeout '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			fputs(wait_usage, stdout);
			return EXIT_OK;
		default:
			fputs(wait_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		sr_err(c, "unexpected argument '%s'", argv[optind]);
		fputs(wait_usage, stderr);
		return EXIT_USAGE;
	}
	rc = sr_prepare(c, false);
	if (rc)
		return rc;
	deadline = now() + timeout;
	for (;;) {
		const struct timespec tick = { 0, 100 * 1000 * 1000 };
		char pending[256] = "";
		struct sr_tree t;
		size_t i, used = 0;

		rc = sr_tree_load(&t, sr_tree_dir());
		if (rc) {
			sr_err(c, "cannot read the softres tree: %s",
			       strerror(-rc));
			return EXIT_FAIL;
		}
		for (i = 0; i < t.n; i++) {
			const char *e = t.r[i].effective_owner;

			if (e && !strcmp(e, "pending") && used < sizeof(pending))
				used += snprintf(pending + used,
						 sizeof(pending) - used, "%s%s",
						 used ? " " : "", t.r[i].name);
		}
		sr_tree_free(&t);
		if (!used)
			return EXIT_OK;
		if (now() >= deadline) {
			sr_err(c, "timed out, still pending: %s", pending);
			return EXIT_FAIL;
		}
		nanosleep(&tick, NULL);
	}
}
