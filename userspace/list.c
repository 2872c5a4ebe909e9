// SPDX-License-Identifier: GPL-2.0
/* softresctl list, show: what the kernel says about each range */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "softresctl.h"

static const char list_usage[] =
	"usage: softresctl list [-v] [--json]\n"
	"\n"
	"List every Soft Reserved range: start, size, node, owner wish,\n"
	"effective owner and reason.\n"
	"\n"
	"  -v, --verbose  also CXL windows, regions, dax devices, online state\n"
	"  -j, --json     print a JSON array\n"
	"  -h, --help     this text\n";

static const char show_usage[] =
	"usage: softresctl show RANGE [--json]\n"
	"\n"
	"Show every attribute of one range. RANGE is rangeN, its start\n"
	"address, or any address inside it (0x.. hex, or decimal with an\n"
	"optional K, M, G or T suffix).\n"
	"\n"
	"  -j, --json  print a JSON object\n"
	"  -h, --help  this text\n";

/* Add @v under @key; takes @v, frees it when adding fails. 0 or -1. */
static int jadd(struct json_object *o, const char *key, struct json_object *v)
{
	if (!v)
		return -1;
	if (json_object_object_add(o, key, v)) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static int jstr(struct json_object *o, const char *key, const char *val)
{
	if (!val)
		return 0;	/* could not be read: leave it out */
	return jadd(o, key, json_object_new_string(val));
}

static int jhex(struct json_object *o, const char *key, bool have,
		uint64_t val)
{
	char buf[32];

	if (!have)
		return 0;
	snprintf(buf, sizeof(buf), "%#llx", (unsigned long long)val);
	return jadd(o, key, json_object_new_string(buf));
}

/* "a b c" -> ["a", "b", "c"] */
static int jlist(struct json_object *o, const char *key, const char *list)
{
	struct json_object *a;
	const char *p = list;

	if (!list)
		return 0;
	a = json_object_new_array();
	if (!a)
		return -1;
	while (*p) {
		struct json_object *s;
		size_t n;

		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		if (!n)
			break;
		s = json_object_new_string_len(p, (int)n);
		if (!s || json_object_array_add(a, s)) {
			json_object_put(s);
			json_object_put(a);
			return -1;
		}
		p += n;
	}
	return jadd(o, key, a);
}

/* The JSON object of @r, NULL when out of memory */
struct json_object *sr_range_json(const struct sr_range *r, bool verbose)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	if (jstr(o, "range", r->name) ||
	    jhex(o, "start", r->have_start, r->start) ||
	    jhex(o, "size", r->have_size, r->size) ||
	    (r->have_node &&
	     jadd(o, "target_node", json_object_new_int(r->target_node))) ||
	    jstr(o, "owner", r->owner) ||
	    jstr(o, "effective_owner", r->effective_owner) ||
	    jstr(o, "reason", r->reason))
		goto fail;
	if (verbose &&
	    (jlist(o, "windows", r->windows) ||
	     jlist(o, "regions", r->regions) ||
	     jlist(o, "dax_devices", r->dax_devices) ||
	     jstr(o, "online", r->online)))
		goto fail;
	return o;
fail:
	json_object_put(o);
	return NULL;
}

/* Print @o pretty and drop it. 0 or -1. */
int sr_print_json(FILE *out, struct json_object *o)
{
	const char *s;
	int rc = 0;

	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					   JSON_C_TO_STRING_SPACED |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!s || fprintf(out, "%s\n", s) < 0)
		rc = -1;
	json_object_put(o);
	return rc;
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
	show_line(out, "reason", r->reason);
	show_line(out, "windows", r->windows);
	show_line(out, "regions", r->regions);
	show_line(out, "dax_devices", r->dax_devices);
	show_line(out, "online", r->online);
}

/* A table: rows of cells, column widths computed, last column unpadded */
#define MAXCOL 11

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

static int list_human(FILE *out, const struct sr_tree *t, bool verbose)
{
	static const char *const head[] = {
		"RANGE", "START", "SIZE", "NODE", "OWNER", "EFFECTIVE",
		"ONLINE", "WINDOWS", "REGIONS", "DAX", "REASON",
	};
	struct table *rows;
	int ncol = verbose ? 11 : 7;
	size_t i;
	int j, rc = 0;

	rows = calloc(t->n + 1, sizeof(*rows));
	if (!rows)
		return -1;
	for (j = 0; j < ncol; j++) {
		int h = (!verbose && j == ncol - 1) ? 10 : j;

		rows[0].cell[j] = strdup(head[h]);
	}
	for (i = 0; i < t->n; i++) {
		const struct sr_range *r = &t->r[i];
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
		row->cell[j++] = strdup(or_dash(r->owner));
		row->cell[j++] = strdup(or_dash(r->effective_owner));
		if (verbose) {
			row->cell[j++] = strdup(or_dash(r->online));
			row->cell[j++] = strdup(or_dash(r->windows));
			row->cell[j++] = strdup(or_dash(r->regions));
			row->cell[j++] = strdup(or_dash(r->dax_devices));
		}
		row->cell[j++] = strdup(or_dash(r->reason));
	}
	for (i = 0; i <= t->n; i++)
		for (j = 0; j < ncol; j++)
			if (!rows[i].cell[j])
				rc = -1;
	if (!rc)
		print_table(out, rows, t->n + 1, ncol);
	for (i = 0; i <= t->n; i++)
		for (j = 0; j < ncol; j++)
			free(rows[i].cell[j]);
	free(rows);
	return rc;
}

static int list_json(FILE *out, const struct sr_tree *t, bool verbose)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	if (!a)
		return -1;
	for (i = 0; i < t->n; i++) {
		struct json_object *o = sr_range_json(&t->r[i], verbose);

		if (!o || json_object_array_add(a, o)) {
			json_object_put(o);
			json_object_put(a);
			return -1;
		}
	}
	return sr_print_json(out, a);
}

int cmd_list(int argc, char **argv, struct ctx *c)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool verbose = false, json = false;
	struct sr_tree t;
	int opt, rc;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "vjh", opts, NULL)) != -1) {
		switch (opt) {
		case 'v':
			verbose = true;
			break;
		case 'j':
			json = true;
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
	rc = json ? list_json(stdout, &t, verbose) :
		    list_human(stdout, &t, verbose);
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	struct sr_range *r;
	struct sr_tree t;
	int opt, rc;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
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
	r = sr_range_arg(c, &t, argv[optind], &rc);
	if (!r) {
		sr_tree_free(&t);
		return rc;
	}
	rc = EXIT_OK;
	if (json) {
		struct json_object *o = sr_range_json(r, true);

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
