/*
 * Libraries loaded at first use (lib/dl.c): libpq when a server is first
 * opened, libxlsxwriter when a workbook is first written, so that a
 * command needing neither does not pay for them at every start.
 */
#ifndef CASE_DL_H
#define CASE_DL_H

#include <stddef.h>

/* A symbol to find, and where its address goes. */
struct case_dl_sym {
	const char *name;
	void **slot;
};

/* Load the library soname into *lib, unless *lib is already loaded, and
 * fill the slot of each of the n symbols.  0; or -1 with *why saying
 * what failed, and *missing set when the library loaded but lacks the
 * symbol *why names (*lib is then closed again). */
int case_dl_load(void **lib, const char *soname,
		 const struct case_dl_sym *syms, size_t n, const char **why,
		 int *missing);

#endif
