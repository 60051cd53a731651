-- Generated from sql/schema.sql (added columns) by `python -m resources.store.d1`; do not edit.
ALTER TABLE imports ADD COLUMN type_only BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN deferred BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN conditional BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN dynamic BIGINT NOT NULL DEFAULT 0;
ALTER TABLE dep_edges ADD COLUMN type_only BIGINT NOT NULL DEFAULT 0;
ALTER TABLE dep_edges ADD COLUMN deferred BIGINT NOT NULL DEFAULT 0;
