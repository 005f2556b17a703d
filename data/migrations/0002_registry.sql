-- 0002_registry: the resident registry (住民基本台帳).
--
-- persons holds the current, approved record of every person (住民票), and
-- keeps removed records (除票) with a status other than 'resident': nothing
-- is ever deleted. person_versions holds every approved version, so the
-- history of each item (who, when, which change, why) is the sequence of
-- versions. A change is provisional until a second user approves it: its
-- after-images wait in change_persons, where no lookup or certificate reads.
-- The three tables carry the same items (src/person.c lists them once).

CREATE TABLE households (
	id         INTEGER PRIMARY KEY,   -- 世帯番号
	created_at TEXT NOT NULL
) STRICT;

CREATE TABLE persons (
	id                  INTEGER PRIMARY KEY,   -- 宛名番号
	version             INTEGER NOT NULL,
	status              TEXT NOT NULL CHECK (status IN ('resident','moved_out','dead','removed')),
	resident_type       TEXT NOT NULL CHECK (resident_type IN ('japanese','foreign')),
	household_id        INTEGER NOT NULL,
	relationship        TEXT NOT NULL,
	surname             TEXT NOT NULL,
	given_name          TEXT NOT NULL,
	surname_kana        TEXT NOT NULL,
	given_name_kana     TEXT NOT NULL,
	former_surname      TEXT,
	former_surname_kana TEXT,
	alias               TEXT,
	alias_kana          TEXT,
	name_roman          TEXT,
	birth_date          TEXT NOT NULL,
	birth_circa         INTEGER NOT NULL DEFAULT 0,
	sex                 TEXT NOT NULL CHECK (sex IN ('M','F')),
	honseki             TEXT,
	hittosha            TEXT,
	resident_since      TEXT,
	postal_code         TEXT,
	address_code        TEXT,
	address             TEXT NOT NULL,
	katagaki            TEXT,
	address_since       TEXT,
	notified_on         TEXT,
	previous_address    TEXT,
	out_planned_date    TEXT,
	out_address_planned TEXT,
	out_address         TEXT,
	removal_reason      TEXT,
	removal_date        TEXT,
	death_date          TEXT,
	nationality         TEXT,
	residence_status    TEXT,
	residence_period    TEXT,
	residence_expiry    TEXT,
	residence_card_no   TEXT,
	foreign_since       TEXT,
	art30_45            TEXT,
	mynumber_enc        BLOB,
	mynumber_idx        TEXT,
	juminhyo_code       TEXT,
	guardianship        INTEGER NOT NULL DEFAULT 0,
	guardianship_since  TEXT,
	mynumber_card       TEXT,
	note                TEXT,
	kana_norm           TEXT NOT NULL,         -- 清音化 full-name reading (search key)
	name_fold           TEXT NOT NULL,         -- full name, variants folded, no spaces
	updated_at          TEXT NOT NULL,
	FOREIGN KEY (household_id) REFERENCES households(id)
) STRICT;
CREATE INDEX persons_household ON persons(household_id);
CREATE INDEX persons_birth ON persons(birth_date);
CREATE UNIQUE INDEX persons_mynumber ON persons(mynumber_idx) WHERE mynumber_idx IS NOT NULL;
CREATE UNIQUE INDEX persons_juminhyo_code ON persons(juminhyo_code) WHERE juminhyo_code IS NOT NULL;
CREATE INDEX persons_residence_card ON persons(residence_card_no) WHERE residence_card_no IS NOT NULL;

-- Changes (異動): notification or ex officio, provisional until approved.
CREATE TABLE changes (
	id            INTEGER PRIMARY KEY,
	type          TEXT NOT NULL,      -- the form: move_in, move_within, birth, ...
	reason        TEXT NOT NULL,      -- 異動事由 code (data/reasons.tsv)
	status        TEXT NOT NULL CHECK (status IN ('provisional','approved','rejected','withdrawn')),
	event_date    TEXT NOT NULL,      -- 異動日
	notified_on   TEXT,               -- 届出日
	processed_on  TEXT NOT NULL,      -- 処理日, set by the system
	late          INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),  -- 期間経過
	memo          TEXT,               -- why (kept with the history)
	made_by       TEXT NOT NULL,
	made_at       TEXT NOT NULL,
	terminal      TEXT NOT NULL,
	decided_by    TEXT,
	decided_at    TEXT,
	reject_reason TEXT,
	cancels       INTEGER REFERENCES changes(id)
) STRICT;
CREATE INDEX changes_status ON changes(status, made_at);
CREATE INDEX changes_maker ON changes(made_by, status);

-- The after-image of each person a change touches. person_id is NULL for a
-- person the change adds (転入, 出生) until approval numbers them;
-- new_household groups such persons into households to be created.
CREATE TABLE change_persons (
	change_id           INTEGER NOT NULL REFERENCES changes(id),
	seq                 INTEGER NOT NULL,
	person_id           INTEGER REFERENCES persons(id),
	base_version        INTEGER,      -- the version the change was made against
	new_household       INTEGER,      -- >0: the n-th new household of the change
	status              TEXT NOT NULL CHECK (status IN ('resident','moved_out','dead','removed')),
	resident_type       TEXT NOT NULL CHECK (resident_type IN ('japanese','foreign')),
	household_id        INTEGER NOT NULL,
	relationship        TEXT NOT NULL,
	surname             TEXT NOT NULL,
	given_name          TEXT NOT NULL,
	surname_kana        TEXT NOT NULL,
	given_name_kana     TEXT NOT NULL,
	former_surname      TEXT,
	former_surname_kana TEXT,
	alias               TEXT,
	alias_kana          TEXT,
	name_roman          TEXT,
	birth_date          TEXT NOT NULL,
	birth_circa         INTEGER NOT NULL DEFAULT 0,
	sex                 TEXT NOT NULL CHECK (sex IN ('M','F')),
	honseki             TEXT,
	hittosha            TEXT,
	resident_since      TEXT,
	postal_code         TEXT,
	address_code        TEXT,
	address             TEXT NOT NULL,
	katagaki            TEXT,
	address_since       TEXT,
	notified_on         TEXT,
	previous_address    TEXT,
	out_planned_date    TEXT,
	out_address_planned TEXT,
	out_address         TEXT,
	removal_reason      TEXT,
	removal_date        TEXT,
	death_date          TEXT,
	nationality         TEXT,
	residence_status    TEXT,
	residence_period    TEXT,
	residence_expiry    TEXT,
	residence_card_no   TEXT,
	foreign_since       TEXT,
	art30_45            TEXT,
	mynumber_enc        BLOB,
	mynumber_idx        TEXT,
	juminhyo_code       TEXT,
	guardianship        INTEGER NOT NULL DEFAULT 0,
	guardianship_since  TEXT,
	mynumber_card       TEXT,
	note                TEXT,
	PRIMARY KEY (change_id, seq)
) STRICT;
CREATE INDEX change_persons_person ON change_persons(person_id);

CREATE TABLE person_versions (
	person_id           INTEGER NOT NULL REFERENCES persons(id),
	version             INTEGER NOT NULL,
	change_id           INTEGER NOT NULL REFERENCES changes(id),
	recorded_at         TEXT NOT NULL,
	status              TEXT NOT NULL CHECK (status IN ('resident','moved_out','dead','removed')),
	resident_type       TEXT NOT NULL CHECK (resident_type IN ('japanese','foreign')),
	household_id        INTEGER NOT NULL,
	relationship        TEXT NOT NULL,
	surname             TEXT NOT NULL,
	given_name          TEXT NOT NULL,
	surname_kana        TEXT NOT NULL,
	given_name_kana     TEXT NOT NULL,
	former_surname      TEXT,
	former_surname_kana TEXT,
	alias               TEXT,
	alias_kana          TEXT,
	name_roman          TEXT,
	birth_date          TEXT NOT NULL,
	birth_circa         INTEGER NOT NULL DEFAULT 0,
	sex                 TEXT NOT NULL CHECK (sex IN ('M','F')),
	honseki             TEXT,
	hittosha            TEXT,
	resident_since      TEXT,
	postal_code         TEXT,
	address_code        TEXT,
	address             TEXT NOT NULL,
	katagaki            TEXT,
	address_since       TEXT,
	notified_on         TEXT,
	previous_address    TEXT,
	out_planned_date    TEXT,
	out_address_planned TEXT,
	out_address         TEXT,
	removal_reason      TEXT,
	removal_date        TEXT,
	death_date          TEXT,
	nationality         TEXT,
	residence_status    TEXT,
	residence_period    TEXT,
	residence_expiry    TEXT,
	residence_card_no   TEXT,
	foreign_since       TEXT,
	art30_45            TEXT,
	mynumber_enc        BLOB,
	mynumber_idx        TEXT,
	juminhyo_code       TEXT,
	guardianship        INTEGER NOT NULL DEFAULT 0,
	guardianship_since  TEXT,
	mynumber_card       TEXT,
	note                TEXT,
	PRIMARY KEY (person_id, version)
) STRICT, WITHOUT ROWID;

-- Search keys of current and past names (and 旧氏, 通称), and addresses,
-- maintained by the core at every approval.
CREATE TABLE name_index (
	person_id INTEGER NOT NULL REFERENCES persons(id),
	kind      TEXT NOT NULL CHECK (kind IN ('name','past','former','alias')),
	kana      TEXT NOT NULL,     -- 清音化 full reading, no spaces
	kana_sur  TEXT NOT NULL,     -- surname part
	kana_given TEXT NOT NULL,    -- given-name part
	fold      TEXT NOT NULL,     -- kanji, variants folded, no spaces
	fold_sur  TEXT NOT NULL,
	fold_given TEXT NOT NULL
) STRICT;
CREATE INDEX name_index_kana ON name_index(kana);
CREATE INDEX name_index_kana_sur ON name_index(kana_sur);
CREATE INDEX name_index_kana_given ON name_index(kana_given);
CREATE INDEX name_index_fold ON name_index(fold);
CREATE INDEX name_index_fold_sur ON name_index(fold_sur);
CREATE INDEX name_index_fold_given ON name_index(fold_given);
CREATE INDEX name_index_person ON name_index(person_id);

CREATE TABLE address_index (
	person_id INTEGER NOT NULL REFERENCES persons(id),
	kind      TEXT NOT NULL CHECK (kind IN ('current','past')),
	addr      TEXT NOT NULL      -- normalised address with 方書, no spaces
) STRICT;
CREATE INDEX address_index_addr ON address_index(addr);
CREATE INDEX address_index_person ON address_index(person_id);

-- Edit locks: while one clerk edits a person or household, others only view.
CREATE TABLE edit_locks (
	kind       TEXT NOT NULL CHECK (kind IN ('person','household')),
	subject    INTEGER NOT NULL,
	user_id    TEXT NOT NULL,
	terminal   TEXT NOT NULL,
	locked_at  TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	PRIMARY KEY (kind, subject)
) STRICT, WITHOUT ROWID;

-- 抑止: per person or household and operation, blocking (error) or
-- alerting; a temporary release (一時解除) ends by itself.
CREATE TABLE suppressions (
	id            INTEGER PRIMARY KEY,
	person_id     INTEGER REFERENCES persons(id),
	household_id  INTEGER REFERENCES households(id),
	operation     TEXT NOT NULL CHECK (operation IN ('change','certificate','lookup')),
	mode          TEXT NOT NULL CHECK (mode IN ('error','alert')),
	start_date    TEXT NOT NULL,
	end_date      TEXT,
	reason        TEXT NOT NULL,
	set_by        TEXT NOT NULL,
	set_at        TEXT NOT NULL,
	released_until TEXT,      -- 一時解除 until this time
	released_by   TEXT,
	ended_at      TEXT,
	ended_by      TEXT,
	CHECK ((person_id IS NULL) <> (household_id IS NULL))
) STRICT;
CREATE INDEX suppressions_person ON suppressions(person_id) WHERE person_id IS NOT NULL;
CREATE INDEX suppressions_household ON suppressions(household_id) WHERE household_id IS NOT NULL;

-- 支援措置 (DV, stalking, abuse): the 29 items of 001 別添2 that are not
-- already in the person's record, one row per measure.
CREATE TABLE support_measures (
	id                     INTEGER PRIMARY KEY,
	person_id              INTEGER NOT NULL REFERENCES persons(id),
	status                 TEXT NOT NULL CHECK (status IN ('provisional','active','ended')),
	contact                TEXT,          -- 4. 連絡先
	applicant_situation    TEXT,          -- 5. 申出者の状況 (DV, stalking, abuse...)
	protect_inspection     INTEGER NOT NULL DEFAULT 1,  -- 6. 閲覧(現住所)
	protect_copy           INTEGER NOT NULL DEFAULT 1,  -- 7. 写し等の交付(現住所)
	protect_removed_copy   INTEGER NOT NULL DEFAULT 1,  -- 8. 除票の写し等(前住所等)
	previous_addresses     TEXT,          -- 8. 前住所等
	protect_koseki_fuhyo   INTEGER NOT NULL DEFAULT 0,  -- 9. 戸籍の附票(現本籍)
	protect_prev_fuhyo     INTEGER NOT NULL DEFAULT 0,  -- 10. 附票(前本籍等)
	previous_honseki       TEXT,
	protect_fixed_asset    INTEGER NOT NULL DEFAULT 0,  -- 11. 固定資産
	fixed_asset_municipality TEXT,
	other                  TEXT,          -- 12. その他
	forwarded_to           TEXT,          -- 19. 転送先市区町村名
	forwarded_on           TEXT,          -- 20. 転送年月日
	start_date             TEXT,          -- 21
	end_date               TEXT,          -- 22
	provisional            INTEGER NOT NULL DEFAULT 0,  -- 23. 仮支援措置の有無
	provisional_start      TEXT,          -- 24
	provisional_end        TEXT,          -- 25
	forwarded_duties       TEXT,          -- 26
	forwarded_received_on  TEXT,          -- 27
	no_need_notified_on    TEXT,          -- 28
	original_municipality  TEXT,          -- 29. 当初受付市区町村
	offender               TEXT,          -- who must never receive copies (加害者)
	set_by                 TEXT NOT NULL,
	set_at                 TEXT NOT NULL,
	updated_by             TEXT,
	updated_at             TEXT,
	ended_by               TEXT,
	ended_at               TEXT,
	end_reason             TEXT
) STRICT;
CREATE INDEX support_measures_person ON support_measures(person_id);
CREATE INDEX support_measures_end ON support_measures(end_date) WHERE status <> 'ended';

-- Every access attempt on a person under a support measure, for supervisors.
CREATE TABLE support_attempts (
	id         INTEGER PRIMARY KEY,
	measure_id INTEGER NOT NULL REFERENCES support_measures(id),
	person_id  INTEGER NOT NULL REFERENCES persons(id),
	at         TEXT NOT NULL,
	user_id    TEXT NOT NULL,
	terminal   TEXT NOT NULL,
	operation  TEXT NOT NULL,
	outcome    TEXT NOT NULL,     -- blocked, allowed after checks, overridden
	detail     TEXT
) STRICT;
CREATE INDEX support_attempts_at ON support_attempts(at);

-- Imports of resident data from another system: one row per file.
CREATE TABLE imports (
	id        INTEGER PRIMARY KEY,
	file_name TEXT NOT NULL,
	file_hash TEXT NOT NULL,
	imported_by TEXT NOT NULL,
	imported_at TEXT NOT NULL,
	rows_total INTEGER NOT NULL,
	persons    INTEGER NOT NULL,
	households INTEGER NOT NULL,
	rejected   INTEGER NOT NULL
) STRICT;
