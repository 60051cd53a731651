-- Generated from sql/schema.sql (added columns) by `python -m resources.store.d1`; do not edit.
ALTER TABLE files ADD COLUMN build_constraint TEXT;
ALTER TABLE files ADD COLUMN build_ignored BIGINT NOT NULL DEFAULT 0;
ALTER TABLE files ADD COLUMN build_file_tags TEXT;
