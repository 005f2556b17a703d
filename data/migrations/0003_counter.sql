-- 0003_counter: counter transactions (窓口受付), identity verification
-- (本人確認) and the 確認通知 letters it leads to (counter.md §1-2).
--
-- A transaction follows one path: reception -> verification -> lookup of the
-- subject -> the action -> close. Nothing of the subject is shown before a
-- verification row exists; certificates (0004) and seals (0005) refer to the
-- transaction they were made in. The first two tables are shared with those
-- modules: columns may be added, never removed or renamed.

CREATE TABLE counter_transactions (
	id                  INTEGER PRIMARY KEY,
	opened_by           TEXT NOT NULL,
	opened_at           TEXT NOT NULL,     -- UTC, ISO 8601
	terminal            TEXT NOT NULL,
	request             TEXT NOT NULL,     -- certificate, notification, seal, other
	subject_person      INTEGER REFERENCES persons(id),  -- NULL until the lookup
	applicant_category  TEXT,              -- self|household|agent|third_party|official|professional
	applicant_name      TEXT,
	purpose             TEXT,              -- stated purpose (third party, professional)
	letter_of_authority INTEGER NOT NULL DEFAULT 0 CHECK (letter_of_authority IN (0, 1)),
	status              TEXT NOT NULL CHECK (status IN ('open','verified','closed','cancelled')),
	fee_total           INTEGER NOT NULL DEFAULT 0,
	closed_at           TEXT,
	closed_by           TEXT,
	-- added by this module:
	memo                TEXT,              -- what was asked, as the clerk noted it
	applicant_person    INTEGER REFERENCES persons(id),  -- 本人 / 同一世帯員: the applicant's 宛名番号
	cancel_reason       TEXT,
	CHECK (request IN ('certificate','notification','seal','other')),
	CHECK (fee_total >= 0)
) STRICT;
CREATE INDEX counter_transactions_terminal ON counter_transactions(terminal, opened_at);
CREATE INDEX counter_transactions_status ON counter_transactions(status, opened_at);
CREATE INDEX counter_transactions_subject ON counter_transactions(subject_person)
	WHERE subject_person IS NOT NULL;

-- One row per verification; a transaction verified again (after a 番号確認
-- mismatch, say) keeps its earlier rows, the latest one counts.
CREATE TABLE verifications (
	id                 INTEGER PRIMARY KEY,
	transaction_id     INTEGER NOT NULL REFERENCES counter_transactions(id),
	applicant_category TEXT NOT NULL,
	applicant_name     TEXT NOT NULL,
	documents          TEXT NOT NULL,      -- comma-separated codes of data/documents.tsv
	photo_matched      INTEGER NOT NULL DEFAULT 0 CHECK (photo_matched IN (0, 1)),
	method             TEXT NOT NULL CHECK (method IN ('photo_id','two_documents','questioning')),
	outcome            TEXT NOT NULL CHECK (outcome IN ('verified','not_verified')),
	mynumber_check     TEXT CHECK (mynumber_check IS NULL OR mynumber_check IN ('match','mismatch')),
	clerk              TEXT NOT NULL,
	at                 TEXT NOT NULL,
	-- added by this module:
	mynumber_checked_at TEXT,
	mynumber_person     INTEGER REFERENCES persons(id)   -- whose number was compared
) STRICT;
CREATE INDEX verifications_transaction ON verifications(transaction_id, id);

-- 確認通知: a notification accepted without confirmed identity is told to
-- the subject's registered address. Printing sets printed_at.
CREATE TABLE confirmation_letters (
	id             INTEGER PRIMARY KEY,
	transaction_id INTEGER NOT NULL REFERENCES counter_transactions(id),
	person_id      INTEGER NOT NULL REFERENCES persons(id),
	name           TEXT NOT NULL,          -- addressee as registered
	postal_code    TEXT,
	address        TEXT NOT NULL,          -- registered address (with 方書)
	reason         TEXT NOT NULL,
	created_at     TEXT NOT NULL,
	created_by     TEXT NOT NULL,
	printed_at     TEXT,
	printed_by     TEXT
) STRICT;
CREATE UNIQUE INDEX confirmation_letters_transaction ON confirmation_letters(transaction_id);
CREATE INDEX confirmation_letters_pending ON confirmation_letters(created_at) WHERE printed_at IS NULL;
