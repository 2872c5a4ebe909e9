// SPDX-License-Identifier: GPL-2.0
/*
 * softresctl: set-owner and set-mode, one command written once (owner.c
 * and mode.c describe their attribute): RANGE WORD [--offline] [--json].
 * --offline offlines the range's memory blocks first and puts them back,
 * each in its zone, when the write fails.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "softresctl.h"

/*
 * What a failed write of any attribute of @r means, for the errnos that
 * mean the same for all of them (@err positive).
 */
const char *sr_attr_strerror(int err, const struct sr_range *r, char *buf,
			     size_t len)
{
	switch (err) {
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

/* The memory blocks --offline offlined, and the zone each was in */
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
 * --json: the change made to @r, from its value to @word, with what
 * a->json_after adds of the state the kernel now tells (@now; left out
 * when it cannot be read) and, with --offline (@off not NULL), the blocks
 * offlined for it. 0 or -1.
 */
static int setattr_json(const struct sr_setattr *a, const struct sr_range *r,
			const struct sr_range *now, const char *word,
			const struct sr_blocks *off)
{
	struct json_object *o = json_object_new_object(), *arr;
	char block[32];
	size_t i;

	if (!o)
		return -1;
	if (sr_jstr(o, "range", r->name) || sr_jstr(o, "previous", a->get(r)) ||
	    sr_jstr(o, a->attr, word) ||
	    (now && a->json_after && a->json_after(o, now)))
		goto fail;
	if (off) {
		arr = json_object_new_array();
		if (!arr)
			goto fail;
		for (i = 0; i < off->n; i++) {
			snprintf(block, sizeof(block), "memory%lu", off->id[i]);
			if (sr_jappend(arr, json_object_new_string(block))) {
				json_object_put(arr);
				goto fail;
			}
		}
		if (sr_jadd(o, "offlined", arr))
			goto fail;
	}
	return sr_print_json(stdout, o);
fail:
	json_object_put(o);
	return -1;
}

int sr_setattr_cmd(int argc, char **argv, struct ctx *c,
		   const struct sr_setattr *a)
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
	const char *spec, *word, *prev;
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
			fputs(a->usage, stdout);
			return EXIT_OK;
		default:
			fputs(a->usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 2) {
		sr_err(c, "expected RANGE and %s", a->arg);
		fputs(a->usage, stderr);
		return EXIT_USAGE;
	}
	spec = argv[optind];
	word = argv[optind + 1];
	if (!a->valid(word)) {
		sr_err(c, "invalid %s '%s': expected %s", a->attr, word,
		       a->words);
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
	if (a->check) {
		rc = a->check(c, r);
		if (rc) {
			sr_tree_free(&t);
			return rc;
		}
	}

	/* the same value again moves nothing: no need to offline for it */
	if (offline && a->same(r, word))
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

	rc = a->write(r, word);
	if (rc) {
		sr_err(c, "%s: cannot set %s %s: %s", r->name, a->attr, word,
		       a->strerror(rc, r, !offline, msg, sizeof(msg)));
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
		if (setattr_json(a, r, after, word,
				 offline_opt ? &off.b : NULL)) {
			sr_err(c, "out of memory");
			rc = EXIT_FAIL;
		}
	} else {
		prev = a->get(r);
		printf("%s: %s -> %s\n", r->name, prev ? prev : "?", word);
		if (after)
			sr_show_human(stdout, after);
	}
	offlined_free(&off);
	sr_tree_free(&now);
	sr_tree_free(&t);
	return rc;
}
