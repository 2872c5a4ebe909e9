// SPDX-License-Identifier: GPL-2.0
/* softresctl list, show: what the kernel says about each range */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "softresctl.h"

static const char list_usage[] =
	"usage: softresctl list [-v] [--json [-u]] [-r RANGE] [--owner WORD]\n"
	"                       [--mode MODE] [--node N] [--region NAME]\n"
	"\n"
	"List the Soft Reserved ranges: start, size, node, owner (the effective\n"
	"one), mode (system-ram or devdax), its dax devices, how much is online,\n"
	"the wish when it differs from the owner, and the reason. Filters combine: a range is listed\n"
	"when it passes every one given.\n"
	"\n"
	"  -v, --verbose        also CXL windows and regions\n"
	"  -j, --json           print a JSON array (start, size: numbers)\n"
	"  -u, --human          with --json: start in hex, size in MiB/GiB and MB/GB\n"
	"  -r, --range RANGE    the range RANGE: rangeN, its start, or an address in it\n"
	"      --owner WORD     owner WORD: cxl, hmem, none, pending; auto: wish auto\n"
	"      --mode MODE      mode MODE: system-ram or devdax\n"
	"      --node N         target node N\n"
	"      --region NAME    CXL region NAME is on the range\n"
	"  -h, --help           this text\n";

static const char show_usage[] =
	"usage: softresctl show RANGE [--json [-u]]\n"
	"\n"
	"Show every attribute of one range. RANGE is rangeN, its start\n"
	"address, or any address inside it (0x.. hex, or decimal with an\n"
	"optional K, M, G or T suffix).\n"
	"\n"
	"  -j, --json   print a JSON object (start, size: numbers)\n"
	"  -u, --human  with --json: start in hex, size in MiB/GiB and MB/GB\n"
	"  -h, --help   this text\n";

/* --human: an address as "0x140000000", as cxl list -u does */
static int jhex(struct json_object *o, const char *key, bool have,
		uint64_t val)
{
	char buf[32];

	if (!have)
		return 0;
	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)val);
	return sr_jadd(o, key, json_object_new_string(buf));
}

/* --human: a size as "1024.00 MiB (1073.74 MB)"; a small one stays a number */
static int jsize(struct json_object *o, const char *key, bool have,
		 uint64_t val)
{
	char buf[64];

	if (!have)
		return 0;
	if (!sr_fmt_size_human(val, buf, sizeof(buf)))
		return sr_jnum(o, key, have, val);
	return sr_jadd(o, key, json_object_new_string(buf));
}

/*
 * The JSON object of @r, NULL when out of memory. start and size are
 * numbers; @human makes them strings for people (cxl list -u).
 */
struct json_object *sr_range_json(const struct sr_range *r, bool verbose,
				  bool human)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	if (sr_jstr(o, "range", r->name) ||
	    (human ? jhex(o, "start", r->have_start, r->start) :
		     sr_jnum(o, "start", r->have_start, r->start)) ||
	    (human ? jsize(o, "size", r->have_size, r->size) :
		     sr_jnum(o, "size", r->have_size, r->size)) ||
	    (r->have_node &&
	     sr_jadd(o, "target_node", json_object_new_int(r->target_node))) ||
	    sr_jstr(o, "owner", r->owner) ||
	    sr_jstr(o, "effective_owner", r->effective_owner) ||
	    sr_jstr(o, "mode", r->mode) ||
	    sr_jstr(o, "reason", r->reason))
		goto fail;
	if (verbose &&
	    (sr_jlist(o, "windows", r->windows) ||
	     sr_jlist(o, "regions", r->regions) ||
	     sr_jlist(o, "dax_devices", r->dax_devices) ||
	     sr_jstr(o, "online", r->online)))
		goto fail;
	return o;
fail:
	json_object_put(o);
	return NULL;
}

static void show_line(FILE *out, const char *key, const char *val)
{
	if (val)
		fprintf(out, "  %-16s %s\n", key, val);
}

void sr_show_human(FILE *out, const struct sr_range *r)
{
	char buf[64], sz[32];

	fprintf(out, "%s\n", r->name);
	if (r->have_start) {
		snprintf(buf, sizeof(buf), "%#llx",
			 (unsigned long long)r->start);
		show_line(out, "start", buf);
	}
	if (r->have_size) {
		sr_fmt_size(r->size, sz, sizeof(sz));
		snprintf(buf, sizeof(buf), "%#llx (%s)",
			 (unsigned long long)r->size, sz);
		show_line(out, "size", buf);
	}
	if (r->have_node) {
		snprintf(buf, sizeof(buf), "%d", r->target_node);
		show_line(out, "target_node", buf);
	}
	show_line(out, "owner", r->owner);
	show_line(out, "effective_owner", r->effective_owner);
	show_line(out, "mode", r->mode);
	show_line(out, "reason", r->reason);
	show_line(out, "windows", r->windows);
	show_line(out, "regions", r->regions);
	show_line(out, "dax_devices", r->dax_devices);
	show_line(out, "online", r->online);
}

/* A table: rows of cells, column widths computed, last column unpadded */
#define MAXCOL 12

struct table {
	char *cell[MAXCOL];
};

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

static void print_table(FILE *out, struct table *rows, size_t n, int ncol)
{
	size_t w[MAXCOL] = { 0 };
	size_t i;
	int j;

	for (i = 0; i < n; i++)
		for (j = 0; j < ncol; j++)
			if (strlen(rows[i].cell[j]) > w[j])
				w[j] = strlen(rows[i].cell[j]);
	for (i = 0; i < n; i++) {
		for (j = 0; j < ncol; j++) {
			if (j == ncol - 1)
				fprintf(out, "%s\n", rows[i].cell[j]);
			else
				fprintf(out, "%-*s  ", (int)w[j],
					rows[i].cell[j]);
		}
	}
}

/* A list attribute as one cell: "dax0.0,dax0.1"; "-" when empty */
static char *list_cell(const char *list)
{
	const char *p = list, *w;
	char *cell, *q;
	size_t n;

	if (!sr_word(&p, &n))
		return strdup("-");
	cell = malloc(strlen(list) + 1);
	if (!cell)
		return NULL;
	q = cell;
	p = list;
	while ((w = sr_word(&p, &n))) {
		if (q != cell)
			*q++ = ',';
		memcpy(q, w, n);
		q += n;
	}
	*q = '\0';
	return cell;
}

/*
 * How much of the range is online: "1G", "512M", "0"; the kernel's word
 * (yes, no, partial) when its memory blocks cannot be read.
 */
static char *online_cell(const struct sr_range *r)
{
	uint64_t bytes;
	char buf[32];

	if (sr_online_size(r, &bytes))
		return strdup(or_dash(r->online));
	sr_fmt_size(bytes, buf, sizeof(buf));
	return strdup(buf);
}

/* The wish when it differs from the effective owner, else "-" */
static const char *wish_cell(const struct sr_range *r)
{
	if (r->owner && r->effective_owner &&
	    !strcmp(r->owner, r->effective_owner))
		return "-";
	return or_dash(r->owner);
}

/*
 * OWNER is who owns the range now (effective_owner): what an admin reading
 * the table takes OWNER for; MODE how the range comes up (system-ram or
 * devdax); DEVICE its dax devices, ONLINE how much of
 * the range is online. WISH is the owner attribute, the admin's choice,
 * shown when the owner is not it. Every cell but REASON is one word.
 */
static int list_human(FILE *out, const struct sr_range *const *sel,
		      size_t n, bool verbose)
{
	static const char *const head[] = {
		"RANGE", "START", "SIZE", "NODE", "OWNER", "MODE", "DEVICE",
		"ONLINE", "WISH", "WINDOWS", "REGIONS", "REASON",
	};
	struct table *rows;
	int ncol = verbose ? 12 : 10;
	size_t i;
	int j, rc = 0;

	rows = calloc(n + 1, sizeof(*rows));
	if (!rows)
		return -1;
	for (j = 0; j < ncol; j++) {
		int h = (!verbose && j == ncol - 1) ? 11 : j;

		rows[0].cell[j] = strdup(head[h]);
	}
	for (i = 0; i < n; i++) {
		const struct sr_range *r = sel[i];
		struct table *row = &rows[i + 1];
		char start[32] = "-", size[32] = "-", node[16] = "-";

		if (r->have_start)
			snprintf(start, sizeof(start), "%#llx",
				 (unsigned long long)r->start);
		if (r->have_size)
			sr_fmt_size(r->size, size, sizeof(size));
		if (r->have_node)
			snprintf(node, sizeof(node), "%d", r->target_node);
		j = 0;
		row->cell[j++] = strdup(r->name);
		row->cell[j++] = strdup(start);
		row->cell[j++] = strdup(size);
		row->cell[j++] = strdup(node);
		row->cell[j++] = strdup(or_dash(r->effective_owner));
		row->cell[j++] = strdup(or_dash(r->mode));
		row->cell[j++] = list_cell(r->dax_devices);
		row->cell[j++] = online_cell(r);
		row->cell[j++] = strdup(wish_cell(r));
		if (verbose) {
			row->cell[j++] = list_cell(r->windows);
			row->cell[j++] = list_cell(r->regions);
		}
		row->cell[j++] = strdup(or_dash(r->reason));
	}
	for (i = 0; i <= n; i++)
		for (j = 0; j < ncol; j++)
			if (!rows[i].cell[j])
				rc = -1;
	if (!rc)
		print_table(out, rows, n + 1, ncol);
	for (i = 0; i <= n; i++)
		for (j = 0; j < ncol; j++)
			free(rows[i].cell[j]);
	free(rows);
	return rc;
}

static int list_json(FILE *out, const struct sr_range *const *sel, size_t n,
		     bool verbose, bool human)
{
	struct json_object *a;
	size_t i;

	a = json_object_new_array();
	if (!a)
		return -1;
	for (i = 0; i < n; i++) {
		if (sr_jappend(a, sr_range_json(sel[i], verbose, human))) {
			json_object_put(a);
			return -1;
		}
	}
	return sr_print_json(out, a);
}

/* list's filters, each NULL (or !have_node) when not given */
struct list_filter {
	const char *range;
	const char *owner;
	const char *mode;
	const char *region;
	bool have_node;
	int node;
};

static bool list_filtered(const struct list_filter *f)
{
	return f->range || f->owner || f->mode || f->region || f->have_node;
}

/*
 * --owner WORD: the effective owner is WORD; for auto, which owns nothing,
 * the wish is auto (the kernel chooses the owner).
 */
static bool owner_matches(const struct sr_range *r, const char *word)
{
	const char *v = strcmp(word, "auto") ? r->effective_owner : r->owner;

	return v && !strcmp(v, word);
}

/* Does @r pass every filter of @f? @match is the range -r names, if any. */
static bool list_match(const struct list_filter *f, const struct sr_range *r,
		       const struct sr_range *match)
{
	if (f->range && r != match)
		return false;
	if (f->owner && !owner_matches(r, f->owner))
		return false;
	/* no mode file: system-ram, as the kernel brings the range up */
	if (f->mode && (!r->mode || strcmp(r->mode, f->mode)))
		return false;
	if (f->have_node && (!r->have_node || r->target_node != f->node))
		return false;
	if (f->region && !sr_list_has(r->regions, f->region))
		return false;
	return true;
}

enum {
	OPT_OWNER = 256,
	OPT_MODE,
	OPT_NODE,
	OPT_REGION,
};

int cmd_list(int argc, char **argv, struct ctx *c)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'j' },
		{ "human", no_argument, NULL, 'u' },
		{ "range", required_argument, NULL, 'r' },
		{ "owner", required_argument, NULL, OPT_OWNER },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "node", required_argument, NULL, OPT_NODE },
		{ "region", required_argument, NULL, OPT_REGION },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool verbose = false, json = false, human = false;
	struct list_filter f = { 0 };
	const struct sr_range **sel;
	struct sr_range *match = NULL;
	struct sr_tree t;
	size_t i, n = 0;
	int opt, rc;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "vjur:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'v':
			verbose = true;
			break;
		case 'j':
			json = true;
			break;
		case 'u':
			human = true;
			break;
		case 'r':
			/* a RANGE that names no range matches nothing */
			sr_range_arg(c, NULL, optarg, true, &rc);
			if (rc)
				return rc;
			f.range = optarg;
			break;
		case OPT_OWNER:
			if (!sr_owner_word(optarg) && strcmp(optarg, "pending")) {
				sr_err(c, "invalid owner '%s': expected auto, cxl, hmem, none or pending",
				       optarg);
				return EXIT_USAGE;
			}
			f.owner = optarg;
			break;
		case OPT_MODE:
			if (!sr_mode_word(optarg)) {
				sr_err(c, "invalid mode '%s': expected " SR_MODE_WORDS,
				       optarg);
				return EXIT_USAGE;
			}
			f.mode = optarg;
			break;
		case OPT_NODE:
			if (sr_parse_int(optarg, &f.node)) {
				sr_err(c, "invalid node '%s': expected an integer",
				       optarg);
				return EXIT_USAGE;
			}
			f.have_node = true;
			break;
		case OPT_REGION:
			if (!*optarg || strpbrk(optarg, " \t")) {
				sr_err(c, "invalid region '%s': expected a region name such as region0",
				       optarg);
				return EXIT_USAGE;
			}
			f.region = optarg;
			break;
		case 'h':
			fputs(list_usage, stdout);
			return EXIT_OK;
		default:
			fputs(list_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		sr_err(c, "unexpected argument '%s'", argv[optind]);
		fputs(list_usage, stderr);
		return EXIT_USAGE;
	}
	rc = sr_open(c, &t, false);
	if (rc)
		return rc;
	sel = calloc(t.n ? t.n : 1, sizeof(*sel));
	if (!sel) {
		sr_tree_free(&t);
		sr_err(c, "out of memory");
		return EXIT_FAIL;
	}
	/* checked above: NULL here means no such range, matching nothing */
	if (f.range)
		match = sr_range_arg(c, &t, f.range, true, &rc);
	for (i = 0; i < t.n; i++)
		if (list_match(&f, &t.r[i], match))
			sel[n++] = &t.r[i];
	if (!n && list_filtered(&f)) {
		/* not an error; the warning tells it from no ranges at all */
		sr_err(c, "no range matches");
		rc = json ? list_json(stdout, sel, 0, verbose, human) : 0;
	} else {
		rc = json ? list_json(stdout, sel, n, verbose, human) :
			    list_human(stdout, sel, n, verbose);
	}
	free(sel);
	sr_tree_free(&t);
	if (rc) {
		sr_err(c, "out of memory");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_show(int argc, char **argv, struct ctx *c)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "human", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false, human = false;
	struct sr_range *r;
	struct sr_tree t;
	int opt, rc;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "juh", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'u':
			human = true;
			break;
		case 'h':
			fputs(show_usage, stdout);
			return EXIT_OK;
		default:
			fputs(show_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		sr_err(c, "expected one RANGE");
		fputs(show_usage, stderr);
		return EXIT_USAGE;
	}
	rc = sr_open(c, &t, false);
	if (rc)
		return rc;
	r = sr_range_arg(c, &t, argv[optind], false, &rc);
	if (!r) {
		sr_tree_free(&t);
		return rc;
	}
	rc = EXIT_OK;
	if (json) {
		struct json_object *o = sr_range_json(r, true, human);

		if (!o || sr_print_json(stdout, o)) {
			sr_err(c, "out of memory");
			rc = EXIT_FAIL;
		}
	} else {
		sr_show_human(stdout, r);
	}
	sr_tree_free(&t);
	return rc;
}
