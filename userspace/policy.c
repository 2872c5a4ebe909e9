// SPDX-License-Identifier: GPL-2.0
/*
 * softresctl: the policy file, read and matched against ranges (apply.c
 * writes it into the ranges, bootopts.c into dax_hmem's module options). One rule a line, "MATCH OWNER [MODE]"; '#' starts a
 * comment; the first rule that matches a range decides its wish, and its
 * mode when the rule names one. See softresctl(8).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "softresctl.h"

static int parse_match(const char *m, struct sr_rule *rule, char *err,
		       size_t len)
{
	const char *eq, *val;
	size_t klen;
	int id, rc;

	if (!strcmp(m, "*")) {
		rule->kind = MATCH_ALL;
		return 0;
	}
	if (!strncmp(m, "range", 5) && !strchr(m, '=')) {
		if (sr_parse_range_name(m, &id)) {
			snprintf(err, len, "invalid range name '%s'", m);
			return -1;
		}
		rule->kind = MATCH_RANGE;
		rule->val = (uint64_t)id;
		return 0;
	}
	eq = strchr(m, '=');
	if (!eq) {
		snprintf(err, len,
			 "unknown match '%s': expected rangeN, start=, addr=, node=, serial= or *",
			 m);
		return -1;
	}
	klen = eq - m;
	val = eq + 1;
	if ((klen == 5 && !strncmp(m, "start", 5)) ||
	    (klen == 4 && !strncmp(m, "addr", 4))) {
		rule->kind = klen == 5 ? MATCH_START : MATCH_ADDR;
		rc = sr_parse_u64(val, &rule->val);
		if (rc) {
			snprintf(err, len, "%s address '%s'",
				 rc == -ERANGE ? "out of range" : "invalid",
				 val);
			return -1;
		}
		return 0;
	}
	if (klen == 4 && !strncmp(m, "node", 4)) {
		rule->kind = MATCH_NODE;
		if (sr_parse_int(val, &rule->node) || rule->node < -1) {
			snprintf(err, len, "invalid node '%s'", val);
			return -1;
		}
		return 0;
	}
	if (klen == 6 && !strncmp(m, "serial", 6)) {
		rule->kind = MATCH_SERIAL;
		if (sr_parse_u64(val, &rule->val)) {
			snprintf(err, len, "invalid serial '%s'", val);
			return -1;
		}
		return 0;
	}
	snprintf(err, len,
		 "unknown match '%.*s=': expected rangeN, start=, addr=, node=, serial= or *",
		 (int)klen, m);
	return -1;
}

static int parse_line(char *line, struct sr_rule *rule, char *err, size_t len)
{
	static const char ws[] = " \t\r\n\v\f";
	char *save = NULL, *match, *owner, *mode, *extra;
	char *hash = strchr(line, '#');

	if (hash)
		*hash = '\0';
	match = strtok_r(line, ws, &save);
	if (!match)
		return 1;	/* blank or comment */
	owner = strtok_r(NULL, ws, &save);
	if (!owner) {
		snprintf(err, len, "expected 'MATCH OWNER', got only '%s'",
			 match);
		return -1;
	}
	mode = strtok_r(NULL, ws, &save);
	extra = mode ? strtok_r(NULL, ws, &save) : NULL;
	if (extra) {
		snprintf(err, len, "unexpected '%s' after the mode", extra);
		return -1;
	}
	if (!sr_owner_word(owner)) {
		snprintf(err, len,
			 "unknown owner '%s': expected auto, cxl, hmem or none",
			 owner);
		return -1;
	}
	if (mode && !sr_mode_word(mode)) {
		snprintf(err, len,
			 "unknown mode '%s': expected " SR_MODE_WORDS
			 " (or nothing)", mode);
		return -1;
	}
	memset(rule, 0, sizeof(*rule));
	snprintf(rule->owner, sizeof(rule->owner), "%s", owner);
	if (mode)
		snprintf(rule->mode, sizeof(rule->mode), "%s", mode);
	snprintf(rule->text, sizeof(rule->text), "%s %s%s%s", match, owner,
		 mode ? " " : "", mode ? mode : "");
	return parse_match(match, rule, err, len);
}

static bool same_match(const struct sr_rule *a, const struct sr_rule *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case MATCH_ALL:
		return true;
	case MATCH_NODE:
		return a->node == b->node;
	default:
		return a->val == b->val;
	}
}

/*
 * Does an earlier rule of @p keep @rule from ever taking effect, whatever
 * the ranges? It does when it is '*', has the same match, or is addr=X
 * before start=X (the range starting at X is the one containing X).
 * Say so in @err; 1 yes, 0 no.
 */
static int shadowed(const struct sr_policy *p, const struct sr_rule *rule,
		    char *err, size_t len)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct sr_rule *e = &p->rule[i];

		if (e->kind == MATCH_ALL) {
			snprintf(err, len,
				 "'%s' never takes effect: '%s' on line %d matches every range first",
				 rule->text, e->text, e->line);
			return 1;
		}
		if (same_match(e, rule)) {
			snprintf(err, len,
				 "'%s' duplicates '%s' on line %d: it never takes effect",
				 rule->text, e->text, e->line);
			return 1;
		}
		if (e->kind == MATCH_ADDR && rule->kind == MATCH_START &&
		    e->val == rule->val) {
			snprintf(err, len,
				 "'%s' never takes effect: '%s' on line %d matches that range first",
				 rule->text, e->text, e->line);
			return 1;
		}
	}
	return 0;
}

/*
 * Read one line of @in into @buf (SR_POLICY_LINE_MAX + 1 bytes) without its
 * newline. 1 a line, 0 the end of the file, -E2BIG a line too long,
 * -EILSEQ a NUL byte, or the -errno of a failed read.
 */
static int read_line(FILE *in, char *buf)
{
	size_t len = 0;
	int ch;

	errno = 0;
	while ((ch = getc(in)) != EOF && ch != '\n') {
		if (!ch)
			return -EILSEQ;
		if (len == SR_POLICY_LINE_MAX)
			return -E2BIG;
		buf[len++] = ch;
	}
	if (ch == EOF && ferror(in))
		return errno ? -errno : -EIO;
	buf[len] = '\0';
	return ch == EOF && !len ? 0 : 1;
}

/*
 * Parse the whole of @in. Every error is reported on @errs as
 * "FILE:LINE: message": each bad line, each rule an earlier one keeps
 * from ever taking effect, and what ends the reading early (a failed
 * read, a NUL byte, a line longer than SR_POLICY_LINE_MAX: this is not a
 * policy file). Returns the number of errors, or -ENOMEM.
 */
int sr_policy_parse(FILE *in, const char *fname, struct sr_policy *p,
		    FILE *errs)
{
	int lineno = 0, bad = 0, rc = 0;
	char *line;

	memset(p, 0, sizeof(*p));
	line = malloc(SR_POLICY_LINE_MAX + 1);
	if (!line)
		return -ENOMEM;
	for (;;) {
		struct sr_rule rule, *nr;
		char err[256];
		bool stop;
		int r;

		lineno++;
		r = read_line(in, line);
		if (!r)
			break;
		stop = r < 0;	/* not a line of text: stop here */
		if (r == -E2BIG)
			snprintf(err, sizeof(err), "line longer than %d bytes",
				 SR_POLICY_LINE_MAX);
		else if (r == -EILSEQ)
			snprintf(err, sizeof(err), "NUL byte in line");
		else if (r < 0)
			snprintf(err, sizeof(err), "cannot read: %s",
				 strerror(-r));
		else
			r = parse_line(line, &rule, err, sizeof(err));
		if (!r && shadowed(p, &rule, err, sizeof(err)))
			r = -1;
		if (r < 0) {
			if (errs)
				fprintf(errs, "%s:%d: %s\n", fname, lineno, err);
			bad++;
			if (stop)
				break;
			continue;
		}
		if (r > 0)
			continue;
		rule.line = lineno;
		nr = realloc(p->rule, (p->n + 1) * sizeof(*p->rule));
		if (!nr) {
			rc = -ENOMEM;
			break;
		}
		p->rule = nr;
		p->rule[p->n++] = rule;
	}
	free(line);
	return rc ? rc : bad;
}

/* rangeN, start= and addr= each name one range */
static bool names_one_range(const struct sr_rule *rule)
{
	return rule->kind == MATCH_RANGE || rule->kind == MATCH_START ||
	       rule->kind == MATCH_ADDR;
}

/*
 * Rules that name one range and find the same range of @t (range0,
 * start=0x140000000 and addr=0x150000000 may all be range0): the later
 * ones never take effect. Each is reported on @errs as "FILE:LINE:
 * message"; returns how many.
 */
int sr_policy_check_tree(const struct sr_policy *p, const struct sr_tree *t,
			 const char *fname, FILE *errs)
{
	size_t i, j, k;
	int bad = 0;

	for (i = 0; i < p->n; i++) {
		const struct sr_rule *rule = &p->rule[i];
		const struct sr_range *r = NULL;

		if (!names_one_range(rule))
			continue;
		for (k = 0; k < t->n && !r; k++)
			if (sr_rule_matches(rule, &t->r[k]))
				r = &t->r[k];
		if (!r)
			continue;
		for (j = 0; j < i; j++) {
			const struct sr_rule *e = &p->rule[j];

			if (!names_one_range(e) || !sr_rule_matches(e, r))
				continue;
			if (errs)
				fprintf(errs,
					"%s:%d: '%s' names %s again: '%s' on line %d named it first\n",
					fname, rule->line, rule->text, r->name,
					e->text, e->line);
			bad++;
			break;
		}
	}
	return bad;
}

void sr_policy_free(struct sr_policy *p)
{
	free(p->rule);
	p->rule = NULL;
	p->n = 0;
}

/* Has @p a rule of the kind @kind? */
bool sr_policy_has(const struct sr_policy *p, enum sr_match kind)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->rule[i].kind == kind)
			return true;
	return false;
}

/* serial= matches no range when the CXL devices cannot be read */
bool sr_rule_matches(const struct sr_rule *rule, const struct sr_range *r)
{
	switch (rule->kind) {
	case MATCH_ALL:
		return true;
	case MATCH_RANGE:
		return (uint64_t)r->id == rule->val;
	case MATCH_START:
		return r->have_start && r->start == rule->val;
	case MATCH_ADDR:
		return sr_range_contains(r, rule->val);
	case MATCH_NODE:
		return r->have_node && r->target_node == rule->node;
	case MATCH_SERIAL:
		return sr_range_has_serial(r, rule->val) > 0;
	}
	return false;
}

const struct sr_rule *sr_policy_lookup(const struct sr_policy *p,
				       const struct sr_range *r)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (sr_rule_matches(&p->rule[i], r))
			return &p->rule[i];
	return NULL;
}

/* The file is refused whole: @n errors were reported */
int sr_policy_refused(const struct ctx *c, const char *file, int n)
{
	sr_err(c, "%s: %d error%s, nothing changed", file, n,
	       n == 1 ? "" : "s");
	return EXIT_USAGE;
}

/*
 * The policy file: @file, else $SOFTRES_POLICY, else the default one
 * (below --root with it). 0 with the rules in @pol; else the exit code
 * to return, with what was printed for it (-1: the default file is
 * missing, which is no error).
 */
int sr_policy_read(const struct ctx *c, const char **file,
		   struct sr_policy *pol)
{
	bool explicit = *file;
	FILE *f;
	int rc;

	memset(pol, 0, sizeof(*pol));
	if (!explicit) {
		*file = getenv("SOFTRES_POLICY");
		if (!*file || !**file)
			*file = sr_path(SR_POLICY);
	}
	f = fopen(*file, "re");
	if (!f) {
		if (!explicit && errno == ENOENT)
			return -1;
		sr_err(c, "cannot open %s: %s", *file, strerror(errno));
		return EXIT_USAGE;
	}
	fflush(stdout);
	rc = sr_policy_parse(f, *file, pol, stderr);
	fclose(f);
	if (rc < 0)
		sr_err(c, "%s: %s, nothing changed", *file, strerror(-rc));
	else if (rc > 0)
		sr_policy_refused(c, *file, rc);
	else
		return 0;
	sr_policy_free(pol);
	return rc < 0 ? EXIT_FAIL : EXIT_USAGE;
}
