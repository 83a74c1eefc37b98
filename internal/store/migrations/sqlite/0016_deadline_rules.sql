-- 0016: the legal deadlines of citizen cases, versioned by effective date.
-- Owned by internal/store/deadline_rules.go. A version is never edited in
-- place: a new row with a later effective_from replaces a key from that
-- date; the version in force on a case's start date applies. days are
-- working days when working_days, else calendar days (Civil Code 2015
-- Art. 147–148); remote_days is the period in remote and disadvantaged
-- areas (0: the same). basis and name are Vietnamese.
CREATE TABLE deadline_rules (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    key            TEXT NOT NULL,
    days           INTEGER NOT NULL,
    working_days   BOOLEAN NOT NULL DEFAULT FALSE,
    remote_days    INTEGER NOT NULL DEFAULT 0,
    effective_from TEXT NOT NULL,
    basis          TEXT NOT NULL,
    name           TEXT NOT NULL,
    created_by     BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (key, effective_from)
);

-- The rules of today's law (internal/legal.Defaults; a store test keeps the
-- two equal).
INSERT INTO deadline_rules (key, days, working_days, remote_days, effective_from, basis, name, created_at) VALUES
    ('complaint.accept', 10, TRUE, 0, '2012-07-01', 'Luật Khiếu nại số 02/2011/QH13, Điều 27; Thông tư 07/2013/TT-TTCP (10 ngày làm việc). Cần kiểm tra Nghị định 155/2026/NĐ-CP có thể rút xuống 7 ngày làm việc; đang áp dụng 10 ngày làm việc.', 'Thụ lý khiếu nại', '2026-11-29T00:00:00Z'),
    ('complaint.resolve', 30, FALSE, 45, '2012-07-01', 'Luật Khiếu nại số 02/2011/QH13, Điều 28: 30 ngày kể từ ngày thụ lý; vùng sâu, vùng xa đi lại khó khăn 45 ngày.', 'Giải quyết khiếu nại lần đầu', '2026-11-29T00:00:00Z'),
    ('complaint.resolve.complex', 45, FALSE, 60, '2012-07-01', 'Luật Khiếu nại số 02/2011/QH13, Điều 28: vụ việc phức tạp 45 ngày kể từ ngày thụ lý; vùng sâu, vùng xa đi lại khó khăn 60 ngày.', 'Giải quyết khiếu nại lần đầu, vụ việc phức tạp', '2026-11-29T00:00:00Z'),
    ('complaint.resolve.second', 45, FALSE, 60, '2012-07-01', 'Luật Khiếu nại số 02/2011/QH13, Điều 37: 45 ngày kể từ ngày thụ lý; vùng sâu, vùng xa đi lại khó khăn 60 ngày.', 'Giải quyết khiếu nại lần hai', '2026-11-29T00:00:00Z'),
    ('complaint.resolve.second.complex', 60, FALSE, 70, '2012-07-01', 'Luật Khiếu nại số 02/2011/QH13, Điều 37: vụ việc phức tạp 60 ngày kể từ ngày thụ lý; vùng sâu, vùng xa đi lại khó khăn 70 ngày.', 'Giải quyết khiếu nại lần hai, vụ việc phức tạp', '2026-11-29T00:00:00Z'),
    ('denunciation.accept', 7, TRUE, 0, '2019-01-01', 'Luật Tố cáo số 25/2018/QH14, Điều 24: 7 ngày làm việc kể từ ngày nhận được tố cáo.', 'Xử lý ban đầu thông tin tố cáo', '2026-11-29T00:00:00Z'),
    ('denunciation.accept.multi', 10, TRUE, 0, '2019-01-01', 'Luật Tố cáo số 25/2018/QH14, Điều 24: 10 ngày làm việc khi phải kiểm tra, xác minh ở nhiều địa điểm.', 'Xử lý ban đầu thông tin tố cáo, cần xác minh ở nhiều địa điểm', '2026-11-29T00:00:00Z'),
    ('denunciation.forward', 5, TRUE, 0, '2019-01-01', 'Luật Tố cáo số 25/2018/QH14, Điều 24: chuyển đến người có thẩm quyền trong 5 ngày làm việc kể từ ngày nhận được tố cáo.', 'Chuyển tố cáo không thuộc thẩm quyền', '2026-11-29T00:00:00Z'),
    ('denunciation.notify', 5, TRUE, 0, '2019-01-01', 'Luật Tố cáo số 25/2018/QH14, Điều 29: thông báo cho người tố cáo trong 5 ngày làm việc kể từ ngày ra quyết định thụ lý.', 'Thông báo thụ lý tố cáo', '2026-11-29T00:00:00Z'),
    ('denunciation.resolve', 30, FALSE, 0, '2019-01-01', 'Luật Tố cáo số 25/2018/QH14, Điều 30: 30 ngày kể từ ngày thụ lý tố cáo.', 'Giải quyết tố cáo', '2026-11-29T00:00:00Z'),
    ('denunciation.extend', 30, FALSE, 0, '2019-01-01', 'Luật Tố cáo số 25/2018/QH14, Điều 30: vụ việc phức tạp được gia hạn một lần, không quá 30 ngày.', 'Gia hạn giải quyết tố cáo, vụ việc phức tạp', '2026-11-29T00:00:00Z'),
    ('denunciation.extend.special', 60, FALSE, 0, '2019-01-01', 'Luật Tố cáo số 25/2018/QH14, Điều 30: vụ việc đặc biệt phức tạp được gia hạn hai lần, mỗi lần không quá 30 ngày (tổng 60 ngày).', 'Gia hạn giải quyết tố cáo, vụ việc đặc biệt phức tạp', '2026-11-29T00:00:00Z'),
    ('feedback.transfer', 5, TRUE, 0, '2008-02-14', 'Nghị định 20/2008/NĐ-CP về tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính: chuyển trong 5 ngày làm việc nếu không thuộc thẩm quyền.', 'Chuyển phản ánh, kiến nghị không thuộc thẩm quyền', '2026-11-29T00:00:00Z'),
    ('mediation.start', 3, FALSE, 0, '2014-01-01', 'Luật Hòa giải ở cơ sở số 35/2013/QH13: bắt đầu hòa giải trong 3 ngày kể từ ngày được phân công. Luật không nói rõ ngày làm việc; tính theo ngày lịch — cần kiểm tra.', 'Bắt đầu hòa giải ở cơ sở', '2026-11-29T00:00:00Z');
