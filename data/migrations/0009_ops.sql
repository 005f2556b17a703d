-- 0009_ops: retention purge: the deletion records and the audit log's purge
-- window. Backups and restores are recorded in the audit log itself.

-- One row per class and purge run: what was deleted, how many, the range of
-- dates it covered, who did it and when. Append-only, like the audit log.
CREATE TABLE retention_deletions (
	id          INTEGER PRIMARY KEY,
	class       TEXT NOT NULL CHECK (class IN ('removed_records','audit_log','issuances')),
	count       INTEGER NOT NULL CHECK (count > 0),
	first_date  TEXT NOT NULL,      -- the oldest date deleted (removal, entry or issue date)
	last_date   TEXT NOT NULL,      -- the newest date deleted
	cutoff      TEXT NOT NULL,      -- everything before this local date had expired
	years       INTEGER NOT NULL,   -- the retention period in force
	deleted_by  TEXT NOT NULL,
	deleted_at  TEXT NOT NULL,      -- UTC, ISO 8601
	terminal    TEXT NOT NULL,
	anchor      TEXT                -- audit_log: "id hash" of the last entry deleted
) STRICT;

CREATE TRIGGER retention_deletions_no_update BEFORE UPDATE ON retention_deletions
BEGIN
	SELECT RAISE(ABORT, 'retention_deletions is append-only');
END;
CREATE TRIGGER retention_deletions_no_delete BEFORE DELETE ON retention_deletions
BEGIN
	SELECT RAISE(ABORT, 'retention_deletions is append-only');
END;

-- The audit log stays append-only. The retention purge (src/audit.c) opens
-- a window for the entries up to one id inside its own transaction and
-- closes it before committing; outside that window every DELETE is refused.
-- The keyed chain does not depend on this: the purge keeps a keyed anchor
-- (the last deleted entry's id and hash) in meta, and "audit verify" starts
-- from it, so entries removed any other way still break the chain.
CREATE TABLE audit_purge_window (
	upto_id INTEGER NOT NULL
) STRICT;

DROP TRIGGER IF EXISTS audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_purge_window WHERE OLD.id <= upto_id)
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- The daily report reads the certificates voided and the changes decided
-- on one day by time.
CREATE INDEX issuances_voided ON issuances(voided_at) WHERE voided_at IS NOT NULL;
CREATE INDEX changes_decided ON changes(decided_at) WHERE decided_at IS NOT NULL;
