#include "sm_fmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Past SM_FMT_EXP_FROM fixed decimals mean nothing (an odds ratio of 1e62
 * would take 60 digits): three significant digits times a power of ten,
 * "1.23×10⁶²", with superscript digits. */
static void fmt_exponent(struct sm_buf *b, double x)
{
	static const char *const sup[] = { "\u2070", "\u00b9", "\u00b2", "\u00b3", "\u2074",
					   "\u2075", "\u2076", "\u2077", "\u2078", "\u2079" };
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%.2e", fabs(x));
	char *e = strchr(tmp, 'e');
	int exp = e ? atoi(e + 1) : 0;
	if (e)
		*e = 0;
	if (x < 0)
		sm_buf_puts(b, SM_MINUS);
	sm_buf_printf(b, "%s\u00d710", tmp);
	if (exp < 0) {
		sm_buf_puts(b, "\u207b");
		exp = -exp;
	}
	char digits[16];
	snprintf(digits, sizeof digits, "%d", exp);
	for (const char *d = digits; *d; d++)
		sm_buf_puts(b, sup[*d - '0']);
}

void sm_fmt_num(struct sm_buf *b, double x, int dec)
{
	if (!isfinite(x)) {
		sm_buf_puts(b, "NA");
		return;
	}
	if (fabs(x) >= SM_FMT_EXP_FROM) {
		fmt_exponent(b, x);
		return;
	}
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%.*f", dec, fabs(x));
	/* A value that rounds to zero prints without a sign. */
	int zero = strspn(tmp, "0.") == strlen(tmp);
	if (x < 0 && !zero)
		sm_buf_puts(b, SM_MINUS);
	sm_buf_puts(b, tmp);
}

void sm_fmt_short(struct sm_buf *b, double x)
{
	int dec = 0;
	while (dec < 6 && fabs(x * pow(10, dec) - round(x * pow(10, dec))) > 1e-9)
		dec++;
	sm_fmt_num(b, x, dec);
}

void sm_fmt_p(struct sm_buf *b, double p, int dec)
{
	if (!isfinite(p)) {
		sm_buf_puts(b, "P = NA");
		return;
	}
	if (p < 0.001) {
		sm_buf_puts(b, "P < 0.001");
		return;
	}
	sm_buf_puts(b, "P = ");
	sm_fmt_num(b, p, p < 0.01 ? 3 : dec);
}

char *sm_fmt_num_str(double x, int dec)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_fmt_num(&b, x, dec);
	if (b.failed) {
		sm_buf_release(&b);
		return NULL;
	}
	return sm_buf_take(&b);
}

char *sm_fmt_short_str(double x)
{
	struct sm_buf b;
	sm_buf_init(&b);
	sm_fmt_short(&b, x);
	if (b.failed) {
		sm_buf_release(&b);
		return NULL;
	}
	return sm_buf_take(&b);
}
