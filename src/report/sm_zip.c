#include "sm_zip.h"

#include "sm_buf.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <zip.h>

void sm_zip_dostime(long long epoch, unsigned short *dtime, unsigned short *ddate)
{
	const long long first = 315532800LL;  /* 1980-01-01 00:00:00 UTC */
	const long long last = 4354819198LL;  /* 2107-12-31 23:59:58 UTC */
	time_t t = (time_t)(epoch < first ? first : epoch > last ? last : epoch);
	struct tm tm;
	gmtime_r(&t, &tm);
	*dtime = (unsigned short)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
	*ddate = (unsigned short)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 | tm.tm_mday);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Add DIR/name as entry `name` with the fixed time, mode and compression. */
static int add_entry(zip_t *za, const char *dir, const char *name, unsigned short dtime,
		     unsigned short ddate)
{
	char *path = sm_asprintf("%s/%s", dir, name);
	zip_source_t *src = path ? zip_source_file(za, path, 0, -1) : NULL;
	free(path);
	if (!src)
		return -1;
	zip_int64_t i = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8);
	if (i < 0) {
		zip_source_free(src);
		return -1;
	}
	zip_uint64_t idx = (zip_uint64_t)i;
	if (zip_set_file_compression(za, idx, ZIP_CM_DEFLATE, 9) != 0 ||
	    zip_file_set_dostime(za, idx, dtime, ddate, 0) != 0 ||
	    zip_file_set_external_attributes(za, idx, 0, ZIP_OPSYS_UNIX,
					     (zip_uint32_t)(S_IFREG | 0644) << 16) != 0)
		return -1;
	return 0;
}

sm_status sm_zip_write(struct sm_ctx *ctx, const char *dir, const char *const *files, size_t n,
		       const char *zip_path, long long epoch)
{
	const char **sorted = sm_alloc_array(n ? n : 1, sizeof *sorted);
	if (!sorted)
		return SM_FAIL(ctx, SM_EINTERNAL, "out of memory");
	memcpy(sorted, files, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, by_name);
	unsigned short dtime, ddate;
	sm_zip_dostime(epoch < 0 ? 0 : epoch, &dtime, &ddate);
	int err = 0;
	zip_t *za = zip_open(zip_path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	if (!za) {
		free(sorted);
		zip_error_t ze;
		zip_error_init_with_code(&ze, err);
		sm_status s = SM_FAIL_POS(ctx, SM_EOUTPUT, zip_path, 0, 0, NULL,
					  "cannot write the zip (%s); expected a writable folder",
					  zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return s;
	}
	size_t i = 0;
	while (i < n && add_entry(za, dir, sorted[i], dtime, ddate) == 0)
		i++;
	free(sorted);
	/* libzip writes a temporary file beside zip_path and renames it over
	 * zip_path on close: the zip appears whole or not at all */
	if (i < n || zip_close(za) != 0) {
		sm_status s = SM_FAIL_POS(ctx, SM_EOUTPUT, zip_path, 0, 0, NULL,
					  "cannot write the zip (%s); expected the bundle's files "
					  "to be readable and the folder writable",
					  zip_strerror(za));
		zip_discard(za);
		return s;
	}
	return SM_OK;
}
