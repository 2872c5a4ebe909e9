// SPDX-License-Identifier: GPL-2.0
/* softresctl set-owner, wait: change and await owners */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

static const char wait_usage[] =
	"usage: softresctl wait [--timeout S]\n"
	"\n"
	"Wait until no range is pending its boot-time decision.\n"
	"Exit 0 when none is, 1 on timeout.\n"
	"\n"
	"  -t, --timeout S  give up after S seconds (default 60)\n"
	"  -h, --help       this text\n";

bool sr_owner_word(const char *s)
{
	return !strcmp(s, "auto") || !strcmp(s, "cxl") || !strcmp(s, "hmem") ||
	       !strcmp(s, "none");
}

int sr_write_owner(const struct sr_range *r, const char *word)
{
	char path[PATH_MAX], val[16];

	snprintf(path, sizeof(path), "%s/%s/owner", sr_configfs_root(),
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
 * set-owner --json: the change made to @name, from wish @from to @word,
 * with its effective owner as the kernel now tells it (left out when it
 * cannot be read) and, with --offline (@off not NULL), the blocks offlined
 * for it. 0 or -1.
 */
static int set_owner_json(const char *name, const char *from,
			  const char *word, const struct sr_blocks *off)
{
	struct json_object *o = json_object_new_object(), *a;
	struct sr_range *r;
	struct sr_tree t;
	char block[32];
	int rc, err;
	size_t i;

	if (!o)
		return -1;
	if (sr_jstr(o, "range", name) || sr_jstr(o, "previous", from) ||
	    sr_jstr(o, "owner", word))
		goto fail;
	if (!sr_tree_load(&t, sr_configfs_root())) {
		r = sr_tree_find(&t, name, &err);
		rc = r ? sr_jstr(o, "effective_owner", r->effective_owner) : 0;
		sr_tree_free(&t);
		if (rc)
			goto fail;
	}
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
	const char *spec, *word;
	char msg[512], *from;
	struct sr_range *r;
	struct sr_tree t;
	int opt, rc, err = 0;

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
	r = sr_range_arg(c, &t, spec, &rc);
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

	from = r->owner ? strdup(r->owner) : NULL;
	snprintf(msg, sizeof(msg), "%s", r->name);
	sr_tree_free(&t);
	if (json) {
		/* --offline lists what it offlined, [] when nothing */
		rc = set_owner_json(msg, from, word,
				    offline_opt ? &off.b : NULL);
		offlined_free(&off);
		free(from);
		if (rc) {
			sr_err(c, "out of memory");
			return EXIT_FAIL;
		}
		return EXIT_OK;
	}
	offlined_free(&off);
	printf("%s: %s -> %s\n", msg, from ? from : "?", word);
	free(from);
	/* the resulting state, as the kernel now tells it */
	if (!sr_tree_load(&t, sr_configfs_root())) {
		r = sr_tree_find(&t, msg, &err);
		if (r)
			sr_show_human(stdout, r);
		sr_tree_free(&t);
	}
	return EXIT_OK;
}

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
