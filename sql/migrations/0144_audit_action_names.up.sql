-- 0144: one vocabulary for the audit log's actions, entity.verb (0005's "patient.erase").
--
-- The patients program wrote patient_create, patient_erase, import_confirm... while the
-- others wrote campaign.create, user.role...: filtering /audit by patient.erase missed the
-- erasures the program had recorded. The demo history wrote campaign.status for what the
-- campaigns program records as campaign.activate, .complete and .cancel. The entries keep
-- everything else (who, when, from where, the values); only the action's name changes.
UPDATE audit_logs SET action = CASE action
    WHEN 'patient_create'  THEN 'patient.create'
    WHEN 'patient_update'  THEN 'patient.update'
    WHEN 'patient_opt_out' THEN 'patient.opt_out'
    WHEN 'patient_erase'   THEN 'patient.erase'
    WHEN 'patient_export'  THEN 'patient.export'
    WHEN 'import_upload'   THEN 'import.upload'
    WHEN 'import_confirm'  THEN 'import.confirm'
    WHEN 'account_update'  THEN 'account.update' END
 WHERE action IN ('patient_create', 'patient_update', 'patient_opt_out', 'patient_erase',
                  'patient_export', 'import_upload', 'import_confirm', 'account_update');

UPDATE audit_logs SET action = CASE new_value ->> 'status'
    WHEN 'ACTIVE'    THEN 'campaign.activate'
    WHEN 'COMPLETED' THEN 'campaign.complete'
    WHEN 'CANCELLED' THEN 'campaign.cancel' END
 WHERE action = 'campaign.status'
   AND new_value ->> 'status' IN ('ACTIVE', 'COMPLETED', 'CANCELLED');
