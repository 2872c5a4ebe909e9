/* SPDX-License-Identifier: GPL-2.0 */
/*
 * softresctl: shared declarations. Every command lives in a cmd_<name>()
 * (list.c, owner.c, policy.c), helpers in util.c, JSON output in json.c,
 * module loading in modules.c, the command table in softresctl.c.
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
};

struct sr_tree {
	struct sr_range *r;
	size_t n;
	char root[4096];	/* the directory the ranges were read from */
};

/* util.c */
void sr_err(const struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *sr_configfs_root(void);
const char *sr_sysfs_root(void);
const char *sr_memory_root(void);
const char *sr_cxl_root(void);
bool sr_test_mode(void);
#ifdef SOFTRES_TEST_HOOKS
/* writes to a path ending in sr_test_fail_write fail with sr_test_fail_errno */
extern const char *sr_test_fail_write;
extern int sr_test_fail_errno;
#endif
bool sr_is_dir(const char *path);
char *sr_read_file(const char *path);
char *sr_read_attr(const char *dir, const char *name);
int sr_write_file(const char *path, const char *val);
int sr_parse_u64(const char *s, uint64_t *out);
int sr_parse_int(const char *s, int *out);
int sr_parse_seconds(const char *s, double *out);
int sr_parse_range_name(const char *s, int *id);
void sr_fmt_size(uint64_t size, char *buf, size_t len);
bool sr_fmt_size_human(uint64_t size, char *buf, size_t len);
const char *sr_tree_dir(void);
int sr_tree_load(struct sr_tree *t, const char *root);
void sr_tree_free(struct sr_tree *t);
struct sr_range *sr_tree_find(struct sr_tree *t, const char *spec, int *err);
int sr_range_spec_check(const struct ctx *c, const char *spec);
struct sr_range *sr_range_arg(const struct ctx *c, struct sr_tree *t,
			      const char *spec, int *rc);
bool sr_range_contains(const struct sr_range *r, uint64_t addr);
bool sr_list_has(const char *list, const char *word);

/* memory blocks of a range */
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

/* modules.c: make sure what softres needs is there */
int sr_prepare(const struct ctx *c, bool write);
int sr_open(const struct ctx *c, struct sr_tree *t, bool write);

/* owner.c */
const char *sr_owner_strerror(int err, const struct sr_range *r,
			      bool offline_opt, char *buf, size_t len);
int sr_write_owner(const struct sr_range *r, const char *word);
bool sr_owner_word(const char *s);

/* json.c: 0 or -1; each takes the json_object given it, freed on failure */
struct json_object;
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

/* policy.c */
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
	int line;
	char text[80];		/* "MATCH OWNER" as written, for messages */
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
bool sr_rule_matches(const struct sr_rule *rule, const struct sr_range *r);
const struct sr_rule *sr_policy_lookup(const struct sr_policy *p,
				       const struct sr_range *r);
int sr_range_has_serial(const struct sr_range *r, uint64_t serial);

/* commands */
int cmd_list(int argc, char **argv, struct ctx *c);
int cmd_show(int argc, char **argv, struct ctx *c);
int cmd_set_owner(int argc, char **argv, struct ctx *c);
int cmd_wait(int argc, char **argv, struct ctx *c);
int cmd_apply(int argc, char **argv, struct ctx *c);
int softresctl_main(int argc, char **argv);

#endif
