// Package report owns periodic reporting: the report periods and their data
// cut-off windows (Decree 09/2019/NĐ-CP Art. 12, with the cut-off day
// configurable per template), the sending deadlines of each level of a
// multi-level report, and — in other files — templates, submissions and
// consolidation up the organisation tree.
package report
