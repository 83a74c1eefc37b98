-- 0024: the default categories of citizen cases, so that the public form
-- offers a choice on a new installation. Most go to the People's
-- Committee of the commune or ward concerned (default_kind 'commune': the
-- commune itself, the unit of the place, handles them); administrators
-- may change them or add their own. Idempotent.
INSERT INTO case_categories (code, name_vi, name_en, name_ja, default_kind) VALUES
    ('dat-dai', 'Đất đai', 'Land', '土地', 'commune'),
    ('moi-truong', 'Môi trường', 'Environment', '環境', 'commune'),
    ('giao-thong', 'Giao thông – hạ tầng', 'Roads and infrastructure', '交通・インフラ', 'commune'),
    ('dien-nuoc', 'Điện, nước sinh hoạt', 'Electricity and water supply', '電気・生活用水', 'commune'),
    ('an-sinh', 'An sinh xã hội', 'Social welfare', '社会保障', 'commune'),
    ('y-te', 'Y tế', 'Health', '保健・医療', 'commune'),
    ('giao-duc', 'Giáo dục', 'Education', '教育', 'commune'),
    ('trat-tu-do-thi', 'Trật tự đô thị', 'Urban order', '都市秩序', 'commune'),
    ('an-ninh-trat-tu', 'An ninh, trật tự', 'Public security and order', '治安・秩序', 'commune'),
    ('can-bo', 'Cán bộ – công chức (thái độ, nhũng nhiễu)', 'Officials (conduct, harassment)', '公務員（態度・嫌がらせ）', 'commune'),
    ('thu-tuc-hanh-chinh', 'Thủ tục hành chính', 'Administrative procedures', '行政手続き', 'commune'),
    ('khac', 'Khác', 'Other', 'その他', 'commune')
ON CONFLICT (code) DO NOTHING;

-- The handlers' list of a unit by status, newest first, reads this index
-- in order instead of walking every case by date.
CREATE INDEX cases_unit_status_created ON cases (unit_id, status, created_at, id);
