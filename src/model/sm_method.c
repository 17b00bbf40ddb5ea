#include "sm_method.h"

#include <stddef.h>
#include <string.h>

static int find(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}

static const char *const method_names[] = {
	"FE", "DL", "HE", "HS", "SJ", "ML", "REML", "EB", "PM"
};
#define NMETHODS (sizeof method_names / sizeof method_names[0])

const char *sm_method_name(enum sm_method m)
{
	return (size_t)m < NMETHODS ? method_names[m] : "?";
}

int sm_method_parse(const char *name)
{
	return find(method_names, NMETHODS, name);
}

int sm_method_is_iterative(enum sm_method m)
{
	return m == SM_ML || m == SM_REML || m == SM_EB || m == SM_PM;
}

static const char *const test_names[] = { "z", "knha" };

const char *sm_test_name(enum sm_test t)
{
	return t == SM_TEST_KNHA ? "knha" : "z";
}

int sm_test_parse(const char *name)
{
	return find(test_names, 2, name);
}

static const char *const to_names[] = { "only0", "all", "if0all", "none" };

const char *sm_to_name(enum sm_to to)
{
	return (size_t)to < 4 ? to_names[to] : "?";
}

int sm_to_parse(const char *name)
{
	return find(to_names, 4, name);
}

int sm_method_label_is_random(const char *label)
{
	static const char *const common[] = { "FE", "EE", "CE", "MH", "PETO" };
	return label && find(common, 5, label) < 0;
}

int sm_method_label_is_mh_peto(const char *label)
{
	return label && (!strcmp(label, "MH") || !strcmp(label, "PETO"));
}
