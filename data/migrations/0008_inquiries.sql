-- 0008_inquiries: inquiries and disclosure requests (問合せ・開示請求),
-- security.md "Inquiries and disclosure requests": a log of each inquiry or
-- request (date, channel, requester, person concerned, content, handler,
-- handling, closed date), every step of it in inquiry_events, and for a
-- disclosure request (開示請求) the decision of a supervisor who did not
-- record it, after which the extract of everything held on the person is
-- produced (a PDF, logged).

-- The kinds of request and the days the law gives for the decision
-- (個人情報の保護に関する法律 §83, §94, §102: 30 days from the request);
-- an office changes them here, not in code. NULL: no legal deadline.
-- needs_decision: the request is decided (開示決定 or 不開示決定) by a
-- supervisor; only such a request produces an extract.
CREATE TABLE inquiry_kinds (
	kind           TEXT PRIMARY KEY,
	title_ja       TEXT NOT NULL,
	title_en       TEXT NOT NULL,
	deadline_days  INTEGER CHECK (deadline_days IS NULL OR deadline_days > 0),
	needs_decision INTEGER NOT NULL DEFAULT 0 CHECK (needs_decision IN (0, 1)),
	sort           INTEGER NOT NULL
) STRICT;

INSERT INTO inquiry_kinds (kind, title_ja, title_en, deadline_days, needs_decision, sort) VALUES
	('inquiry',     '問合せ',       'inquiry',               NULL, 0, 1),
	('disclosure',  '開示請求',     'disclosure request',    30,   1, 2),
	('correction',  '訂正請求',     'correction request',    30,   0, 3),
	('suspension',  '利用停止請求', 'suspension request',    30,   0, 4);

-- How the inquiry reached the office.
CREATE TABLE inquiry_channels (
	channel  TEXT PRIMARY KEY,
	title_ja TEXT NOT NULL,
	sort     INTEGER NOT NULL
) STRICT;

INSERT INTO inquiry_channels (channel, title_ja, sort) VALUES
	('counter', '窓口', 1),
	('phone',   '電話', 2),
	('post',    '郵送', 3),
	('email',   'メール', 4),
	('fax',     'FAX', 5),
	('other',   'その他', 6);

CREATE TABLE inquiries (
	id             INTEGER PRIMARY KEY,          -- 受付番号
	kind           TEXT NOT NULL REFERENCES inquiry_kinds(kind),
	received_on    TEXT NOT NULL,                -- local date YYYY-MM-DD
	channel        TEXT NOT NULL REFERENCES inquiry_channels(channel),
	requester      TEXT NOT NULL,                -- 請求者・問合せ者
	contact        TEXT,                         -- 連絡先
	person_id      INTEGER REFERENCES persons(id), -- 宛名番号 concerned, if any
	subject        TEXT NOT NULL,                -- 件名
	content        TEXT NOT NULL,                -- 内容
	due_on         TEXT,                         -- received_on + deadline_days
	handler        TEXT REFERENCES users(id),    -- 担当者
	answer         TEXT,                         -- 対応・回答
	answered_on    TEXT,
	answered_by    TEXT,
	decision       TEXT CHECK (decision IN ('approved', 'refused')),
	decided_at     TEXT,
	decided_by     TEXT,
	decision_note  TEXT,
	extract_path   TEXT,                         -- the last extract produced
	extract_at     TEXT,
	extract_by     TEXT,
	closed_on      TEXT,                         -- 完了日
	closed_by      TEXT,
	close_note     TEXT,
	recorded_by    TEXT NOT NULL REFERENCES users(id),
	recorded_at    TEXT NOT NULL,
	CHECK ((decision IS NULL) = (decided_by IS NULL)),
	CHECK (decided_by IS NULL OR decided_by <> recorded_by),
	CHECK ((closed_on IS NULL) = (closed_by IS NULL))
) STRICT;
CREATE INDEX inquiries_open ON inquiries(closed_on, due_on);
CREATE INDEX inquiries_handler ON inquiries(handler) WHERE handler IS NOT NULL;
CREATE INDEX inquiries_person ON inquiries(person_id) WHERE person_id IS NOT NULL;

-- A closed inquiry stays as it was closed.
CREATE TRIGGER inquiries_closed BEFORE UPDATE ON inquiries
WHEN OLD.closed_on IS NOT NULL
BEGIN
	SELECT RAISE(ABORT, 'the inquiry is closed');
END;

-- Every step: recorded, edited, assigned, answered, approved, refused,
-- extract, closed; the history is never changed.
CREATE TABLE inquiry_events (
	id         INTEGER PRIMARY KEY,
	inquiry_id INTEGER NOT NULL REFERENCES inquiries(id),
	at         TEXT NOT NULL,                    -- UTC, ISO 8601
	user_id    TEXT NOT NULL,
	action     TEXT NOT NULL,
	detail     TEXT
) STRICT;
CREATE INDEX inquiry_events_inquiry ON inquiry_events(inquiry_id, id);

CREATE TRIGGER inquiry_events_no_update BEFORE UPDATE ON inquiry_events
BEGIN
	SELECT RAISE(ABORT, 'inquiry history is append-only');
END;
CREATE TRIGGER inquiry_events_no_delete BEFORE DELETE ON inquiry_events
BEGIN
	SELECT RAISE(ABORT, 'inquiry history is append-only');
END;

INSERT INTO permissions (name, description) VALUES
	('inquiry.manage',     'record, assign, answer and close inquiries and disclosure requests'),
	('disclosure.approve', 'approve or refuse a disclosure request (開示決定)'),
	('disclosure.extract', 'produce the disclosure extract of an approved request');

INSERT INTO role_permissions (role, permission) VALUES
	('supervisor', 'inquiry.manage'), ('supervisor', 'disclosure.approve'),
	('supervisor', 'disclosure.extract'), ('admin', 'inquiry.manage'),
	('trainer', 'inquiry.manage'), ('trainer', 'disclosure.approve'),
	('trainer', 'disclosure.extract');
