// SPDX-License-Identifier: GPL-2.0
/* softresctl: the command table and dispatch, in the shape of cxl-cli */
#include <string.h>

#include "softresctl.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv, struct ctx *c);
	const char *summary;
};

static const struct command commands[] = {
	{ "list", cmd_list, "list every Soft Reserved range and its owner" },
	{ "show", cmd_show, "show one range in full" },
	{ "set-owner", cmd_set_owner, "choose the owner of a range (root)" },
	{ "apply", cmd_apply, "apply a policy file (root)" },
	{ "wait", cmd_wait, "wait until no boot-time decision is pending" },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"usage: softresctl [--version] [--help] COMMAND [ARGS]\n"
		"\n"
		"Observe and choose who owns Soft Reserved memory: the CXL\n"
		"region stack (cxl) or device-dax HMEM (hmem).\n"
		"\n"
		"commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out,
		"\n"
		"'softresctl COMMAND --help' describes a command; softresctl(8)\n"
		"the policy file and exit codes.\n");
}

int softresctl_main(int argc, char **argv)
{
	struct ctx c = { 0 };
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("softresctl %s\n", SOFTRESCTL_VERSION);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		c.cmd = commands[i].name;
		return commands[i].fn(argc - 1, argv + 1, &c);
	}
	sr_err(NULL, "unknown command '%s'", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
