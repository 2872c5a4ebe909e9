// SPDX-License-Identifier: GPL-2.0
/*
 * softresctl: where the kernel's files are, and reading and writing them.
 * Every path softresctl reads or writes comes from sr_path(): the kernel's
 * own location, or that location below the directory of --root.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "softresctl.h"

static const char *const kernel_path[SR_NPATHS] = {
	[SR_CONFIGFS] = "/sys/kernel/config/softres",
	[SR_SYSFS] = "/sys/kernel/softres",
	[SR_MEMORY] = "/sys/devices/system/memory",
	[SR_CXL] = "/sys/bus/cxl/devices",
	[SR_POLICY] = "/etc/softres.conf",
	[SR_MODPROBE] = "/etc/modprobe.d/softres.conf",
};

/* --root DIR without its trailing slashes; "" without --root */
static char root[PATH_MAX - 64];
static bool rooted;

/*
 * Read every path below @dir from now on (NULL: the kernel's own paths
 * again). 0, -ENAMETOOLONG, or -errno when @dir is not a directory.
 */
int sr_set_root(const char *dir)
{
	size_t len;

	root[0] = '\0';
	rooted = false;
	if (!dir)
		return 0;
	len = strlen(dir);
	if (len >= sizeof(root))
		return -ENAMETOOLONG;
	if (!len)
		return -ENOENT;
	if (!sr_is_dir(dir))
		return -errno;
	while (len > 1 && dir[len - 1] == '/')
		len--;
	/* "/" is the machine itself: every path as it is */
	if (len == 1 && dir[0] == '/')
		len = 0;
	memcpy(root, dir, len);
	root[len] = '\0';
	rooted = true;
	return 0;
}

/*
 * --root was given: softresctl only reads and writes files below it, as
 * the caller may; it loads no module, mounts nothing, and needs no root.
 */
bool sr_rooted(void)
{
	return rooted;
}

const char *sr_path(enum sr_path p)
{
	static char buf[SR_NPATHS][PATH_MAX];

	snprintf(buf[p], sizeof(buf[p]), "%s%s", root, kernel_path[p]);
	return buf[p];
}

/* Where to read ranges from: configfs when mounted, else the sysfs mirror */
const char *sr_tree_dir(void)
{
	if (sr_is_dir(sr_path(SR_CONFIGFS)))
		return sr_path(SR_CONFIGFS);
	if (sr_is_dir(sr_path(SR_SYSFS)))
		return sr_path(SR_SYSFS);
	return NULL;
}

/* Is @path a directory? When not, errno says why (ENOTDIR: not one) */
bool sr_is_dir(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return false;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return false;
	}
	return true;
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

/* Write @val in one write(2); 0 or -errno (what the kernel's store said) */
int sr_write_file(const char *path, const char *val)
{
	size_t len = strlen(val);
	int flags = O_WRONLY | O_CLOEXEC;
	ssize_t n;
	int fd, rc = 0;

	/* below --root the files are plain files; never truncate the kernel's */
	if (sr_rooted())
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
