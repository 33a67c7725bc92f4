-- Owners no longer replay their rows: an activation reads the latest row of each assignment metric through the version
-- index (0006), and nothing reads a whole owner's history, so the owner index only cost every append its upkeep.
DROP INDEX IF EXISTS minsheng_report_log_owner;
