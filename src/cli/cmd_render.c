/*
 * cmd_render.c -- `safemeta render FIGURE RESULTS.json -o FILE`: one figure
 * from a results JSON; the format follows the extension (.pdf .svg .png).
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

const char cmd_render_usage[] =
	"usage: safemeta render FIGURE RESULTS.json [options] -o FILE.pdf|.svg|.png\n"
	"\n"
	"FIGURE is one of: forest, funnel, prisma, rob.\n";

int cmd_render(struct sm_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return sm_cli_usage_error(cli, "render", "missing FIGURE");
	return sm_cli_usage_error(cli, "render",
				  "figure '%s' is not available in this version of safemeta",
				  argv[1]);
}
