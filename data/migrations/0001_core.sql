-- 0001_core: settings, accounts, roles, permissions, grants, audit log.
-- Roles and their permissions are data: an office may add or change them
-- with a later migration or through user administration, never in code.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE permissions (
	name        TEXT PRIMARY KEY,
	description TEXT NOT NULL
) STRICT;

CREATE TABLE roles (
	name          TEXT PRIMARY KEY,
	title_ja      TEXT NOT NULL,
	title_en      TEXT NOT NULL,
	training_only INTEGER NOT NULL DEFAULT 0 CHECK (training_only IN (0, 1))
) STRICT;

CREATE TABLE role_permissions (
	role       TEXT NOT NULL REFERENCES roles(name),
	permission TEXT NOT NULL REFERENCES permissions(name),
	PRIMARY KEY (role, permission)
) STRICT, WITHOUT ROWID;

CREATE TABLE users (
	id              TEXT PRIMARY KEY,
	name            TEXT NOT NULL,
	pw_hash         TEXT NOT NULL,
	pw_changed_at   TEXT NOT NULL,
	must_change     INTEGER NOT NULL DEFAULT 1 CHECK (must_change IN (0, 1)),
	failed_count    INTEGER NOT NULL DEFAULT 0,
	locked_at       TEXT,
	valid_from      TEXT NOT NULL,
	valid_to        TEXT,
	disabled_at     TEXT,
	disabled_by     TEXT,
	disabled_reason TEXT,
	demo            INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
	created_at      TEXT NOT NULL,
	created_by      TEXT NOT NULL,
	last_login_at   TEXT
) STRICT;

CREATE TABLE password_history (
	user_id    TEXT NOT NULL REFERENCES users(id),
	pw_hash    TEXT NOT NULL,
	changed_at TEXT NOT NULL
) STRICT;
CREATE INDEX password_history_user ON password_history(user_id, changed_at);

-- A grant gives a user either a role or a single permission, for a period.
CREATE TABLE grants (
	id            INTEGER PRIMARY KEY,
	user_id       TEXT NOT NULL REFERENCES users(id),
	role          TEXT REFERENCES roles(name),
	permission    TEXT REFERENCES permissions(name),
	valid_from    TEXT NOT NULL,
	valid_to      TEXT,
	granted_by    TEXT NOT NULL,
	granted_at    TEXT NOT NULL,
	reason        TEXT NOT NULL,
	revoked_at    TEXT,
	revoked_by    TEXT,
	revoke_reason TEXT,
	CHECK ((role IS NULL) <> (permission IS NULL))
) STRICT;
CREATE INDEX grants_user ON grants(user_id);

-- Permitted terminals; no row for a user means any terminal.
CREATE TABLE user_terminals (
	user_id  TEXT NOT NULL REFERENCES users(id),
	terminal TEXT NOT NULL,
	PRIMARY KEY (user_id, terminal)
) STRICT, WITHOUT ROWID;

-- The audit log (操作ログ): append-only, each entry chained to the previous
-- one by a keyed hash. The triggers refuse changes from any SQL.
CREATE TABLE audit_log (
	id        INTEGER PRIMARY KEY,
	ts        TEXT NOT NULL,
	user_id   TEXT NOT NULL,
	terminal  TEXT NOT NULL,
	function  TEXT NOT NULL,
	subject   TEXT,
	action    TEXT NOT NULL,
	outcome   TEXT NOT NULL,
	mynumber  INTEGER NOT NULL DEFAULT 0 CHECK (mynumber IN (0, 1)),
	detail    TEXT,
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_user ON audit_log(user_id, ts);
CREATE INDEX audit_log_subject ON audit_log(subject, ts) WHERE subject IS NOT NULL;
CREATE INDEX audit_log_function ON audit_log(function, ts);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;

INSERT INTO permissions (name, description) VALUES
	('counter.reception', 'open a counter transaction and verify identity'),
	('resident.lookup',   'search and view resident records'),
	('resident.intake',   'record a change (provisional)'),
	('change.approve',    'approve or reject provisional changes'),
	('alert.override',    'override an alert with a reason'),
	('cert.issue',        'issue certificates'),
	('cert.void',         'void an issued certificate'),
	('seal.register',     'register and cancel seals'),
	('mynumber.view',     'reveal a My Number (個人番号の表示)'),
	('honseki.view',      'view 本籍・筆頭者'),
	('support.view',      'view support-measure details'),
	('support.manage',    'set, extend and end support measures and suppressions'),
	('report.view',       'daily reports'),
	('user.manage',       'manage users, roles and grants'),
	('audit.review',      'read the audit log and its reports'),
	('audit.verify',      'verify the audit chain'),
	('backup',            'export, backup and restore'),
	('data.import',       'import resident data from another system'),
	('retention.purge',   'purge records past their retention period'),
	('training.admin',    'training administration');

INSERT INTO roles (name, title_ja, title_en, training_only) VALUES
	('clerk',      '窓口職員',     'counter clerk', 0),
	('supervisor', '審査・決裁者', 'supervisor',    0),
	('auditor',    '監査',         'auditor',       0),
	('admin',      'システム管理者', 'administrator', 0),
	('trainer',    '研修担当',     'trainer',       1);

INSERT INTO role_permissions (role, permission) VALUES
	('clerk', 'counter.reception'), ('clerk', 'resident.lookup'),
	('clerk', 'resident.intake'), ('clerk', 'cert.issue'), ('clerk', 'seal.register'),
	('supervisor', 'counter.reception'), ('supervisor', 'resident.lookup'),
	('supervisor', 'resident.intake'), ('supervisor', 'cert.issue'),
	('supervisor', 'seal.register'), ('supervisor', 'change.approve'),
	('supervisor', 'alert.override'), ('supervisor', 'cert.void'),
	('supervisor', 'report.view'), ('supervisor', 'support.manage'),
	('supervisor', 'support.view'), ('supervisor', 'audit.review'),
	('auditor', 'audit.review'), ('auditor', 'audit.verify'), ('auditor', 'report.view'),
	('admin', 'user.manage'), ('admin', 'backup'), ('admin', 'data.import'),
	('admin', 'retention.purge'), ('admin', 'audit.verify');

-- trainer: every permission, but the role only counts on a training database.
INSERT INTO role_permissions (role, permission) SELECT 'trainer', name FROM permissions;
