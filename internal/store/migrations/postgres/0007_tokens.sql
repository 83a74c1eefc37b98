-- API tokens expire; a token's last use is recorded at most once a minute.
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;
