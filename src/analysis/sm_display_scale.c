#include "sm_display_scale.h"

#include <math.h>

double sm_display_scale_per(double p)
{
	if (!(p > 0) || p > 1)
		return 100;
	double per = 100;
	/* compare p * per with 1 exactly at the decades: 0.001 * 1000 is 1 in
	 * doubles, and so are the other products below 10^6 */
	while (p * per < 1 && per < SM_DISPLAY_PER_MAX)
		per *= 10;
	return per;
}
