-- 0006_certadmin: supervision of the counter (issue 4, follow-up).
--
-- A supervisor's override of a certificate alert (抑止, mode alert) is a
-- record of its own: the clerk's attempt leaves a request waiting
-- (status waiting); the supervisor grants it from their own session with a
-- reason (granted); the clerk's next cert issue in that transaction uses it
-- up (used, with the issuance). A transaction that closes or is cancelled
-- ends what is left of its requests (expired).
CREATE TABLE cert_overrides (
	id             INTEGER PRIMARY KEY,
	transaction_id INTEGER NOT NULL REFERENCES counter_transactions(id),
	person_id      INTEGER NOT NULL REFERENCES persons(id),
	cert_type      TEXT NOT NULL,
	status         TEXT NOT NULL CHECK (status IN ('waiting','granted','used','expired')),
	requested_at   TEXT,                  -- the clerk's attempt (NULL: granted at once)
	requested_by   TEXT,
	reason         TEXT,                  -- the supervisor's reason
	granted_at     TEXT,
	granted_by     TEXT,
	used_at        TEXT,
	used_by        TEXT,
	CHECK (status = 'waiting' OR status = 'expired' OR (reason IS NOT NULL AND granted_by IS NOT NULL)),
	CHECK (status <> 'used' OR used_at IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX cert_overrides_open ON cert_overrides(transaction_id, person_id)
	WHERE status IN ('waiting','granted');
CREATE INDEX cert_overrides_status ON cert_overrides(status, id);

-- The letter print queue: a 確認通知 or a 照会書 is printed (again, if need
-- be: each print is audited) until it is marked mailed.
ALTER TABLE confirmation_letters ADD COLUMN mailed_at TEXT;
ALTER TABLE confirmation_letters ADD COLUMN mailed_by TEXT;
ALTER TABLE seals ADD COLUMN inquiry_printed_at TEXT;
ALTER TABLE seals ADD COLUMN inquiry_mailed_at TEXT;
ALTER TABLE seals ADD COLUMN inquiry_mailed_by TEXT;

INSERT INTO permissions (name, description) VALUES
	('seal.cancel_ex_officio', 'cancel a seal registration ex officio (職権抹消)'),
	('spool.purge',            'remove leftover certificate files from the print spool');
INSERT INTO role_permissions (role, permission) VALUES
	('supervisor', 'seal.cancel_ex_officio'), ('supervisor', 'spool.purge'),
	('admin', 'spool.purge'),
	('trainer', 'seal.cancel_ex_officio'), ('trainer', 'spool.purge');
