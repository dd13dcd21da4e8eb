-- With INTENTBOT_AUDIT_KEY set, each sealed run also carries an HMAC-SHA256 of its place in the
-- chain (seq and record hash) under that key, so a chain re-sealed without the key is detected.
ALTER TABLE runs ADD COLUMN record_mac VARCHAR(64);
