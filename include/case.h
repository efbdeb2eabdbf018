/*
 * libcase: the library behind the case toolkit.  Include this header for
 * everything, or the section headers under case/ one by one.
 */
#ifndef CASE_H
#define CASE_H

#include "case/err.h"
#include "case/text.h"
#include "case/time.h"
#include "case/geo.h"
#include "case/ids.h"
#include "case/out.h"
#include "case/csvin.h"
#include "case/db.h"
#include "case/policy.h"
#include "case/cases.h"
#include "case/units.h"
#include "case/import.h"
#include "case/check.h"
#include "case/batch.h"
#include "case/dispatch.h"
#include "case/agenda.h"
#include "case/report.h"
#include "case/brief.h"
#include "case/copy.h"
#include "case/words.h"
#include "case/roles.h"

#endif
