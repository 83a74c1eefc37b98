-- 0028: news about the programme, written by units and approved by the
-- coordinator before it is published on the portal, with its pictures.
-- Owned by internal/store/news.go. An article is withdrawn with a reason,
-- never deleted; its slug never changes once given, so links stay valid.
-- A picture is stored once per content hash, the hash naming its URL.
CREATE TABLE news_pictures (
    hash         TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    data         BLOB NOT NULL,
    created_at   TEXT NOT NULL
);

CREATE TABLE news_articles (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id         BIGINT NOT NULL REFERENCES units(id),
    author_id       BIGINT REFERENCES users(id) ON DELETE SET NULL,
    topic           TEXT NOT NULL,
    title           TEXT NOT NULL,
    slug            TEXT NOT NULL UNIQUE,
    summary         TEXT NOT NULL,
    body            TEXT NOT NULL,
    picture         TEXT REFERENCES news_pictures(hash),
    thumb           TEXT REFERENCES news_pictures(hash),
    picture_alt     TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'draft',
    comment         TEXT NOT NULL DEFAULT '',
    withdraw_reason TEXT NOT NULL DEFAULT '',
    approved_by     BIGINT REFERENCES users(id) ON DELETE SET NULL,
    submitted_at    TEXT,
    published_at    TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX news_articles_published ON news_articles(status, published_at);
CREATE INDEX news_articles_unit ON news_articles(unit_id, status);
