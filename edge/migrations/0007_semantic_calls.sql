-- Generated from sql/schema.sql (added columns) by `python -m resources.store.d1`; do not edit.
ALTER TABLE calls ADD COLUMN targets TEXT;
ALTER TABLE calls ADD COLUMN reason TEXT;
ALTER TABLE call_edges ADD COLUMN call_index BIGINT;
ALTER TABLE call_edges ADD COLUMN receiver_type TEXT;
ALTER TABLE call_edges ADD COLUMN callee_module TEXT;
ALTER TABLE call_edges ADD COLUMN reason TEXT;
ALTER TABLE call_edges ADD COLUMN dispatch BIGINT NOT NULL DEFAULT 0;
