// SPDX-License-Identifier: GPL-2.0
/*
 * tqueue's tracepoints: the one file that defines them (src/tq_trace.h).
 */
#define CREATE_TRACE_POINTS
#include "tq_trace.h"
