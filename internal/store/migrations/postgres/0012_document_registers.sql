-- 0012: document registers (sổ đăng ký văn bản) and the signer's position.
-- Owned by internal/store/registers.go. A register numbers the documents of
-- one issuing body, one year and one kind (BC = báo cáo) from 1. The body
-- is a unit, or the organ ('party', 'state') of a place unit that the tree
-- does not hold. A report gets its number when it is first submitted and
-- keeps it.
CREATE TABLE document_registers (
    body_unit_id BIGINT NOT NULL REFERENCES units(id),
    organ        TEXT NOT NULL DEFAULT '',
    year         INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    last_number  INTEGER NOT NULL,
    PRIMARY KEY (body_unit_id, organ, year, kind)
);

CREATE TABLE document_numbers (
    report_id    BIGINT PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
    body_unit_id BIGINT NOT NULL REFERENCES units(id),
    organ        TEXT NOT NULL DEFAULT '',
    year         INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    number       INTEGER NOT NULL,
    UNIQUE (body_unit_id, organ, year, kind, number)
);

ALTER TABLE users ADD COLUMN position TEXT NOT NULL DEFAULT '';
