-- ACLED's actor type codes (inter1, inter2), one per actor of each side, so
-- that ACLED imports and exports keep them.
ALTER TABLE incidents ADD COLUMN inter1 TEXT;
ALTER TABLE incidents ADD COLUMN inter2 TEXT;
