-- 0013: the Prime Minister's yearly decisions on days off (Labour Code
-- 45/2019/QH14 Art. 112(3)), one row per year, kind and day, each with the
-- document it comes from. Owned by internal/store/calendar.go.
-- kind: tet and national_day replace that year's default days when any row
-- of the kind exists; extra is a further day off; working is a weekend day
-- made a working day; removed is a day that is not off after all;
-- no_compensation (day '') turns off that year's computed compensatory days.
CREATE TABLE calendar_decisions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    year       INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    day        TEXT NOT NULL,
    source     TEXT NOT NULL,
    source_url TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    UNIQUE (year, kind, day)
);

-- Tết 2025 (Ất Tỵ): off from Saturday 25 Jan to Sunday 2 Feb (9 days, back
-- to work on Monday 3 Feb, so no compensatory day then for mùng 4 falling on
-- Saturday 1 Feb); Monday 27 Jan swapped with Saturday 8 Feb.
INSERT INTO calendar_decisions (year, kind, day, source, source_url, created_at) VALUES
    (2025, 'tet', '2025-01-28', 'Thông báo 6150/TB-LĐTBXH về lịch nghỉ Tết Âm lịch và Quốc khánh năm 2025', '', '2026-11-29T00:00:00Z'),
    (2025, 'tet', '2025-01-29', 'Thông báo 6150/TB-LĐTBXH về lịch nghỉ Tết Âm lịch và Quốc khánh năm 2025', '', '2026-11-29T00:00:00Z'),
    (2025, 'tet', '2025-01-30', 'Thông báo 6150/TB-LĐTBXH về lịch nghỉ Tết Âm lịch và Quốc khánh năm 2025', '', '2026-11-29T00:00:00Z'),
    (2025, 'tet', '2025-01-31', 'Thông báo 6150/TB-LĐTBXH về lịch nghỉ Tết Âm lịch và Quốc khánh năm 2025', '', '2026-11-29T00:00:00Z'),
    (2025, 'tet', '2025-02-01', 'Thông báo 6150/TB-LĐTBXH về lịch nghỉ Tết Âm lịch và Quốc khánh năm 2025', '', '2026-11-29T00:00:00Z'),
    (2025, 'extra', '2025-01-27', 'Thông báo 6150/TB-LĐTBXH về lịch nghỉ Tết Âm lịch và Quốc khánh năm 2025', '', '2026-11-29T00:00:00Z'),
    (2025, 'working', '2025-02-08', 'Thông báo 6150/TB-LĐTBXH về lịch nghỉ Tết Âm lịch và Quốc khánh năm 2025', '', '2026-11-29T00:00:00Z'),
    (2025, 'removed', '2025-02-03', 'Thông báo 6150/TB-LĐTBXH về lịch nghỉ Tết Âm lịch và Quốc khánh năm 2025', '', '2026-11-29T00:00:00Z');

-- Tết 2026 (Bính Ngọ): off from Saturday 14 Feb to Sunday 22 Feb, the five
-- Tết days being 16–20 Feb (29 Chạp to mùng 4).
INSERT INTO calendar_decisions (year, kind, day, source, source_url, created_at) VALUES
    (2026, 'tet', '2026-02-16', 'Phương án nghỉ Tết Âm lịch năm 2026 được Thủ tướng Chính phủ đồng ý (Bộ Nội vụ)', '', '2026-11-29T00:00:00Z'),
    (2026, 'tet', '2026-02-17', 'Phương án nghỉ Tết Âm lịch năm 2026 được Thủ tướng Chính phủ đồng ý (Bộ Nội vụ)', '', '2026-11-29T00:00:00Z'),
    (2026, 'tet', '2026-02-18', 'Phương án nghỉ Tết Âm lịch năm 2026 được Thủ tướng Chính phủ đồng ý (Bộ Nội vụ)', '', '2026-11-29T00:00:00Z'),
    (2026, 'tet', '2026-02-19', 'Phương án nghỉ Tết Âm lịch năm 2026 được Thủ tướng Chính phủ đồng ý (Bộ Nội vụ)', '', '2026-11-29T00:00:00Z'),
    (2026, 'tet', '2026-02-20', 'Phương án nghỉ Tết Âm lịch năm 2026 được Thủ tướng Chính phủ đồng ý (Bộ Nội vụ)', '', '2026-11-29T00:00:00Z');
