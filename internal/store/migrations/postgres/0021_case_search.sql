-- 0021: search over cases, and the keyed hash of the person who submitted
-- a case (to find repeated and duplicate cases without keeping the clear
-- identity). search_text is the folded text of the case (textfold.Words of
-- the tracking code, category, title and description), written by the
-- application in the transaction that writes the case. On PostgreSQL a GIN
-- index over its 'simple' text search vector answers the text queries (no
-- extension needed). The rows filled below are folded in SQL: translate()
-- maps every Vietnamese letter, upper and lower case, to its base letter,
-- and the punctuation inside codes (TH-2026-…) to spaces, as textfold does.
ALTER TABLE cases ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN person_hash TEXT NOT NULL DEFAULT '';   -- HMAC of the normalised ID number, phone or e-mail
CREATE INDEX cases_person ON cases (person_hash) WHERE person_hash <> '';
CREATE INDEX cases_category_place ON cases (category, place_unit_id, id);
CREATE INDEX cases_received ON cases (received_on, id);
CREATE INDEX cases_search ON cases USING GIN (to_tsvector('simple', search_text));

UPDATE cases SET search_text = lower(translate(tracking_code || ' ' || category || ' ' || title || ' ' || description,
    'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐABCDEFGHIJKLMNOPQRSTUVWXYZ-/._',
    'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyydaaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyydabcdefghijklmnopqrstuvwxyz    '));
