/* SPDX-License-Identifier: GPL-2.0 */
/*
 * softresctl: shared declarations. Every command lives in a cmd_<name>()
 * in the file of its group (list.c: list, show; owner.c: set-owner;
 * mode.c: set-mode; apply.c: apply; bootopts.c: boot-options; wait.c:
 * wait), the command table and global options in softresctl.c. set-owner
 * and set-mode share setattr.c (offline, write, put back). Shared by
 * them: msg.c (messages), parse.c (numbers and words), paths.c (where the
 * kernel's files are, --root; reading and writing them), sysfs.c (the
 * walks through sysfs and configfs), cxl.c (the CXL memdevs behind a
 * range), range.c (RANGE arguments), policy.c (the policy file),
 * modules.c (kernel support), json.c (JSON output).
 */
#ifndef SOFTRESCTL_H
#define SOFTRESCTL_H

#include <stdint.h>
#include <stdio.h>
#include <stdbool.h>

#ifndef SOFTRESCTL_VERSION
#define SOFTRESCTL_VERSION "0.1"
#endif

/* exit codes, see softresctl(8) */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
	EXIT_NOSUPPORT = 3,
};

struct ctx {
	const char *cmd;	/* command name, for messages */
	bool quiet;
};

/* One Soft Reserved range as read from configfs or the sysfs mirror. */
struct sr_range {
	char name[32];		/* rangeN */
	int id;			/* N */
	bool have_start, have_size, have_node;
	uint64_t start, size;
	int target_node;
	/* NULL when the file could not be read; trailing newline removed */
	char *owner, *effective_owner, *reason;
	char *windows, *regions, *dax_devices, *online;
	/*
	 * How the range comes up: system-ram or devdax. A kernel without
	 * the mode file (older softres) brings it up as System RAM: mode
	 * is then "system-ram" and no_mode true.
	 */
	char *mode;
	bool no_mode;
};

struct sr_tree {
	struct sr_range *r;
	size_t n;
	char root[4096];	/* the directory the ranges were read from */
};

/* msg.c */
void sr_err(const struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sr_note(const struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* parse.c */
int sr_parse_u64(const char *s, uint64_t *out);
int sr_parse_hex(const char *s, uint64_t *out);
int sr_parse_int(const char *s, int *out);
int sr_parse_seconds(const char *s, double *out);
int sr_parse_range_name(const char *s, int *id);
void sr_fmt_size(uint64_t size, char *buf, size_t len);
bool sr_fmt_size_human(uint64_t size, char *buf, size_t len);
const char *sr_word(const char **p, size_t *len);
bool sr_list_has(const char *list, const char *word);

/* paths.c: the kernel's files, below the --root DIR when given */
enum sr_path {
	SR_CONFIGFS,	/* /sys/kernel/config/softres */
	SR_SYSFS,	/* /sys/kernel/softres */
	SR_MEMORY,	/* /sys/devices/system/memory */
	SR_CXL,		/* /sys/bus/cxl/devices */
	SR_POLICY,	/* /etc/softres.conf */
	SR_MODPROBE,	/* /etc/modprobe.d/softres.conf */
	SR_NPATHS,
};
int sr_set_root(const char *dir);
bool sr_rooted(void);
const char *sr_path(enum sr_path p);
const char *sr_tree_dir(void);
bool sr_is_dir(const char *path);
char *sr_read_file(const char *path);
char *sr_read_attr(const char *dir, const char *name);
int sr_write_file(const char *path, const char *val);

/* sysfs.c: the ranges */
int sr_tree_load(struct sr_tree *t, const char *root);
void sr_tree_free(struct sr_tree *t);

/* range.c: RANGE arguments */
bool sr_range_contains(const struct sr_range *r, uint64_t addr);
struct sr_range *sr_tree_find(struct sr_tree *t, const char *spec, int *err);
struct sr_range *sr_range_arg(const struct ctx *c, struct sr_tree *t,
			      const char *spec, bool may_miss, int *rc);

/* sysfs.c: the memory blocks of a range */
struct sr_blocks {
	unsigned long *id;
	size_t n;
};
int sr_blocks_in_state(const struct sr_range *r, const char *state,
		       struct sr_blocks *b);
void sr_blocks_fmt(const struct sr_blocks *b, char *buf, size_t len);
void sr_blocks_free(struct sr_blocks *b);
int sr_block_movable(unsigned long id, char *word, size_t len);
int sr_block_set(unsigned long id, const char *state);
int sr_online_size(const struct sr_range *r, uint64_t *bytes);

/* cxl.c: the CXL memdevs behind a range (libcxl; by hand with --root) */
int sr_cxl_open(const struct ctx *c);
void sr_cxl_close(void);
int sr_range_has_serial(const struct sr_range *r, uint64_t serial);

/* modules.c: make sure what softres needs is there */
int sr_prepare(const struct ctx *c, bool write);
int sr_open(const struct ctx *c, struct sr_tree *t, bool write);

/* owner.c */
bool sr_online_hint(const struct sr_range *r, bool offline_opt, char *buf,
		    size_t len);
const char *sr_attr_strerror(int err, const struct sr_range *r, char *buf,
			     size_t len);
const char *sr_owner_strerror(int err, const struct sr_range *r,
			      bool offline_opt, char *buf, size_t len);
int sr_write_owner(const struct sr_range *r, const char *word);
bool sr_owner_word(const char *s);

/* mode.c */
#define SR_MODE_WORDS "system-ram or devdax"
const char *sr_mode_strerror(int err, const struct sr_range *r,
			     bool offline_opt, char *buf, size_t len);
int sr_write_mode(const struct sr_range *r, const char *word);
bool sr_mode_word(const char *s);
void sr_no_mode_err(const struct ctx *c, const struct sr_range *r);

struct json_object;

/*
 * setattr.c: set-owner and set-mode, one command written once: RANGE
 * WORD [--offline] [--json]. Offline the range's memory blocks when
 * asked, write WORD into the attribute, put the blocks back when the
 * write fails, print the change.
 */
struct sr_setattr {
	const char *attr;	/* "owner", "mode": the file, the JSON key */
	const char *arg;	/* "OWNER", "MODE": the word, in messages */
	const char *usage;	/* the command's --help */
	const char *words;	/* "auto, cxl, hmem or none", for messages */
	bool (*valid)(const char *word);
	/* the attribute's value in @r; NULL when it cannot be read */
	const char *(*get)(const struct sr_range *r);
	/*
	 * Can the write be made to @r at all? 0, or the exit code after
	 * saying why not (before anything is offlined). NULL: always.
	 */
	int (*check)(const struct ctx *c, const struct sr_range *r);
	int (*write)(const struct sr_range *r, const char *word);
	const char *(*strerror)(int err, const struct sr_range *r,
				bool offline_opt, char *buf, size_t len);
	/* writing @word into @r again moves nothing (no need to offline) */
	bool (*same)(const struct sr_range *r, const char *word);
	/* --json: more of the state read back after the write; may be NULL */
	int (*json_after)(struct json_object *o, const struct sr_range *now);
};
int sr_setattr_cmd(int argc, char **argv, struct ctx *c,
		   const struct sr_setattr *a);

/* json.c: 0 or -1; each takes the json_object given it, freed on failure */
int sr_jadd(struct json_object *o, const char *key, struct json_object *v);
int sr_jstr(struct json_object *o, const char *key, const char *val);
int sr_jnum(struct json_object *o, const char *key, bool have, uint64_t val);
int sr_jlist(struct json_object *o, const char *key, const char *list);
int sr_jappend(struct json_object *a, struct json_object *v);
int sr_print_json(FILE *out, struct json_object *o);

/* list.c */
struct json_object *sr_range_json(const struct sr_range *r, bool verbose,
				  bool human);
void sr_show_human(FILE *out, const struct sr_range *r);

/* policy.c: the policy file */
enum sr_match {
	MATCH_ALL,
	MATCH_RANGE,
	MATCH_START,
	MATCH_ADDR,
	MATCH_NODE,
	MATCH_SERIAL,
};

struct sr_rule {
	enum sr_match kind;
	uint64_t val;		/* range id, address, or serial */
	int node;
	char owner[8];
	char mode[16];		/* "" when the rule leaves the mode alone */
	int line;
	char text[96];		/* "MATCH OWNER [MODE]" as written, for messages */
};

/* The longest line of a policy file, its newline not counted */
#define SR_POLICY_LINE_MAX 4096

struct sr_policy {
	struct sr_rule *rule;
	size_t n;
};

int sr_policy_parse(FILE *in, const char *fname, struct sr_policy *p,
		    FILE *errs);
int sr_policy_check_tree(const struct sr_policy *p, const struct sr_tree *t,
			 const char *fname, FILE *errs);
void sr_policy_free(struct sr_policy *p);
bool sr_policy_has(const struct sr_policy *p, enum sr_match kind);
bool sr_rule_matches(const struct sr_rule *rule, const struct sr_range *r);
const struct sr_rule *sr_policy_lookup(const struct sr_policy *p,
				       const struct sr_range *r);
int sr_policy_refused(const struct ctx *c, const char *file, int n);
int sr_policy_read(const struct ctx *c, const char **file,
		   struct sr_policy *pol);

/* commands */
int cmd_list(int argc, char **argv, struct ctx *c);
int cmd_show(int argc, char **argv, struct ctx *c);
int cmd_set_owner(int argc, char **argv, struct ctx *c);
int cmd_set_mode(int argc, char **argv, struct ctx *c);
int cmd_wait(int argc, char **argv, struct ctx *c);
int cmd_apply(int argc, char **argv, struct ctx *c);
int cmd_boot_options(int argc, char **argv, struct ctx *c);
int softresctl_main(int argc, char **argv);

#endif
