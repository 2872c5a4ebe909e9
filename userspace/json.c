// SPDX-License-Identifier: GPL-2.0
/*
 * softresctl: the JSON helpers of every command that prints JSON (list,
 * show, set-owner, apply), so that they all print it the same way.
 */
#include <string.h>
#include <json-c/json.h>

#include "softresctl.h"

/* Add @v under @key; takes @v, frees it when adding fails. 0 or -1. */
int sr_jadd(struct json_object *o, const char *key, struct json_object *v)
{
	if (!v)
		return -1;
	if (json_object_object_add(o, key, v)) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

int sr_jstr(struct json_object *o, const char *key, const char *val)
{
	if (!val)
		return 0;	/* could not be read: leave it out */
	return sr_jadd(o, key, json_object_new_string(val));
}

/*
 * A number as cxl list prints one: an int64 (addresses and sizes never
 * reach 2^63), so that jq can add them up.
 */
int sr_jnum(struct json_object *o, const char *key, bool have, uint64_t val)
{
	if (!have)
		return 0;
	return sr_jadd(o, key, json_object_new_int64((int64_t)val));
}

/* Append @v to the array @a; takes @v, frees it when adding fails. */
int sr_jappend(struct json_object *a, struct json_object *v)
{
	if (!v)
		return -1;
	if (json_object_array_add(a, v)) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

/* "a b c" -> ["a", "b", "c"] */
int sr_jlist(struct json_object *o, const char *key, const char *list)
{
	struct json_object *a;
	const char *w;
	size_t n;

	if (!list)
		return 0;
	a = json_object_new_array();
	if (!a)
		return -1;
	while ((w = sr_word(&list, &n))) {
		if (sr_jappend(a, json_object_new_string_len(w, (int)n))) {
			json_object_put(a);
			return -1;
		}
	}
	return sr_jadd(o, key, a);
}

/*
 * Print @o pretty and drop it. 0 or -1. An empty array prints as "[]":
 * json-c prints it pretty as "[\n]".
 */
int sr_print_json(FILE *out, struct json_object *o)
{
	const int flags = JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			  JSON_C_TO_STRING_NOSLASHESCAPE;
	const char *s;
	int rc = 0;

	if (json_object_is_type(o, json_type_array) &&
	    !json_object_array_length(o))
		s = "[]";
	else
		s = json_object_to_json_string_ext(o, flags);
	if (!s || fprintf(out, "%s\n", s) < 0)
		rc = -1;
	json_object_put(o);
	return rc;
}
