/* dladdr and its Dl_info are GNU extensions of <dlfcn.h>. */
#define _GNU_SOURCE
#include "sm_home.h"

#include "sm_buf.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The file holding this code: the shared library when it is one (dladdr
 * names it), else the executable (dladdr gives the main program's name as
 * typed, so /proc/self/exe instead).  Newly allocated, or NULL. */
static char *code_file(void)
{
	Dl_info info;
	if (dladdr((void *)code_file, &info) && info.dli_fname && strstr(info.dli_fname, ".so"))
		return realpath(info.dli_fname, NULL);
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

static int has_fonts(const char *dir)
{
	char *fonts = sm_asprintf("%s/fonts", dir);
	int ok = fonts && access(fonts, R_OK | X_OK) == 0;
	free(fonts);
	return ok;
}

char *sm_home_find(void)
{
	char *file = code_file();
	char *slash = file ? strrchr(file, '/') : NULL;
	if (slash) {
		*slash = '\0';
		const char *rel[] = { "../share/safemeta", ".." };
		for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
			char *dir = sm_asprintf("%s/%s", file, rel[i]);
			char *real = dir ? realpath(dir, NULL) : NULL;
			free(dir);
			if (real && has_fonts(real)) {
				free(file);
				return real;
			}
			free(real);
		}
	}
	free(file);
#ifdef SM_INSTALL_DATADIR
	if (has_fonts(SM_INSTALL_DATADIR))
		return strdup(SM_INSTALL_DATADIR);
#endif
	return NULL;
}
