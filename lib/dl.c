/* Libraries loaded at first use: see dl.h. */
#include <dlfcn.h>

#include "dl.h"

int
case_dl_load(void **lib, const char *soname,
	     const struct case_dl_sym *syms, size_t n, const char **why,
	     int *missing)
{
	size_t i;

	*missing = 0;
	if (*lib != NULL)
		return 0;
	if ((*lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		*why = dlerror();
		return -1;
	}
	for (i = 0; i < n; i++)
		if ((*syms[i].slot = dlsym(*lib, syms[i].name)) == NULL) {
			dlclose(*lib);
			*lib = NULL;
			*why = syms[i].name;
			*missing = 1;
			return -1;
		}
	return 0;
}
