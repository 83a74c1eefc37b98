-- E-mail outbox claims: a sender claims due rows with a lease before sending,
-- so that two replicas never send the same e-mail; an expired lease is
-- claimed again.
ALTER TABLE mail_outbox ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_outbox ADD COLUMN claimed_until TIMESTAMPTZ;
DROP INDEX mail_outbox_due;
CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at, id) WHERE sent_at IS NULL;
