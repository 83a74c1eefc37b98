-- 0020: photos and documents attached to citizen cases. The type is the
-- one sniffed from the bytes by the service, never the uploader's; public
-- files (images of feedback and recommendations) are shown on the tracking
-- page, the others only to the case's handlers and to the author's link.
CREATE TABLE case_attachments (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    name         TEXT NOT NULL,                    -- sanitised file name
    content_type TEXT NOT NULL,                    -- sniffed
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    public       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TEXT NOT NULL,
    created_by   INTEGER REFERENCES users(id)      -- NULL: the public
);
CREATE INDEX case_attachments_case ON case_attachments (case_id, id);
