-- 0011: which notices each person receives by e-mail. Owned by
-- internal/store/notice_prefs.go. No row for a kind means on: every notice
-- is e-mailed until its reader turns that kind off. The in-app notice is
-- always written.
CREATE TABLE notice_prefs (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    email   BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, kind)
);
