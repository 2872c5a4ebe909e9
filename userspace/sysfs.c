// SPDX-License-Identifier: GPL-2.0
/*
 * softresctl: the walks through sysfs and configfs: the softres ranges
 * and the memory blocks of a range (cxl.c walks the CXL topology). Paths
 * come from sr_path().
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "softresctl.h"

/* The softres ranges */

static void range_free(struct sr_range *r)
{
	free(r->owner);
	free(r->effective_owner);
	free(r->reason);
	free(r->windows);
	free(r->regions);
	free(r->dax_devices);
	free(r->online);
	free(r->mode);
}

static void range_read(struct sr_range *r, const char *dir)
{
	char *s;

	s = sr_read_attr(dir, "start");
	r->have_start = s && !sr_parse_u64(s, &r->start);
	free(s);
	s = sr_read_attr(dir, "size");
	r->have_size = s && !sr_parse_u64(s, &r->size);
	free(s);
	s = sr_read_attr(dir, "target_node");
	r->have_node = s && !sr_parse_int(s, &r->target_node);
	free(s);
	r->owner = sr_read_attr(dir, "owner");
	r->effective_owner = sr_read_attr(dir, "effective_owner");
	r->reason = sr_read_attr(dir, "reason");
	r->windows = sr_read_attr(dir, "windows");
	r->regions = sr_read_attr(dir, "regions");
	r->dax_devices = sr_read_attr(dir, "dax_devices");
	r->online = sr_read_attr(dir, "online");
	/* no mode file: a kernel from before the mode control, system-ram */
	r->mode = sr_read_attr(dir, "mode");
	if (!r->mode && errno == ENOENT) {
		r->no_mode = true;
		r->mode = strdup("system-ram");
	}
}

static int range_cmp(const void *a, const void *b)
{
	const struct sr_range *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* Read every rangeN below @root. 0 or -errno. */
int sr_tree_load(struct sr_tree *t, const char *root)
{
	struct dirent *de;
	DIR *d;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	if (!root)
		return -ENOENT;
	snprintf(t->root, sizeof(t->root), "%s", root);
	d = opendir(root);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char dir[PATH_MAX];
		struct sr_range *nr, *r;
		int id;

		if (sr_parse_range_name(de->d_name, &id))
			continue;
		if (snprintf(dir, sizeof(dir), "%s/%s", root, de->d_name) >=
		    (int)sizeof(dir))
			continue;
		if (!sr_is_dir(dir))
			continue;
		nr = realloc(t->r, (t->n + 1) * sizeof(*t->r));
		if (!nr) {
			rc = -ENOMEM;
			break;
		}
		t->r = nr;
		r = &t->r[t->n++];
		memset(r, 0, sizeof(*r));
		r->id = id;
		snprintf(r->name, sizeof(r->name), "range%d", id);
		range_read(r, dir);
	}
	closedir(d);
	if (rc) {
		sr_tree_free(t);
		return rc;
	}
	if (t->n)
		qsort(t->r, t->n, sizeof(*t->r), range_cmp);
	return 0;
}

void sr_tree_free(struct sr_tree *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		range_free(&t->r[i]);
	free(t->r);
	t->r = NULL;
	t->n = 0;
}

/* The memory blocks of a range */

/* DIR/memoryN/ATTR below the memory blocks' dir */
static void block_path(char *path, size_t len, uint64_t id, const char *attr)
{
	snprintf(path, len, "%s/memory%llu/%s", sr_path(SR_MEMORY),
		 (unsigned long long)id, attr);
}

static int block_size(uint64_t *bs)
{
	char path[PATH_MAX];
	char *s;
	int rc;

	snprintf(path, sizeof(path), "%s/block_size_bytes", sr_path(SR_MEMORY));
	s = sr_read_file(path);
	if (!s)
		return -errno;
	/* hex digits without a prefix, e.g. "8000000" */
	rc = sr_parse_hex(s, bs);
	free(s);
	if (rc || !*bs)
		return -EINVAL;
	return 0;
}

/*
 * The memory blocks of @r whose state is @state ("online", "offline");
 * @bs, when not NULL, gets the size of a block.
 */
static int blocks_in_state(const struct sr_range *r, const char *state,
			   struct sr_blocks *b, uint64_t *bsp)
{
	uint64_t bs = 0, first, last, i;
	int rc;

	memset(b, 0, sizeof(*b));
	if (!r->have_start || !r->have_size || !r->size)
		return -EINVAL;
	rc = block_size(&bs);
	if (rc)
		return rc;
	if (bsp)
		*bsp = bs;
	first = r->start / bs;
	last = (r->start + r->size - 1) / bs;
	for (i = first; i <= last; i++) {
		char path[PATH_MAX];
		unsigned long *nid;
		char *s;

		block_path(path, sizeof(path), i, "state");
		s = sr_read_file(path);
		if (!s)
			continue;	/* no such block (hole) */
		if (strcmp(s, state)) {
			free(s);
			continue;
		}
		free(s);
		nid = realloc(b->id, (b->n + 1) * sizeof(*b->id));
		if (!nid) {
			sr_blocks_free(b);
			return -ENOMEM;
		}
		b->id = nid;
		b->id[b->n++] = (unsigned long)i;
	}
	return 0;
}

int sr_blocks_in_state(const struct sr_range *r, const char *state,
		       struct sr_blocks *b)
{
	return blocks_in_state(r, state, b, NULL);
}

/*
 * How much of @r is online, in bytes: the parts of it its online memory
 * blocks hold. 0 or -errno (the blocks cannot be read).
 */
int sr_online_size(const struct sr_range *r, uint64_t *bytes)
{
	uint64_t bs = 0, end, lo, hi;
	struct sr_blocks b;
	size_t i;
	int rc;

	*bytes = 0;
	rc = blocks_in_state(r, "online", &b, &bs);
	if (rc)
		return rc;
	end = r->start + (r->size - 1);
	for (i = 0; i < b.n; i++) {
		lo = (uint64_t)b.id[i] * bs;
		hi = lo + (bs - 1);
		if (lo < r->start)
			lo = r->start;
		if (hi > end)
			hi = end;
		*bytes += hi - lo + 1;
	}
	sr_blocks_free(&b);
	return 0;
}

/* memory40-memory47, memory50 */
void sr_blocks_fmt(const struct sr_blocks *b, char *buf, size_t len)
{
	size_t i = 0, used = 0;

	buf[0] = '\0';
	while (i < b->n && used < len) {
		size_t j = i;
		int n;

		while (j + 1 < b->n && b->id[j + 1] == b->id[j] + 1)
			j++;
		if (j == i)
			n = snprintf(buf + used, len - used, "%smemory%lu",
				     used ? ", " : "", b->id[i]);
		else
			n = snprintf(buf + used, len - used,
				     "%smemory%lu-memory%lu", used ? ", " : "",
				     b->id[i], b->id[j]);
		if (n < 0)
			break;
		used += n;
		i = j + 1;
	}
}

void sr_blocks_free(struct sr_blocks *b)
{
	free(b->id);
	b->id = NULL;
	b->n = 0;
}

/*
 * The zone of the online memory block @id: an online block's valid_zones
 * names the zone it is in ("Movable", "Normal", "DMA32", ...; "none" when
 * it spans zones). 1 ZONE_MOVABLE, 0 a kernel zone, -errno; @word gets
 * the zone's name (or what was read instead).
 */
int sr_block_movable(unsigned long id, char *word, size_t len)
{
	char path[PATH_MAX], *s;
	size_t n;
	int rc;

	word[0] = '\0';
	block_path(path, sizeof(path), id, "valid_zones");
	s = sr_read_file(path);
	if (!s)
		return -errno;
	n = strcspn(s, " \t\n");
	snprintf(word, len, "%.*s", (int)n, s);
	if (n == 7 && !strncmp(s, "Movable", 7))
		rc = 1;
	else if (!n || (n == 4 && !strncmp(s, "none", 4)))
		rc = -EINVAL;
	else
		rc = 0;
	free(s);
	return rc;
}

int sr_block_set(unsigned long id, const char *state)
{
	char path[PATH_MAX];

	block_path(path, sizeof(path), id, "state");
	return sr_write_file(path, state);
}
