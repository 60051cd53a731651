-- Generated from resources/store/d1.py (STAGING_SQL) by `python -m resources.store.d1`; do not edit.
-- D1 only: bulk rows of a write too large for one batch wait here (keyed by a random write id)
-- until one final batch copies them into the real tables; see resources/store/d1.py.
CREATE TABLE IF NOT EXISTS _thread_staging (
    write_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    rows TEXT NOT NULL,
    PRIMARY KEY (write_id, seq)
);
