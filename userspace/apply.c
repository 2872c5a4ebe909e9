// SPDX-License-Identifier: GPL-2.0
/*
 * softresctl apply: write the wish, and the mode, the policy file asks
 * for (policy.c reads the file) into every range it matches.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "softresctl.h"

static const char apply_usage[] =
	"usage: softresctl apply [FILE] [--dry-run] [--quiet] [--json]\n"
	"\n"
	"Apply a policy file (default $SOFTRES_POLICY, else /etc/softres.conf):\n"
	"write the owner wish of every range whose first matching rule asks\n"
	"for another one. Rules are 'MATCH OWNER [MODE]', MATCH one of rangeN,\n"
	"start=ADDR, addr=ADDR, node=N, serial=S, *; OWNER auto, cxl, hmem or none;\n"
	"MODE system-ram or devdax, written before the owner (none: left alone).\n"
	"\n"
	"  -n, --dry-run  say what would change, change nothing\n"
	"  -q, --quiet    print only changes and errors\n"
	"  -j, --json     print the changes as a JSON array ([] when none)\n"
	"  -h, --help     this text\n";

/*
 * apply --json: add to @a the change of @r's attribute @key ("owner",
 * "mode") from @prev (left out when unreadable) to @val, or, when its
 * write failed, the error @err. 0 or -1.
 */
static int apply_json_add(struct json_object *a, const struct sr_range *r,
			  const char *key, const char *prev, const char *val,
			  bool dry, const char *err)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return -1;
	if (sr_jstr(o, "range", r->name) ||
	    (!err && sr_jstr(o, "previous", prev)) ||
	    sr_jstr(o, key, val) ||
	    (err ? sr_jstr(o, "error", err) :
		   sr_jadd(o, "dry_run", json_object_new_boolean(dry)))) {
		json_object_put(o);
		return -1;
	}
	return sr_jappend(a, o);
}

/*
 * The mode @rule asks for, written into @r when it differs (with @dry
 * said only): 0 nothing to do, 1 written, -1 failed (reported). Changes
 * go to stdout, or into the JSON array @out when not NULL (*oom set when
 * they cannot).
 */
static int apply_mode(const struct ctx *c, const struct sr_rule *rule,
		      const struct sr_range *r, const char *file, bool dry,
		      struct json_object *out, bool *oom)
{
	char msg[512];
	int rc;

	if (!rule->mode[0] || (r->mode && !strcmp(r->mode, rule->mode)))
		return 0;
	if (r->no_mode) {
		/* dry run too: the write could not be made */
		snprintf(msg, sizeof(msg),
			 "kernel support missing: no mode file, every range comes up as system-ram");
		rc = -1;
	} else {
		rc = dry ? 0 : sr_write_mode(r, rule->mode);
		if (rc)
			sr_mode_strerror(rc, r, false, msg, sizeof(msg));
		/*
		 * Busy because kmem got there first: in no CXL window the
		 * range was handed over as dax_hmem loaded, before this ran
		 */
		if (rc == -EBUSY && r->windows && !*r->windows) {
			size_t used = strlen(msg);

			snprintf(msg + used, sizeof(msg) - used,
				 "; in no CXL window, it is handed over as dax_hmem loads: 'softresctl boot-options --write' gives it its mode from then on");
		}
	}
	if (rc) {
		sr_err(c, "%s: cannot set mode %s (%s:%d): %s; owner left alone",
		       r->name, rule->mode, file, rule->line, msg);
		if (out)
			*oom |= apply_json_add(out, r, "mode", NULL,
					       rule->mode, false, msg) < 0;
		return -1;
	}
	if (out)
		*oom |= apply_json_add(out, r, "mode", r->mode, rule->mode, dry,
				       NULL) < 0;
	else
		printf("%s: mode %s -> %s%s\n", r->name,
		       r->mode ? r->mode : "?", rule->mode,
		       dry ? " (dry run)" : "");
	return 1;
}

/*
 * Write into each range of @t the mode and the wish its first matching
 * rule of @pol (read from @file) asks for, when another; with @dry say it
 * only. The mode goes first, so that the owner brings the range up the
 * way the rule says; when it fails the owner is left alone. Changes go
 * to stdout, or into the JSON array @out when not NULL (*oom set when
 * they cannot). The number of ranges that failed; *changed counts the
 * writes made.
 */
static int apply_rules(const struct ctx *c, const struct sr_policy *pol,
		       const struct sr_tree *t, const char *file, bool dry,
		       struct json_object *out, bool *oom, int *changed)
{
	int rc, failed = 0;
	size_t i;

	*changed = 0;
	for (i = 0; i < t->n; i++) {
		const struct sr_range *r = &t->r[i];
		const struct sr_rule *rule = sr_policy_lookup(pol, r);
		const char *from = r->owner ? r->owner : "?";
		char msg[512];

		if (!rule)
			continue;
		rc = apply_mode(c, rule, r, file, dry, out, oom);
		if (rc < 0) {
			failed++;
			continue;
		}
		*changed += rc;
		if (r->owner && !strcmp(r->owner, rule->owner))
			continue;
		rc = dry ? 0 : sr_write_owner(r, rule->owner);
		if (rc) {
			sr_owner_strerror(rc, r, false, msg, sizeof(msg));
			sr_err(c, "%s: cannot set owner %s (%s:%d): %s",
			       r->name, rule->owner, file, rule->line, msg);
			if (out)
				*oom |= apply_json_add(out, r, "owner", NULL,
						       rule->owner, false,
						       msg) < 0;
			failed++;
			continue;
		}
		if (out)
			*oom |= apply_json_add(out, r, "owner", r->owner,
					       rule->owner, dry, NULL) < 0;
		else
			printf("%s: %s -> %s%s\n", r->name, from, rule->owner,
			       dry ? " (dry run)" : "");
		(*changed)++;
	}
	return failed;
}

int cmd_apply(int argc, char **argv, struct ctx *c)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool dry = false, json = false, json_oom = false;
	struct json_object *out = NULL;
	const char *file = NULL;
	int opt, rc, changed, failed;
	struct sr_policy pol;
	struct sr_tree t;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "nqjh", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			dry = true;
			break;
		case 'q':
			c->quiet = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(apply_usage, stdout);
			return EXIT_OK;
		default:
			fputs(apply_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		sr_err(c, "unexpected argument '%s'", argv[optind + 1]);
		fputs(apply_usage, stderr);
		return EXIT_USAGE;
	}
	if (optind < argc)
		file = argv[optind];

	rc = sr_policy_read(c, &file, &pol);
	if (rc < 0) {
		/* no policy file: nothing changes; --json whatever --quiet */
		if (json)
			fputs("[]\n", stdout);
		else if (!c->quiet)
			printf("no policy file\n");
		return EXIT_OK;
	}
	if (rc)
		return rc;
	rc = sr_prepare(c, !dry);
	if (rc) {
		sr_policy_free(&pol);
		return rc;
	}
	rc = sr_tree_load(&t, dry ? sr_tree_dir() : sr_path(SR_CONFIGFS));
	if (rc) {
		sr_err(c, "cannot read %s: %s", t.root, strerror(-rc));
		sr_policy_free(&pol);
		return EXIT_FAIL;
	}
	fflush(stdout);
	rc = sr_policy_check_tree(&pol, &t, file, stderr);
	if (rc)
		rc = sr_policy_refused(c, file, rc);
	/* --json: before changing anything, so that a change is never untold */
	if (!rc && json) {
		out = json_object_new_array();
		if (!out) {
			sr_err(c, "out of memory, nothing changed");
			rc = EXIT_FAIL;
		}
	}
	if (rc) {
		sr_tree_free(&t);
		sr_policy_free(&pol);
		return rc;
	}
	/* said once here, when the CXL devices cannot be read */
	if (sr_policy_has(&pol, MATCH_SERIAL))
		sr_cxl_open(c);
	failed = apply_rules(c, &pol, &t, file, dry, out, &json_oom, &changed);
	if (!changed && !failed && !c->quiet && !json)
		printf("nothing to change\n");
	sr_tree_free(&t);
	sr_policy_free(&pol);
	/* a part of the changes would mislead: then print none */
	if (json && (json_oom || sr_print_json(stdout, out))) {
		if (json_oom)
			json_object_put(out);
		sr_err(c, "out of memory: cannot print the result");
		return EXIT_FAIL;
	}
	return failed ? EXIT_FAIL : EXIT_OK;
}
