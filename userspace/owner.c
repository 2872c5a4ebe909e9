// SPDX-License-Identifier: GPL-2.0
/* softresctl set-owner: choose the owner of a range */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "softresctl.h"

static const char set_owner_usage[] =
	"usage: softresctl set-owner RANGE auto|cxl|hmem|none [--offline] [--json]\n"
	"\n"
	"Set the owner wish of a range (root only). RANGE is rangeN, its\n"
	"start address, or any address inside it. The kernel refuses while\n"
	"memory of the current owner is online.\n"
	"\n"
	"  -o, --offline  first offline the range's online memory blocks;\n"
	"                 online them again if the change fails\n"
	"  -j, --json     print the change as a JSON object\n"
	"  -h, --help     this text\n";

bool sr_owner_word(const char *s)
{
	return !strcmp(s, "auto") || !strcmp(s, "cxl") || !strcmp(s, "hmem") ||
	       !strcmp(s, "none");
}

int sr_write_owner(const struct sr_range *r, const char *word)
{
	char path[PATH_MAX], val[16];

	snprintf(path, sizeof(path), "%s/%s/owner", sr_path(SR_CONFIGFS),
		 r->name);
	snprintf(val, sizeof(val), "%s\n", word);
	return sr_write_file(path, val);
}

/*
 * What a failed owner write means, in words. @offline_opt: the command
 * can offline the memory itself (set-owner without --offline), so the
 * hint may name --offline; no other command has that option.
 */
const char *sr_owner_strerror(int err, const struct sr_range *r,
			      bool offline_opt, char *buf, size_t len)
{
	struct sr_blocks b;
	char blocks[256];

	if (err < 0)
		err = -err;
	switch (err) {
	case EBUSY:
		if (!sr_blocks_in_state(r, "online", &b) && b.n) {
			sr_blocks_fmt(&b, blocks, sizeof(blocks));
			if (offline_opt)
				snprintf(buf, len,
					 "memory is online: use --offline or offline %s",
					 blocks);
			else
				snprintf(buf, len,
					 "memory is online: offline %s first",
					 blocks);
		} else {
			snprintf(buf, len,
				 "memory is online, or a process has its device-dax instance open or mapped (see the kernel log)");
		}
		sr_blocks_free(&b);
		break;
	case ENXIO:
		snprintf(buf, len, "no committed CXL region covers %s",
			 r->name);
		break;
	case EINVAL:
		snprintf(buf, len,
			 "invalid owner: the kernel takes auto, cxl, hmem or none");
		break;
	case EACCES:
	case EPERM:
		snprintf(buf, len, "must be root");
		break;
	case ENODEV:
	case ENOENT:
		snprintf(buf, len, "%s is gone", r->name);
		break;
	default:
		snprintf(buf, len, "%s", strerror(err));
	}
	return buf;
}

/* The memory blocks set-owner offlined, and the zone each was in */
struct offlined {
	struct sr_blocks b;
	bool *movable;		/* per block: it was in ZONE_MOVABLE */
};

static void offlined_free(struct offlined *o)
{
	sr_blocks_free(&o->b);
	free(o->movable);
	o->movable = NULL;
}

/*
 * Online again the blocks we offlined, each in the zone it was in (plain
 * "online" could put movable memory in ZONE_NORMAL); report those that
 * refuse.
 */
static void restore_blocks(const struct ctx *c, const struct offlined *o)
{
	size_t i;

	for (i = 0; i < o->b.n; i++) {
		const char *how = o->movable[i] ? "online_movable\n" :
						  "online_kernel\n";
		int rc = sr_block_set(o->b.id[i], how);

		if (rc)
			sr_err(c, "cannot online memory%lu again: %s",
			       o->b.id[i], strerror(-rc));
	}
}

/*
 * Offline every online block of @r, noting first the zone of each: a
 * block whose zone cannot be told is not offlined, nor any other. On
 * failure online again what was offlined and return -1; @done lists
 * what is now offline because of us.
 */
static int offline_range(const struct ctx *c, const struct sr_range *r,
			 struct offlined *done)
{
	struct sr_blocks on;
	char zone[32];
	size_t i;
	int rc;

	memset(done, 0, sizeof(*done));
	rc = sr_blocks_in_state(r, "online", &on);
	if (rc) {
		sr_err(c, "%s: cannot read its memory blocks: %s", r->name,
		       strerror(-rc));
		return -1;
	}
	done->b.id = calloc(on.n ? on.n : 1, sizeof(*done->b.id));
	done->movable = calloc(on.n ? on.n : 1, sizeof(*done->movable));
	if (!done->b.id || !done->movable) {
		offlined_free(done);
		sr_blocks_free(&on);
		sr_err(c, "out of memory");
		return -1;
	}
	for (i = 0; i < on.n; i++) {
		rc = sr_block_movable(on.id[i], zone, sizeof(zone));
		if (rc < 0) {
			if (rc == -EINVAL)
				sr_err(c, "%s: cannot tell the zone of memory%lu (valid_zones: %s), nothing offlined",
				       r->name, on.id[i], zone);
			else
				sr_err(c, "%s: cannot tell the zone of memory%lu: %s, nothing offlined",
				       r->name, on.id[i], strerror(-rc));
			offlined_free(done);
			sr_blocks_free(&on);
			return -1;
		}
		done->movable[i] = rc;
	}
	for (i = 0; i < on.n; i++) {
		rc = sr_block_set(on.id[i], "offline\n");
		if (rc) {
			sr_err(c, "%s: cannot offline memory%lu: %s", r->name,
			       on.id[i], strerror(-rc));
			restore_blocks(c, done);
			offlined_free(done);
			sr_blocks_free(&on);
			return -1;
		}
		done->b.id[done->b.n++] = on.id[i];
	}
	sr_blocks_free(&on);
	return 0;
}

/*
 * set-owner --json: the change made to @r, from its wish to @word, with
 * its effective owner as the kernel now tells it (@now; left out when it
 * cannot be read) and, with --offline (@off not NULL), the blocks offlined
 * for it. 0 or -1.
 */
static int set_owner_json(const struct sr_range *r, const struct sr_range *now,
			  const char *word, const struct sr_blocks *off)
{
	struct json_object *o = json_object_new_object(), *a;
	char block[32];
	size_t i;

	if (!o)
		return -1;
	if (sr_jstr(o, "range", r->name) || sr_jstr(o, "previous", r->owner) ||
	    sr_jstr(o, "owner", word) ||
	    (now && sr_jstr(o, "effective_owner", now->effective_owner)))
		goto fail;
	if (off) {
		a = json_object_new_array();
		if (!a)
			goto fail;
		for (i = 0; i < off->n; i++) {
			snprintf(block, sizeof(block), "memory%lu", off->id[i]);
			if (sr_jappend(a, json_object_new_string(block))) {
				json_object_put(a);
				goto fail;
			}
		}
		if (sr_jadd(o, "offlined", a))
			goto fail;
	}
	return sr_print_json(stdout, o);
fail:
	json_object_put(o);
	return -1;
}

int cmd_set_owner(int argc, char **argv, struct ctx *c)
{
	static const struct option opts[] = {
		{ "offline", no_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool offline = false, offline_opt = false, json = false;
	struct offlined off = { 0 };
	struct sr_range *r, *after;
	const char *spec, *word;
	struct sr_tree t, now;
	int opt, rc, err = 0;
	char msg[512];

	optind = 0;
	while ((opt = getopt_long(argc, argv, "ojh", opts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			offline = offline_opt = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(set_owner_usage, stdout);
			return EXIT_OK;
		default:
			fputs(set_owner_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 2) {
		sr_err(c, "expected RANGE and OWNER");
		fputs(set_owner_usage, stderr);
		return EXIT_USAGE;
	}
	spec = argv[optind];
	word = argv[optind + 1];
	if (!sr_owner_word(word)) {
		sr_err(c, "invalid owner '%s': expected auto, cxl, hmem or none",
		       word);
		return EXIT_USAGE;
	}
	rc = sr_open(c, &t, true);
	if (rc)
		return rc;
	r = sr_range_arg(c, &t, spec, false, &rc);
	if (!r) {
		sr_tree_free(&t);
		return rc;
	}

	/* same wish again moves nothing: no need to offline for it */
	if (offline && r->owner && !strcmp(r->owner, word) &&
	    strcmp(word, "auto"))
		offline = false;
	if (offline) {
		if (offline_range(c, r, &off)) {
			sr_tree_free(&t);
			return EXIT_FAIL;
		}
		if (off.b.n && !json) {
			sr_blocks_fmt(&off.b, msg, sizeof(msg));
			printf("offlined %s\n", msg);
		}
	}

	rc = sr_write_owner(r, word);
	if (rc) {
		sr_err(c, "%s: cannot set owner %s: %s", r->name, word,
		       sr_owner_strerror(rc, r, !offline, msg, sizeof(msg)));
		if (off.b.n) {
			restore_blocks(c, &off);
			/* --json: a failure prints nothing on stdout */
			if (!json) {
				sr_blocks_fmt(&off.b, msg, sizeof(msg));
				printf("onlined %s again\n", msg);
			}
		}
		offlined_free(&off);
		sr_tree_free(&t);
		return EXIT_FAIL;
	}

	/* the resulting state, as the kernel now tells it (none: unreadable) */
	sr_tree_load(&now, sr_path(SR_CONFIGFS));
	after = sr_tree_find(&now, r->name, &err);
	rc = EXIT_OK;
	if (json) {
		/* --offline lists what it offlined, [] when nothing */
		if (set_owner_json(r, after, word, offline_opt ? &off.b : NULL)) {
			sr_err(c, "out of memory");
			rc = EXIT_FAIL;
		}
	} else {
		printf("%s: %s -> %s\n", r->name, r->owner ? r->owner : "?",
		       word);
		if (after)
			sr_show_human(stdout, after);
	}
	offlined_free(&off);
	sr_tree_free(&now);
	sr_tree_free(&t);
	return rc;
}
