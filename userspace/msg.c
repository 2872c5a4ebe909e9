// SPDX-License-Identifier: GPL-2.0
/* softresctl: messages to the admin, on standard error */
#include <stdarg.h>

#include "softresctl.h"

/* "softresctl: CMD: message"; without a command, "softresctl: message" */
static void vmsg(const struct ctx *c, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "softresctl: ");
	if (c && c->cmd)
		fprintf(stderr, "%s: ", c->cmd);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* What went wrong */
void sr_err(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(c, fmt, ap);
	va_end(ap);
}

/* What softresctl did on its own to get going (a module loaded, ...) */
void sr_note(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(c, fmt, ap);
	va_end(ap);
}
