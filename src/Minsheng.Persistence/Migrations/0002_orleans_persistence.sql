-- 0002: Orleans grain storage table and the queries Microsoft.Orleans.Persistence.AdoNet 10.4.2 reads from
-- OrleansQuery. Written for PostgreSQL by this project. Idempotent.
--
-- Contract: every query is bound with GrainIdHash (int), GrainIdN0 (bigint), GrainIdN1 (bigint), GrainTypeHash (int),
-- GrainTypeString (text: the state name), GrainIdExtensionString (text or NULL), ServiceId (text);
-- writes add GrainStateVersion (int or NULL) and PayloadBinary (bytea), clear/delete add GrainStateVersion.
--   ReadFromStorageKey -> at most one row: PayloadBinary, Version
--   WriteToStorageKey  -> NewGrainStateVersion; no row (or the old version) means a version conflict
--   ClearStorageKey    -> the new version in the first column; no row means a version conflict
--   DeleteStorageKey   -> a value other than the old version in the first column; no row means a conflict
--                         (used when AdoNetGrainStorageOptions.DeleteStateOnClear = true)
--
-- Unlike the upstream schema this table has a primary key: one row per (service, state name, grain key), which is
-- exactly what every query addresses, so a read can never return two rows and two racing first writes cannot both
-- insert. A NULL key extension is stored as '' (a primary key column cannot be NULL). The hashes Orleans computes
-- are kept for reference only; the key columns identify the row.
--
-- Note: the grain class is not part of the key (Orleans passes only the state name and the grain id's key), so two
-- grain classes with the same key and the same state name share one row: give every grain class its own state name.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,
    CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
);

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    ServiceId              text        NOT NULL,
    GrainTypeString        text        NOT NULL,
    GrainIdN0              bigint      NOT NULL,
    GrainIdN1              bigint      NOT NULL,
    GrainIdExtensionString text        NOT NULL DEFAULT '',
    GrainIdHash            integer     NOT NULL,
    GrainTypeHash          integer     NOT NULL,
    PayloadBinary          bytea       NULL,
    ModifiedOn             timestamptz NOT NULL DEFAULT now(),
    Version                integer     NOT NULL,
    CONSTRAINT PK_OrleansStorage
        PRIMARY KEY (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', $q$
SELECT PayloadBinary, Version
  FROM OrleansStorage
 WHERE ServiceId = @ServiceId
   AND GrainTypeString = @GrainTypeString
   AND GrainIdN0 = @GrainIdN0
   AND GrainIdN1 = @GrainIdN1
   AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '');
$q$),

-- With a version: update only if the stored version still matches. Without one (state never written): insert
-- version 1 unless a row already exists. Either way, no row back means someone else wrote first.
('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE OrleansStorage
       SET PayloadBinary = @PayloadBinary,
           GrainIdHash = @GrainIdHash,
           GrainTypeHash = @GrainTypeHash,
           ModifiedOn = now(),
           Version = CASE WHEN Version = 2147483647 THEN 1 ELSE Version + 1 END
     WHERE @GrainStateVersion IS NOT NULL
       AND ServiceId = @ServiceId
       AND GrainTypeString = @GrainTypeString
       AND GrainIdN0 = @GrainIdN0
       AND GrainIdN1 = @GrainIdN1
       AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '')
       AND Version = @GrainStateVersion
    RETURNING Version
), inserted AS (
    INSERT INTO OrleansStorage
        (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString, GrainIdHash, GrainTypeHash,
         PayloadBinary, ModifiedOn, Version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''),
           @GrainIdHash, @GrainTypeHash, @PayloadBinary, now(), 1
     WHERE @GrainStateVersion IS NULL
    ON CONFLICT ON CONSTRAINT PK_OrleansStorage DO NOTHING
    RETURNING Version
)
SELECT Version AS NewGrainStateVersion FROM updated
UNION ALL
SELECT Version AS NewGrainStateVersion FROM inserted;
$q$),

-- Keeps the row (and its version) with no payload, so versions stay monotonic across clears.
-- (Versions wrap from int.MaxValue to 1: Orleans only compares them for equality.)
('ClearStorageKey', $q$
UPDATE OrleansStorage
   SET PayloadBinary = NULL,
       ModifiedOn = now(),
       Version = CASE WHEN Version = 2147483647 THEN 1 ELSE Version + 1 END
 WHERE ServiceId = @ServiceId
   AND GrainTypeString = @GrainTypeString
   AND GrainIdN0 = @GrainIdN0
   AND GrainIdN1 = @GrainIdN1
   AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '')
   AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
$q$),

('DeleteStorageKey', $q$
DELETE FROM OrleansStorage
 WHERE ServiceId = @ServiceId
   AND GrainTypeString = @GrainTypeString
   AND GrainIdN0 = @GrainIdN0
   AND GrainIdN1 = @GrainIdN1
   AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '')
   AND Version = @GrainStateVersion
RETURNING CASE WHEN Version = 2147483647 THEN 1 ELSE Version + 1 END AS NewGrainStateVersion;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
