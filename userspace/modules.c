// SPDX-License-Identifier: GPL-2.0
/*
 * softresctl: make sure the kernel side is there before acting. dax_hmem
 * publishes the softres tree; cxl_acpi is needed when the platform has a
 * CXL host bridge (ACPI0017) or cxl_test's stand-in for it. Only write
 * commands load modules (loading dax_hmem decides the owners); read
 * commands report what is missing. With --root nothing is loaded or
 * mounted: the tree is files below the root.
 */
#include <errno.h>
#include <libkmod.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "softresctl.h"

#define CONFIGFS_DIR "/sys/kernel/config"
#define CONFIGFS_MAGIC_NR 0x62656570

/* 0 when @name is builtin, live or was loaded now; -1 after reporting */
static int ensure_module(const struct ctx *c, struct kmod_ctx *k,
			 const char *name, bool load)
{
	struct kmod_module *mod = NULL;
	int rc, state;

	rc = kmod_module_new_from_name(k, name, &mod);
	if (rc < 0 || !mod) {
		sr_err(c, "%s: %s", name, strerror(rc < 0 ? -rc : ENOMEM));
		return -1;
	}
	state = kmod_module_get_initstate(mod);
	if (state == KMOD_MODULE_BUILTIN || state == KMOD_MODULE_LIVE ||
	    state == KMOD_MODULE_COMING) {
		kmod_module_unref(mod);
		return 0;
	}
	if (!kmod_module_get_path(mod)) {
		sr_err(c, "module %s not found: not built for this kernel",
		       name);
		kmod_module_unref(mod);
		return -1;
	}
	if (!load) {
		sr_err(c, "module %s is not loaded", name);
		kmod_module_unref(mod);
		return -1;
	}
	rc = kmod_module_probe_insert_module(mod, KMOD_PROBE_APPLY_BLACKLIST,
					     NULL, NULL, NULL, NULL);
	kmod_module_unref(mod);
	if (rc > 0) {
		/* positive: a blacklist refused it, not an errno */
		sr_err(c, "%s is blacklisted", name);
		return -1;
	}
	if (rc < 0) {
		sr_err(c, "failed to load %s: %s", name, strerror(-rc));
		return -1;
	}
	if (!c->quiet)
		sr_note(c, "loaded %s", name);
	return 0;
}

static bool need_cxl_acpi(void)
{
	return !access("/sys/bus/acpi/devices/ACPI0017:00", F_OK) ||
	       !access("/sys/bus/platform/devices/cxl_acpi.0", F_OK);
}

static int ensure_modules(const struct ctx *c, bool load)
{
	struct kmod_ctx *k;
	int rc = 0;

	k = kmod_new(NULL, NULL);
	if (!k) {
		sr_err(c, "cannot initialise libkmod");
		return -1;
	}
	if (need_cxl_acpi() && ensure_module(c, k, "cxl_acpi", load))
		rc = -1;
	if (ensure_module(c, k, "dax_hmem", load))
		rc = -1;
	kmod_unref(k);
	return rc;
}

/* Mount configfs when it is not */
static void ensure_configfs(const struct ctx *c)
{
	struct statfs sfs;

	if (statfs(CONFIGFS_DIR, &sfs) == 0 &&
	    (unsigned long)sfs.f_type == CONFIGFS_MAGIC_NR)
		return;
	if (mount("none", CONFIGFS_DIR, "configfs", 0, NULL)) {
		sr_err(c, "cannot mount configfs on %s: %s", CONFIGFS_DIR,
		       strerror(errno));
		return;
	}
	sr_note(c, "mounted configfs on %s", CONFIGFS_DIR);
}

/*
 * Called by every command before it reads (@write false) or writes the
 * tree. 0 to go on, else the exit code to return.
 */
int sr_prepare(const struct ctx *c, bool write)
{
	const char *cfs = sr_path(SR_CONFIGFS), *sys = sr_path(SR_SYSFS);

	if (sr_rooted()) {
		/* files below the root, as the caller may read and write them */
		if (write ? sr_is_dir(cfs) : !!sr_tree_dir())
			return 0;
		if (write)
			sr_err(c, "no softres tree at %s", cfs);
		else
			sr_err(c, "no softres tree at %s or %s", cfs, sys);
		return EXIT_NOSUPPORT;
	}
	if (write && geteuid() != 0) {
		sr_err(c, "must be root");
		return EXIT_FAIL;
	}
	if (write) {
		ensure_modules(c, true);
		ensure_configfs(c);
		if (sr_is_dir(cfs))
			return 0;
		sr_err(c, "no softres tree at %s: kernel support missing", cfs);
		return EXIT_NOSUPPORT;
	}
	if (sr_tree_dir())
		return 0;
	/*
	 * A read never loads a module: loading dax_hmem hands the ranges
	 * to their owners, which a command that shows them must not do.
	 */
	if (ensure_modules(c, false)) {
		sr_err(c, "nothing loaded; set-owner or apply loads it, as root");
		return EXIT_NOSUPPORT;
	}
	sr_err(c, "no softres tree at %s or %s: kernel support missing", cfs,
	       sys);
	return EXIT_NOSUPPORT;
}

/*
 * sr_prepare(), then read the tree: from configfs to write it, else from
 * wherever it can be read. 0 to go on, else the exit code to return.
 */
int sr_open(const struct ctx *c, struct sr_tree *t, bool write)
{
	int rc = sr_prepare(c, write);

	if (rc)
		return rc;
	rc = sr_tree_load(t, write ? sr_path(SR_CONFIGFS) : sr_tree_dir());
	if (rc) {
		sr_err(c, "cannot read %s: %s", t->root, strerror(-rc));
		return EXIT_FAIL;
	}
	return 0;
}
