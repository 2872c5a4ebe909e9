// SPDX-License-Identifier: GPL-2.0
/* softresctl set-owner: choose the owner of a range */
#include <errno.h>
#include <limits.h>
#include <string.h>
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

bool sr_owner_word(const char *s)
{
	return !strcmp(s, "auto") || !strcmp(s, "cxl") || !strcmp(s, "hmem") ||
	       !strcmp(s, "none");
}

int sr_write_owner(const struct sr_range *r, const char *word)
{
	char path[PATH_MAX], val[16];

	snprintf(path, sizeof(path), "%s/%s/owner", sr_path(SR_CONFIGFS),
		 r->name);
	snprintf(val, sizeof(val), "%s\n", word);
	return sr_write_file(path, val);
}

/*
 * A write refused with EBUSY while memory of @r is online: say which
 * blocks to offline, and --offline when the command has it (@offline_opt).
 * true with the hint in @buf; false when no memory of @r is online.
 */
bool sr_online_hint(const struct sr_range *r, bool offline_opt, char *buf,
		    size_t len)
{
	struct sr_blocks b;
	char blocks[256];
	bool online;

	online = !sr_blocks_in_state(r, "online", &b) && b.n;
	if (online) {
		sr_blocks_fmt(&b, blocks, sizeof(blocks));
		if (offline_opt)
			snprintf(buf, len,
				 "memory is online: use --offline or offline %s",
				 blocks);
		else
			snprintf(buf, len, "memory is online: offline %s first",
				 blocks);
	}
	sr_blocks_free(&b);
	return online;
}

/*
 * What a failed owner write means, in words. @offline_opt: the command
 * can offline the memory itself (set-owner or set-mode without
 * --offline), so the hint may name --offline; no other command has that
 * option.
 */
const char *sr_owner_strerror(int err, const struct sr_range *r,
			      bool offline_opt, char *buf, size_t len)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case EBUSY:
		if (!sr_online_hint(r, offline_opt, buf, len))
			snprintf(buf, len,
				 "memory is online, or a process has its device-dax instance open or mapped (see the kernel log)");
		break;
	case ENXIO:
		snprintf(buf, len, "no committed CXL region covers %s",
			 r->name);
		break;
	case EINVAL:
		snprintf(buf, len,
			 "invalid owner: the kernel takes auto, cxl, hmem or none");
		break;
	default:
		return sr_attr_strerror(err, r, buf, len);
	}
	return buf;
}

static const char *get_owner(const struct sr_range *r)
{
	return r->owner;
}

/*
 * A word moves nothing when it is the wish already or names the owner the
 * range has now; auto re-runs the policy, which may move it.
 */
static bool same_owner(const struct sr_range *r, const char *word)
{
	if (!strcmp(word, "auto"))
		return false;
	return (r->owner && !strcmp(r->owner, word)) ||
	       (r->effective_owner && !strcmp(r->effective_owner, word));
}

/* --json: the effective owner after the write */
static int owner_json_after(struct json_object *o, const struct sr_range *now)
{
	return sr_jstr(o, "effective_owner", now->effective_owner);
}

static const struct sr_setattr set_owner = {
	.attr = "owner",
	.arg = "OWNER",
	.usage = set_owner_usage,
	.words = "auto, cxl, hmem or none",
	.valid = sr_owner_word,
	.get = get_owner,
	.write = sr_write_owner,
	.strerror = sr_owner_strerror,
	.same = same_owner,
	.json_after = owner_json_after,
};

int cmd_set_owner(int argc, char **argv, struct ctx *c)
{
	return sr_setattr_cmd(argc, argv, c, &set_owner);
}
