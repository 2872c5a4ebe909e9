// SPDX-License-Identifier: GPL-2.0
/*
 * softresctl: the CXL memdevs behind a range, for serial= rules: which
 * memdevs back the CXL regions a range names in its regions file.
 *
 * Two walks, one behind sr_range_has_serial(): libcxl reads the machine's
 * own /sys and nothing else, so it serves the machine itself; with --root
 * DIR the CXL devices are the files of DIR/sys/bus/cxl/devices (a copy of
 * another machine's, or a test tree), which only the walk by hand below
 * reads. Without --root only libcxl is used.
 */
#include <cxl/libcxl.h>
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "softresctl.h"

/* The walk by hand, below --root */

/* The memdev (memN) behind endpoint decoder @decoder, or -1 */
static int decoder_memdev(const char *decoder, char *mem, size_t len)
{
	char path[PATH_MAX], real[PATH_MAX], port[PATH_MAX], *p;

	snprintf(path, sizeof(path), "%s/%s", sr_path(SR_CXL), decoder);
	if (!realpath(path, real))
		return -1;
	/* the decoder's parent is its port; the port's uport is the memdev */
	snprintf(port, sizeof(port), "%s", real);
	p = dirname(port);
	snprintf(path, sizeof(path), "%s/uport", p);
	if (realpath(path, real)) {
		snprintf(mem, len, "%s", basename(real));
		if (!strncmp(mem, "mem", 3))
			return 0;
	}
	return -1;
}

/*
 * Does a memdev with @serial back the CXL region @region? Its targetK
 * files name endpoint decoders; each decoder's port has a uport link to
 * its memdev, whose serial is read.
 */
static bool files_region_has_serial(const char *region, uint64_t serial)
{
	char dir[PATH_MAX], mdir[PATH_MAX], mem[64];
	struct dirent *de;
	bool found = false;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%s", sr_path(SR_CXL), region);
	d = opendir(dir);
	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		char *dec, *s;
		uint64_t v;
		int rc;

		if (strncmp(de->d_name, "target", 6))
			continue;
		dec = sr_read_attr(dir, de->d_name);
		if (!dec)
			continue;
		rc = *dec ? decoder_memdev(dec, mem, sizeof(mem)) : -1;
		free(dec);
		if (rc)
			continue;
		snprintf(mdir, sizeof(mdir), "%s/%s", sr_path(SR_CXL), mem);
		s = sr_read_attr(mdir, "serial");
		found = s && !sr_parse_u64(s, &v) && v == serial;
		free(s);
	}
	closedir(d);
	return found;
}

/* libcxl, without --root */

/* One context a command run: opened at the first need, freed at the end */
static struct cxl_ctx *lib;
static int lib_rc = 1;		/* 1 not tried yet, else what it gave */
static bool lib_told;

static struct cxl_region *lib_find_region(const char *name)
{
	struct cxl_decoder *decoder;
	struct cxl_region *region;
	struct cxl_bus *bus;

	/* a region is the child of the root decoder of its window */
	cxl_bus_foreach(lib, bus)
		cxl_decoder_foreach(cxl_bus_get_port(bus), decoder)
			cxl_region_foreach(decoder, region)
				if (!strcmp(cxl_region_get_devname(region),
					    name))
					return region;
	return NULL;
}

/* Does a memdev with @serial back the CXL region @name? */
static bool lib_region_has_serial(const char *name, uint64_t serial)
{
	struct cxl_region *region = lib_find_region(name);
	struct cxl_memdev_mapping *m;

	if (!region)
		return false;
	/* a mapping a target: the endpoint decoder of a memdev */
	cxl_mapping_foreach(region, m) {
		struct cxl_decoder *decoder = cxl_mapping_get_decoder(m);
		struct cxl_memdev *memdev;
		unsigned long long s;

		memdev = decoder ? cxl_decoder_get_memdev(decoder) : NULL;
		if (!memdev)
			continue;
		s = cxl_memdev_get_serial(memdev);
		/* ULLONG_MAX: libcxl could not read the serial */
		if (s != ULLONG_MAX && s == serial)
			return true;
	}
	return false;
}

/*
 * Make the CXL devices readable for this command run, once (with --root
 * there is nothing to do): 0, or -ENODEV (no CXL bus: cxl_core is not
 * loaded) or the -errno of cxl_new(). The first failure is said on
 * standard error when @c is not NULL: serial= rules then match no range.
 */
int sr_cxl_open(const struct ctx *c)
{
	if (sr_rooted())
		return 0;
	if (lib_rc > 0) {
		lib_rc = sr_is_dir(sr_path(SR_CXL)) ? cxl_new(&lib) : -ENODEV;
		if (lib_rc)
			lib = NULL;
	}
	if (lib_rc && c && !lib_told) {
		if (lib_rc == -ENODEV)
			sr_err(c, "libcxl: no CXL bus at %s (cxl_core not loaded): serial= rules match no range",
			       sr_path(SR_CXL));
		else
			sr_err(c, "libcxl: cannot initialise: %s: serial= rules match no range",
			       strerror(-lib_rc));
		lib_told = true;
	}
	return lib_rc;
}

/* The end of a command run: free the libcxl context */
void sr_cxl_close(void)
{
	cxl_unref(lib);
	lib = NULL;
	lib_rc = 1;
	lib_told = false;
}

/*
 * Does a CXL memdev with @serial back one of the regions of @r? 1 yes,
 * 0 no, or the -errno of sr_cxl_open() (the CXL devices cannot be read).
 */
int sr_range_has_serial(const struct sr_range *r, uint64_t serial)
{
	const char *p = r->regions, *w;
	char region[64];
	size_t n;
	int rc;

	rc = sr_cxl_open(NULL);
	if (rc)
		return rc;
	while ((w = sr_word(&p, &n))) {
		snprintf(region, sizeof(region), "%.*s", (int)n, w);
		if (sr_rooted() ? files_region_has_serial(region, serial) :
				  lib_region_has_serial(region, serial))
			return 1;
	}
	return 0;
}
