package calendar

// Counting follows the Civil Code 2015: a period in days starts the day after
// the event (Art. 147(2): the first day is not counted) and ends at the end
// of its last day (Art. 148(1)); if that last day is a weekly rest day or a
// public holiday, the period ends at the end of the next working day
// (Art. 148(5)). "Days" are calendar days unless the legal text says working
// days (ngày làm việc); then only working days are counted.

// NextWorkingDay returns the first working day strictly after d.
func (c Calendar) NextWorkingDay(d Date) Date { return c.index().next(d) }

func (ix *dayIndex) next(d Date) Date {
	d = d.AddDays(1)
	for !ix.isWorkingDay(d) {
		d = d.AddDays(1)
	}
	return d
}

// PreviousWorkingDay returns the last working day strictly before d.
func (c Calendar) PreviousWorkingDay(d Date) Date { return c.index().previous(d) }

func (ix *dayIndex) previous(d Date) Date {
	d = d.AddDays(-1)
	for !ix.isWorkingDay(d) {
		d = d.AddDays(-1)
	}
	return d
}

// AddWorkingDays returns the n-th working day after start, not counting
// start itself (so the result is always a working day when n > 0).
// AddWorkingDays(start, 0) is start; a negative n counts backwards, giving
// the n-th working day before start (useful for reminders before a deadline).
func (c Calendar) AddWorkingDays(start Date, n int) Date {
	ix, d := c.index(), start
	for ; n > 0; n-- {
		d = ix.next(d)
	}
	for ; n < 0; n++ {
		d = ix.previous(d)
	}
	return d
}

// AddCalendarDays returns the last day of a period of n calendar days
// starting after start: start + n, moved forward to the next working day if
// it is a weekend day or a holiday (Civil Code Art. 148(5)). The period ends
// at the end of the returned day. n should be positive; for n ≤ 0 the same
// rule is applied to start + n.
func (c Calendar) AddCalendarDays(start Date, n int) Date {
	ix, end := c.index(), start.AddDays(n)
	if !ix.isWorkingDay(end) {
		end = ix.next(end)
	}
	return end
}

// WorkingDaysBetween returns the number of working days after from up to and
// including to: the count [Calendar.AddWorkingDays] uses, so that
// AddWorkingDays(from, WorkingDaysBetween(from, to)) == to whenever to is a
// working day. If to is before from, the result is minus the number of
// working days in [to, from), which keeps that identity when counting
// backwards. It is 0 when from == to.
func (c Calendar) WorkingDaysBetween(from, to Date) int {
	ix, n := c.index(), 0
	switch {
	case from.Before(to):
		for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
			if ix.isWorkingDay(d) {
				n++
			}
		}
	case to.Before(from):
		for d := to; d.Before(from); d = d.AddDays(1) {
			if ix.isWorkingDay(d) {
				n--
			}
		}
	}
	return n
}
