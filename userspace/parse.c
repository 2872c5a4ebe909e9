// SPDX-License-Identifier: GPL-2.0
/*
 * softresctl: reading and writing numbers and words: addresses, sizes,
 * node ids, seconds, range names, space separated lists. Strict: what is
 * not exactly a number is an error, never a number.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "softresctl.h"

/*
 * Hex digits without a prefix, as after "0x" or as sysfs prints some
 * ("8000000"): strtoull() alone would take a sign, blanks or a second
 * "0x". 0, -EINVAL or -ERANGE.
 */
int sr_parse_hex(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || strspn(s, "0123456789abcdefABCDEF") != strlen(s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 16);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno || *end)
		return -EINVAL;
	*out = v;
	return 0;
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
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return sr_parse_hex(s + 2, out);
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

/*
 * The next word of the space separated list at *@p: its start, with its
 * length in *@len, and *@p moved past it. NULL when no word is left.
 */
const char *sr_word(const char **p, size_t *len)
{
	const char *w;

	if (!*p)
		return NULL;
	w = *p + strspn(*p, " \t");
	*len = strcspn(w, " \t");
	if (!*len)
		return NULL;
	*p = w + *len;
	return w;
}

/* Is @word one of the space separated words of @list? */
bool sr_list_has(const char *list, const char *word)
{
	size_t wl = strlen(word), n;
	const char *w;

	while ((w = sr_word(&list, &n)))
		if (n == wl && !strncmp(w, word, n))
			return true;
	return false;
}
