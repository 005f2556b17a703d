-- 0007_audit_review: the audit review (監査ログの確認). Reviews of findings
-- live in a table of their own: the audit log stays append-only, and a
-- review, once recorded, cannot be changed or removed either (marking an
-- entry reviewed is itself written to the audit log). entry_id names an
-- audit_log entry (checked when the review is made); there is no foreign
-- key, so that a retention purge of old log entries is not blocked by
-- their reviews.
CREATE TABLE audit_reviews (
	entry_id    INTEGER PRIMARY KEY,
	reviewed_by TEXT NOT NULL,
	reviewed_at TEXT NOT NULL,
	comment     TEXT NOT NULL CHECK (length(comment) > 0)
) STRICT;

CREATE TRIGGER audit_reviews_no_update BEFORE UPDATE ON audit_reviews
BEGIN
	SELECT RAISE(ABORT, 'audit_reviews is append-only');
END;
CREATE TRIGGER audit_reviews_no_delete BEFORE DELETE ON audit_reviews
BEGIN
	SELECT RAISE(ABORT, 'audit_reviews is append-only');
END;

-- Time ranges without a user, subject or function (the off-hours check, a
-- search by date only), and searches by outcome, newest first.
CREATE INDEX audit_log_ts ON audit_log(ts);
CREATE INDEX audit_log_outcome ON audit_log(outcome, ts);
