-- 0021: search over cases, and the keyed hash of the person who submitted
-- a case (to find repeated and duplicate cases without keeping the clear
-- identity). search_text is the folded text of the case (textfold.Words of
-- the tracking code, category, title and description), written by the
-- application in the transaction that writes the case. On SQLite an FTS5
-- index over it, kept by triggers, answers the text queries; its
-- tokenizer also drops diacritics, so the rows filled below (SQL cannot
-- fold; only đ is replaced here) are found like the ones the application
-- writes.
ALTER TABLE cases ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN person_hash TEXT NOT NULL DEFAULT '';   -- HMAC of the normalised ID number, phone or e-mail
CREATE INDEX cases_person ON cases (person_hash) WHERE person_hash <> '';
CREATE INDEX cases_category_place ON cases (category, place_unit_id, id);
CREATE INDEX cases_received ON cases (received_on, id);

CREATE VIRTUAL TABLE case_search USING fts5(search_text, content='cases', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='1 2 3 4');   -- a prefix of up to 4 letters reads its own index
CREATE TRIGGER case_search_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER case_search_delete AFTER DELETE ON cases BEGIN
    INSERT INTO case_search (case_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER case_search_update AFTER UPDATE OF search_text ON cases BEGIN
    INSERT INTO case_search (case_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO case_search (rowid, search_text) VALUES (new.id, new.search_text);
END;

UPDATE cases SET search_text = replace(replace(lower(tracking_code || ' ' || category || ' ' || title || ' ' || description), 'đ', 'd'), 'Đ', 'd');
