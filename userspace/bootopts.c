// SPDX-License-Identifier: GPL-2.0
/*
 * softresctl boot-options: the policy file as dax_hmem module options
 * (owners=, modes=), for the ranges there are now.
 *
 * Why: a range in no CXL window is handed to hmem as dax_hmem loads, in
 * its probe, before udev can run apply at the range's "add": kmem then
 * onlines it first, and a devdax rule comes too late. Module options are
 * read before the probe, so from /etc/modprobe.d they reach every range
 * from the moment dax_hmem loads, initramfs included (initramfs-tools
 * copies /etc/modprobe.d).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "softresctl.h"

static const char boot_usage[] =
	"usage: softresctl boot-options [FILE] [--write]\n"
	"\n"
	"Print the dax_hmem module options (owners=, modes=) that give each\n"
	"range the owner and mode the policy file (default $SOFTRES_POLICY,\n"
	"else /etc/softres.conf) asks for, from the moment dax_hmem loads:\n"
	"ranges in no CXL window are handed over then, before udev applies the\n"
	"policy. Rules are resolved against the ranges there are now; run it\n"
	"again after changing the policy file.\n"
	"\n"
	"  -w, --write  write them to /etc/modprobe.d/softres.conf (root); with\n"
	"               no policy file, remove that file\n"
	"  -h, --help   this text\n";

/* A growing "START:WORD,START:WORD" list; -ENOMEM when it cannot grow */
struct sr_list {
	char *s;
	size_t len;
};

static int list_add(struct sr_list *l, uint64_t start, const char *word)
{
	char item[64];
	int n = snprintf(item, sizeof(item), "%s0x%" PRIx64 ":%s",
			 l->len ? "," : "", start, word);
	char *s = realloc(l->s, l->len + n + 1);

	if (!s)
		return -ENOMEM;
	memcpy(s + l->len, item, n + 1);
	l->s = s;
	l->len += n;
	return 0;
}

/*
 * The modprobe.d text for the rules of @pol (read from @file) that name
 * an owner other than auto, or a mode, for a range of @t. NULL when out
 * of memory.
 */
static char *boot_text(const struct sr_policy *pol, const struct sr_tree *t,
		       const char *file)
{
	struct sr_list owners = { 0 }, modes = { 0 };
	char *text = NULL, *opts = NULL;
	int rc = 0;
	size_t i;

	for (i = 0; i < t->n && !rc; i++) {
		const struct sr_range *r = &t->r[i];
		const struct sr_rule *rule = sr_policy_lookup(pol, r);

		if (!rule)
			continue;
		/* auto is every range's wish from boot anyway */
		if (strcmp(rule->owner, "auto"))
			rc = list_add(&owners, r->start, rule->owner);
		if (!rc && rule->mode[0])
			rc = list_add(&modes, r->start, rule->mode);
	}
	if (!rc && !owners.len && !modes.len)
		opts = strdup("# no rule names an owner or a mode for a range");
	else if (!rc && asprintf(&opts, "options dax_hmem%s%s%s%s",
				 owners.len ? " owners=" : "",
				 owners.len ? owners.s : "",
				 modes.len ? " modes=" : "",
				 modes.len ? modes.s : "") < 0)
		opts = NULL;
	if (opts && asprintf(&text,
			     "# Written by softresctl boot-options from %s: the owner and\n"
			     "# mode each range gets from the moment dax_hmem loads. Made for\n"
			     "# the ranges there were; run it again after changing that file.\n"
			     "%s\n", file, opts) < 0)
		text = NULL;
	free(opts);
	free(owners.s);
	free(modes.s);
	return text;
}

/* Does @path hold @text (but for trailing newlines)? */
static bool same_text(const char *path, const char *text)
{
	char *now = sr_read_file(path);
	size_t len = strlen(text);
	bool same;

	while (len && text[len - 1] == '\n')
		len--;
	same = now && strlen(now) == len && !strncmp(now, text, len);
	free(now);
	return same;
}

/* Replace @path with @text in one rename: modprobe never reads half */
static int write_whole(const char *path, const char *text)
{
	char tmp[4200];
	size_t len = strlen(text);
	int fd, rc = 0;

	/* not *.conf: modprobe skips it should it be left behind */
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	errno = EIO;	/* a short write sets none */
	if (fchmod(fd, 0644) || write(fd, text, len) != (ssize_t)len ||
	    fsync(fd))
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}

/* A range a rule names must have its start: the options name it by it */
static int no_start(const struct ctx *c, const struct sr_policy *pol,
		    const struct sr_tree *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (t->r[i].have_start || !sr_policy_lookup(pol, &t->r[i]))
			continue;
		sr_err(c, "%s: cannot read its start, nothing written",
		       t->r[i].name);
		return EXIT_FAIL;
	}
	return 0;
}

/* No policy file: with --write, no options left from an earlier one */
static int no_policy(const struct ctx *c, bool write)
{
	const char *path = sr_path(SR_MODPROBE);

	if (!write) {
		printf("no policy file\n");
		return EXIT_OK;
	}
	if (unlink(path)) {
		if (errno == ENOENT) {
			printf("no policy file\n");
			return EXIT_OK;
		}
		sr_err(c, "cannot remove %s: %s", path, strerror(errno));
		return EXIT_FAIL;
	}
	printf("no policy file: removed %s\n", path);
	return EXIT_OK;
}

int cmd_boot_options(int argc, char **argv, struct ctx *c)
{
	static const struct option opts[] = {
		{ "write", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL, *path = sr_path(SR_MODPROBE);
	bool write = false;
	struct sr_policy pol;
	struct sr_tree t;
	char *text;
	int opt, rc;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "wh", opts, NULL)) != -1) {
		switch (opt) {
		case 'w':
			write = true;
			break;
		case 'h':
			fputs(boot_usage, stdout);
			return EXIT_OK;
		default:
			fputs(boot_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		sr_err(c, "unexpected argument '%s'", argv[optind + 1]);
		fputs(boot_usage, stderr);
		return EXIT_USAGE;
	}
	if (optind < argc)
		file = argv[optind];
	if (write && !sr_rooted() && geteuid() != 0) {
		sr_err(c, "must be root");
		return EXIT_FAIL;
	}

	rc = sr_policy_read(c, &file, &pol);
	if (rc < 0)
		return no_policy(c, write);
	if (rc)
		return rc;
	/* only reads the ranges: loading dax_hmem would hand them out */
	rc = sr_open(c, &t, false);
	if (rc) {
		sr_policy_free(&pol);
		return rc;
	}
	fflush(stdout);
	rc = sr_policy_check_tree(&pol, &t, file, stderr);
	if (rc) {
		rc = sr_policy_refused(c, file, rc);
		goto out;
	}
	if (sr_policy_has(&pol, MATCH_SERIAL))
		sr_cxl_open(c);
	rc = no_start(c, &pol, &t);
	if (rc)
		goto out;
	text = boot_text(&pol, &t, file);
	if (!text) {
		sr_err(c, "out of memory, nothing written");
		rc = EXIT_FAIL;
		goto out;
	}
	if (!write) {
		fputs(text, stdout);
	} else if (same_text(path, text)) {
		/* the boot unit runs this at every boot: /etc is left alone */
		printf("%s is up to date\n", path);
	} else {
		rc = write_whole(path, text);
		if (rc) {
			sr_err(c, "cannot write %s: %s", path, strerror(-rc));
			rc = EXIT_FAIL;
		} else {
			printf("wrote %s\n", path);
		}
	}
	free(text);
out:
	sr_tree_free(&t);
	sr_policy_free(&pol);
	return rc;
}
