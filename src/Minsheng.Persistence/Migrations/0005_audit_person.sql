-- Who acted, as a person (the token's sub) beside the role (actor): history and audit lines name both.
ALTER TABLE minsheng_audit_log ADD COLUMN IF NOT EXISTS person text;
