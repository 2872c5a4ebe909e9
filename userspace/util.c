// SPDX-License-Identifier: GPL-2.0
/* softresctl: helpers shared by every command */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "softresctl.h"

void sr_err(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "softresctl: ");
	if (c && c->cmd)
		fprintf(stderr, "%s: ", c->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * Test hooks: only the unit test, built with SOFTRES_TEST_HOOKS, reads
 * fake trees from SOFTRES_CONFIGFS, SOFTRES_SYSFS, SOFTRES_MEMORY and
 * SOFTRES_CXL. softresctl itself ignores them: they would let anyone point
 * it at files of their choosing and turn off its root check.
 */
#ifdef SOFTRES_TEST_HOOKS
static const char *env_or(const char *var, const char *def)
{
	const char *v = getenv(var);

	return v && *v ? v : def;
}
#else
static const char *env_or(const char *var, const char *def)
{
	(void)var;
	return def;
}
#endif

const char *sr_configfs_root(void)
{
	return env_or("SOFTRES_CONFIGFS", "/sys/kernel/config/softres");
}

const char *sr_sysfs_root(void)
{
	return env_or("SOFTRES_SYSFS", "/sys/kernel/softres");
}

const char *sr_memory_root(void)
{
	return env_or("SOFTRES_MEMORY", "/sys/devices/system/memory");
}

const char *sr_cxl_root(void)
{
	return env_or("SOFTRES_CXL", "/sys/bus/cxl/devices");
}

/*
 * Test mode (test builds only): a root was redirected to a fake tree. Then
 * the unit test's softresctl neither loads modules, nor mounts configfs,
 * nor insists on being root.
 */
#ifdef SOFTRES_TEST_HOOKS
bool sr_test_mode(void)
{
	static const char *const vars[] = {
		"SOFTRES_CONFIGFS", "SOFTRES_SYSFS", "SOFTRES_MEMORY",
	};
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return true;
	}
	return false;
}
#else
bool sr_test_mode(void)
{
	return false;
}
#endif

bool sr_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The contents of @path without trailing newlines; NULL and errno on error */
char *sr_read_file(const char *path)
{
	size_t cap = 4096, len = 0;
	char *buf;
	ssize_t n;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	if (!buf)
		goto fail;
	for (;;) {
		if (len + 1 >= cap) {
			char *nb;

			if (cap >= 1 << 20) {
				errno = EFBIG;
				goto fail;
			}
			nb = realloc(buf, cap * 2);
			if (!nb)
				goto fail;
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	buf[len] = '\0';
	return buf;
fail:
	saved = errno;
	free(buf);
	close(fd);
	errno = saved;
	return NULL;
}

char *sr_read_attr(const char *dir, const char *name)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return sr_read_file(path);
}

#ifdef SOFTRES_TEST_HOOKS
const char *sr_test_fail_write;
int sr_test_fail_errno;

/* A write the unit test wants to fail as the kernel would: 0 or -errno */
static int test_write_error(const char *path)
{
	size_t pl = strlen(path), sl;

	if (!sr_test_fail_write)
		return 0;
	sl = strlen(sr_test_fail_write);
	if (pl < sl || strcmp(path + pl - sl, sr_test_fail_write))
		return 0;
	return -sr_test_fail_errno;
}
#else
static int test_write_error(const char *path)
{
	(void)path;
	return 0;
}
#endif

/* Write @val in one write(2); 0 or -errno (what the kernel's store said) */
int sr_write_file(const char *path, const char *val)
{
	size_t len = strlen(val);
	int flags = O_WRONLY | O_CLOEXEC;
	ssize_t n;
	int fd, rc;

	rc = test_write_error(path);
	if (rc)
		return rc;
	/* fake trees are plain files; never truncate a kernel attribute */
	if (sr_test_mode())
		flags |= O_TRUNC;
	fd = open(path, flags);
	if (fd < 0)
		return -errno;
	do
		n = write(fd, val, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		rc = -errno;
	else if ((size_t)n != len)
		rc = -EIO;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	return rc;
}

/*
 * An address or size: 0x-prefixed hex, or decimal with an optional K, M,
 * G or T suffix (powers of 1024). No sign, no spaces, one prefix, nothing
 * after the digits but the suffix. 0, -EINVAL or -ERANGE.
 */
int sr_parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	const char *hex;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		/* strtoull() would take a second "0x", a sign or blanks */
		hex = s + 2;
		if (!*hex || strspn(hex, "0123456789abcdefABCDEF") != strlen(hex))
			return -EINVAL;
		v = strtoull(hex, &end, 16);
		if (errno == ERANGE)
			return -ERANGE;
		if (*end)
			return -EINVAL;
		*out = v;
		return 0;
	}
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	switch (*end) {
	case '\0':
		break;
	case 'K': case 'k':
		shift = 10;
		break;
	case 'M': case 'm':
		shift = 20;
		break;
	case 'G': case 'g':
		shift = 30;
		break;
	case 'T': case 't':
		shift = 40;
		break;
	default:
		return -EINVAL;
	}
	if (shift) {
		if (end[1])
			return -EINVAL;
		if (v > (UINT64_MAX >> shift))
			return -ERANGE;
		v <<= shift;
	}
	*out = v;
	return 0;
}

int sr_parse_int(const char *s, int *out)
{
	const char *p = s;
	long v;
	char *end;

	if (!s)
		return -EINVAL;
	if (*p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < INT_MIN || v > INT_MAX)
		return -ERANGE;
	*out = (int)v;
	return 0;
}

/* Seconds: digits, optionally a point and more digits. 0 or -EINVAL. */
int sr_parse_seconds(const char *s, double *out)
{
	size_t n;
	char *end;

	if (!s)
		return -EINVAL;
	n = strspn(s, "0123456789");
	if (!n)
		return -EINVAL;
	if (s[n] == '.') {
		size_t frac = strspn(s + n + 1, "0123456789");

		if (!frac)
			return -EINVAL;
		n += 1 + frac;
	}
	if (s[n])
		return -EINVAL;
	errno = 0;
	*out = strtod(s, &end);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

/* "rangeN" -> N */
int sr_parse_range_name(const char *s, int *id)
{
	const char *p;

	if (strncmp(s, "range", 5))
		return -EINVAL;
	p = s + 5;
	if (!isdigit((unsigned char)*p) || (p[0] == '0' && p[1]))
		return -EINVAL;
	if (sr_parse_int(p, id) || *id < 0)
		return -EINVAL;
	return 0;
}

/* 1G, 512M, 4K when exact, else hex */
void sr_fmt_size(uint64_t size, char *buf, size_t len)
{
	static const char units[] = "TGMK";
	static const unsigned int shifts[] = { 40, 30, 20, 10 };
	size_t i;

	for (i = 0; size && i < 4; i++) {
		if (!(size & ((1ULL << shifts[i]) - 1))) {
			snprintf(buf, len, "%llu%c",
				 (unsigned long long)(size >> shifts[i]),
				 units[i]);
			return;
		}
	}
	snprintf(buf, len, "%#llx", (unsigned long long)size);
}

/* @v / @unit in hundredths, rounded half up; no overflow for any @v */
static uint64_t centi(uint64_t v, uint64_t unit)
{
	return v / unit * 100 + ((v % unit) * 200 / unit + 1) / 2;
}

/*
 * A size as cxl list -u prints it: "1024.00 MiB (1073.74 MB)" below 2 GiB,
 * "4.00 GiB (4.29 GB)" from there on (no TiB, as there). Sizes below
 * 5000 KiB stay plain numbers there; false then, @buf untouched.
 */
bool sr_fmt_size_human(uint64_t size, char *buf, size_t len)
{
	uint64_t bin, dec;
	bool giga = size >= 2ULL << 30;

	if (size < 5000 * 1024)
		return false;
	bin = centi(size, giga ? 1ULL << 30 : 1ULL << 20);
	dec = centi(size, giga ? 1000000000 : 1000000);
	snprintf(buf, len, "%llu.%02llu %s (%llu.%02llu %s)",
		 (unsigned long long)(bin / 100),
		 (unsigned long long)(bin % 100), giga ? "GiB" : "MiB",
		 (unsigned long long)(dec / 100),
		 (unsigned long long)(dec % 100), giga ? "GB" : "MB");
	return true;
}

/* Where to read ranges from: configfs when mounted, else the sysfs mirror */
const char *sr_tree_dir(void)
{
	if (sr_is_dir(sr_configfs_root()))
		return sr_configfs_root();
	if (sr_is_dir(sr_sysfs_root()))
		return sr_sysfs_root();
	return NULL;
}

static void range_free(struct sr_range *r)
{
	free(r->owner);
	free(r->effective_owner);
	free(r->reason);
	free(r->windows);
	free(r->regions);
	free(r->dax_devices);
	free(r->online);
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

bool sr_range_contains(const struct sr_range *r, uint64_t addr)
{
	if (!r->have_start || !r->have_size || !r->size)
		return false;
	return addr >= r->start && addr - r->start < r->size;
}

/*
 * The syntax of RANGE: rangeN (*id = N) or an address (*id = -1, *addr).
 * 0, -EINVAL or -ERANGE.
 */
static int range_spec_parse(const char *spec, int *id, uint64_t *addr)
{
	*id = -1;
	if (!strncmp(spec, "range", 5))
		return sr_parse_range_name(spec, id) ? -EINVAL : 0;
	return sr_parse_u64(spec, addr);
}

/*
 * RANGE on the command line: rangeN, the start address of a range, or any
 * address inside one. NULL with *err = -EINVAL (not a range or address)
 * or -ENOENT (no such range).
 */
struct sr_range *sr_tree_find(struct sr_tree *t, const char *spec, int *err)
{
	uint64_t addr = 0;
	size_t i;
	int id;

	*err = range_spec_parse(spec, &id, &addr);
	if (*err)
		return NULL;
	for (i = 0; i < t->n; i++)
		if (id >= 0 ? t->r[i].id == id :
			      sr_range_contains(&t->r[i], addr))
			return &t->r[i];
	*err = -ENOENT;
	return NULL;
}

static int range_spec_invalid(const struct ctx *c, const char *spec)
{
	sr_err(c, "invalid RANGE '%s': expected rangeN or an address", spec);
	return EXIT_USAGE;
}

/*
 * Is @spec a RANGE (whether or not there is such a range)? When not, say
 * so for command @c. 0 or EXIT_USAGE.
 */
int sr_range_spec_check(const struct ctx *c, const char *spec)
{
	uint64_t addr;
	int id;

	if (range_spec_parse(spec, &id, &addr))
		return range_spec_invalid(c, spec);
	return 0;
}

/*
 * sr_tree_find() for a RANGE argument of command @c, reporting what is
 * wrong with it. NULL with *rc the exit code: EXIT_USAGE (not a range name
 * or address) or EXIT_FAIL (no such range).
 */
struct sr_range *sr_range_arg(const struct ctx *c, struct sr_tree *t,
			      const char *spec, int *rc)
{
	struct sr_range *r;
	int err = 0;

	r = sr_tree_find(t, spec, &err);
	if (r)
		return r;
	if (err == -ENOENT) {
		sr_err(c, "no range %s '%s'",
		       strncmp(spec, "range", 5) ? "contains" : "named", spec);
		*rc = EXIT_FAIL;
	} else {
		*rc = range_spec_invalid(c, spec);
	}
	return NULL;
}

/* Is @word one of the space separated words of @list? */
bool sr_list_has(const char *list, const char *word)
{
	size_t wl = strlen(word);
	const char *p = list;

	if (!list || !wl)
		return false;
	while (*p) {
		size_t n;

		while (*p == ' ' || *p == '\t')
			p++;
		n = strcspn(p, " \t");
		if (n == wl && !strncmp(p, word, wl))
			return true;
		p += n;
	}
	return false;
}

static int block_size(uint64_t *bs)
{
	char path[PATH_MAX];
	char *s, *end;
	unsigned long long v;

	snprintf(path, sizeof(path), "%s/block_size_bytes", sr_memory_root());
	s = sr_read_file(path);
	if (!s)
		return -errno;
	/* hex digits without a prefix, e.g. "8000000" */
	if (!*s || strspn(s, "0123456789abcdefABCDEF") != strlen(s)) {
		free(s);
		return -EINVAL;
	}
	errno = 0;
	v = strtoull(s, &end, 16);
	if (errno || *end || !v) {
		free(s);
		return -EINVAL;
	}
	free(s);
	*bs = v;
	return 0;
}

/* The memory blocks of @r whose state is @state ("online", "offline") */
int sr_blocks_in_state(const struct sr_range *r, const char *state,
		       struct sr_blocks *b)
{
	uint64_t bs = 0, first, last, i;
	int rc;

	memset(b, 0, sizeof(*b));
	if (!r->have_start || !r->have_size || !r->size)
		return -EINVAL;
	rc = block_size(&bs);
	if (rc)
		return rc;
	first = r->start / bs;
	last = (r->start + r->size - 1) / bs;
	for (i = first; i <= last; i++) {
		char path[PATH_MAX];
		unsigned long *nid;
		char *s;

		snprintf(path, sizeof(path), "%s/memory%llu/state",
			 sr_memory_root(), (unsigned long long)i);
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
	snprintf(path, sizeof(path), "%s/memory%lu/valid_zones",
		 sr_memory_root(), id);
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

	snprintf(path, sizeof(path), "%s/memory%lu/state", sr_memory_root(),
		 id);
	return sr_write_file(path, state);
}
