// Package calendar owns civil dates and the legal calendar of Vietnam: the
// Vietnamese lunar calendar (Hồ Ngọc Đức's algorithm computed at UTC+7, which
// is why Tết sometimes differs from the Chinese New Year computed at UTC+8),
// public holidays under the Labour Code 45/2019/QH14 Art. 112 with a per-year
// override table for what the Prime Minister decides each year, working days,
// and the counting of legal periods under the Civil Code 2015 Art. 147–148.
//
// Legal dates are dates, not timestamps: [Date] is a civil date without a
// time zone. Convert to a [time.Time] only at the edges, with [Date.In]
// (usually in [Vietnam], UTC+7).
//
// The package is pure: no I/O and no clock. A zero [Calendar] applies the
// statutory defaults; a configured one (weekend days, extra recurring
// holidays, yearly overrides) is plain data that callers load from storage.
package calendar
