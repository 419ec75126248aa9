/* import.h: what the two halves of the CSV import share (import_upload.c reads and
 * stages a file; import_batch.c shows a staged batch and confirms it): the SQL that both
 * halves' statements spell the same way, and the plan mode of their bulk statements. */
#ifndef RM_PATIENTS_IMPORT_H
#define RM_PATIENTS_IMPORT_H

#include <stdbool.h>
#include "core/ctx.h"

/* The batch as the user may see it: RLS for the workspace, created_by for a DOCTOR. */
#define BATCH_SCOPE " AND ($2::uuid IS NULL OR c.created_by = $2)"
/* Same contact (the phone, or the email when there is no phone) and appointment. */
#define SAME_PATIENT(r, t)                                                                \
	"((" r ".phone IS NOT NULL AND p.phone = " r ".phone) OR"                            \
	" (" r ".phone IS NULL AND p.email = " r ".email)) AND p.appointment_time = " t

/* Asked once a statement (a subquery of no row's values): an import into a campaign
 * without patients yet, the usual case, skips the duplicate checks of its rows, and its
 * confirm reads no staged row to look for them. */
#define CAMPAIGN_HAS_PATIENTS(c) \
	"EXISTS (SELECT 1 FROM patients pc WHERE pc.campaign_id = " c ")"

/* For the rest of the transaction: custom plans (true) for the bulk statements, or
 * PostgreSQL's own choice again (false) before rows are inserted; import_batch.c says
 * why. 0 or -1. */
int patients_import_plans(struct ctx *c, bool custom);

#endif
