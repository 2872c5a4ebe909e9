// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of softresctl, linked with its sources (every userspace C file
 * but main.c), as they are. Commands run with --root on a fake tree in a
 * temp dir, laid out as the kernel's; writes the test wants to fail as the
 * kernel would go through __wrap_sr_write_file (ld --wrap, see
 * userspace/Makefile). The softresctl binary (TEST_SOFTRESCTL) and the
 * one make install installs are run as well: with --root they read the
 * fake tree, without it never, whatever the environment.
 * Ends with "softresctl: N passed, N failed".
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <json-c/json.h>

#include "softresctl.h"

static int passed, failed;

#define CHECK(cond) check(!!(cond), __LINE__, #cond)
#define CHECK_STR(got, want) check_str((got), (want), __LINE__, #got)

static void check(int ok, int line, const char *what)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL line %d: %s\n", line, what);
}

static void check_str(const char *got, const char *want, int line,
		      const char *what)
{
	if (got && want && !strcmp(got, want)) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL line %d: %s\n--- got:\n%s\n--- want:\n%s\n---\n", line,
	       what, got ? got : "(null)", want ? want : "(null)");
}

static char tmp[256];

/*
 * The fake tree: --root ROOT (below tmp), with the kernel's paths below it.
 * DEV holds the CXL devices the links of CXL point to.
 */
#define ROOT "root"
#define CFG ROOT "/sys/kernel/config/softres"
#define MEM ROOT "/sys/devices/system/memory"
#define CXL ROOT "/sys/bus/cxl/devices"
#define DEV ROOT "/sys/devices/cxl"

/* tmp/ROOT, the --root of every run(); run_root: that of the next ones */
static char root[300];
static const char *run_root = root;

/*
 * Writes to a path ending in fail_write fail with fail_errno, as the
 * kernel's store would; the others are softresctl's own.
 */
static const char *fail_write;
static int fail_errno;

int __real_sr_write_file(const char *path, const char *val);
int __wrap_sr_write_file(const char *path, const char *val);

/*
 * Every write softresctl tries since the last write_log_reset(), as
 * "range0/mode=devdax range0/owner=hmem": the last two parts of the path
 * and the value without its newline; refused ones too.
 */
static char write_log[4096];

static void write_log_reset(void)
{
	write_log[0] = '\0';
}

static void log_write(const char *path, const char *val)
{
	const char *p = path + strlen(path), *tail;
	size_t used = strlen(write_log);
	int slashes = 0;

	while (p > path && slashes < 2)
		if (*--p == '/')
			slashes++;
	tail = slashes == 2 ? p + 1 : path;
	snprintf(write_log + used, sizeof(write_log) - used, "%s%s=%.*s",
		 used ? " " : "", tail, (int)strcspn(val, "\n"), val);
}

int __wrap_sr_write_file(const char *path, const char *val)
{
	size_t pl = strlen(path), sl;

	log_write(path, val);
	if (fail_write) {
		sl = strlen(fail_write);
		if (pl >= sl && !strcmp(path + pl - sl, fail_write))
			return -fail_errno;
	}
	return __real_sr_write_file(path, val);
}

static void put(const char *rel, const char *fmt, ...)
{
	char path[512];
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

static char *get(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	return sr_read_file(path);
}

static void mkd(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	if (mkdir(path, 0755) && errno != EEXIST) {
		perror(path);
		exit(1);
	}
}

static void lnk(const char *target, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	if (symlink(target, path)) {
		perror(path);
		exit(1);
	}
}

static int rm_one(const char *p, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void put_range(int id, const char *owner, const char *eff,
		      const char *reason, const char *start, const char *size,
		      int node, const char *regions, const char *online)
{
	char d[64];

	snprintf(d, sizeof(d), CFG "/range%d", id);
	mkd(d);
#define P(f, ...) do { char r[96]; snprintf(r, sizeof(r), "%s/" f, d); \
		put(r, __VA_ARGS__); } while (0)
	P("owner", "%s\n", owner);
	P("effective_owner", "%s\n", eff);
	P("reason", "%s\n", reason);
	P("start", "%s\n", start);
	P("size", "%s\n", size);
	P("target_node", "%d\n", node);
	P("windows", "%s\n", *regions ? "decoder0.0" : "");
	P("regions", "%s\n", regions);
	P("dax_devices", "%s\n", *regions ? "dax0.0 dax0.1" : "");
	P("online", "%s\n", online);
#undef P
}

/* range0: 1G at 0x140000000 covered by region0; range1: 512M, pending */
static void make_tree(void)
{
	char path[1200];
	int b;

	snprintf(path, sizeof(path),
		 "cd '%s' && rm -rf " ROOT " && mkdir -p " CFG " " MEM " " CXL
		 " " DEV " " ROOT "/etc", tmp);
	if (system(path))
		exit(1);
	put_range(0, "auto", "cxl", "covered by region0", "0x140000000",
		  "0x40000000", 1, "region0", "yes");
	put_range(1, "auto", "pending", "waiting for the initial device probe",
		  "0x180000000", "0x20000000", -1, "", "no");
	put(MEM "/block_size_bytes", "8000000\n");
	for (b = 40; b < 52; b++) {
		char r[64];

		snprintf(r, sizeof(r), MEM "/memory%d", b);
		mkd(r);
		snprintf(r, sizeof(r), MEM "/memory%d/state", b);
		put(r, b < 48 ? "online\n" : "offline\n");
		/* online: the zone the block is in; offline: where it may go */
		snprintf(r, sizeof(r), MEM "/memory%d/valid_zones", b);
		put(r, b < 44 ? "Movable\n" : b < 48 ? "Normal\n" :
			"Normal Movable\n");
	}
	/* region0 <- decoder5.0 <- endpoint5 (uport: mem0, serial 0xabc) */
	mkd(DEV "/mem0");
	put(DEV "/mem0/serial", "0xabc\n");
	mkd(DEV "/port1");
	mkd(DEV "/port1/endpoint5");
	mkd(DEV "/port1/endpoint5/decoder5.0");
	lnk("../../mem0", DEV "/port1/endpoint5/uport");
	mkd(DEV "/region0");
	put(DEV "/region0/target0", "decoder5.0\n");
	/* as in sysfs: bus/cxl/devices/X -> ../../../devices/.../X */
	lnk("../../../devices/cxl/port1/endpoint5/decoder5.0",
	    CXL "/decoder5.0");
	lnk("../../../devices/cxl/mem0", CXL "/mem0");
	lnk("../../../devices/cxl/region0", CXL "/region0");
}

/*
 * Append the NULL-terminated arguments in @ap to @argv, which holds @argc
 * and has room for @max pointers; NULL-terminate it. The new argc.
 */
static int args_from(char **argv, int argc, int max, va_list ap)
{
	while (argc < max - 1 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	argv[argc] = NULL;
	return argc;
}

/* stdout and stderr while captured: files below tmp; the real ones */
static int cap_so, cap_se, cap_fo, cap_fe;

/* Send stdout and stderr to files below tmp until capture_end() */
static void capture_begin(void)
{
	char po[512], pe[512];

	snprintf(po, sizeof(po), "%s/stdout", tmp);
	snprintf(pe, sizeof(pe), "%s/stderr", tmp);
	fflush(stdout);
	fflush(stderr);
	cap_so = dup(1);
	cap_se = dup(2);
	cap_fo = open(po, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	cap_fe = open(pe, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (cap_so < 0 || cap_se < 0 || cap_fo < 0 || cap_fe < 0)
		exit(1);
	dup2(cap_fo, 1);
	dup2(cap_fe, 2);
}

/* Back to the real stdout and stderr; what was sent to them since */
static void capture_end(char **out, char **err)
{
	fflush(stdout);
	fflush(stderr);
	dup2(cap_so, 1);
	dup2(cap_se, 2);
	close(cap_so);
	close(cap_se);
	close(cap_fo);
	close(cap_fe);
	*out = get("stdout");
	*err = get("stderr");
}

/*
 * Run softresctl --root RUN_ROOT ARGS... (no --root when run_root is
 * NULL), capturing stdout and stderr. Returns its exit code.
 */
static int vrun(char **out, char **err, va_list ap)
{
	char *argv[16] = { "softresctl", "--root", (char *)run_root };
	int argc, rc;

	argc = args_from(argv, run_root ? 3 : 1, 16, ap);
	capture_begin();
	rc = softresctl_main(argc, argv);
	capture_end(out, err);
	return rc;
}

static int run(char **out, char **err, ...)
{
	va_list ap;
	int rc;

	va_start(ap, err);
	rc = vrun(out, err, ap);
	va_end(ap);
	return rc;
}

/*
 * Run softresctl ARGS... and check its exit code, stdout and stderr
 * exactly (trailing newlines aside).
 */
#define CHECK_RUN(rc, out, err, ...) \
	check_run(__LINE__, (rc), (out), (err), __VA_ARGS__, (char *)NULL)

static void check_run(int line, int want_rc, const char *want_out,
		      const char *want_err, ...)
{
	char *out, *err, what[64];
	va_list ap;
	int rc;

	va_start(ap, want_err);
	rc = vrun(&out, &err, ap);
	va_end(ap);
	snprintf(what, sizeof(what), "exit code %d, want %d", rc, want_rc);
	check(rc == want_rc, line, what);
	check_str(out, want_out, line, "stdout");
	check_str(err, want_err, line, "stderr");
	free(out);
	free(err);
}

#ifndef TEST_SOFTRESCTL
#error "TEST_SOFTRESCTL: the path of the softresctl binary (see userspace/Makefile)"
#endif

/* Copy @from to @to with mode @mode. 0 or -1. */
static int copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	ssize_t n;
	int in, out, rc = 0;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			rc = -1;
			break;
		}
	if (n < 0 || fchmod(out, mode))
		rc = -1;
	close(in);
	if (close(out))
		rc = -1;
	return rc;
}

/*
 * Run the program @bin with @envp, as nobody when we are root (so nothing
 * it does can touch the machine), capturing stdout and stderr. Returns its
 * exit code, or -1 when it did not exit.
 */
static int run_prog(const char *bin, char *const envp[], char **out,
		    char **err, ...)
{
	char *argv[16] = { (char *)bin };
	char po[512], pe[512];
	int status;
	va_list ap;
	pid_t pid;

	va_start(ap, err);
	args_from(argv, 1, 16, ap);
	va_end(ap);

	snprintf(po, sizeof(po), "%s/stdout", tmp);
	snprintf(pe, sizeof(pe), "%s/stderr", tmp);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		exit(1);
	if (!pid) {
		int fo = open(po, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fe = open(pe, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
			_exit(126);
		if (geteuid() == 0 &&
		    (setgroups(0, NULL) || setgid(65534) || setuid(65534)))
			_exit(126);
		execve(bin, argv, envp);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		exit(1);
	*out = sr_read_file(po);
	*err = sr_read_file(pe);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#if !defined(TEST_SRCDIR) || !defined(TEST_BUILD)
#error "TEST_SRCDIR, TEST_BUILD: userspace/ and its BUILD (see userspace/Makefile)"
#endif

/*
 * make install into a DESTDIR below tmp with @vars; the installed udev
 * rule must run softresctl where it was installed, @sbin.
 */
static void check_install(const char *vars, const char *sbin)
{
	char cmd[2048], path[1024], want[512], *rule, *log;
	struct stat st;
	int rc;

	snprintf(cmd, sizeof(cmd),
		 "rm -rf '%s/dest' && make -s -C '%s' BUILD='%s' install DESTDIR='%s/dest' %s >'%s/make.log' 2>&1",
		 tmp, TEST_SRCDIR, TEST_BUILD, tmp, vars, tmp);
	rc = system(cmd);
	if (rc) {
		log = get("make.log");
		printf("  %s\n%s\n", cmd, log ? log : "");
		free(log);
	}
	CHECK(rc == 0);
	snprintf(path, sizeof(path), "%s/dest%s/softresctl", tmp, sbin);
	CHECK(!stat(path, &st) && (st.st_mode & 0111));
	rule = get("dest/lib/udev/rules.d/60-softres.rules");
	snprintf(want, sizeof(want), "RUN+=\"%s/softresctl apply --quiet\"",
		 sbin);
	if (!rule || !strstr(rule, want))
		printf("  %s: want %s in\n%s\n", vars, want,
		       rule ? rule : "(no rule)");
	CHECK(rule && strstr(rule, want));
	/* one RUN, and DESTDIR is no part of it */
	{
		const char *q = rule;
		int runs = 0;

		while (q && (q = strstr(q, "RUN+="))) {
			runs++;
			q += 5;
		}
		CHECK(runs == 1);
	}
	CHECK(rule && !strstr(rule, "/dest/"));
	/* the rule applies the policy when a range appears, never on change */
	CHECK(rule && strstr(rule, "ACTION==\"add\", RUN+=") &&
	      !strstr(rule, "ACTION==\"add|change\""));
	free(rule);
	rule = get("dest/lib/systemd/system/softres-apply.service");
	snprintf(want, sizeof(want), "\nExecStart=%s/softresctl apply --quiet\n",
		 sbin);
	if (!rule || !strstr(rule, want))
		printf("  %s: want %s in\n%s\n", vars, want,
		       rule ? rule : "(no unit)");
	CHECK(rule && strstr(rule, want));
	/* and then brings the module options up to date with the file */
	snprintf(want, sizeof(want),
		 "\nExecStart=%s/softresctl boot-options --write\n", sbin);
	CHECK(rule && strstr(rule, want));
	free(rule);
}

static void check_binary(const char *bin);

/* make install writes the path softresctl is installed at into the rule */
static void test_install(void)
{
	check_install("PREFIX=/usr/local", "/usr/local/sbin");
	check_install("", "/usr/sbin");
	/* the installed softresctl has no test hooks either */
	{
		char bin[512];

		snprintf(bin, sizeof(bin), "%s/dest/usr/sbin/softresctl", tmp);
		check_binary(bin);
	}
	check_install("PREFIX=/opt/softres SBINDIR=/opt/softres/bin",
		      "/opt/softres/bin");
}

/* Does the file at @path contain @needle? */
static bool file_has(const char *path, const char *needle)
{
	size_t cap = 1 << 20, len = 0, nl = strlen(needle);
	char *buf = malloc(cap);
	bool found = false;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !buf)
		exit(1);
	for (;;) {
		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				exit(1);
		}
		n = read(fd, buf + len, cap - len);
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	found = memmem(buf, len, needle, nl) != NULL;
	free(buf);
	return found;
}

/*
 * The program @bin, run as nobody: the environment variables that were
 * the test hooks of old (SOFTRES_CONFIGFS and friends, here pointing into
 * the fake tree) neither redirect it to the fake tree nor turn off its
 * root check; --root does both, and needs no root.
 */
static void check_binary(const char *bin)
{
	static const char *const vars[] = {
		"SOFTRES_CONFIGFS", "SOFTRES_SYSFS", "SOFTRES_MEMORY",
		"SOFTRES_CXL",
	};
	static const char *const dirs[] = { CFG, CFG, MEM, CXL };
	char env[4][512], *envp[6], *out, *err, *s, p[512], nothing[512];
	size_t i;
	int rc;

	make_tree();
	put(CFG "/range0/reason", "fake tree marker\n");
	/* nobody may read and write the fake tree: only the binary stops it */
	snprintf(p, sizeof(p), "%s/" CFG "/range0/owner", tmp);
	CHECK(!chmod(tmp, 0755) && !chmod(p, 0666));
	mkd("nothing");
	snprintf(nothing, sizeof(nothing), "%s/nothing", tmp);

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		snprintf(env[i], sizeof(env[i]), "%s=%s/%s", vars[i], tmp,
			 dirs[i]);
		envp[i] = env[i];
	}
	envp[i++] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
	envp[i] = NULL;

	rc = run_prog(bin, envp, &out, &err, "set-owner", "range0", "hmem",
		      (char *)NULL);
	CHECK(rc == 1);
	CHECK_STR(err, "softresctl: set-owner: must be root");
	s = get(CFG "/range0/owner");
	CHECK_STR(s, "auto");
	free(s);
	free(out);
	free(err);

	rc = run_prog(bin, envp, &out, &err, "list", (char *)NULL);
	CHECK(out && !strstr(out, "fake tree marker"));
	CHECK(err && !strstr(err, tmp));
	free(out);
	free(err);

	/* --root elsewhere: the variables do not bring the fake tree back */
	rc = run_prog(bin, envp, &out, &err, "--root", nothing, "list",
		      (char *)NULL);
	CHECK(rc == 3);
	CHECK(out && !strstr(out, "fake tree marker"));
	CHECK(err && strstr(err, "/nothing/sys/kernel/config/softres"));
	free(out);
	free(err);

	/* --root: the fake tree, read and written as nobody */
	rc = run_prog(bin, envp, &out, &err, "--root", root, "list",
		      (char *)NULL);
	CHECK(rc == 0);
	CHECK(out && strstr(out, "fake tree marker"));
	free(out);
	free(err);
	rc = run_prog(bin, envp, &out, &err, "--root", root, "set-owner",
		      "range0", "hmem", (char *)NULL);
	CHECK(rc == 0);
	CHECK(out && !strncmp(out, "range0: auto -> hmem\n", 21));
	CHECK_STR(err, "");
	s = get(CFG "/range0/owner");
	CHECK_STR(s, "hmem");
	free(s);
	free(out);
	free(err);

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		if (file_has(bin, vars[i]))
			printf("  %s names %s\n", bin, vars[i]);
		CHECK(!file_has(bin, vars[i]));
	}
	CHECK(!chmod(tmp, 0700));
}

/* The softresctl binary has no test hooks */
static void test_no_hooks_in_softresctl(void)
{
	char prog[512];

	snprintf(prog, sizeof(prog), "%s/softresctl", tmp);
	CHECK(!copy_file(TEST_SOFTRESCTL, prog, 0755));
	check_binary(prog);
	unlink(prog);
}

static void test_parse_u64(void)
{
	static const struct {
		const char *s;
		int rc;
		uint64_t v;
	} cases[] = {
		{ "0x140000000", 0, 0x140000000ULL },
		{ "0X1f", 0, 0x1f },
		{ "0", 0, 0 },
		{ "1024", 0, 1024 },
		{ "1K", 0, 1024 },
		{ "1k", 0, 1024 },
		{ "512M", 0, 512ULL << 20 },
		{ "5G", 0, 0x140000000ULL },
		{ "2T", 0, 2ULL << 40 },
		{ "18446744073709551615", 0, UINT64_MAX },
		{ "0xffffffffffffffff", 0, UINT64_MAX },
		{ "16777215T", 0, 16777215ULL << 40 },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "0x10000000000000000", -ERANGE, 0 },
		{ "16777216T", -ERANGE, 0 },
		{ "17179869184G", -ERANGE, 0 },
		{ "", -EINVAL, 0 },
		{ "0x", -EINVAL, 0 },
		{ "0xg", -EINVAL, 0 },
		{ "0x1G", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "+1", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "1 ", -EINVAL, 0 },
		{ "12abc", -EINVAL, 0 },
		{ "1KB", -EINVAL, 0 },
		{ "1X", -EINVAL, 0 },
		{ "G", -EINVAL, 0 },
		{ "garbage", -EINVAL, 0 },
		/* strict: one prefix, hex digits only after it */
		{ "0x0x140000000", -EINVAL, 0 },
		{ "0X0x1", -EINVAL, 0 },
		{ "0x0X1", -EINVAL, 0 },
		{ "0x+1", -EINVAL, 0 },
		{ "0x-1", -EINVAL, 0 },
		{ "0x 1", -EINVAL, 0 },
		{ "0x1 ", -EINVAL, 0 },
		{ "0x1\n", -EINVAL, 0 },
		{ "00x1", -EINVAL, 0 },
		{ "1-", -EINVAL, 0 },
		{ "1K1", -EINVAL, 0 },
		{ "0x00000000000000000000140000000", 0, 0x140000000ULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 0;
		int rc = sr_parse_u64(cases[i].s, &v);

		if (rc != cases[i].rc || (!rc && v != cases[i].v))
			printf("  parse_u64('%s') = %d, %#llx\n", cases[i].s,
			       rc, (unsigned long long)v);
		CHECK(rc == cases[i].rc && (rc || v == cases[i].v));
	}
	CHECK(sr_parse_u64(NULL, &(uint64_t){ 0 }) == -EINVAL);
}

static void test_parse_int(void)
{
	static const struct {
		const char *s;
		int rc;
		int v;
	} cases[] = {
		{ "0", 0, 0 },
		{ "-1", 0, -1 },
		{ "2147483647", 0, 2147483647 },
		{ "-2147483648", 0, -2147483647 - 1 },
		{ "2147483648", -ERANGE, 0 },
		{ "-2147483649", -ERANGE, 0 },
		{ "99999999999999999999", -ERANGE, 0 },
		{ "", -EINVAL, 0 },
		{ "-", -EINVAL, 0 },
		{ "+1", -EINVAL, 0 },
		{ "--1", -EINVAL, 0 },
		{ "- 1", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "1 ", -EINVAL, 0 },
		{ "0x1", -EINVAL, 0 },
		{ "1k", -EINVAL, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int v = 0;
		int rc = sr_parse_int(cases[i].s, &v);

		if (rc != cases[i].rc || (!rc && v != cases[i].v))
			printf("  parse_int('%s') = %d, %d\n", cases[i].s, rc,
			       v);
		CHECK(rc == cases[i].rc && (rc || v == cases[i].v));
	}
}

/* What follows "softresctl: CMD: " on the first line of @err */
static char *msg_after_cmd(const char *err, const char *cmd)
{
	char prefix[64];
	size_t n;

	snprintf(prefix, sizeof(prefix), "softresctl: %s: ", cmd);
	if (!err || strncmp(err, prefix, strlen(prefix)))
		return NULL;
	err += strlen(prefix);
	n = strcspn(err, "\n");
	return strndup(err, n);
}

/* show, set-owner and list -r find RANGE and report a bad one the same way */
static void test_range_lookup(void)
{
	static const struct {
		const char *spec, *msg;
		int rc;
	} cases[] = {
		{ "range7", "no range named 'range7'", 1 },
		{ "0x1a0000000", "no range contains '0x1a0000000'", 1 },
		{ "7G", "no range contains '7G'", 1 },
		{ "rangeZ", "invalid RANGE 'rangeZ': expected rangeN or an address", 2 },
		{ "zz", "invalid RANGE 'zz': expected rangeN or an address", 2 },
		{ "0x10000000000000000",
		  "invalid RANGE '0x10000000000000000': expected rangeN or an address", 2 },
	};
	size_t i;

	make_tree();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out, *err, *m_show, *m_set;
		int rc_show, rc_set;

		rc_show = run(&out, &err, "show", cases[i].spec, (char *)NULL);
		m_show = msg_after_cmd(err, "show");
		free(out);
		free(err);
		rc_set = run(&out, &err, "set-owner", cases[i].spec, "hmem",
			     (char *)NULL);
		m_set = msg_after_cmd(err, "set-owner");
		free(out);
		free(err);
		CHECK(rc_show == cases[i].rc && rc_set == cases[i].rc);
		CHECK_STR(m_show, cases[i].msg);
		CHECK_STR(m_set, cases[i].msg);
		free(m_show);
		free(m_set);
		/* list -r: a bad RANGE the same; no such range matches none */
		rc_show = run(&out, &err, "list", "-r", cases[i].spec,
			      (char *)NULL);
		m_show = msg_after_cmd(err, "list");
		CHECK(rc_show == (cases[i].rc == 2 ? 2 : 0));
		CHECK_STR(m_show, cases[i].rc == 2 ? cases[i].msg :
			  "no range matches");
		free(m_show);
		free(out);
		free(err);
	}
	/* nothing was written */
	{
		char *s = get(CFG "/range0/owner");

		CHECK_STR(s, "auto");
		free(s);
	}
}

/*
 * Every --option that @cmd's message @err names is one of @cmd's own
 * options (in its --help). 1 when they all are.
 */
static int options_exist(const char *cmd, const char *err)
{
	char *out, *help;
	const char *p;
	int ok = 1;

	run(&out, &help, cmd, "--help", (char *)NULL);
	if (!out)
		return 0;
	for (p = err; p && (p = strstr(p, "--")); ) {
		size_t n = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz-");
		char opt[64];
		const char *h;
		int found = 0;

		snprintf(opt, sizeof(opt), "%.*s", (int)(n + 2), p);
		for (h = out; n && (h = strstr(h, opt)); h += 2)
			if (!strchr("abcdefghijklmnopqrstuvwxyz-", h[n + 2])) {
				found = 1;
				break;
			}
		if (!found) {
			printf("  %s: '--%.*s' is not an option of %s\n", cmd,
			       (int)n, p + 2, cmd);
			ok = 0;
		}
		p += 2 + n;
	}
	free(out);
	free(help);
	return ok;
}

/* A refused owner write says what to do, naming only options there are */
static void test_busy_hints(void)
{
	char *out, *err, *s, pol[512];
	int rc;

	make_tree();
	fail_write = "/range0/owner";
	fail_errno = EBUSY;

	put("busy.conf", "range0 hmem\n");
	snprintf(pol, sizeof(pol), "%s/busy.conf", tmp);
	rc = run(&out, &err, "apply", pol, (char *)NULL);
	CHECK(rc == 1);
	CHECK(err && strstr(err, "/busy.conf:1): memory is online: "
			    "offline memory40-memory47 first"));
	CHECK(options_exist("apply", err));
	free(out);
	free(err);

	rc = run(&out, &err, "set-owner", "range0", "hmem", (char *)NULL);
	CHECK(rc == 1);
	CHECK_STR(err,
		  "softresctl: set-owner: range0: cannot set owner hmem: "
		  "memory is online: use --offline or offline memory40-memory47");
	CHECK(options_exist("set-owner", err));
	free(out);
	free(err);

	/* with --offline the memory is offline: then a process holds it */
	rc = run(&out, &err, "set-owner", "range0", "hmem", "--offline",
		 (char *)NULL);
	CHECK(rc == 1);
	CHECK(err && strstr(err, "a process has its device-dax instance open"));
	CHECK(options_exist("set-owner", err));
	s = get(MEM "/memory40/state");
	CHECK(s && !strncmp(s, "online", 6));
	free(s);
	free(out);
	free(err);

	fail_write = NULL;
	fail_errno = 0;
}

/* The state files of memory40..memory47, as "40:online_movable 41:..." */
static char *block_states(void)
{
	char *all = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&all, &len);
	int b;

	if (!f)
		exit(1);
	for (b = 40; b < 48; b++) {
		char rel[64], *s;

		snprintf(rel, sizeof(rel), MEM "/memory%d/state", b);
		s = get(rel);
		fprintf(f, "%s%d:%s", b > 40 ? " " : "", b, s ? s : "?");
		free(s);
	}
	fclose(f);
	return all;
}

/*
 * set-owner --offline puts back what it offlined in the zone it was in:
 * online_movable for ZONE_MOVABLE, online_kernel for a kernel zone; plain
 * "online" could move movable memory into ZONE_NORMAL.
 */
static void test_offline_zones(void)
{
	char *out, *err, *s;
	int rc;

	/* the owner write fails: every block goes back to its zone */
	make_tree();
	fail_write = "/range0/owner";
	fail_errno = EIO;
	rc = run(&out, &err, "set-owner", "range0", "hmem", "--offline",
		 (char *)NULL);
	CHECK(rc == 1);
	s = block_states();
	CHECK_STR(s, "40:online_movable 41:online_movable 42:online_movable "
		     "43:online_movable 44:online_kernel 45:online_kernel "
		     "46:online_kernel 47:online_kernel");
	free(s);
	free(out);
	free(err);

	/* a block refuses to go offline: those offlined before it go back */
	make_tree();
	fail_write = "/memory46/state";
	fail_errno = EBUSY;
	rc = run(&out, &err, "set-owner", "range0", "hmem", "--offline",
		 (char *)NULL);
	CHECK(rc == 1);
	CHECK(err && strstr(err, "cannot offline memory46"));
	s = block_states();
	CHECK_STR(s, "40:online_movable 41:online_movable 42:online_movable "
		     "43:online_movable 44:online_kernel 45:online_kernel "
		     "46:online 47:online");
	free(s);
	s = get(CFG "/range0/owner");
	CHECK_STR(s, "auto");
	free(s);
	free(out);
	free(err);
	fail_write = NULL;
	fail_errno = 0;

	/* a zone that cannot be told: nothing is offlined */
	make_tree();
	put(MEM "/memory45/valid_zones", "none\n");
	rc = run(&out, &err, "set-owner", "range0", "hmem", "--offline",
		 (char *)NULL);
	CHECK(rc == 1);
	CHECK_STR(err, "softresctl: set-owner: range0: cannot tell the zone of "
		       "memory45 (valid_zones: none), nothing offlined");
	s = block_states();
	CHECK_STR(s, "40:online 41:online 42:online 43:online 44:online "
		     "45:online 46:online 47:online");
	free(s);
	free(out);
	free(err);
	{
		char p[512];

		snprintf(p, sizeof(p), "%s/" MEM "/memory42/valid_zones", tmp);
		unlink(p);
	}
	rc = run(&out, &err, "set-owner", "range0", "hmem", "--offline",
		 (char *)NULL);
	CHECK(rc == 1);
	CHECK(err && strstr(err, "cannot tell the zone of memory42: "));
	s = get(MEM "/memory40/state");
	CHECK_STR(s, "online");
	free(s);
	s = get(CFG "/range0/owner");
	CHECK_STR(s, "auto");
	free(s);
	free(out);
	free(err);

	/* success: the blocks stay offline for the new owner */
	make_tree();
	rc = run(&out, &err, "set-owner", "range0", "hmem", "--offline",
		 (char *)NULL);
	CHECK(rc == 0);
	s = block_states();
	CHECK_STR(s, "40:offline 41:offline 42:offline 43:offline 44:offline "
		     "45:offline 46:offline 47:offline");
	free(s);
	free(out);
	free(err);
}

/* Numbers on the command line and in policy files are parsed strictly */
static void test_strict_numbers(void)
{
	static const char *const timeouts[] = {
		" 5", "+5", "-0", "0x1p3", "inf", "nan", "5s", "1e3", ".", "5.",
		"",
	};
	char *out, *err, pol[512];
	size_t i;
	int rc;

	make_tree();
	rc = run(&out, &err, "show", "0x0x140000000", (char *)NULL);
	CHECK(rc == 2);
	CHECK(err && strstr(err, "invalid RANGE '0x0x140000000'"));
	free(out);
	free(err);

	put("strict.conf", "start=0x0x140000000 hmem\naddr=0x0X150000000 hmem\n");
	snprintf(pol, sizeof(pol), "%s/strict.conf", tmp);
	rc = run(&out, &err, "apply", pol, (char *)NULL);
	CHECK(rc == 2);
	CHECK(err && strstr(err, "strict.conf:1: invalid address '0x0x140000000'"));
	CHECK(err && strstr(err, "strict.conf:2: invalid address '0x0X150000000'"));
	free(out);
	free(err);

	/* nothing pending: an accepted timeout returns at once */
	put(CFG "/range1/effective_owner", "hmem\n");
	for (i = 0; i < sizeof(timeouts) / sizeof(timeouts[0]); i++) {
		rc = run(&out, &err, "wait", "--timeout", timeouts[i],
			 (char *)NULL);
		if (rc != 2)
			printf("  wait --timeout '%s' = %d\n", timeouts[i], rc);
		CHECK(rc == 2);
		free(out);
		free(err);
	}
	/* decimal seconds are fine */
	rc = run(&out, &err, "wait", "--timeout", "0.5", (char *)NULL);
	CHECK(rc == 0);
	free(out);
	free(err);
}

static void test_range_names(void)
{
	int id = -1;

	CHECK(!sr_parse_range_name("range0", &id) && id == 0);
	CHECK(!sr_parse_range_name("range12", &id) && id == 12);
	CHECK(sr_parse_range_name("range", &id));
	CHECK(sr_parse_range_name("range01", &id));
	CHECK(sr_parse_range_name("range-1", &id));
	CHECK(sr_parse_range_name("rangex", &id));
	CHECK(sr_parse_range_name("range1x", &id));
	CHECK(sr_parse_range_name("Range1", &id));
	CHECK(sr_parse_range_name("range99999999999", &id));
}

static int parse_text(const char *text, struct sr_policy *p, char **errs)
{
	size_t len = 0;
	FILE *in, *e;
	int rc;

	in = fmemopen((void *)text, strlen(text), "r");
	e = open_memstream(errs, &len);
	if (!in || !e)
		exit(1);
	rc = sr_policy_parse(in, "test.conf", p, e);
	fclose(in);
	fclose(e);
	return rc;
}

static void test_policy_good(void)
{
	const char *text =
		"# a comment\n"
		"\n"
		"   \t  \n"
		"range1 hmem\n"
		"  start=0x140000000\tcxl   # trailing comment\n"
		"addr=5G auto\r\n"
		"node=-1 hmem\n"
		"node=3 cxl\n"
		"serial=0xabc hmem\n"
		"serial=42 cxl\n"
		"#range0 cxl\n"
		"* auto";	/* no final newline */
	struct sr_policy p;
	char *errs = NULL;
	int rc;

	rc = parse_text(text, &p, &errs);
	CHECK(rc == 0);
	CHECK_STR(errs, "");
	CHECK(p.n == 8);
	if (p.n == 8) {
		CHECK(p.rule[0].kind == MATCH_RANGE && p.rule[0].val == 1 &&
		      !strcmp(p.rule[0].owner, "hmem") && p.rule[0].line == 4);
		CHECK(p.rule[1].kind == MATCH_START &&
		      p.rule[1].val == 0x140000000ULL &&
		      !strcmp(p.rule[1].owner, "cxl") && p.rule[1].line == 5);
		CHECK(p.rule[2].kind == MATCH_ADDR &&
		      p.rule[2].val == 5ULL << 30 &&
		      !strcmp(p.rule[2].owner, "auto"));
		CHECK(p.rule[3].kind == MATCH_NODE && p.rule[3].node == -1);
		CHECK(p.rule[4].kind == MATCH_NODE && p.rule[4].node == 3);
		CHECK(p.rule[5].kind == MATCH_SERIAL && p.rule[5].val == 0xabc);
		CHECK(p.rule[6].kind == MATCH_SERIAL && p.rule[6].val == 42);
		CHECK(p.rule[7].kind == MATCH_ALL && p.rule[7].line == 12 &&
		      !strcmp(p.rule[7].owner, "auto"));
	}
	sr_policy_free(&p);
	free(errs);
	errs = NULL;

	rc = parse_text("", &p, &errs);
	CHECK(rc == 0 && p.n == 0);
	sr_policy_free(&p);
	free(errs);
	errs = NULL;
}

static void test_policy_bad(void)
{
	const char *text =
		"range0 purple\n"		/* 1 */
		"range0\n"			/* 2 */
		"range0 hmem extra\n"		/* 3 */
		"# fine\n"			/* 4 */
		"range0 hmem\n"			/* 5: good */
		"rangeX hmem\n"			/* 6 */
		"start=0xzz cxl\n"		/* 7 */
		"addr=99999999999999999999 cxl\n" /* 8 */
		"node=abc hmem\n"		/* 9 */
		"serial= hmem\n"		/* 10 */
		"color=red hmem\n"		/* 11 */
		"0x140000000 hmem\n"		/* 12 */
		"range0 HMEM\n"			/* 13 */
		"node=-2 hmem\n"		/* 14 */
		"start= cxl\n"			/* 15 */
		"range01 auto\n";		/* 16 */
	const char *want =
		"test.conf:1: unknown owner 'purple': expected auto, cxl, hmem or none\n"
		"test.conf:2: expected 'MATCH OWNER', got only 'range0'\n"
		"test.conf:3: unknown mode 'extra': expected system-ram or devdax (or nothing)\n"
		"test.conf:6: invalid range name 'rangeX'\n"
		"test.conf:7: invalid address '0xzz'\n"
		"test.conf:8: out of range address '99999999999999999999'\n"
		"test.conf:9: invalid node 'abc'\n"
		"test.conf:10: invalid serial ''\n"
		"test.conf:11: unknown match 'color=': expected rangeN, start=, addr=, node=, serial= or *\n"
		"test.conf:12: unknown match '0x140000000': expected rangeN, start=, addr=, node=, serial= or *\n"
		"test.conf:13: unknown owner 'HMEM': expected auto, cxl, hmem or none\n"
		"test.conf:14: invalid node '-2'\n"
		"test.conf:15: invalid address ''\n"
		"test.conf:16: invalid range name 'range01'\n";
	struct sr_policy p;
	char *errs = NULL;
	int rc;

	rc = parse_text(text, &p, &errs);
	CHECK(rc == 14);
	CHECK_STR(errs, want);
	sr_policy_free(&p);
	free(errs);
	errs = NULL;

	/* an embedded NUL byte */
	{
		static const char nul[] = "* auto\nrange0 h\0mem\n";
		size_t len = 0;
		FILE *in = fmemopen((void *)nul, sizeof(nul) - 1, "r");
		FILE *e = open_memstream(&errs, &len);

		rc = sr_policy_parse(in, "n.conf", &p, e);
		fclose(in);
		fclose(e);
		CHECK(rc == 1);
		CHECK_STR(errs, "n.conf:2: NUL byte in line\n");
		sr_policy_free(&p);
		free(errs);
	}
}

/* A stream that gives @text, then fails with EIO */
struct failing {
	const char *text;
	size_t off;
};

static ssize_t failing_read(void *cookie, char *buf, size_t size)
{
	struct failing *f = cookie;
	size_t n = strlen(f->text + f->off);

	if (!n) {
		errno = EIO;
		return -1;
	}
	if (n > size)
		n = size;
	memcpy(buf, f->text + f->off, n);
	f->off += n;
	return n;
}

/*
 * The policy file is read whole before anything is decided: a read error,
 * a NUL byte or an over-long line is an error at its FILE:LINE, not the
 * end of the file.
 */
static void test_policy_read(void)
{
	cookie_io_functions_t io = { .read = failing_read };
	struct failing fl = { "range0 hmem\nrange1 cxl\n", 0 };
	char *errs = NULL, *out, *err, *s, line[5000], text[10000], pol[512];
	struct sr_policy p;
	size_t len = 0;
	FILE *in, *e;
	int rc;

	/* a read error after two good lines */
	in = fopencookie(&fl, "r", io);
	e = open_memstream(&errs, &len);
	if (!in || !e)
		exit(1);
	rc = sr_policy_parse(in, "test.conf", &p, e);
	fclose(in);
	fclose(e);
	CHECK(rc == 1);
	CHECK_STR(errs, "test.conf:3: cannot read: Input/output error\n");
	sr_policy_free(&p);
	free(errs);
	errs = NULL;

	/* 4096 bytes in a line are fine, 4097 are not */
	memset(line, 'x', sizeof(line));
	snprintf(text, sizeof(text), "#%.4095s\n#%.4096s\n* hmem\n", line,
		 line);
	rc = parse_text(text, &p, &errs);
	CHECK(rc == 1);
	CHECK_STR(errs, "test.conf:2: line longer than 4096 bytes\n");
	sr_policy_free(&p);
	free(errs);
	errs = NULL;
	snprintf(text, sizeof(text), "#%.4095s\n* hmem\n", line);
	rc = parse_text(text, &p, &errs);
	CHECK(rc == 0 && p.n == 1);
	sr_policy_free(&p);
	free(errs);
	errs = NULL;

	make_tree();
	/* an over-long line applies nothing */
	put("long.conf", "range0 hmem # %4100d\n* cxl\n", 0);
	snprintf(pol, sizeof(pol), "%s/long.conf", tmp);
	rc = run(&out, &err, "apply", pol, (char *)NULL);
	CHECK(rc == 2);
	CHECK(err && strstr(err, "long.conf:1: line longer than 4096 bytes"));
	s = get(CFG "/range0/owner");
	CHECK_STR(s, "auto");
	free(s);
	s = get(CFG "/range1/owner");
	CHECK_STR(s, "auto");
	free(s);
	free(out);
	free(err);

	/* a file that cannot be read: a directory */
	mkd("dir.conf");
	snprintf(pol, sizeof(pol), "%s/dir.conf", tmp);
	rc = run(&out, &err, "apply", pol, (char *)NULL);
	CHECK(rc == 2);
	CHECK(err && strstr(err, "dir.conf:1: cannot read: Is a directory"));
	CHECK(err && strstr(err, "nothing changed"));
	free(out);
	free(err);

	/* /dev/zero: NUL bytes, no newline, no end */
	rc = run(&out, &err, "apply", "-n", "/dev/zero", (char *)NULL);
	CHECK(rc == 2);
	CHECK_STR(out, "");
	CHECK(err && strstr(err, "/dev/zero:1: NUL byte in line"));
	free(out);
	free(err);
}

/* A rule an earlier one keeps from ever taking effect is an error */
static void test_policy_shadowed(void)
{
	const char *text =
		"range0 hmem\n"		/* 1 */
		"start=0x140000000 cxl\n"	/* 2 */
		"addr=5G cxl\n"			/* 3: may find another range */
		"range0   cxl\n"		/* 4: as 1 */
		"node=1 hmem\n"			/* 5 */
		"node=1 cxl\n"			/* 6: as 5 */
		"node=-1 cxl\n"			/* 7 */
		"serial=0xabc hmem\n"		/* 8 */
		"serial=2748 cxl\n"		/* 9: as 8, in decimal */
		"addr=0x180000000 cxl\n"	/* 10 */
		"start=0x180000000 hmem\n"	/* 11: 10 finds that range */
		"start=5G auto\n"		/* 12: as 2 */
		"* auto\n"			/* 13 */
		"range1 hmem\n"			/* 14: 13 matches first */
		"* cxl\n";			/* 15: 13 matches first */
	const char *want =
		"test.conf:4: 'range0 cxl' duplicates 'range0 hmem' on line 1: it never takes effect\n"
		"test.conf:6: 'node=1 cxl' duplicates 'node=1 hmem' on line 5: it never takes effect\n"
		"test.conf:9: 'serial=2748 cxl' duplicates 'serial=0xabc hmem' on line 8: it never takes effect\n"
		"test.conf:11: 'start=0x180000000 hmem' never takes effect: 'addr=0x180000000 cxl' on line 10 matches that range first\n"
		"test.conf:12: 'start=5G auto' duplicates 'start=0x140000000 cxl' on line 2: it never takes effect\n"
		"test.conf:14: 'range1 hmem' never takes effect: '* auto' on line 13 matches every range first\n"
		"test.conf:15: '* cxl' never takes effect: '* auto' on line 13 matches every range first\n";
	char *errs = NULL, *out, *err, *s, pol[512];
	struct sr_policy p;
	int rc;

	rc = parse_text(text, &p, &errs);
	CHECK(rc == 7);
	CHECK_STR(errs, want);
	sr_policy_free(&p);
	free(errs);
	errs = NULL;

	make_tree();
	/* apply: a duplicate refuses the file, nothing changes */
	put("dup.conf", "range1 cxl\nrange0 hmem\nrange0 cxl\n");
	snprintf(pol, sizeof(pol), "%s/dup.conf", tmp);
	rc = run(&out, &err, "apply", pol, (char *)NULL);
	CHECK(rc == 2);
	CHECK(err && strstr(err, "dup.conf:3: 'range0 cxl' duplicates 'range0 hmem' on line 2"));
	free(out);
	free(err);

	/* the same range named twice, in two ways */
	put("twice.conf", "range1 cxl\nrange0 hmem\naddr=0x150000000 cxl\n"
			  "start=0x180000000 auto\n");
	snprintf(pol, sizeof(pol), "%s/twice.conf", tmp);
	rc = run(&out, &err, "apply", "--dry-run", pol, (char *)NULL);
	CHECK(rc == 2);
	CHECK_STR(out, "");
	free(out);
	free(err);
	rc = run(&out, &err, "apply", pol, (char *)NULL);
	CHECK(rc == 2);
	CHECK_STR(out, "");
	CHECK(err && strstr(err,
		  "twice.conf:3: 'addr=0x150000000 cxl' names range0 again: 'range0 hmem' on line 2 named it first\n"));
	CHECK(err && strstr(err,
		  "twice.conf:4: 'start=0x180000000 auto' names range1 again: 'range1 cxl' on line 1 named it first\n"));
	CHECK(err && strstr(err, "nothing changed"));
	free(out);
	free(err);
	s = get(CFG "/range0/owner");
	CHECK_STR(s, "auto");
	free(s);
	s = get(CFG "/range1/owner");
	CHECK_STR(s, "auto");
	free(s);

	/* a rule for a range that is not there, and a catch-all last: fine */
	put("fine.conf", "range0 hmem\naddr=0x190000000 cxl\nrange5 cxl\n"
			 "node=1 auto\n* auto\n");
	snprintf(pol, sizeof(pol), "%s/fine.conf", tmp);
	rc = run(&out, &err, "apply", pol, (char *)NULL);
	CHECK(rc == 0);
	CHECK_STR(out, "range0: auto -> hmem\nrange1: auto -> cxl");
	CHECK_STR(err, "");
	free(out);
	free(err);
}

static struct sr_range mkrange(int id, uint64_t start, uint64_t size, int node)
{
	struct sr_range r;

	memset(&r, 0, sizeof(r));
	r.id = id;
	snprintf(r.name, sizeof(r.name), "range%d", id);
	r.start = start;
	r.size = size;
	r.target_node = node;
	r.have_start = r.have_size = r.have_node = true;
	return r;
}

static void test_matching(void)
{
	struct sr_range r0 = mkrange(0, 0x140000000ULL, 1ULL << 30, 1);
	struct sr_range r1 = mkrange(1, 0x180000000ULL, 512ULL << 20, -1);
	struct sr_rule rule = { .kind = MATCH_RANGE, .val = 0 };
	struct sr_policy p;
	struct sr_tree t;
	char *errs = NULL;
	int err = 0;

	CHECK(sr_rule_matches(&rule, &r0));
	CHECK(!sr_rule_matches(&rule, &r1));
	rule.kind = MATCH_START;
	rule.val = 0x140000000ULL;
	CHECK(sr_rule_matches(&rule, &r0));
	rule.val = 0x140001000ULL;	/* inside but not the start */
	CHECK(!sr_rule_matches(&rule, &r0));
	rule.kind = MATCH_ADDR;
	rule.val = 0x140000000ULL;	/* first byte */
	CHECK(sr_rule_matches(&rule, &r0));
	rule.val = 0x17fffffffULL;	/* last byte */
	CHECK(sr_rule_matches(&rule, &r0));
	rule.val = 0x180000000ULL;	/* one past: the next range */
	CHECK(!sr_rule_matches(&rule, &r0));
	CHECK(sr_rule_matches(&rule, &r1));
	rule.val = 0x13fffffffULL;	/* one before */
	CHECK(!sr_rule_matches(&rule, &r0));
	rule.val = 0x1a0000000ULL;	/* past range1 */
	CHECK(!sr_rule_matches(&rule, &r1));
	rule.kind = MATCH_NODE;
	rule.node = 1;
	CHECK(sr_rule_matches(&rule, &r0));
	CHECK(!sr_rule_matches(&rule, &r1));
	rule.node = -1;
	CHECK(sr_rule_matches(&rule, &r1));
	r1.have_node = false;		/* unreadable node matches no node= */
	CHECK(!sr_rule_matches(&rule, &r1));
	r1.have_node = true;
	rule.kind = MATCH_ALL;
	CHECK(sr_rule_matches(&rule, &r0) && sr_rule_matches(&rule, &r1));

	/* top-wrapping range: no overflow in contains */
	{
		struct sr_range top = mkrange(2, UINT64_MAX - 0xfff, 0x1000, 0);

		CHECK(sr_range_contains(&top, UINT64_MAX));
		CHECK(!sr_range_contains(&top, 0));
	}

	/* first match wins */
	CHECK(parse_text("node=7 cxl\naddr=0x180000000 hmem\nrange1 auto\n* cxl\n",
			 &p, &errs) == 0);
	CHECK(!strcmp(sr_policy_lookup(&p, &r0)->owner, "cxl") &&
	      sr_policy_lookup(&p, &r0)->line == 4);
	CHECK(!strcmp(sr_policy_lookup(&p, &r1)->owner, "hmem"));
	sr_policy_free(&p);
	free(errs);
	errs = NULL;
	CHECK(parse_text("range5 cxl\n", &p, &errs) == 0);
	CHECK(sr_policy_lookup(&p, &r0) == NULL);
	sr_policy_free(&p);
	free(errs);
	errs = NULL;

	/* RANGE arguments */
	memset(&t, 0, sizeof(t));
	t.n = 2;
	t.r = (struct sr_range[]){ r0, r1 };
	CHECK(sr_tree_find(&t, "range1", &err) == &t.r[1]);
	CHECK(sr_tree_find(&t, "0x140000000", &err) == &t.r[0]);
	CHECK(sr_tree_find(&t, "0x150000000", &err) == &t.r[0]);
	CHECK(sr_tree_find(&t, "6G", &err) == &t.r[1]);
	CHECK(!sr_tree_find(&t, "0x1a0000000", &err) && err == -ENOENT);
	CHECK(!sr_tree_find(&t, "range2", &err) && err == -ENOENT);
	CHECK(!sr_tree_find(&t, "rangeZ", &err) && err == -EINVAL);
	CHECK(!sr_tree_find(&t, "junk", &err) && err == -EINVAL);
}

static void test_serial(void)
{
	struct sr_tree t;

	make_tree();
	CHECK(sr_set_root(root) == 0);
	CHECK(sr_tree_load(&t, sr_path(SR_CONFIGFS)) == 0 && t.n == 2);
	if (t.n == 2) {
		struct sr_rule rule = { .kind = MATCH_SERIAL, .val = 0xabc };

		CHECK(sr_rule_matches(&rule, &t.r[0]));
		CHECK(!sr_rule_matches(&rule, &t.r[1]));
		rule.val = 2748;	/* same, decimal */
		CHECK(sr_rule_matches(&rule, &t.r[0]));
		rule.val = 0xabd;
		CHECK(!sr_rule_matches(&rule, &t.r[0]));
	}
	sr_tree_free(&t);
	sr_set_root(NULL);
}

/*
 * serial= without --root: libcxl, which reads the machine's /sys, and is
 * opened once a command run. On a machine without a CXL bus (cxl_core not
 * loaded) it cannot be: serial= matches nothing and apply says why, once.
 * With --root the fake tree is walked by hand and libcxl never asked.
 */
static void test_serial_libcxl(void)
{
	struct sr_range r = mkrange(0, 0x140000000ULL, 1ULL << 30, 1);
	struct sr_rule rule = { .kind = MATCH_SERIAL, .val = 0xabc };
	struct ctx c = { .cmd = "apply" };
	char *out, *err, cmd[600];

	r.regions = "region0";
	make_tree();
	/* --root: the fake tree, whose mem0 has serial 0xabc */
	CHECK(sr_set_root(root) == 0);
	CHECK(sr_range_has_serial(&r, 0xabc) == 1);
	/* a tree without CXL devices: no match, and libcxl is not asked */
	snprintf(cmd, sizeof(cmd), "rm -r '%s/" ROOT "/sys/bus/cxl'", tmp);
	CHECK(system(cmd) == 0);
	capture_begin();
	CHECK(sr_cxl_open(&c) == 0);
	CHECK(sr_range_has_serial(&r, 0xabc) == 0);
	capture_end(&out, &err);
	CHECK_STR(err, "");
	free(out);
	free(err);
	sr_cxl_close();

	/* the machine itself: libcxl */
	sr_set_root(NULL);
	if (sr_is_dir("/sys/bus/cxl/devices")) {
		printf("  note: this machine has a CXL bus: serial= through libcxl not checked without one\n");
		CHECK(sr_range_has_serial(&r, 0xabc) >= 0);
		sr_cxl_close();
		return;
	}
	capture_begin();
	CHECK(sr_range_has_serial(&r, 0xabc) == -ENODEV);
	CHECK(!sr_rule_matches(&rule, &r));
	/* said once a run, whoever asked first */
	CHECK(sr_cxl_open(&c) == -ENODEV);
	CHECK(sr_cxl_open(&c) == -ENODEV);
	capture_end(&out, &err);
	CHECK_STR(out, "");
	CHECK_STR(err, "softresctl: apply: libcxl: no CXL bus at /sys/bus/cxl/devices (cxl_core not loaded): serial= rules match no range");
	free(out);
	free(err);
	/* the next run asks again */
	sr_cxl_close();
	capture_begin();
	CHECK(sr_cxl_open(&c) == -ENODEV);
	capture_end(&out, &err);
	CHECK(err && strstr(err, "libcxl: no CXL bus"));
	free(out);
	free(err);
	sr_cxl_close();
}

static void test_json(void)
{
	const char *want_list =
		"[\n"
		"  {\n"
		"    \"range\": \"range0\",\n"
		"    \"start\": 5368709120,\n"
		"    \"size\": 1073741824,\n"
		"    \"target_node\": 1,\n"
		"    \"owner\": \"auto\",\n"
		"    \"effective_owner\": \"cxl\",\n"
		"    \"mode\": \"system-ram\",\n"
		"    \"reason\": \"covered by region0\"\n"
		"  },\n"
		"  {\n"
		"    \"range\": \"range1\",\n"
		"    \"start\": 6442450944,\n"
		"    \"size\": 536870912,\n"
		"    \"target_node\": -1,\n"
		"    \"owner\": \"auto\",\n"
		"    \"effective_owner\": \"pending\",\n"
		"    \"mode\": \"system-ram\",\n"
		"    \"reason\": \"waiting for the initial device probe\"\n"
		"  }\n"
		"]";
	const char *want_show =
		"{\n"
		"  \"range\": \"range0\",\n"
		"  \"start\": 5368709120,\n"
		"  \"size\": 1073741824,\n"
		"  \"target_node\": 1,\n"
		"  \"owner\": \"auto\",\n"
		"  \"effective_owner\": \"cxl\",\n"
		"  \"mode\": \"system-ram\",\n"
		"  \"windows\": [\n"
		"    \"decoder0.0\"\n"
		"  ],\n"
		"  \"regions\": [\n"
		"    \"region0\"\n"
		"  ],\n"
		"  \"dax_devices\": [\n"
		"    \"dax0.0\",\n"
		"    \"dax0.1\"\n"
		"  ],\n"
		"  \"online\": \"yes\"\n"
		"}";
	char *out, *err, path[512];
	int rc;

	make_tree();
	rc = run(&out, &err, "list", "--json", (char *)NULL);
	CHECK(rc == 0);
	CHECK_STR(out, want_list);
	CHECK_STR(err, "");
	free(out);
	free(err);

	/* a file that cannot be read is left out, not printed as a placeholder */
	snprintf(path, sizeof(path), "%s/" CFG "/range0/reason", tmp);
	unlink(path);
	rc = run(&out, &err, "show", "0x150000000", "--json", (char *)NULL);
	CHECK(rc == 0);
	CHECK_STR(out, want_show);
	free(out);
	free(err);

	/* verbose list: empty lists are empty arrays, parseable JSON */
	make_tree();
	rc = run(&out, &err, "list", "-v", "--json", (char *)NULL);
	CHECK(rc == 0);
	if (out) {
		struct json_object *o = json_tokener_parse(out), *r1, *v;

		CHECK(o && json_object_is_type(o, json_type_array) &&
		      json_object_array_length(o) == 2);
		r1 = o ? json_object_array_get_idx(o, 1) : NULL;
		CHECK(r1 && json_object_object_get_ex(r1, "regions", &v) &&
		      json_object_is_type(v, json_type_array) &&
		      json_object_array_length(v) == 0);
		CHECK(r1 && json_object_object_get_ex(r1, "online", &v) &&
		      !strcmp(json_object_get_string(v), "no"));
		json_object_put(o);
	}
	free(out);
	free(err);

	/* human table: OWNER is the effective owner, WISH the owner attribute */
	rc = run(&out, &err, "list", (char *)NULL);
	CHECK(rc == 0);
	CHECK_STR(out,
		  "RANGE   START        SIZE  NODE  OWNER    MODE        DEVICE         ONLINE  WISH  REASON\n"
		  "range0  0x140000000  1G    1     cxl      system-ram  dax0.0,dax0.1  1G      auto  covered by region0\n"
		  "range1  0x180000000  512M  -1    pending  system-ram  -              0       auto  waiting for the initial device probe");
	free(out);
	free(err);
}

/* sizes for people, as cxl list -u prints them */
static void test_fmt_size_human(void)
{
	static const struct {
		uint64_t size;
		const char *want;	/* NULL: stays a number */
	} cases[] = {
		{ 0, NULL },
		{ 4096, NULL },
		{ 5000 * 1024 - 1, NULL },
		{ 5000 * 1024, "4.88 MiB (5.12 MB)" },
		{ 512ULL << 20, "512.00 MiB (536.87 MB)" },
		{ 1ULL << 30, "1024.00 MiB (1073.74 MB)" },
		{ (2ULL << 30) - 1, "2048.00 MiB (2147.48 MB)" },
		{ 2ULL << 30, "2.00 GiB (2.15 GB)" },
		{ 1ULL << 40, "1024.00 GiB (1099.51 GB)" },
		{ UINT64_MAX, "17179869184.00 GiB (18446744073.71 GB)" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[64] = "untouched";
		bool ok = sr_fmt_size_human(cases[i].size, buf, sizeof(buf));

		if (!cases[i].want) {
			CHECK(!ok);
			CHECK_STR(buf, "untouched");
		} else {
			CHECK(ok);
			CHECK_STR(buf, cases[i].want);
		}
	}
}

/* JSON numbers are numbers; -u makes start and size strings for people */
static void test_json_numbers(void)
{
	const char *want_human =
		"[\n"
		"  {\n"
		"    \"range\": \"range0\",\n"
		"    \"start\": \"0x140000000\",\n"
		"    \"size\": \"1024.00 MiB (1073.74 MB)\",\n"
		"    \"target_node\": 1,\n"
		"    \"owner\": \"auto\",\n"
		"    \"effective_owner\": \"cxl\",\n"
		"    \"mode\": \"system-ram\",\n"
		"    \"reason\": \"covered by region0\"\n"
		"  },\n"
		"  {\n"
		"    \"range\": \"range1\",\n"
		"    \"start\": \"0x180000000\",\n"
		"    \"size\": \"512.00 MiB (536.87 MB)\",\n"
		"    \"target_node\": -1,\n"
		"    \"owner\": \"auto\",\n"
		"    \"effective_owner\": \"pending\",\n"
		"    \"mode\": \"system-ram\",\n"
		"    \"reason\": \"waiting for the initial device probe\"\n"
		"  }\n"
		"]";
	const char *want_table;
	char *out, *err, *table, *vtable;
	int rc;

	make_tree();
	rc = run(&out, &err, "list", "--json", (char *)NULL);
	CHECK(rc == 0);
	if (out) {
		struct json_object *a = json_tokener_parse(out), *r, *v;
		int64_t sum = 0;
		size_t i;

		CHECK(a && json_object_is_type(a, json_type_array) &&
		      json_object_array_length(a) == 2);
		for (i = 0; a && i < json_object_array_length(a); i++) {
			r = json_object_array_get_idx(a, i);
			CHECK(json_object_object_get_ex(r, "start", &v) &&
			      json_object_is_type(v, json_type_int));
			CHECK(json_object_object_get_ex(r, "size", &v) &&
			      json_object_is_type(v, json_type_int));
			sum += json_object_get_int64(v);
			CHECK(json_object_object_get_ex(r, "target_node", &v) &&
			      json_object_is_type(v, json_type_int));
		}
		/* what jq 'map(.size) | add' gives */
		CHECK(sum == (int64_t)(3ULL << 29));
		r = a ? json_object_array_get_idx(a, 0) : NULL;
		CHECK(r && json_object_object_get_ex(r, "start", &v) &&
		      json_object_get_int64(v) == 0x140000000LL);
		json_object_put(a);
	}
	free(out);
	free(err);

	/* -u (--human): start in hex, size in MiB and MB */
	CHECK_RUN(0, want_human, "", "list", "-u", "--json");
	CHECK_RUN(0, want_human, "", "list", "--json", "--human");
	CHECK_RUN(0,
		  "{\n"
		  "  \"range\": \"range1\",\n"
		  "  \"start\": \"0x180000000\",\n"
		  "  \"size\": \"512.00 MiB (536.87 MB)\",\n"
		  "  \"target_node\": -1,\n"
		  "  \"owner\": \"auto\",\n"
		  "  \"effective_owner\": \"pending\",\n"
		  "  \"mode\": \"system-ram\",\n"
		  "  \"reason\": \"waiting for the initial device probe\",\n"
		  "  \"windows\": [\n"
		  "  ],\n"
		  "  \"regions\": [\n"
		  "  ],\n"
		  "  \"dax_devices\": [\n"
		  "  ],\n"
		  "  \"online\": \"no\"\n"
		  "}", "", "show", "range1", "--json", "-u");
	/* ... and GiB from 2 GiB on; a size below 5000 KiB stays a number */
	put(CFG "/range0/size", "0x200000000\n");
	put(CFG "/range1/size", "0x1000\n");
	rc = run(&out, &err, "list", "-u", "--json", (char *)NULL);
	CHECK(rc == 0);
	if (out) {
		struct json_object *a = json_tokener_parse(out), *v;

		CHECK(a && json_object_object_get_ex(
			json_object_array_get_idx(a, 0), "size", &v) &&
		      !strcmp(json_object_get_string(v), "8.00 GiB (8.59 GB)"));
		CHECK(a && json_object_object_get_ex(
			json_object_array_get_idx(a, 1), "size", &v) &&
		      json_object_is_type(v, json_type_int) &&
		      json_object_get_int64(v) == 4096);
		json_object_put(a);
	}
	free(out);
	free(err);

	/* without --json, -u changes nothing */
	make_tree();
	want_table =
		"RANGE   START        SIZE  NODE  OWNER    MODE        DEVICE         ONLINE  WISH  REASON\n"
		"range0  0x140000000  1G    1     cxl      system-ram  dax0.0,dax0.1  1G      auto  covered by region0\n"
		"range1  0x180000000  512M  -1    pending  system-ram  -              0       auto  waiting for the initial device probe";
	CHECK_RUN(0, want_table, "", "list", "-u");
	rc = run(&table, &err, "list", "-v", (char *)NULL);
	free(err);
	rc |= run(&vtable, &err, "list", "-v", "--human", (char *)NULL);
	free(err);
	CHECK(rc == 0);
	CHECK_STR(vtable, table);
	/* verbose: WINDOWS REGIONS after WISH, REASON last */
	CHECK_STR(table,
		  "RANGE   START        SIZE  NODE  OWNER    MODE        DEVICE         ONLINE  WISH  WINDOWS     REGIONS  REASON\n"
		  "range0  0x140000000  1G    1     cxl      system-ram  dax0.0,dax0.1  1G      auto  decoder0.0  region0  covered by region0\n"
		  "range1  0x180000000  512M  -1    pending  system-ram  -              0       auto  -           -        waiting for the initial device probe");
	free(table);
	free(vtable);
	rc = run(&out, &err, "show", "range0", "-u", (char *)NULL);
	free(err);
	run(&table, &err, "show", "range0", (char *)NULL);
	CHECK(rc == 0);
	CHECK(out && strstr(out, "\n  size             0x40000000 (1G)\n"));
	CHECK_STR(out, table);
	free(out);
	free(table);
	free(err);
}

/* The .range of each object of the JSON array @out: "range0 range1" */
static char *json_names(const char *out)
{
	struct json_object *a = out ? json_tokener_parse(out) : NULL;
	char buf[256] = "";
	size_t i, used = 0;

	if (!a || !json_object_is_type(a, json_type_array)) {
		json_object_put(a);
		return strdup("(not a JSON array)");
	}
	for (i = 0; i < json_object_array_length(a); i++) {
		struct json_object *v;

		if (!json_object_object_get_ex(json_object_array_get_idx(a, i),
					       "range", &v))
			continue;
		used += snprintf(buf + used, sizeof(buf) - used, "%s%s",
				 used ? " " : "", json_object_get_string(v));
		if (used >= sizeof(buf))
			break;
	}
	json_object_put(a);
	return strdup(buf);
}

/* list --json FILTERS... lists @want ("range0 range1"), no warning */
#define CHECK_LIST(want, ...) \
	check_list(__LINE__, (want), __VA_ARGS__, (char *)NULL)

static void check_list(int line, const char *want, ...)
{
	char *argv[12] = { "list", "--json" }, *out, *err, *names;
	va_list ap;
	int rc;

	va_start(ap, want);
	args_from(argv, 2, 12, ap);
	va_end(ap);
	/* run() stops at the first NULL */
	rc = run(&out, &err, argv[0], argv[1], argv[2], argv[3], argv[4],
		 argv[5], argv[6], argv[7], argv[8], argv[9], argv[10],
		 (char *)NULL);
	names = json_names(out);
	check(rc == 0, line, "list exit code 0");
	check_str(names, want, line, "ranges listed");
	check_str(err, "", line, "stderr");
	free(names);
	free(out);
	free(err);
}

#define NO_MATCH "softresctl: list: no range matches"

/* list's filters: -r, --owner, --node, --region, combined with AND */
static void test_list_filters(void)
{
	static const char only0[] =
		"RANGE   START        SIZE  NODE  OWNER  MODE        DEVICE         ONLINE  WISH  REASON\n"
		"range0  0x140000000  1G    1     cxl    system-ram  dax0.0,dax0.1  1G      auto  covered by region0";
	static const char only1[] =
		"RANGE   START        SIZE  NODE  OWNER    MODE        DEVICE  ONLINE  WISH  REASON\n"
		"range1  0x180000000  512M  -1    pending  system-ram  -       0       auto  waiting for the initial device probe";

	make_tree();
	/* -r: a name, a start, an address inside */
	CHECK_LIST("range1", "-r", "range1");
	CHECK_LIST("range0", "--range", "0x140000000");
	CHECK_LIST("range0", "-r", "5G");
	CHECK_LIST("range1", "-r", "0x19fffffff");
	CHECK_RUN(0, only0, "", "list", "-r", "0x150000000");
	CHECK_RUN(0, only1, "", "list", "--range=range1");
	/* no such range: nothing matches, a warning, exit 0 */
	CHECK_RUN(0, "[]", NO_MATCH, "list", "--json", "-r", "range7");
	CHECK_RUN(0, "[]", NO_MATCH, "list", "--json", "-r", "0x1a0000000");
	CHECK_RUN(0, "", NO_MATCH, "list", "-r", "range7");
	CHECK_RUN(0, "", NO_MATCH, "list", "-v", "-r", "7G");
	/* bad RANGE: a usage error, before the tree is even looked at */
	CHECK_RUN(2, "",
		  "softresctl: list: invalid RANGE 'zz': expected rangeN or an address",
		  "list", "-r", "zz");
	CHECK_RUN(2, "",
		  "softresctl: list: invalid RANGE 'range01': expected rangeN or an address",
		  "list", "--json", "-r", "range01");

	/* --owner: the effective owner, not the wish */
	CHECK_LIST("range0", "--owner", "cxl");
	CHECK_LIST("range1", "--owner", "pending");
	CHECK_RUN(0, only0, "", "list", "--owner=cxl");
	CHECK_RUN(0, "[]", NO_MATCH, "list", "--json", "--owner", "hmem");
	CHECK_RUN(0, "", NO_MATCH, "list", "--owner", "none");
	/* ... but auto, which owns nothing: the ranges whose wish is auto */
	CHECK_LIST("range0 range1", "--owner", "auto");
	put(CFG "/range0/owner", "hmem\n");
	CHECK_LIST("range1", "--owner", "auto");
	CHECK_LIST("range0", "--owner", "cxl");
	CHECK_RUN(0, "[]", NO_MATCH, "list", "--json", "--owner", "hmem");
	put(CFG "/range1/owner", "cxl\n");
	CHECK_RUN(0, "[]", NO_MATCH, "list", "--json", "--owner", "auto");
	CHECK_RUN(0, "", NO_MATCH, "list", "--owner", "auto");
	make_tree();
	CHECK_RUN(2, "",
		  "softresctl: list: invalid owner 'purple': expected auto, cxl, hmem, none or pending",
		  "list", "--owner", "purple");
	CHECK_RUN(2, "",
		  "softresctl: list: invalid owner 'CXL': expected auto, cxl, hmem, none or pending",
		  "list", "--json", "--owner", "CXL");

	/* --node: the target node, -1 included */
	CHECK_LIST("range0", "--node", "1");
	CHECK_LIST("range1", "--node", "-1");
	CHECK_RUN(0, only1, "", "list", "--node=-1");
	CHECK_RUN(0, "[]", NO_MATCH, "list", "--json", "--node", "2");
	CHECK_RUN(0, "", NO_MATCH, "list", "--node", "0");
	CHECK_RUN(2, "",
		  "softresctl: list: invalid node 'x': expected an integer",
		  "list", "--node", "x");
	CHECK_RUN(2, "",
		  "softresctl: list: invalid node '1x': expected an integer",
		  "list", "--node", "1x");
	CHECK_RUN(2, "",
		  "softresctl: list: invalid node '': expected an integer",
		  "list", "--node", "");

	/* --region: a region in the range's regions */
	CHECK_LIST("range0", "--region", "region0");
	CHECK_RUN(0, only0, "", "list", "--region", "region0");
	CHECK_RUN(0, "[]", NO_MATCH, "list", "--json", "--region", "region1");
	CHECK_RUN(0, "[]", NO_MATCH, "list", "--json", "--region", "region");
	CHECK_RUN(2, "",
		  "softresctl: list: invalid region '': expected a region name such as region0",
		  "list", "--region", "");
	put(CFG "/range1/regions", "region4 region5\n");
	CHECK_LIST("range1", "--region", "region5");
	make_tree();

	/* AND */
	CHECK_LIST("range0", "--owner", "cxl", "--node", "1", "--region",
		   "region0", "-r", "range0");
	CHECK_LIST("range0 range1", "-v");
	CHECK_RUN(0, "[]", NO_MATCH, "list", "--json", "--owner", "cxl",
		  "--node", "-1");
	CHECK_RUN(0, "[]", NO_MATCH, "list", "--json", "-r", "range1",
		  "--owner", "cxl");
	CHECK_RUN(0, "[]", NO_MATCH, "list", "--json", "-u", "--region",
		  "region0", "--owner", "pending");
	/* a bad value is a usage error even when another filter is fine */
	CHECK_RUN(2, "",
		  "softresctl: list: invalid node 'one': expected an integer",
		  "list", "--json", "-r", "range0", "--node", "one");

	/* no ranges and no filter: an empty list, no warning */
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd),
			 "rm -rf %s/" CFG "/range0 %s/" CFG "/range1",
			 tmp, tmp);
		CHECK(system(cmd) == 0);
	}
	CHECK_RUN(0, "[]", "", "list", "--json");
	CHECK_RUN(0, "RANGE  START  SIZE  NODE  OWNER  MODE  DEVICE  ONLINE  WISH  REASON", "",
		  "list");
	CHECK_RUN(0, "[]", NO_MATCH, "list", "--json", "--node", "1");
	make_tree();
}

static void test_commands(void)
{
	char *out, *err, *s, pol[512];
	int rc;

	make_tree();
	/* show: errors */
	rc = run(&out, &err, "show", "0x1a0000000", (char *)NULL);
	CHECK(rc == 1);
	free(out);
	free(err);
	rc = run(&out, &err, "show", "zz", (char *)NULL);
	CHECK(rc == 2);
	free(out);
	free(err);
	rc = run(&out, &err, "show", (char *)NULL);
	CHECK(rc == 2);
	free(out);
	free(err);
	rc = run(&out, &err, "frobnicate", (char *)NULL);
	CHECK(rc == 2);
	free(out);
	free(err);
	rc = run(&out, &err, "list", "--help", (char *)NULL);
	CHECK(rc == 0 && out && !strncmp(out, "usage: softresctl list", 22));
	free(out);
	free(err);
	rc = run(&out, &err, "--version", (char *)NULL);
	CHECK(rc == 0 && out && !strncmp(out, "softresctl ", 11));
	free(out);
	free(err);

	/* apply: a bad file changes nothing, exit 2 */
	put("bad.conf", "range0 hmem\nrange0 purple\n");
	snprintf(pol, sizeof(pol), "%s/bad.conf", tmp);
	rc = run(&out, &err, "apply", pol, (char *)NULL);
	CHECK(rc == 2);
	CHECK(err && strstr(err, "bad.conf:2: unknown owner 'purple'"));
	s = get(CFG "/range0/owner");
	CHECK_STR(s, "auto");
	free(s);
	free(out);
	free(err);

	/* apply: good file; the pending range gets its wish too */
	put("good.conf", "# policy\nrange0 hmem\naddr=0x190000000 cxl\n");
	snprintf(pol, sizeof(pol), "%s/good.conf", tmp);
	rc = run(&out, &err, "apply", "--dry-run", pol, (char *)NULL);
	CHECK(rc == 0);
	CHECK_STR(out, "range0: auto -> hmem (dry run)\n"
		       "range1: auto -> cxl (dry run)");
	s = get(CFG "/range0/owner");
	CHECK_STR(s, "auto");
	free(s);
	free(out);
	free(err);
	rc = run(&out, &err, "apply", pol, (char *)NULL);
	CHECK(rc == 0);
	CHECK_STR(out, "range0: auto -> hmem\nrange1: auto -> cxl");
	s = get(CFG "/range0/owner");
	CHECK_STR(s, "hmem");
	free(s);
	s = get(CFG "/range1/owner");
	CHECK_STR(s, "cxl");
	free(s);
	free(out);
	free(err);
	/* idempotent */
	rc = run(&out, &err, "apply", pol, (char *)NULL);
	CHECK(rc == 0);
	CHECK_STR(out, "nothing to change");
	free(out);
	free(err);
	setenv("SOFTRES_POLICY", pol, 1);
	rc = run(&out, &err, "apply", "--quiet", (char *)NULL);
	CHECK(rc == 0);
	CHECK_STR(out, "");
	free(out);
	free(err);
	/* no default file */
	snprintf(pol, sizeof(pol), "%s/none.conf", tmp);
	setenv("SOFTRES_POLICY", pol, 1);
	rc = run(&out, &err, "apply", (char *)NULL);
	CHECK(rc == 0);
	CHECK_STR(out, "no policy file");
	free(out);
	free(err);
	unsetenv("SOFTRES_POLICY");
	/* an explicit file that is missing is an error */
	rc = run(&out, &err, "apply", pol, (char *)NULL);
	CHECK(rc == 2);
	free(out);
	free(err);

	/* set-owner --offline: offlines the online blocks, writes */
	make_tree();
	rc = run(&out, &err, "set-owner", "range0", "hmem", "--offline", (char *)NULL);
	CHECK(rc == 0);
	CHECK(out && !strncmp(out, "offlined memory40-memory47\nrange0: auto -> hmem\nrange0\n", 55));
	s = get(CFG "/range0/owner");
	CHECK_STR(s, "hmem");
	free(s);
	s = get(MEM "/memory44/state");
	CHECK_STR(s, "offline");
	free(s);
	free(out);
	free(err);
	rc = run(&out, &err, "set-owner", "range0", "purple", (char *)NULL);
	CHECK(rc == 2);
	free(out);
	free(err);

	/* the owner write fails: the blocks go online again */
	make_tree();
	{
		char p[512];

		snprintf(p, sizeof(p), "%s/" CFG "/range0/owner", tmp);
		unlink(p);
		mkd(CFG "/range0/owner");	/* open(O_WRONLY) fails */
	}
	rc = run(&out, &err, "set-owner", "0x140000000", "hmem", "--offline",
		 (char *)NULL);
	CHECK(rc == 1);
	CHECK(out && strstr(out, "onlined memory40-memory47 again"));
	CHECK(err && strstr(err, "softresctl: set-owner: range0: cannot set owner hmem"));
	s = get(MEM "/memory44/state");
	CHECK_STR(s, "online_kernel");
	free(s);
	free(out);
	free(err);

	/* error messages */
	{
		struct sr_range r = mkrange(0, 0x140000000ULL, 1ULL << 30, 0);
		char buf[256];

		make_tree();
		CHECK(sr_set_root(root) == 0);
		CHECK_STR(sr_owner_strerror(-EBUSY, &r, true, buf, sizeof(buf)),
			  "memory is online: use --offline or offline memory40-memory47");
		CHECK_STR(sr_owner_strerror(-EBUSY, &r, false, buf, sizeof(buf)),
			  "memory is online: offline memory40-memory47 first");
		CHECK_STR(sr_owner_strerror(-ENXIO, &r, false, buf, sizeof(buf)),
			  "no committed CXL region covers range0");
		CHECK_STR(sr_owner_strerror(-EACCES, &r, false, buf, sizeof(buf)),
			  "must be root");
		sr_set_root(NULL);
	}

	/* wait */
	make_tree();
	rc = run(&out, &err, "wait", "--timeout", "0.2", (char *)NULL);
	CHECK(rc == 1 && err && strstr(err, "still pending: range1"));
	free(out);
	free(err);
	put(CFG "/range1/effective_owner", "hmem\n");
	rc = run(&out, &err, "wait", "--timeout", "5", (char *)NULL);
	CHECK(rc == 0);
	free(out);
	free(err);
	rc = run(&out, &err, "wait", "--timeout", "x", (char *)NULL);
	CHECK(rc == 2);
	free(out);
	free(err);

	/* no tree: kernel support missing */
	{
		char p[512];

		mkd("nothing");
		snprintf(p, sizeof(p), "%s/nothing", tmp);
		run_root = p;
		rc = run(&out, &err, "list", (char *)NULL);
		CHECK(rc == 3);
		free(out);
		free(err);
		run_root = root;
	}
}

/* stdout of the last run as written, its trailing newlines kept */
static char *raw_stdout(void)
{
	char path[512], *buf = NULL;
	size_t len = 0;
	FILE *f, *m;
	int ch;

	snprintf(path, sizeof(path), "%s/stdout", tmp);
	f = fopen(path, "r");
	m = open_memstream(&buf, &len);
	if (!f || !m)
		exit(1);
	while ((ch = getc(f)) != EOF)
		putc(ch, m);
	fclose(f);
	fclose(m);
	return buf;
}

/* What set-owner and apply print without --json stays as it was */
static void test_change_text(void)
{
	char *out, *err, pol[512];
	int rc;

	make_tree();
	CHECK_RUN(0,
		  "range1: auto -> hmem\n"
		  "range1\n"
		  "  start            0x180000000\n"
		  "  size             0x20000000 (512M)\n"
		  "  target_node      -1\n"
		  "  owner            hmem\n"
		  "  effective_owner  pending\n"
		  "  mode             system-ram\n"
		  "  reason           waiting for the initial device probe\n"
		  "  windows          \n"
		  "  regions          \n"
		  "  dax_devices      \n"
		  "  online           no",
		  "", "set-owner", "range1", "hmem");
	CHECK_RUN(0,
		  "offlined memory40-memory47\n"
		  "range0: auto -> hmem\n"
		  "range0\n"
		  "  start            0x140000000\n"
		  "  size             0x40000000 (1G)\n"
		  "  target_node      1\n"
		  "  owner            hmem\n"
		  "  effective_owner  cxl\n"
		  "  mode             system-ram\n"
		  "  reason           covered by region0\n"
		  "  windows          decoder0.0\n"
		  "  regions          region0\n"
		  "  dax_devices      dax0.0 dax0.1\n"
		  "  online           yes",
		  "", "set-owner", "range0", "hmem", "--offline");

	/* a failed write after --offline: the blocks come back */
	make_tree();
	fail_write = "/range0/owner";
	fail_errno = EIO;
	CHECK_RUN(1, "offlined memory40-memory47\n"
		  "onlined memory40-memory47 again",
		  "softresctl: set-owner: range0: cannot set owner hmem: "
		  "Input/output error",
		  "set-owner", "range0", "hmem", "--offline");

	/* apply: one write fails, the other range changes */
	make_tree();
	fail_errno = EBUSY;
	put("two.conf", "range0 hmem\nrange1 cxl\n");
	snprintf(pol, sizeof(pol), "%s/two.conf", tmp);
	rc = run(&out, &err, "apply", pol, (char *)NULL);
	CHECK(rc == 1);
	CHECK_STR(out, "range1: auto -> cxl");
	CHECK(err && strstr(err, "softresctl: apply: range0: cannot set owner "
			    "hmem (") &&
	      strstr(err, "/two.conf:1): memory is online: offline "
			  "memory40-memory47 first"));
	free(out);
	free(err);
	fail_write = NULL;
	fail_errno = 0;
}

/* set-owner --json: the change as one object, nothing on stdout on failure */
static void test_set_owner_json(void)
{
	char *out, *err, *err_text, *s;
	int rc;

	make_tree();
	CHECK_RUN(0,
		  "{\n"
		  "  \"range\": \"range1\",\n"
		  "  \"previous\": \"auto\",\n"
		  "  \"owner\": \"hmem\",\n"
		  "  \"effective_owner\": \"pending\"\n"
		  "}",
		  "", "set-owner", "range1", "hmem", "--json");
	s = get(CFG "/range1/owner");
	CHECK_STR(s, "hmem");
	free(s);
	/* -j; the wish read before the write */
	CHECK_RUN(0,
		  "{\n"
		  "  \"range\": \"range1\",\n"
		  "  \"previous\": \"hmem\",\n"
		  "  \"owner\": \"cxl\",\n"
		  "  \"effective_owner\": \"pending\"\n"
		  "}",
		  "", "set-owner", "-j", "range1", "cxl");

	/* --offline: the blocks offlined, one by one */
	make_tree();
	CHECK_RUN(0,
		  "{\n"
		  "  \"range\": \"range0\",\n"
		  "  \"previous\": \"auto\",\n"
		  "  \"owner\": \"hmem\",\n"
		  "  \"effective_owner\": \"cxl\",\n"
		  "  \"offlined\": [\n"
		  "    \"memory40\",\n"
		  "    \"memory41\",\n"
		  "    \"memory42\",\n"
		  "    \"memory43\",\n"
		  "    \"memory44\",\n"
		  "    \"memory45\",\n"
		  "    \"memory46\",\n"
		  "    \"memory47\"\n"
		  "  ]\n"
		  "}",
		  "", "set-owner", "range0", "hmem", "--offline", "--json");
	s = get(MEM "/memory47/state");
	CHECK_STR(s, "offline");
	free(s);
	/* --offline with nothing online: an empty list, not left out */
	CHECK_RUN(0,
		  "{\n"
		  "  \"range\": \"range1\",\n"
		  "  \"previous\": \"auto\",\n"
		  "  \"owner\": \"none\",\n"
		  "  \"effective_owner\": \"pending\",\n"
		  "  \"offlined\": [\n"
		  "  ]\n"
		  "}",
		  "", "set-owner", "range1", "none", "-o", "-j");
	/* the same wish again (but auto) offlines nothing */
	make_tree();
	put(CFG "/range0/owner", "hmem\n");
	CHECK_RUN(0,
		  "{\n"
		  "  \"range\": \"range0\",\n"
		  "  \"previous\": \"hmem\",\n"
		  "  \"owner\": \"hmem\",\n"
		  "  \"effective_owner\": \"cxl\",\n"
		  "  \"offlined\": [\n"
		  "  ]\n"
		  "}",
		  "", "set-owner", "range0", "hmem", "--offline", "--json");
	s = get(MEM "/memory40/state");
	CHECK_STR(s, "online");
	free(s);
	/*
	 * the owner the range has now (the wish auto): nothing moves, so
	 * nothing is offlined (the flip fuzzer found the blocks left offline)
	 */
	make_tree();
	CHECK_RUN(0,
		  "{\n"
		  "  \"range\": \"range0\",\n"
		  "  \"previous\": \"auto\",\n"
		  "  \"owner\": \"cxl\",\n"
		  "  \"effective_owner\": \"cxl\",\n"
		  "  \"offlined\": [\n"
		  "  ]\n"
		  "}",
		  "", "set-owner", "range0", "cxl", "--offline", "--json");
	s = get(MEM "/memory44/state");
	CHECK_STR(s, "online");
	free(s);
	/* an effective owner that cannot be read is left out */
	make_tree();
	{
		char p[512];

		snprintf(p, sizeof(p), "%s/" CFG "/range1/effective_owner", tmp);
		unlink(p);
	}
	CHECK_RUN(0,
		  "{\n"
		  "  \"range\": \"range1\",\n"
		  "  \"previous\": \"auto\",\n"
		  "  \"owner\": \"cxl\"\n"
		  "}",
		  "", "set-owner", "range1", "cxl", "--json");

	/* failures: stderr and exit code as without --json, stdout empty */
	make_tree();
	fail_write = "/range0/owner";
	fail_errno = EBUSY;
	rc = run(&out, &err_text, "set-owner", "range0", "hmem", (char *)NULL);
	CHECK(rc == 1);
	free(out);
	CHECK_RUN(1, "", err_text, "set-owner", "range0", "hmem", "--json");
	free(err_text);
	fail_errno = EIO;
	rc = run(&out, &err_text, "set-owner", "range0", "hmem", "--offline",
		 (char *)NULL);
	CHECK(rc == 1);
	CHECK_STR(out, "offlined memory40-memory47\n"
		       "onlined memory40-memory47 again");
	free(out);
	make_tree();
	CHECK_RUN(1, "", err_text, "set-owner", "range0", "hmem", "--offline",
		  "--json");
	free(err_text);
	s = get(MEM "/memory40/state");
	CHECK_STR(s, "online_movable");
	free(s);
	fail_write = NULL;
	fail_errno = 0;
	CHECK_RUN(2, "", "softresctl: set-owner: invalid owner 'purple': "
		  "expected auto, cxl, hmem or none",
		  "set-owner", "range0", "purple", "--json");
	CHECK_RUN(1, "", "softresctl: set-owner: no range named 'range7'",
		  "set-owner", "range7", "hmem", "--json");

	rc = run(&out, &err, "set-owner", "--help", (char *)NULL);
	CHECK(rc == 0 && out && strstr(out, "[--offline] [--json]\n") &&
	      strstr(out, "\n  -j, --json "));
	free(out);
	free(err);
}

/* apply --json: one object per range changed, [] when none */
static void test_apply_json(void)
{
	const char *want =
		"[\n"
		"  {\n"
		"    \"range\": \"range0\",\n"
		"    \"previous\": \"auto\",\n"
		"    \"owner\": \"hmem\",\n"
		"    \"dry_run\": %s\n"
		"  },\n"
		"  {\n"
		"    \"range\": \"range1\",\n"
		"    \"previous\": \"auto\",\n"
		"    \"owner\": \"cxl\",\n"
		"    \"dry_run\": %s\n"
		"  }\n"
		"]";
	char *out, *err, *err_text, *s, pol[512], buf[1024];
	int rc;

	make_tree();
	put("good.conf", "# policy\nrange0 hmem\naddr=0x190000000 cxl\n");
	snprintf(pol, sizeof(pol), "%s/good.conf", tmp);
	snprintf(buf, sizeof(buf), want, "true", "true");
	CHECK_RUN(0, buf, "", "apply", "--dry-run", "--json", pol);
	s = get(CFG "/range0/owner");
	CHECK_STR(s, "auto");
	free(s);
	snprintf(buf, sizeof(buf), want, "false", "false");
	CHECK_RUN(0, buf, "", "apply", pol, "-j");
	s = get(CFG "/range0/owner");
	CHECK_STR(s, "hmem");
	free(s);
	s = get(CFG "/range1/owner");
	CHECK_STR(s, "cxl");
	free(s);

	/* nothing to change: exactly "[]", whatever --quiet or --dry-run */
	rc = run(&out, &err, "apply", "--json", pol, (char *)NULL);
	CHECK(rc == 0);
	free(out);
	out = raw_stdout();
	CHECK_STR(out, "[]\n");
	CHECK_STR(err, "");
	free(out);
	free(err);
	CHECK_RUN(0, "[]", "", "apply", "--json", "--quiet", pol);
	CHECK_RUN(0, "[]", "", "apply", "--json", "-n", pol);
	/* no default file: nothing changes */
	snprintf(pol, sizeof(pol), "%s/none.conf", tmp);
	setenv("SOFTRES_POLICY", pol, 1);
	rc = run(&out, &err, "apply", "--json", (char *)NULL);
	CHECK(rc == 0);
	free(out);
	out = raw_stdout();
	CHECK_STR(out, "[]\n");
	free(out);
	free(err);
	unsetenv("SOFTRES_POLICY");

	/* one write fails: its error object; the other range changes; exit 1 */
	make_tree();
	fail_write = "/range0/owner";
	fail_errno = EBUSY;
	put("two.conf", "range0 hmem\nrange1 cxl\n");
	snprintf(pol, sizeof(pol), "%s/two.conf", tmp);
	rc = run(&out, &err_text, "apply", pol, (char *)NULL);
	CHECK(rc == 1);
	free(out);
	make_tree();
	CHECK_RUN(1,
		  "[\n"
		  "  {\n"
		  "    \"range\": \"range0\",\n"
		  "    \"owner\": \"hmem\",\n"
		  "    \"error\": \"memory is online: offline memory40-memory47 first\"\n"
		  "  },\n"
		  "  {\n"
		  "    \"range\": \"range1\",\n"
		  "    \"previous\": \"auto\",\n"
		  "    \"owner\": \"cxl\",\n"
		  "    \"dry_run\": false\n"
		  "  }\n"
		  "]",
		  err_text, "apply", "--json", pol);
	free(err_text);
	s = get(CFG "/range1/owner");
	CHECK_STR(s, "cxl");
	free(s);
	fail_write = NULL;
	fail_errno = 0;

	/* a bad file: nothing printed, exit 2 as without --json */
	put("bad.conf", "range0 purple\n");
	snprintf(pol, sizeof(pol), "%s/bad.conf", tmp);
	rc = run(&out, &err, "apply", "--json", pol, (char *)NULL);
	CHECK(rc == 2);
	CHECK_STR(out, "");
	CHECK(err && strstr(err, "bad.conf:1: unknown owner 'purple'"));
	free(out);
	free(err);

	rc = run(&out, &err, "apply", "--help", (char *)NULL);
	CHECK(rc == 0 && out && strstr(out, "[--quiet] [--json]\n") &&
	      strstr(out, "\n  -j, --json "));
	free(out);
	free(err);
}

/* Range @id's mode file (a kernel with the mode control) holds @mode */
static void put_mode(int id, const char *mode)
{
	char d[64];

	snprintf(d, sizeof(d), CFG "/range%d/mode", id);
	put(d, "%s\n", mode);
}

/* The make_tree() ranges with mode files: range0 @m0, range1 @m1 */
static void make_mode_tree(const char *m0, const char *m1)
{
	make_tree();
	put_mode(0, m0);
	put_mode(1, m1);
}

/* list and show: MODE, "mode"; no mode file is system-ram; --mode */
static void test_mode_list(void)
{
	char *out, *err;
	int rc;

	/* a kernel with the mode control */
	make_mode_tree("devdax", "system-ram");
	CHECK_RUN(0,
		  "RANGE   START        SIZE  NODE  OWNER    MODE        DEVICE         ONLINE  WISH  REASON\n"
		  "range0  0x140000000  1G    1     cxl      devdax      dax0.0,dax0.1  1G      auto  covered by region0\n"
		  "range1  0x180000000  512M  -1    pending  system-ram  -              0       auto  waiting for the initial device probe",
		  "", "list");
	CHECK_RUN(0,
		  "[\n"
		  "  {\n"
		  "    \"range\": \"range0\",\n"
		  "    \"start\": 5368709120,\n"
		  "    \"size\": 1073741824,\n"
		  "    \"target_node\": 1,\n"
		  "    \"owner\": \"auto\",\n"
		  "    \"effective_owner\": \"cxl\",\n"
		  "    \"mode\": \"devdax\",\n"
		  "    \"reason\": \"covered by region0\"\n"
		  "  }\n"
		  "]", "", "list", "--json", "-r", "range0");
	rc = run(&out, &err, "show", "range0", (char *)NULL);
	CHECK(rc == 0);
	CHECK(out && strstr(out, "\n  effective_owner  cxl\n"
				 "  mode             devdax\n"
				 "  reason           covered by region0\n"));
	free(out);
	free(err);
	rc = run(&out, &err, "show", "range0", "--json", (char *)NULL);
	CHECK(rc == 0);
	if (out) {
		struct json_object *o = json_tokener_parse(out), *v;

		CHECK(o && json_object_object_get_ex(o, "mode", &v) &&
		      !strcmp(json_object_get_string(v), "devdax"));
		json_object_put(o);
	}
	free(out);
	free(err);

	/* an older kernel, no mode file: the range comes up as System RAM */
	make_tree();
	put_mode(0, "devdax");
	CHECK_RUN(0,
		  "RANGE   START        SIZE  NODE  OWNER    MODE        DEVICE  ONLINE  WISH  REASON\n"
		  "range1  0x180000000  512M  -1    pending  system-ram  -       0       auto  waiting for the initial device probe",
		  "", "list", "-r", "range1");
	rc = run(&out, &err, "show", "range1", "--json", (char *)NULL);
	CHECK(rc == 0);
	CHECK(out && strstr(out, "\n  \"mode\": \"system-ram\",\n"));
	CHECK_STR(err, "");
	free(out);
	free(err);
	rc = run(&out, &err, "show", "range1", (char *)NULL);
	CHECK(rc == 0 && out && strstr(out, "\n  mode             system-ram\n"));
	free(out);
	free(err);

	/* a mode file that cannot be read is no older kernel: left out, "-" */
	make_tree();
	mkd(CFG "/range0/mode");
	rc = run(&out, &err, "show", "range0", "--json", (char *)NULL);
	CHECK(rc == 0 && out && !strstr(out, "\"mode\""));
	free(out);
	free(err);
	rc = run(&out, &err, "list", "-r", "range0", (char *)NULL);
	CHECK(rc == 0 && out &&
	      strstr(out, "\nrange0  0x140000000  1G    1     cxl    -     dax0.0,dax0.1  "));
	free(out);
	free(err);

	/* --mode: the mode as shown, no mode file being system-ram */
	make_mode_tree("devdax", "system-ram");
	CHECK_LIST("range0", "--mode", "devdax");
	CHECK_LIST("range1", "--mode=system-ram");
	CHECK_LIST("range0", "--mode", "devdax", "--owner", "cxl");
	CHECK_RUN(0, "[]", NO_MATCH, "list", "--json", "--mode", "devdax",
		  "--owner", "pending");
	put_mode(0, "system-ram");
	CHECK_LIST("range0 range1", "--mode", "system-ram");
	CHECK_RUN(0, "", NO_MATCH, "list", "--mode", "devdax");
	make_tree();
	CHECK_LIST("range0 range1", "--mode", "system-ram");
	CHECK_RUN(0, "[]", NO_MATCH, "list", "--json", "--mode", "devdax");
	mkd(CFG "/range0/mode");	/* unreadable: matches no mode */
	CHECK_LIST("range1", "--mode", "system-ram");
	CHECK_RUN(2, "",
		  "softresctl: list: invalid mode 'dax': expected system-ram or devdax",
		  "list", "--mode", "dax");
	CHECK_RUN(2, "",
		  "softresctl: list: invalid mode 'DEVDAX': expected system-ram or devdax",
		  "list", "--json", "--mode", "DEVDAX");
	rc = run(&out, &err, "list", "--help", (char *)NULL);
	CHECK(rc == 0 && out && strstr(out, "[--mode MODE]") &&
	      strstr(out, "\n      --mode MODE "));
	free(out);
	free(err);
}

/* set-mode RANGE MODE: as set-owner, on the mode file */
static void test_set_mode(void)
{
	char *out, *err, *s, want[1024];
	int rc;

	make_mode_tree("system-ram", "system-ram");
	CHECK_RUN(0,
		  "range1: system-ram -> devdax\n"
		  "range1\n"
		  "  start            0x180000000\n"
		  "  size             0x20000000 (512M)\n"
		  "  target_node      -1\n"
		  "  owner            auto\n"
		  "  effective_owner  pending\n"
		  "  mode             devdax\n"
		  "  reason           waiting for the initial device probe\n"
		  "  windows          \n"
		  "  regions          \n"
		  "  dax_devices      \n"
		  "  online           no",
		  "", "set-mode", "range1", "devdax");
	s = get(CFG "/range1/mode");
	CHECK_STR(s, "devdax");
	free(s);
	/* the owner is not touched */
	s = get(CFG "/range1/owner");
	CHECK_STR(s, "auto");
	free(s);
	/* RANGE as set-owner takes it; --json as set-owner prints it */
	write_log_reset();
	CHECK_RUN(0,
		  "{\n"
		  "  \"range\": \"range1\",\n"
		  "  \"previous\": \"devdax\",\n"
		  "  \"mode\": \"system-ram\"\n"
		  "}",
		  "", "set-mode", "0x190000000", "system-ram", "--json");
	CHECK_STR(write_log, "range1/mode=system-ram");
	CHECK_RUN(0,
		  "{\n"
		  "  \"range\": \"range1\",\n"
		  "  \"previous\": \"system-ram\",\n"
		  "  \"mode\": \"devdax\",\n"
		  "  \"offlined\": [\n"
		  "  ]\n"
		  "}",
		  "", "set-mode", "-j", "-o", "range1", "devdax");

	/* usage errors: exit 2, nothing written */
	write_log_reset();
	CHECK_RUN(2, "", "softresctl: set-mode: invalid mode 'purple': "
		  "expected system-ram or devdax", "set-mode", "range0", "purple");
	CHECK_RUN(2, "", "softresctl: set-mode: invalid mode 'hmem': "
		  "expected system-ram or devdax", "set-mode", "range0", "hmem");
	CHECK_RUN(1, "", "softresctl: set-mode: no range named 'range7'",
		  "set-mode", "range7", "devdax");
	CHECK_RUN(2, "", "softresctl: set-mode: invalid RANGE 'zz': "
		  "expected rangeN or an address", "set-mode", "zz", "devdax");
	rc = run(&out, &err, "set-mode", "range0", (char *)NULL);
	CHECK(rc == 2 && err &&
	      !strncmp(err, "softresctl: set-mode: expected RANGE and MODE\n"
			    "usage: softresctl set-mode RANGE system-ram|devdax [--offline] [--json]\n",
		       116));
	free(out);
	free(err);
	CHECK_STR(write_log, "");

	/* the kernel refuses: what it means, exit 1 */
	make_mode_tree("system-ram", "devdax");
	fail_write = "/range0/mode";
	fail_errno = EBUSY;
	CHECK_RUN(1, "", "softresctl: set-mode: range0: cannot set mode devdax: "
		  "memory is online: use --offline or offline memory40-memory47",
		  "set-mode", "range0", "devdax");
	rc = run(&out, &err, "set-mode", "range0", "devdax", (char *)NULL);
	CHECK(options_exist("set-mode", err));
	free(out);
	free(err);
	fail_errno = EINVAL;
	CHECK_RUN(1, "", "softresctl: set-mode: range0: cannot set mode devdax: "
		  "invalid mode: the kernel takes system-ram or devdax",
		  "set-mode", "range0", "devdax");
	fail_errno = ENODEV;
	CHECK_RUN(1, "", "softresctl: set-mode: range0: cannot set mode devdax: "
		  "range0 is gone", "set-mode", "range0", "devdax");
	/* devdax -> system-ram while a process holds the device */
	fail_write = "/range1/mode";
	fail_errno = EBUSY;
	CHECK_RUN(1, "", "softresctl: set-mode: range1: cannot set mode system-ram: "
		  "a process has its device-dax instance open or mapped (see the kernel log)",
		  "set-mode", "range1", "system-ram");
	put(CFG "/range1/dax_devices", "dax1.0\n");
	CHECK_RUN(1, "", "softresctl: set-mode: range1: cannot set mode system-ram: "
		  "a process has dax1.0 open or mapped: close it first",
		  "set-mode", "range1", "system-ram", "--json");
	put(CFG "/range1/dax_devices", "dax1.0 dax1.1\n");
	CHECK_RUN(1, "", "softresctl: set-mode: range1: cannot set mode system-ram: "
		  "a process has dax1.0 or dax1.1 open or mapped: close it first",
		  "set-mode", "range1", "system-ram");
	s = get(CFG "/range1/mode");
	CHECK_STR(s, "devdax");
	free(s);

	/* --offline, the write fails: the blocks go back, each to its zone */
	make_mode_tree("system-ram", "system-ram");
	fail_write = "/range0/mode";
	fail_errno = EBUSY;
	CHECK_RUN(1, "offlined memory40-memory47\n"
		  "onlined memory40-memory47 again",
		  "softresctl: set-mode: range0: cannot set mode devdax: "
		  "a process has dax0.0 or dax0.1 open or mapped: close it first",
		  "set-mode", "range0", "devdax", "--offline");
	s = block_states();
	CHECK_STR(s, "40:online_movable 41:online_movable 42:online_movable "
		     "43:online_movable 44:online_kernel 45:online_kernel "
		     "46:online_kernel 47:online_kernel");
	free(s);
	make_mode_tree("system-ram", "system-ram");
	fail_errno = EIO;
	CHECK_RUN(1, "", "softresctl: set-mode: range0: cannot set mode devdax: "
		  "Input/output error", "set-mode", "range0", "devdax", "-o", "-j");
	s = block_states();
	CHECK_STR(s, "40:online_movable 41:online_movable 42:online_movable "
		     "43:online_movable 44:online_kernel 45:online_kernel "
		     "46:online_kernel 47:online_kernel");
	free(s);
	/* a block refuses to go offline: the mode is not written */
	make_mode_tree("system-ram", "system-ram");
	fail_write = "/memory45/state";
	fail_errno = EBUSY;
	write_log_reset();
	rc = run(&out, &err, "set-mode", "range0", "devdax", "--offline",
		 (char *)NULL);
	CHECK(rc == 1);
	CHECK(err && strstr(err, "cannot offline memory45"));
	CHECK(!strstr(write_log, "/mode="));
	s = get(CFG "/range0/mode");
	CHECK_STR(s, "system-ram");
	free(s);
	free(out);
	free(err);
	fail_write = NULL;
	fail_errno = 0;

	/* --offline: offlined first, then the mode written */
	make_mode_tree("system-ram", "system-ram");
	write_log_reset();
	rc = run(&out, &err, "set-mode", "range0", "devdax", "--offline",
		 (char *)NULL);
	CHECK(rc == 0);
	CHECK(out && !strncmp(out, "offlined memory40-memory47\n"
				   "range0: system-ram -> devdax\nrange0\n", 63));
	CHECK_STR(err, "");
	CHECK_STR(write_log, "memory40/state=offline memory41/state=offline "
		  "memory42/state=offline memory43/state=offline "
		  "memory44/state=offline memory45/state=offline "
		  "memory46/state=offline memory47/state=offline "
		  "range0/mode=devdax");
	free(out);
	free(err);
	/* the same mode again offlines nothing */
	make_mode_tree("devdax", "system-ram");
	snprintf(want, sizeof(want),
		 "{\n"
		 "  \"range\": \"range0\",\n"
		 "  \"previous\": \"devdax\",\n"
		 "  \"mode\": \"devdax\",\n"
		 "  \"offlined\": [\n"
		 "  ]\n"
		 "}");
	CHECK_RUN(0, want, "", "set-mode", "range0", "devdax", "--offline",
		  "--json");
	s = get(MEM "/memory40/state");
	CHECK_STR(s, "online");
	free(s);

	/* an older kernel without the mode file: exit 3, nothing touched */
	make_tree();
	write_log_reset();
	snprintf(want, sizeof(want),
		 "softresctl: set-mode: range0: cannot set the mode: kernel "
		 "support missing (no %s/" CFG "/range0/mode; every range "
		 "comes up as system-ram)", tmp);
	CHECK_RUN(3, "", want, "set-mode", "range0", "devdax", "--offline");
	CHECK_RUN(3, "", want, "set-mode", "range0", "system-ram", "--json");
	CHECK_STR(write_log, "");
	s = block_states();
	CHECK_STR(s, "40:online 41:online 42:online 43:online 44:online "
		     "45:online 46:online 47:online");
	free(s);
	s = get(CFG "/range0/mode");
	CHECK(!s);
	free(s);

	rc = run(&out, &err, "set-mode", "--help", (char *)NULL);
	CHECK(rc == 0 && out && strstr(out, "[--offline] [--json]\n") &&
	      strstr(out, "\n  -o, --offline ") && strstr(out, "\n  -j, --json "));
	free(out);
	free(err);
}

/* Policy rules: MATCH OWNER [MODE] */
static void test_policy_mode(void)
{
	const char *good =
		"range0 hmem devdax\n"
		"range1\tcxl   system-ram   # comment\n"
		"node=2 none devdax\n"
		"addr=0x190000000 auto\n"
		"* auto system-ram\n";
	const char *bad =
		"range0 hmem purple\n"		/* 1 */
		"range1 hmem devdax extra\n"	/* 2 */
		"range2 devdax\n"		/* 3 */
		"range3 hmem DEVDAX\n"		/* 4 */
		"range4 hmem system_ram\n"	/* 5 */
		"range5 hmem devdax\n"		/* 6: good */
		"range5 cxl system-ram\n"	/* 7: duplicate */
		"range6 devdax hmem\n";		/* 8 */
	const char *want =
		"test.conf:1: unknown mode 'purple': expected system-ram or devdax (or nothing)\n"
		"test.conf:2: unexpected 'extra' after the mode\n"
		"test.conf:3: unknown owner 'devdax': expected auto, cxl, hmem or none\n"
		"test.conf:4: unknown mode 'DEVDAX': expected system-ram or devdax (or nothing)\n"
		"test.conf:5: unknown mode 'system_ram': expected system-ram or devdax (or nothing)\n"
		"test.conf:7: 'range5 cxl system-ram' duplicates 'range5 hmem devdax' on line 6: it never takes effect\n"
		"test.conf:8: unknown owner 'devdax': expected auto, cxl, hmem or none\n";
	struct sr_policy p;
	char *errs = NULL, *out, *err, *s, pol[512];
	int rc;

	rc = parse_text(good, &p, &errs);
	CHECK(rc == 0);
	CHECK_STR(errs, "");
	CHECK(p.n == 5);
	if (p.n == 5) {
		CHECK(!strcmp(p.rule[0].owner, "hmem") &&
		      !strcmp(p.rule[0].mode, "devdax"));
		CHECK_STR(p.rule[0].text, "range0 hmem devdax");
		CHECK(!strcmp(p.rule[1].owner, "cxl") &&
		      !strcmp(p.rule[1].mode, "system-ram"));
		CHECK(p.rule[2].kind == MATCH_NODE &&
		      !strcmp(p.rule[2].mode, "devdax"));
		/* no mode: the rule leaves it alone */
		CHECK(!strcmp(p.rule[3].owner, "auto") && !p.rule[3].mode[0]);
		CHECK_STR(p.rule[3].text, "addr=0x190000000 auto");
		CHECK(p.rule[4].kind == MATCH_ALL &&
		      !strcmp(p.rule[4].mode, "system-ram"));
	}
	sr_policy_free(&p);
	free(errs);
	errs = NULL;

	rc = parse_text(bad, &p, &errs);
	CHECK(rc == 7);
	CHECK_STR(errs, want);
	sr_policy_free(&p);
	free(errs);

	/* the example's rules, uncommented, parse: modes included */
	{
		char path[512], *ex, *line, *save = NULL, *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		int modes = 0;

		snprintf(path, sizeof(path), "%s/softres.conf.example",
			 TEST_SRCDIR);
		ex = sr_read_file(path);
		CHECK(ex && f);
		for (line = ex ? strtok_r(ex, "\n", &save) : NULL; line;
		     line = strtok_r(NULL, "\n", &save)) {
			size_t w = strcspn(line + 2, " ");

			/* a rule: "# MATCH  OWNER", columns apart */
			if (strncmp(line, "# ", 2) || line[2] == ' ' ||
			    strncmp(line + 2 + w, "  ", 2))
				continue;
			fprintf(f, "%s\n", line + 2);
			modes += !!strstr(line, "devdax") +
				 !!strstr(line, "system-ram");
		}
		fclose(f);
		rc = parse_text(text, &p, &errs);
		CHECK(rc == 0 && p.n == 5 && modes == 2);
		CHECK_STR(errs, "");
		sr_policy_free(&p);
		free(errs);
		free(text);
		free(ex);
	}

	/* apply refuses such a file whole */
	make_mode_tree("system-ram", "system-ram");
	put("badmode.conf", "range1 cxl\nrange0 hmem dax\n");
	snprintf(pol, sizeof(pol), "%s/badmode.conf", tmp);
	write_log_reset();
	rc = run(&out, &err, "apply", pol, (char *)NULL);
	CHECK(rc == 2);
	CHECK_STR(out, "");
	CHECK(err && strstr(err, "badmode.conf:2: unknown mode 'dax'"));
	CHECK_STR(write_log, "");
	free(out);
	free(err);
	s = get(CFG "/range1/owner");
	CHECK_STR(s, "auto");
	free(s);
}

/* apply: a rule's mode is written before its owner; no mode, left alone */
static void test_apply_mode(void)
{
	char *out, *err, *s, pol[512], want[1024];
	int rc;

	make_mode_tree("system-ram", "system-ram");
	put("mode.conf", "range0 hmem devdax\nrange1 cxl\n");
	snprintf(pol, sizeof(pol), "%s/mode.conf", tmp);
	write_log_reset();
	CHECK_RUN(0, "range0: mode system-ram -> devdax (dry run)\n"
		  "range0: auto -> hmem (dry run)\n"
		  "range1: auto -> cxl (dry run)", "", "apply", "-n", pol);
	CHECK_STR(write_log, "");
	CHECK_RUN(0, "range0: mode system-ram -> devdax\n"
		  "range0: auto -> hmem\n"
		  "range1: auto -> cxl", "", "apply", pol);
	CHECK_STR(write_log, "range0/mode=devdax range0/owner=hmem "
		  "range1/owner=cxl");
	s = get(CFG "/range0/mode");
	CHECK_STR(s, "devdax");
	free(s);
	s = get(CFG "/range1/mode");
	CHECK_STR(s, "system-ram");
	free(s);
	/* idempotent */
	write_log_reset();
	CHECK_RUN(0, "nothing to change", "", "apply", pol);
	CHECK_STR(write_log, "");
	/* only the mode differs: only the mode is written */
	put_mode(0, "system-ram");
	CHECK_RUN(0, "range0: mode system-ram -> devdax", "", "apply", pol);
	CHECK_STR(write_log, "range0/mode=devdax");
	/* a rule without a mode leaves a devdax range devdax */
	put("nomode.conf", "range0 cxl\n");
	snprintf(pol, sizeof(pol), "%s/nomode.conf", tmp);
	write_log_reset();
	CHECK_RUN(0, "range0: hmem -> cxl", "", "apply", pol);
	CHECK_STR(write_log, "range0/owner=cxl");
	s = get(CFG "/range0/mode");
	CHECK_STR(s, "devdax");
	free(s);

	/* --json: one object per write, the mode's first */
	make_mode_tree("system-ram", "devdax");
	put("json.conf", "range0 hmem devdax\n* none system-ram\n");
	snprintf(pol, sizeof(pol), "%s/json.conf", tmp);
	snprintf(want, sizeof(want),
		 "[\n"
		 "  {\n"
		 "    \"range\": \"range0\",\n"
		 "    \"previous\": \"system-ram\",\n"
		 "    \"mode\": \"devdax\",\n"
		 "    \"dry_run\": false\n"
		 "  },\n"
		 "  {\n"
		 "    \"range\": \"range0\",\n"
		 "    \"previous\": \"auto\",\n"
		 "    \"owner\": \"hmem\",\n"
		 "    \"dry_run\": false\n"
		 "  },\n"
		 "  {\n"
		 "    \"range\": \"range1\",\n"
		 "    \"previous\": \"devdax\",\n"
		 "    \"mode\": \"system-ram\",\n"
		 "    \"dry_run\": false\n"
		 "  },\n"
		 "  {\n"
		 "    \"range\": \"range1\",\n"
		 "    \"previous\": \"auto\",\n"
		 "    \"owner\": \"none\",\n"
		 "    \"dry_run\": false\n"
		 "  }\n"
		 "]");
	write_log_reset();
	CHECK_RUN(0, want, "", "apply", "--json", pol);
	CHECK_STR(write_log, "range0/mode=devdax range0/owner=hmem "
		  "range1/mode=system-ram range1/owner=none");

	/* the mode write fails: the owner is left alone, the rest goes on */
	make_mode_tree("system-ram", "system-ram");
	put("two.conf", "range0 hmem devdax\nrange1 cxl devdax\n");
	snprintf(pol, sizeof(pol), "%s/two.conf", tmp);
	fail_write = "/range0/mode";
	fail_errno = EBUSY;
	write_log_reset();
	rc = run(&out, &err, "apply", pol, (char *)NULL);
	CHECK(rc == 1);
	CHECK_STR(out, "range1: mode system-ram -> devdax\n"
		       "range1: auto -> cxl");
	CHECK(err && strstr(err, "softresctl: apply: range0: cannot set mode "
			    "devdax (") &&
	      strstr(err, "/two.conf:1): memory is online: offline "
			  "memory40-memory47 first; owner left alone"));
	CHECK(options_exist("apply", err));
	CHECK_STR(write_log, "range0/mode=devdax range1/mode=devdax "
		  "range1/owner=cxl");
	free(out);
	free(err);
	s = get(CFG "/range0/owner");
	CHECK_STR(s, "auto");
	free(s);
	/* busy in no CXL window: kmem came first; boot-options is the way */
	make_mode_tree("system-ram", "system-ram");
	put("one.conf", "range1 hmem devdax\n");
	snprintf(pol, sizeof(pol), "%s/one.conf", tmp);
	fail_write = "/range1/mode";
	snprintf(want, sizeof(want),
		 "softresctl: apply: range1: cannot set mode devdax (%s:1): "
		 "a process has its device-dax instance open or mapped (see "
		 "the kernel log); in no CXL window, it is handed over as "
		 "dax_hmem loads: 'softresctl boot-options --write' gives it "
		 "its mode from then on; owner left alone", pol);
	CHECK_RUN(1, "", want, "apply", pol);
	fail_write = "/range0/mode";
	snprintf(pol, sizeof(pol), "%s/two.conf", tmp);
	make_mode_tree("system-ram", "system-ram");
	snprintf(want, sizeof(want),
		 "softresctl: apply: range0: cannot set mode devdax (%s:1): "
		 "memory is online: offline memory40-memory47 first; owner "
		 "left alone", pol);
	CHECK_RUN(1,
		  "[\n"
		  "  {\n"
		  "    \"range\": \"range0\",\n"
		  "    \"mode\": \"devdax\",\n"
		  "    \"error\": \"memory is online: offline memory40-memory47 first\"\n"
		  "  },\n"
		  "  {\n"
		  "    \"range\": \"range1\",\n"
		  "    \"previous\": \"system-ram\",\n"
		  "    \"mode\": \"devdax\",\n"
		  "    \"dry_run\": false\n"
		  "  },\n"
		  "  {\n"
		  "    \"range\": \"range1\",\n"
		  "    \"previous\": \"auto\",\n"
		  "    \"owner\": \"cxl\",\n"
		  "    \"dry_run\": false\n"
		  "  }\n"
		  "]", want, "apply", "--json", pol);
	fail_write = NULL;
	fail_errno = 0;

	/* an older kernel: system-ram is what it does, devdax it cannot */
	make_tree();
	put("old.conf", "range0 hmem devdax\n* cxl system-ram\n");
	snprintf(pol, sizeof(pol), "%s/old.conf", tmp);
	write_log_reset();
	rc = run(&out, &err, "apply", pol, (char *)NULL);
	CHECK(rc == 1);
	CHECK_STR(out, "range1: auto -> cxl");
	CHECK(err && strstr(err, "softresctl: apply: range0: cannot set mode "
			    "devdax (") &&
	      strstr(err, "/old.conf:1): kernel support missing: no mode "
			  "file, every range comes up as system-ram; owner "
			  "left alone"));
	CHECK_STR(write_log, "range1/owner=cxl");
	free(out);
	free(err);
	s = get(CFG "/range1/mode");
	CHECK(!s);
	free(s);
}

/*
 * boot-options: the policy as dax_hmem's owners= and modes=, by start,
 * printed or written whole to etc/modprobe.d/softres.conf below the root
 */
static void test_boot_options(void)
{
	char *out, *err, *s, pol[512], want[1024], werr[1024], dflt[512];
	struct stat st;
	int rc;

	make_tree();
	snprintf(pol, sizeof(pol), "%s/boot.conf", tmp);
	snprintf(dflt, sizeof(dflt), "%s/etc/softres.conf", root);
#define WANT(file, line) snprintf(want, sizeof(want), \
	"# Written by softresctl boot-options from %s: the owner and\n" \
	"# mode each range gets from the moment dax_hmem loads. Made for\n" \
	"# the ranges there were; run it again after changing that file.\n" \
	"%s", file, line)

	/* owner and mode by start; auto is left out (the default) */
	put("boot.conf", "range0 hmem devdax\nstart=0x180000000 auto devdax\n");
	WANT(pol, "options dax_hmem owners=0x140000000:hmem "
	     "modes=0x140000000:devdax,0x180000000:devdax");
	CHECK_RUN(0, want, "", "boot-options", pol);
	/* owners only; node= and serial= resolve against the tree */
	put("boot.conf", "node=1 cxl\naddr=0x190000000 none\n");
	WANT(pol, "options dax_hmem owners=0x140000000:cxl,0x180000000:none");
	CHECK_RUN(0, want, "", "boot-options", pol);
	put("boot.conf", "serial=0xabc hmem system-ram\n");
	WANT(pol, "options dax_hmem owners=0x140000000:hmem "
	     "modes=0x140000000:system-ram");
	CHECK_RUN(0, want, "", "boot-options", pol);
	/* nothing to say: a comment, no options line */
	put("boot.conf", "range7 hmem devdax\n* auto\n");
	WANT(pol, "# no rule names an owner or a mode for a range");
	CHECK_RUN(0, want, "", "boot-options", pol);

	/* --write: the same text, whole, where modprobe reads it */
	put("boot.conf", "range1 hmem devdax\n");
	WANT(pol, "options dax_hmem owners=0x180000000:hmem "
	     "modes=0x180000000:devdax");
	snprintf(werr, sizeof(werr),
		 "softresctl: boot-options: cannot write %s/etc/modprobe.d/softres.conf: No such file or directory",
		 root);
	CHECK_RUN(1, "", werr, "boot-options", "--write", pol);
	mkd(ROOT "/etc/modprobe.d");
	snprintf(werr, sizeof(werr), "wrote %s/etc/modprobe.d/softres.conf",
		 root);
	CHECK_RUN(0, werr, "", "boot-options", "-w", pol);
	s = get(ROOT "/etc/modprobe.d/softres.conf");
	CHECK_STR(s, want);
	free(s);
	/* readable by modprobe run as anyone, as modprobe.d files are */
	snprintf(werr, sizeof(werr), "%s/etc/modprobe.d/softres.conf", root);
	CHECK(stat(werr, &st) == 0 && (st.st_mode & 0777) == 0644);
	/* the same text again: not rewritten (the boot unit runs it) */
	CHECK(chmod(werr, 0600) == 0);
	snprintf(werr, sizeof(werr),
		 "%s/etc/modprobe.d/softres.conf is up to date", root);
	CHECK_RUN(0, werr, "", "boot-options", "-w", pol);
	snprintf(werr, sizeof(werr), "%s/etc/modprobe.d/softres.conf", root);
	CHECK(stat(werr, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK(chmod(werr, 0644) == 0);
	/* nothing but the file itself is left in the directory */
	snprintf(werr, sizeof(werr), "test \"$(ls -A %s/etc/modprobe.d)\" = softres.conf",
		 root);
	CHECK(system(werr) == 0);

	/* a refused policy file writes nothing: the old options stay */
	put("boot.conf", "range0 hmem\nrange0 cxl\n");
	rc = run(&out, &err, "boot-options", "-w", pol, (char *)NULL);
	CHECK(rc == 2 && out && !*out && err && strstr(err, "nothing changed"));
	free(out);
	free(err);
	s = get(ROOT "/etc/modprobe.d/softres.conf");
	CHECK_STR(s, want);
	free(s);

	/* the default policy file; gone: --write removes the options too */
	unsetenv("SOFTRES_POLICY");
	put(ROOT "/etc/softres.conf", "range0 none\n");
	WANT(dflt, "options dax_hmem owners=0x140000000:none");
	CHECK_RUN(0, want, "", "boot-options");
	remove(dflt);
	CHECK_RUN(0, "no policy file", "", "boot-options");
	s = get(ROOT "/etc/modprobe.d/softres.conf");
	CHECK(s != NULL);
	free(s);
	snprintf(werr, sizeof(werr),
		 "no policy file: removed %s/etc/modprobe.d/softres.conf", root);
	CHECK_RUN(0, werr, "", "boot-options", "--write");
	s = get(ROOT "/etc/modprobe.d/softres.conf");
	CHECK(!s);
	free(s);
	CHECK_RUN(0, "no policy file", "", "boot-options", "--write");

	/* a range a rule names without a start cannot be named */
	snprintf(werr, sizeof(werr), "%s/" CFG "/range1/start", tmp);
	remove(werr);
	put("boot.conf", "* hmem\n");
	CHECK_RUN(1, "", "softresctl: boot-options: range1: cannot read its start, nothing written",
		  "boot-options", pol);

	/* no tree: kernel support missing, nothing loaded */
	snprintf(werr, sizeof(werr), "rm -rf '%s/" CFG "'", tmp);
	CHECK(system(werr) == 0);
	rc = run(&out, &err, "boot-options", pol, (char *)NULL);
	CHECK(rc == 3 && out && !*out && err && strstr(err, "no softres tree"));
	free(out);
	free(err);
	rc = run(&out, &err, "boot-options", pol, "x", (char *)NULL);
	CHECK(rc == 2 && out && !*out && err &&
	      !strncmp(err, "softresctl: boot-options: unexpected argument 'x'\n"
		       "usage: softresctl boot-options [FILE] [--write]\n", 96));
	free(out);
	free(err);
#undef WANT
}

/* --list-cmds, help [COMMAND], version */
static void test_help(void)
{
	static const char cmds[] =
		"list\nshow\nset-owner\nset-mode\napply\nboot-options\nwait\nhelp\nversion";
	char *out, *err, *usage, *want_out, *want_err, *names, *name, *save;
	int rc;

	make_tree();
	CHECK_RUN(0, cmds, "", "--list-cmds");
	/* the global options come before the command */
	run_root = NULL;
	CHECK_RUN(0, cmds, "", "--list-cmds");
	rc = run(&usage, &err, "--help", (char *)NULL);
	CHECK(rc == 0 && usage && strstr(usage, "\n  set-owner "));
	CHECK(usage && strstr(usage, "--root DIR") &&
	      strstr(usage, "--list-cmds"));
	free(err);
	CHECK_RUN(0, usage, "", "help");
	CHECK_RUN(0, usage, "", "-h");
	CHECK_RUN(0, usage, "", "help", "--help");
	CHECK_RUN(0, usage, "", "help", "help");

	/* help COMMAND is COMMAND --help, for every command */
	names = strdup(cmds);
	for (name = strtok_r(names, "\n", &save); name;
	     name = strtok_r(NULL, "\n", &save)) {
		if (!strcmp(name, "help"))
			continue;
		rc = run(&want_out, &want_err, name, "--help", (char *)NULL);
		CHECK(rc == 0 && want_out && *want_out);
		CHECK(!strncmp(want_out, "usage: softresctl ", 18));
		CHECK_RUN(0, want_out, want_err, "help", name);
		free(want_out);
		free(want_err);
	}
	free(names);

	/* help of no command: the message of 'softresctl frob', exit 1 */
	rc = run(&want_out, &want_err, "frob", (char *)NULL);
	CHECK(rc == 2);
	CHECK_STR(want_out, "");
	CHECK(want_err && !strncmp(want_err,
		"softresctl: unknown command 'frob'\nusage: softresctl ", 53));
	CHECK_RUN(1, "", want_err, "help", "frob");
	free(want_out);
	free(want_err);
	CHECK_RUN(2, "", "softresctl: help: unexpected argument 'show'",
		  "help", "list", "show");

	/* version */
	rc = run(&out, &err, "--version", (char *)NULL);
	CHECK(rc == 0 && out && !strncmp(out, "softresctl ", 11));
	CHECK_RUN(0, out, "", "version");
	free(out);
	free(err);
	CHECK_RUN(0, "usage: softresctl version", "", "help", "version");
	CHECK_RUN(2, "", "softresctl: version: unexpected argument 'x'",
		  "version", "x");

	/* an unknown global option */
	rc = run(&out, &err, "--frob", "list", (char *)NULL);
	CHECK(rc == 2);
	CHECK_STR(out, "");
	CHECK(err && !strncmp(err, "softresctl: unknown option '--frob'\n", 36));
	free(out);
	free(err);
	rc = run(&out, &err, (char *)NULL);
	CHECK(rc == 2 && err && !strcmp(err, usage));
	free(out);
	free(err);
	free(usage);
	run_root = root;
}

/* --root DIR: every path below DIR, the default policy file too */
static void test_root(void)
{
	char *out, *err, dir[512], opt[600];

	make_tree();
	run_root = NULL;
	/* --root=DIR, and DIR with a trailing slash */
	snprintf(opt, sizeof(opt), "--root=%s", root);
	snprintf(dir, sizeof(dir), "%s//", root);
	{
		int rc = run(&out, &err, opt, "list", "--json", (char *)NULL);
		char *names = json_names(out);

		CHECK(rc == 0);
		CHECK_STR(names, "range0 range1");
		free(names);
		free(out);
		free(err);
		rc = run(&out, &err, "--root", dir, "show", "range1",
			 (char *)NULL);
		CHECK(rc == 0 && out && !strncmp(out, "range1\n", 7));
		CHECK_STR(err, "");
		free(out);
		free(err);
	}
	/* a DIR that is not one: a usage error, before any command */
	snprintf(dir, sizeof(dir), "%s/none", tmp);
	snprintf(opt, sizeof(opt),
		 "softresctl: --root '%s': No such file or directory", dir);
	CHECK_RUN(2, "", opt, "--root", dir, "list");
	snprintf(dir, sizeof(dir), "%s/" MEM "/block_size_bytes", tmp);
	snprintf(opt, sizeof(opt), "softresctl: --root '%s': Not a directory",
		 dir);
	CHECK_RUN(2, "", opt, "--root", dir, "list");
	CHECK_RUN(2, "", "softresctl: --root needs a directory", "--root");
	CHECK_RUN(2, "", "softresctl: --root '': No such file or directory",
		  "--root=", "list");
	/* after the command it is no option of the command */
	snprintf(opt, sizeof(opt), "--root=%s", root);
	{
		int rc = run(&out, &err, "list", opt, (char *)NULL);

		CHECK(rc == 2);
		CHECK(out && !strstr(out, "range0"));
		free(out);
		free(err);
	}
	run_root = root;

	/* the sysfs mirror when configfs is not there */
	{
		char cmd[1200];

		snprintf(cmd, sizeof(cmd),
			 "cd '%s' && mkdir -p " ROOT "/sys/kernel && mv " CFG
			 " " ROOT "/sys/kernel/softres", tmp);
		CHECK(system(cmd) == 0);
	}
	CHECK_LIST("range0 range1", "-v");
	/* writing wants configfs */
	snprintf(opt, sizeof(opt),
		 "softresctl: set-owner: no softres tree at %s/" CFG, tmp);
	CHECK_RUN(3, "", opt, "set-owner", "range0", "hmem");

	/* apply: the default policy file is DIR/etc/softres.conf */
	make_tree();
	unsetenv("SOFTRES_POLICY");
	CHECK_RUN(0, "no policy file", "", "apply");
	put(ROOT "/etc/softres.conf", "range1 hmem\n");
	CHECK_RUN(0, "range1: auto -> hmem (dry run)", "", "apply", "-n");
	/* $SOFTRES_POLICY names a file as it is, not below DIR */
	put("policy.conf", "range0 none\n");
	snprintf(dir, sizeof(dir), "%s/policy.conf", tmp);
	setenv("SOFTRES_POLICY", dir, 1);
	CHECK_RUN(0, "range0: auto -> none (dry run)", "", "apply", "-n");
	unsetenv("SOFTRES_POLICY");
	CHECK_RUN(0, "range1: auto -> hmem", "", "apply", "--quiet");
	out = get(CFG "/range1/owner");
	CHECK_STR(out, "hmem");
	free(out);
}

/* Range @id: wish @owner, owned by @eff through the dax devices @dax */
static void put_owner(int id, const char *owner, const char *eff,
		      const char *dax)
{
	char d[64];

	snprintf(d, sizeof(d), CFG "/range%d/owner", id);
	put(d, "%s\n", owner);
	snprintf(d, sizeof(d), CFG "/range%d/effective_owner", id);
	put(d, "%s\n", eff);
	snprintf(d, sizeof(d), CFG "/range%d/dax_devices", id);
	put(d, "%s\n", dax);
}

/*
 * The table: OWNER, its DEVICE(s), how much is ONLINE, the WISH only
 * when the owner is not it
 */
static void test_table(void)
{
	make_tree();
	/* the wish is the owner: "-" */
	put(CFG "/range0/owner", "cxl\n");
	CHECK_RUN(0, "RANGE   START        SIZE  NODE  OWNER  MODE        DEVICE         ONLINE  WISH  REASON\n"
		     "range0  0x140000000  1G    1     cxl    system-ram  dax0.0,dax0.1  1G      -     covered by region0",
		  "", "list", "-r", "range0");
	/* part of it online */
	put(MEM "/memory44/state", "offline\n");
	put(MEM "/memory46/state", "offline\n");
	CHECK_RUN(0, "RANGE   START        SIZE  NODE  OWNER  MODE        DEVICE         ONLINE  WISH  REASON\n"
		     "range0  0x140000000  1G    1     cxl    system-ram  dax0.0,dax0.1  768M    -     covered by region0",
		  "", "list", "-r", "range0");
	/* a range that does not fill its blocks: only its part counts */
	put(CFG "/range0/start", "0x144000000\n");
	put(CFG "/range0/size", "0x4000000\n");
	CHECK_RUN(0, "RANGE   START        SIZE  NODE  OWNER  MODE        DEVICE         ONLINE  WISH  REASON\n"
		     "range0  0x144000000  64M   1     cxl    system-ram  dax0.0,dax0.1  64M     -     covered by region0",
		  "", "list", "-r", "range0");
	/* the blocks cannot be read: the kernel's word */
	make_tree();
	{
		char p[512];

		snprintf(p, sizeof(p), "%s/" MEM "/block_size_bytes", tmp);
		unlink(p);
	}
	put(CFG "/range0/online", "partial\n");
	put_owner(0, "hmem", "hmem", "dax1.0");
	CHECK_RUN(0, "RANGE   START        SIZE  NODE  OWNER  MODE        DEVICE  ONLINE   WISH  REASON\n"
		     "range0  0x140000000  1G    1     hmem   system-ram  dax1.0  partial  -     covered by region0",
		  "", "list", "-r", "range0");
	/* the wish none, nothing owns it: the same, "-" */
	make_tree();
	put_owner(0, "none", "none", "");
	put(CFG "/range0/regions", "region0  region1\n");
	CHECK_RUN(0, "RANGE   START        SIZE  NODE  OWNER  MODE        DEVICE  ONLINE  WISH  WINDOWS     REGIONS          REASON\n"
		     "range0  0x140000000  1G    1     none   system-ram  -       1G      -     decoder0.0  region0,region1  covered by region0",
		  "", "list", "-v", "-r", "range0");
	/* the wish differs: shown, also while pending */
	make_tree();
	put(CFG "/range1/owner", "hmem\n");
	CHECK_RUN(0, "RANGE   START        SIZE  NODE  OWNER    MODE        DEVICE  ONLINE  WISH  REASON\n"
		     "range1  0x180000000  512M  -1    pending  system-ram  -       0       hmem  waiting for the initial device probe",
		  "", "list", "-r", "range1");
}

static void test_words(void)
{
	const char *p = "  a\tbc  d ", *w;
	uint64_t v = 0;
	size_t n;

	w = sr_word(&p, &n);
	CHECK(w && n == 1 && !strncmp(w, "a", 1));
	w = sr_word(&p, &n);
	CHECK(w && n == 2 && !strncmp(w, "bc", 2));
	w = sr_word(&p, &n);
	CHECK(w && n == 1 && *w == 'd');
	CHECK(!sr_word(&p, &n));
	p = NULL;
	CHECK(!sr_word(&p, &n));
	CHECK(sr_list_has("region0 region1", "region1"));
	CHECK(!sr_list_has("region0 region10", "region1"));
	CHECK(!sr_list_has(NULL, "region1"));

	CHECK(!sr_parse_hex("8000000", &v) && v == 0x8000000);
	CHECK(!sr_parse_hex("ffffffffffffffff", &v) && v == UINT64_MAX);
	CHECK(sr_parse_hex("10000000000000000", &v) == -ERANGE);
	CHECK(sr_parse_hex("", &v) == -EINVAL);
	CHECK(sr_parse_hex("0x10", &v) == -EINVAL);
	CHECK(sr_parse_hex(" 10", &v) == -EINVAL);
	CHECK(sr_parse_hex("-1", &v) == -EINVAL);
}

static void test_blocks_fmt(void)
{
	unsigned long ids[] = { 1, 2, 3, 5, 7, 8 };
	struct sr_blocks b = { ids, 6 };
	char buf[128];

	sr_blocks_fmt(&b, buf, sizeof(buf));
	CHECK_STR(buf, "memory1-memory3, memory5, memory7-memory8");
	b.n = 0;
	sr_blocks_fmt(&b, buf, sizeof(buf));
	CHECK_STR(buf, "");
}

int main(void)
{
	snprintf(tmp, sizeof(tmp), "%s/softresctl-test.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(root, sizeof(root), "%s/" ROOT, tmp);
	umask(022);

	test_parse_u64();
	test_parse_int();
	test_range_names();
	test_policy_good();
	test_policy_bad();
	test_policy_read();
	test_policy_shadowed();
	test_matching();
	test_blocks_fmt();
	test_serial();
	test_serial_libcxl();
	test_json();
	test_fmt_size_human();
	test_json_numbers();
	test_list_filters();
	test_commands();
	test_strict_numbers();
	test_range_lookup();
	test_busy_hints();
	test_offline_zones();
	test_change_text();
	test_set_owner_json();
	test_apply_json();
	test_mode_list();
	test_set_mode();
	test_policy_mode();
	test_apply_mode();
	test_boot_options();
	test_help();
	test_root();
	test_table();
	test_words();
	test_no_hooks_in_softresctl();
	test_install();

	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	printf("softresctl: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
