/* sm_figure_kinds.c -- the table of figure kinds (sm_figure.h): adding a
 * kind is a folder under src/figures/ and one row here. */
#include "sm_figure.h"

#include "sm_baujat.h"
#include "sm_bubble.h"
#include "sm_cumulative.h"
#include "sm_forest.h"
#include "sm_influence_plot.h"
#include "sm_leave1out.h"
#include "sm_methods.h"
#include "sm_funnel.h"
#include "sm_prisma.h"
#include "sm_rob.h"
#include "sm_table.h"

#include <stdio.h>
#include <string.h>

static const struct sm_figure_kind *const kinds[] = {
	&sm_figure_forest, &sm_figure_funnel, &sm_figure_prisma, &sm_figure_rob, &sm_figure_table,
	&sm_figure_leave1out, &sm_figure_cumulative, &sm_figure_bubble,
	&sm_figure_methods, &sm_figure_baujat, &sm_figure_influence,
};

const struct sm_figure_kind *const *sm_figure_kinds(size_t *n)
{
	*n = sizeof kinds / sizeof kinds[0];
	return kinds;
}

const struct sm_figure_kind *sm_figure_kind_named(const char *name)
{
	for (size_t i = 0; name && i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(kinds[i]->name, name))
			return kinds[i];
	return NULL;
}

void sm_figure_kind_list(char *buf, size_t size)
{
	size_t n = sizeof kinds / sizeof kinds[0], o = 0;
	buf[0] = 0;
	for (size_t i = 0; i < n && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i == 0 ? "" : i + 1 < n ? ", "
											     : " or ",
				      kinds[i]->name);
}
