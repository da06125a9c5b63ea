-- Named API keys with a role (package keys): only a SHA-256 hash of each
-- key is kept; prefix is the key's first characters, shown in listings.
CREATE TABLE incidentmap_keys (
  name text PRIMARY KEY,
  role text NOT NULL CHECK (role IN ('reader', 'writer', 'admin')),
  hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  created timestamptz NOT NULL,
  revoked timestamptz
);
