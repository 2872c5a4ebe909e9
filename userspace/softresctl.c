// SPDX-License-Identifier: GPL-2.0
/*
 * softresctl: the command table, the global options and dispatch, in the
 * shape of cxl-cli and ndctl
 */
#include <string.h>

#include "softresctl.h"

static int cmd_help(int argc, char **argv, struct ctx *c);
static int cmd_version(int argc, char **argv, struct ctx *c);

struct command {
	const char *name;
	int (*fn)(int argc, char **argv, struct ctx *c);
	const char *summary;
};

static const struct command commands[] = {
	{ "list", cmd_list, "list every Soft Reserved range and its owner" },
	{ "show", cmd_show, "show one range in full" },
	{ "set-owner", cmd_set_owner, "choose the owner of a range (root)" },
	{ "set-mode", cmd_set_mode, "choose how a range comes up: system-ram or devdax (root)" },
	{ "apply", cmd_apply, "apply a policy file (root)" },
	{ "boot-options", cmd_boot_options, "the policy file as dax_hmem module options, for boot" },
	{ "wait", cmd_wait, "wait until no boot-time decision is pending" },
	{ "help", cmd_help, "describe softresctl, or a command" },
	{ "version", cmd_version, "print the version" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"usage: softresctl [--root DIR] COMMAND [ARGS]\n"
		"       softresctl --version | --help | --list-cmds\n"
		"\n"
		"Observe and choose who owns Soft Reserved memory: the CXL\n"
		"region stack (cxl) or device-dax HMEM (hmem).\n"
		"\n"
		"commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-13s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out,
		"\n"
		"  --root DIR   read and write the kernel's files below DIR (a copy\n"
		"               of them, or a test tree): no module loaded, nothing\n"
		"               mounted, no need to be root\n"
		"  --list-cmds  the command names, one a line\n"
		"\n"
		"'softresctl help COMMAND' describes a command; softresctl(8)\n"
		"the policy file and exit codes.\n");
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/* What 'softresctl NAME' says when there is no command NAME */
static void unknown_command(const char *name)
{
	sr_err(NULL, "unknown command '%s'", name);
	usage(stderr);
}

/* help [COMMAND]: softresctl's usage, or COMMAND's (its --help) */
static int cmd_help(int argc, char **argv, struct ctx *c)
{
	static char help_opt[] = "--help";
	const struct command *cmd;
	char *args[3];

	if (argc == 1 || (argc == 2 && (!strcmp(argv[1], "--help") ||
					!strcmp(argv[1], "-h")))) {
		usage(stdout);
		return EXIT_OK;
	}
	if (argc > 2) {
		sr_err(c, "unexpected argument '%s'", argv[2]);
		return EXIT_USAGE;
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		unknown_command(argv[1]);
		return EXIT_FAIL;
	}
	if (cmd->fn == cmd_help) {
		usage(stdout);
		return EXIT_OK;
	}
	args[0] = argv[1];
	args[1] = help_opt;
	args[2] = NULL;
	c->cmd = cmd->name;
	return cmd->fn(2, args, c);
}

static int cmd_version(int argc, char **argv, struct ctx *c)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") ||
			  !strcmp(argv[1], "-h"))) {
		printf("usage: softresctl version\n");
		return EXIT_OK;
	}
	if (argc > 1) {
		sr_err(c, "unexpected argument '%s'", argv[1]);
		return EXIT_USAGE;
	}
	printf("softresctl %s\n", SOFTRESCTL_VERSION);
	return EXIT_OK;
}

/* --root DIR: 0, or the exit code after saying what is wrong with DIR */
static int root_option(const char *dir)
{
	int rc;

	if (!dir) {
		sr_err(NULL, "--root needs a directory");
		return EXIT_USAGE;
	}
	rc = sr_set_root(dir);
	if (rc) {
		sr_err(NULL, "--root '%s': %s", dir, strerror(-rc));
		return EXIT_USAGE;
	}
	return 0;
}

int softresctl_main(int argc, char **argv)
{
	const struct command *cmd;
	struct ctx c = { 0 };
	int i, rc;

	sr_set_root(NULL);
	/* the global options, before the command */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return EXIT_OK;
		}
		if (!strcmp(a, "--version"))
			return cmd_version(1, argv + i, &c);
		if (!strcmp(a, "--list-cmds")) {
			size_t k;

			for (k = 0; k < NCOMMANDS; k++)
				printf("%s\n", commands[k].name);
			return EXIT_OK;
		}
		if (!strcmp(a, "--root")) {
			rc = root_option(argv[++i]);
		} else if (!strncmp(a, "--root=", 7)) {
			rc = root_option(a + 7);
		} else {
			sr_err(NULL, "unknown option '%s'", a);
			usage(stderr);
			rc = EXIT_USAGE;
		}
		if (rc)
			return rc;
	}
	if (i == argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = find_command(argv[i]);
	if (!cmd) {
		unknown_command(argv[i]);
		return EXIT_USAGE;
	}
	c.cmd = cmd->name;
	rc = cmd->fn(argc - i, argv + i, &c);
	sr_cxl_close();
	return rc;
}
