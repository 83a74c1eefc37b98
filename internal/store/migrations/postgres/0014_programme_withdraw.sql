-- 0014: directives, tasks and assignments can be edited (optimistic lock:
-- version, +1 on every write) and withdrawn (thu hồi): a status with who,
-- when and why, never a delete. An assignment carries a note.
ALTER TABLE directives ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE directives ADD COLUMN withdrawn_at TIMESTAMPTZ;
ALTER TABLE directives ADD COLUMN withdrawn_by TEXT NOT NULL DEFAULT '';
ALTER TABLE directives ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';

ALTER TABLE directive_tasks ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE directive_tasks ADD COLUMN withdrawn_at TIMESTAMPTZ;
ALTER TABLE directive_tasks ADD COLUMN withdrawn_by TEXT NOT NULL DEFAULT '';
ALTER TABLE directive_tasks ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';

ALTER TABLE task_assignments ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE task_assignments ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE task_assignments ADD COLUMN withdrawn_at TIMESTAMPTZ;
ALTER TABLE task_assignments ADD COLUMN withdrawn_by TEXT NOT NULL DEFAULT '';
ALTER TABLE task_assignments ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
