/*
 * fuzz_style.c -- libFuzzer harness for the figure style (template)
 * reader.  sm_style_load() takes a path, so each input is written to a
 * private temporary file first.
 */
#include "sm_ctx.h"
#include "sm_style.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/sm-fuzz-style-XXXXXX.json";
	int fd = mkstemps(path, 5);
	if (fd < 0)
		return 0;
	size_t done = 0;
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	close(fd);
	struct sm_ctx *ctx = sm_ctx_new();
	if (ctx && done == size) {
		/* a template may name a font; the home folder holds them */
		const char *home = getenv("SAFEMETA_HOME");
		if (home)
			sm_ctx_set_home(ctx, home);
		sm_style_free(sm_style_load(ctx, path));
	}
	sm_ctx_free(ctx);
	unlink(path);
	return 0;
}
