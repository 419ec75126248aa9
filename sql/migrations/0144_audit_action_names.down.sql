-- 0144 down: the patients program's and the account page's names as they were. The demo
-- history's campaign.status entries are not told apart from the program's own
-- activate/complete/cancel ones, so they keep the program's names.
UPDATE audit_logs SET action = CASE action
    WHEN 'patient.create'  THEN 'patient_create'
    WHEN 'patient.update'  THEN 'patient_update'
    WHEN 'patient.opt_out' THEN 'patient_opt_out'
    WHEN 'patient.erase'   THEN 'patient_erase'
    WHEN 'patient.export'  THEN 'patient_export'
    WHEN 'import.upload'   THEN 'import_upload'
    WHEN 'import.confirm'  THEN 'import_confirm'
    WHEN 'account.update'  THEN 'account_update' END
 WHERE action IN ('patient.create', 'patient.update', 'patient.opt_out', 'patient.erase',
                  'patient.export', 'import.upload', 'import.confirm', 'account.update');
