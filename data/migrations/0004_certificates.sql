-- 0004_certificates: the issuance history (交付履歴) of certificates,
-- counter.md §3: one row per copy handed over, made in a verified counter
-- transaction (0003). A misprinted copy is not deleted but voided (処分)
-- with a reason. Rows are kept until keep_until (the [retention]
-- issuance_years of the terminal that issued them): the triggers refuse to
-- delete a row before then, to change what was issued, or to void twice.
--
-- The serial (通し番号) of the issue number (発行番号) counts per terminal and
-- local day from 1: the next one is max(serial) + 1 of that day and terminal,
-- taken inside the writing transaction (BEGIN IMMEDIATE), so two copies never
-- share one.

CREATE TABLE issuances (
	id                  INTEGER PRIMARY KEY,
	issued_at           TEXT NOT NULL,      -- UTC, ISO 8601
	issued_on           TEXT NOT NULL,      -- local date YYYY-MM-DD (serials, daily summary)
	place               TEXT NOT NULL,      -- the municipality as printed
	terminal            TEXT NOT NULL,
	printer             TEXT NOT NULL,
	user_id             TEXT NOT NULL REFERENCES users(id),
	transaction_id      INTEGER NOT NULL REFERENCES counter_transactions(id),
	subject_person      INTEGER NOT NULL REFERENCES persons(id),
	household           INTEGER NOT NULL,   -- 世帯番号 of the members printed
	cert_type           TEXT NOT NULL CHECK (cert_type IN ('juminhyo','joshu','kisai','inkan','code_notice')),
	members             TEXT NOT NULL,      -- 宛名番号 printed, comma-separated, in printed order
	whole_household     INTEGER NOT NULL DEFAULT 0 CHECK (whole_household IN (0, 1)),
	items               TEXT NOT NULL,      -- what was included of the items omitted by default
	                                        -- (head_rel,honseki,...), or the chosen items (kisai)
	format              TEXT NOT NULL CHECK (format IN ('household','individual')),
	with_history        INTEGER NOT NULL DEFAULT 0 CHECK (with_history IN (0, 1)),
	pages               INTEGER NOT NULL CHECK (pages > 0),
	issue_number        TEXT NOT NULL UNIQUE,   -- without the page: 20251201 見本区 本庁1 PR001 000011
	serial              INTEGER NOT NULL CHECK (serial > 0),
	requester_category  TEXT NOT NULL,      -- self household agent third_party official professional
	requester_name      TEXT NOT NULL,
	verification_method TEXT NOT NULL,      -- photo_id, two_documents, questioning
	purpose             TEXT,
	protection          TEXT,               -- 抑止/支援措置 outcome: acknowledged, overridden: reason
	fee_code            TEXT NOT NULL,      -- data/fees.tsv
	fee                 INTEGER NOT NULL CHECK (fee >= 0),
	official            INTEGER NOT NULL DEFAULT 0 CHECK (official IN (0, 1)),   -- 公用
	training            INTEGER NOT NULL DEFAULT 0 CHECK (training IN (0, 1)),   -- 見本
	verification_code   TEXT NOT NULL UNIQUE,   -- 照合番号: 8 characters (Crockford base32)
	keep_until          TEXT NOT NULL,      -- last day of the retention period
	spool_path          TEXT NOT NULL,      -- the PDF written
	print_status        TEXT NOT NULL DEFAULT 'spooled'
	                    CHECK (print_status IN ('spooled','printed','print_failed')),
	voided_at           TEXT,               -- 処分
	voided_by           TEXT,
	void_reason         TEXT,
	CHECK ((voided_at IS NULL) = (void_reason IS NULL)),
	CHECK ((voided_at IS NULL) = (voided_by IS NULL)),
	UNIQUE (issued_on, terminal, serial)
) STRICT;
CREATE INDEX issuances_subject ON issuances(subject_person, issued_at);
CREATE INDEX issuances_day ON issuances(issued_on, terminal);
CREATE INDEX issuances_transaction ON issuances(transaction_id);

CREATE TRIGGER issuances_kept BEFORE DELETE ON issuances
WHEN OLD.keep_until >= date('now')
BEGIN
	SELECT RAISE(ABORT, 'issuance history is kept for its retention period');
END;

-- What was issued never changes; only the void mark (once) and the print
-- status are written after the row.
CREATE TRIGGER issuances_fixed BEFORE UPDATE OF id, issued_at, issued_on, place, terminal,
	printer, user_id, transaction_id, subject_person, household, cert_type, members,
	whole_household, items, format, with_history, pages, issue_number, serial,
	requester_category, requester_name, verification_method, purpose, protection, fee_code,
	fee, official, training, verification_code, keep_until, spool_path ON issuances
BEGIN
	SELECT RAISE(ABORT, 'an issued certificate cannot be changed; void it instead');
END;

CREATE TRIGGER issuances_void_once BEFORE UPDATE OF voided_at, voided_by, void_reason ON issuances
WHEN OLD.voided_at IS NOT NULL
BEGIN
	SELECT RAISE(ABORT, 'the certificate is already voided');
END;
