-- 0027: grassroots-democracy disclosures (Law 10/2022/QH15 Art. 11): what
-- a commune makes public — plans, budgets, projects, land decisions, funds
-- raised, beneficiaries, fees, procedures… — with the date of the decision
-- and the date it was published (due within 5 working days). Owned by
-- internal/store/disclosures.go. A disclosure is withdrawn with a reason,
-- never deleted; the document, when there is one, is kept in the row.
CREATE TABLE disclosures (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id         BIGINT NOT NULL REFERENCES units(id),
    category        TEXT NOT NULL,
    title           TEXT NOT NULL,
    summary         TEXT NOT NULL DEFAULT '',
    decision_no     TEXT NOT NULL DEFAULT '',
    decided_on      TEXT NOT NULL,
    due_on          TEXT NOT NULL,
    published_on    TEXT NOT NULL DEFAULT '',
    form            TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'pending',
    withdrawn_reason TEXT NOT NULL DEFAULT '',
    file_name       TEXT NOT NULL DEFAULT '',
    file_type       TEXT NOT NULL DEFAULT '',
    file_size       BIGINT NOT NULL DEFAULT 0,
    file_data       BLOB,
    version         INTEGER NOT NULL DEFAULT 1,
    created_by      BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX disclosures_unit ON disclosures(unit_id, decided_on);
CREATE INDEX disclosures_due ON disclosures(status, due_on);
