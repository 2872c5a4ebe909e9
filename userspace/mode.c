// SPDX-License-Identifier: GPL-2.0
/*
 * softresctl set-mode: choose how a range comes up, system-ram (kmem
 * onlines its memory) or devdax (its device-dax instance is bound to
 * device_dax, nothing is onlined). Kernels without the mode file bring
 * every range up as System RAM.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <json-c/json.h>

#include "softresctl.h"

static const char set_mode_usage[] =
	"usage: softresctl set-mode RANGE system-ram|devdax [--offline] [--json]\n"
	"\n"
	"Set how a range comes up (root only): system-ram, its memory onlined\n"
	"by kmem, or devdax, its device-dax instance bound to device_dax and\n"
	"nothing onlined. RANGE is rangeN, its start address, or any address\n"
	"inside it. The kernel refuses devdax while the range's memory is\n"
	"online, and system-ram while a process has its device-dax instance\n"
	"open or mapped.\n"
	"\n"
	"  -o, --offline  first offline the range's online memory blocks;\n"
	"                 online them again if the change fails\n"
	"  -j, --json     print the change as a JSON object\n"
	"  -h, --help     this text\n";

bool sr_mode_word(const char *s)
{
	return !strcmp(s, "system-ram") || !strcmp(s, "devdax");
}

int sr_write_mode(const struct sr_range *r, const char *word)
{
	char path[PATH_MAX], val[16];

	snprintf(path, sizeof(path), "%s/%s/mode", sr_path(SR_CONFIGFS),
		 r->name);
	snprintf(val, sizeof(val), "%s\n", word);
	return sr_write_file(path, val);
}

/* @r has no mode file: the kernel predates the mode control */
void sr_no_mode_err(const struct ctx *c, const struct sr_range *r)
{
	sr_err(c, "%s: cannot set the mode: kernel support missing (no %s/%s/mode; every range comes up as system-ram)",
	       r->name, sr_path(SR_CONFIGFS), r->name);
}

/*
 * What a failed mode write means, in words; @offline_opt as for
 * sr_owner_strerror(). EBUSY: devdax while memory is online (name the
 * blocks), or system-ram while a process holds the device-dax instance.
 */
const char *sr_mode_strerror(int err, const struct sr_range *r,
			     bool offline_opt, char *buf, size_t len)
{
	const char *p = r->dax_devices, *w;
	size_t n, used;

	if (err < 0)
		err = -err;
	switch (err) {
	case EBUSY:
		if (sr_online_hint(r, offline_opt, buf, len))
			break;
		w = sr_word(&p, &n);
		if (!w) {
			snprintf(buf, len,
				 "a process has its device-dax instance open or mapped (see the kernel log)");
			break;
		}
		/* "a process has dax0.0 (or dax0.1) open or mapped" */
		used = snprintf(buf, len, "a process has %.*s", (int)n, w);
		while (used < len && (w = sr_word(&p, &n)))
			used += snprintf(buf + used, len - used, " or %.*s",
					 (int)n, w);
		if (used < len)
			snprintf(buf + used, len - used,
				 " open or mapped: close it first");
		break;
	case EINVAL:
		snprintf(buf, len,
			 "invalid mode: the kernel takes " SR_MODE_WORDS);
		break;
	default:
		return sr_attr_strerror(err, r, buf, len);
	}
	return buf;
}

static const char *get_mode(const struct sr_range *r)
{
	return r->mode;
}

static bool same_mode(const struct sr_range *r, const char *word)
{
	return r->mode && !strcmp(r->mode, word);
}

/* No mode file: refused before anything is offlined */
static int check_mode(const struct ctx *c, const struct sr_range *r)
{
	if (!r->no_mode)
		return 0;
	sr_no_mode_err(c, r);
	return EXIT_NOSUPPORT;
}

static const struct sr_setattr set_mode = {
	.attr = "mode",
	.arg = "MODE",
	.usage = set_mode_usage,
	.words = SR_MODE_WORDS,
	.valid = sr_mode_word,
	.get = get_mode,
	.check = check_mode,
	.write = sr_write_mode,
	.strerror = sr_mode_strerror,
	.same = same_mode,
};

int cmd_set_mode(int argc, char **argv, struct ctx *c)
{
	return sr_setattr_cmd(argc, argv, c, &set_mode);
}
