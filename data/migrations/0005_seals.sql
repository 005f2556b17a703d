-- 0005_seals: seal registration (印鑑登録), registry.md §8.
--
-- One row per application. It is pending while a mailed inquiry (照会書)
-- waits for its answer, registered once complete, cancelled at the
-- person's request (廃止), at move-out, death or removal (set when the
-- change is approved), ex officio, or when an inquiry's answer came too late.
-- Rows are never deleted: a new registration is a new row with a new card.
--
-- The stored items of 001 別添2 印鑑登録関係 (45 items) that are the
-- person's own (4 氏名, 5 旧氏, 6/41 生年月日, 7 性別, 8 住所, 11 世帯番号 now,
-- 12/13/42-44 readings, 16 住民種別, 17-20 成年被後見人, 21 郵便番号,
-- 22 転出予定年月日, 24 抑止 (suppressions), 25 電子証明書 (not kept here),
-- 27/28 改製, 29/45 在留カード等番号, 30 氏名優先区分, 37 並び順, 38-40 ローマ字,
-- 漢字, 通称) are read from persons through person_id (10. 宛名番号); 23 (交付履歴)
-- is the certificates' issuance history; 14 (異動履歴) is this row's dated
-- transitions (applied, inquiry sent, answered, registered, cancelled) and the
-- audit log. The items kept here are marked with their number.
--
-- 印鑑登録証 number (card_no, items 2 and 15): 8 digits, a 7-digit serial
-- (never reused) and a check digit: weights 2,3,4,5,6,7,2 on the serial's
-- digits from the right, r = sum mod 11, check = 0 when r <= 1, else 11 - r
-- (the modulus-11 scheme of registry.md §3; src/seal.c
-- md_seal_card_check_digit).
CREATE TABLE seals (
	id                   INTEGER PRIMARY KEY,   -- 受付番号 (printed on the 照会書)
	person_id            INTEGER NOT NULL REFERENCES persons(id),        -- 10. 宛名番号
	household_id         INTEGER NOT NULL REFERENCES households(id),     -- 11. 世帯番号 when applied
	status               TEXT NOT NULL CHECK (status IN ('pending','registered','cancelled')), -- 9. 印鑑登録状態
	method               TEXT NOT NULL CHECK (method IN ('photo_id','guarantor','inquiry')),
	card_no              TEXT UNIQUE,           -- 2. 登録番号, 15. 印鑑登録証 (set at registration)
	card_issued_on       TEXT,                  -- 15. the card handed over
	applied_on           TEXT NOT NULL,         -- local date of the application
	applied_at           TEXT NOT NULL,         -- UTC time stamp
	applied_by           TEXT NOT NULL,         -- clerk
	terminal             TEXT NOT NULL,
	transaction_id       INTEGER NOT NULL REFERENCES counter_transactions(id),
	applicant_category   TEXT NOT NULL,         -- self or agent (from the transaction)
	applicant_name       TEXT NOT NULL,
	verification_method  TEXT NOT NULL,         -- photo_id, two_documents, questioning
	impression_path      TEXT NOT NULL,         -- 1. 印影: PNG, relative to the database's directory
	impression_hash      TEXT NOT NULL,         -- BLAKE2b-256 of the PNG bytes, hex (same seal in a household)
	impression_mm        REAL NOT NULL CHECK (impression_mm > 8 AND impression_mm <= 25),
	impression_width_px  INTEGER NOT NULL CHECK (impression_width_px > 0),
	impression_height_px INTEGER NOT NULL CHECK (impression_height_px > 0),
	impression_bytes     INTEGER NOT NULL CHECK (impression_bytes > 0),
	name_on_seal         TEXT NOT NULL,
	name_kind            TEXT NOT NULL CHECK (name_kind IN
	                     ('full','surname','given','former','alias','roman','kana','part')), -- 31. 印影の氏名区分
	guarantor_person     INTEGER REFERENCES persons(id),
	guarantor_seal       INTEGER REFERENCES seals(id),
	guarantor_card_no    TEXT,                  -- 36. 保証人の登録番号
	guarantor_name       TEXT,                  -- 32. 保証人の氏名 (as at the guarantee)
	guarantor_address    TEXT,                  -- 33. 保証人の住所
	guarantor_birth_date TEXT,                  -- 34. 保証人の生年月日
	guarantor_sex        TEXT,                  -- 35. 保証人の性別
	inquiry_sent_on      TEXT,                  -- 照会書 mailed
	inquiry_answer_due   TEXT,                  -- last day for the answer (回答書)
	inquiry_address      TEXT,                  -- where the 照会書 was sent (the registered address)
	inquiry_answered_on  TEXT,
	answer_transaction_id INTEGER REFERENCES counter_transactions(id),
	registered_on        TEXT,                  -- 3. 登録年月日
	registered_at        TEXT,
	registered_by        TEXT,
	cancelled_on         TEXT,                  -- 廃止・抹消
	cancelled_at         TEXT,
	cancelled_by         TEXT,
	cancel_reason        TEXT CHECK (cancel_reason IN ('request','moved_out','death','ex_officio','expired')),
	cancel_change_id     INTEGER REFERENCES changes(id),  -- the approved change that ended it
	cancel_transaction_id INTEGER REFERENCES counter_transactions(id),
	memo                 TEXT,                  -- 26. メモ
	CHECK (status <> 'registered' OR (card_no IS NOT NULL AND registered_on IS NOT NULL)),
	CHECK (status <> 'cancelled' OR (cancelled_on IS NOT NULL AND cancel_reason IS NOT NULL)),
	CHECK (method <> 'guarantor' OR guarantor_person IS NOT NULL),
	CHECK (method <> 'inquiry' OR (inquiry_sent_on IS NOT NULL AND inquiry_answer_due IS NOT NULL))
) STRICT;
-- One seal per person: at most one application pending or registered.
CREATE UNIQUE INDEX seals_one_active ON seals(person_id) WHERE status IN ('pending','registered');
CREATE INDEX seals_person ON seals(person_id);
CREATE INDEX seals_hash ON seals(impression_hash) WHERE status IN ('pending','registered');
CREATE INDEX seals_pending ON seals(inquiry_answer_due) WHERE status = 'pending';
