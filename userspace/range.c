// SPDX-License-Identifier: GPL-2.0
/*
 * softresctl: RANGE on the command line (rangeN, the start address of a
 * range, or any address inside one), for every command that takes one:
 * show, set-owner, list -r. One lookup, one set of messages.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "softresctl.h"

bool sr_range_contains(const struct sr_range *r, uint64_t addr)
{
	if (!r->have_start || !r->have_size || !r->size)
		return false;
	return addr >= r->start && addr - r->start < r->size;
}

/*
 * The range of @t that RANGE @spec names. NULL with *err = -EINVAL (not a
 * range name or address) or -ENOENT (no such range in @t; @t may be NULL,
 * no ranges).
 */
struct sr_range *sr_tree_find(struct sr_tree *t, const char *spec, int *err)
{
	uint64_t addr = 0;
	int id = -1;
	size_t i;

	if (!strncmp(spec, "range", 5))
		*err = sr_parse_range_name(spec, &id) ? -EINVAL : 0;
	else
		*err = sr_parse_u64(spec, &addr) ? -EINVAL : 0;
	if (*err)
		return NULL;
	for (i = 0; t && i < t->n; i++)
		if (id >= 0 ? t->r[i].id == id :
			      sr_range_contains(&t->r[i], addr))
			return &t->r[i];
	*err = -ENOENT;
	return NULL;
}

/*
 * The RANGE argument @spec of command @c: the range of @t (NULL: no
 * ranges) it names, reporting what is wrong with it. NULL with *rc the
 * exit code: EXIT_USAGE when @spec is no range name or address; when
 * there is no such range, EXIT_FAIL, or 0 and nothing said when
 * @may_miss (list -r: it matches nothing).
 */
struct sr_range *sr_range_arg(const struct ctx *c, struct sr_tree *t,
			      const char *spec, bool may_miss, int *rc)
{
	struct sr_range *r;
	int err;

	*rc = 0;
	r = sr_tree_find(t, spec, &err);
	if (r)
		return r;
	if (err == -EINVAL) {
		sr_err(c, "invalid RANGE '%s': expected rangeN or an address",
		       spec);
		*rc = EXIT_USAGE;
	} else if (!may_miss) {
		sr_err(c, "no range %s '%s'",
		       strncmp(spec, "range", 5) ? "contains" : "named", spec);
		*rc = EXIT_FAIL;
	}
	return NULL;
}
