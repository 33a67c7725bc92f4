-- 0003: Orleans reminders table and the queries Microsoft.Orleans.Reminders.AdoNet 10.4.2 reads from OrleansQuery.
-- Written for PostgreSQL by this project. Idempotent.
--
-- Contract (reminder rows are GrainId, ReminderName, StartTime, Period (milliseconds, bigint), Version):
--   ReadReminderRowsKey   (ServiceId, GrainId)                -> reminder rows
--   ReadReminderRowKey    (ServiceId, GrainId, ReminderName)  -> at most one reminder row
--   ReadRangeRows1Key     (ServiceId, BeginHash, EndHash)     -> rows with BeginHash < GrainHash <= EndHash
--   ReadRangeRows2Key     (ServiceId, BeginHash, EndHash)     -> rows with GrainHash > BeginHash OR <= EndHash
--                         (Orleans picks 1 when (int)BeginHash < (int)EndHash, else the wrapping range 2;
--                          hashes are the uint ring positions cast to int)
--   UpsertReminderRowKey  (ServiceId, GrainHash, GrainId, ReminderName, StartTime, Period) -> Version
--                         (Period arrives as int, or bigint when it exceeds int.MaxValue milliseconds)
--   DeleteReminderRowKey  (ServiceId, GrainId, ReminderName, Version) -> one boolean
--   DeleteReminderRowsKey (ServiceId)                         -> nothing

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,
    CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
);

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    text        NOT NULL,
    GrainId      text        NOT NULL,
    ReminderName text        NOT NULL,
    StartTime    timestamptz NOT NULL,
    Period       bigint      NOT NULL,
    GrainHash    integer     NOT NULL,
    Version      integer     NOT NULL,
    CONSTRAINT PK_OrleansRemindersTable PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS IX_OrleansRemindersTable_ServiceId_GrainHash
    ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadReminderRowsKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
  FROM OrleansRemindersTable
 WHERE ServiceId = @ServiceId AND GrainId = @GrainId;
$q$),

('ReadReminderRowKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
  FROM OrleansRemindersTable
 WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
$q$),

('ReadRangeRows1Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
  FROM OrleansRemindersTable
 WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash;
$q$),

('ReadRangeRows2Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
  FROM OrleansRemindersTable
 WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
$q$),

('UpsertReminderRowKey', $q$
INSERT INTO OrleansRemindersTable AS r (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT ON CONSTRAINT PK_OrleansRemindersTable DO UPDATE
   SET StartTime = EXCLUDED.StartTime,
       Period = EXCLUDED.Period,
       GrainHash = EXCLUDED.GrainHash,
       Version = CASE WHEN r.Version = 2147483647 THEN 0 ELSE r.Version + 1 END
RETURNING Version;
$q$),

('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted);
$q$),

('DeleteReminderRowsKey', $q$
DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
