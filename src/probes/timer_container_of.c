// SPDX-License-Identifier: GPL-2.0
/* timer_container_of() (6.16). Else: from_timer(). */
#include <linux/timer.h>

struct tqc_probe_s {
	struct timer_list timer;
};

struct tqc_probe_s *tqc_probe(struct timer_list *t);
struct tqc_probe_s *tqc_probe(struct timer_list *t)
{
	struct tqc_probe_s *s = timer_container_of(s, t, timer);

	return s;
}
