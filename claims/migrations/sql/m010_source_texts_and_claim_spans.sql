-- m010_source_texts_and_claim_spans: the SQL this step ran when it was written, frozen (a schema change is a new step).

ALTER TABLE sources ADD COLUMN archive_url TEXT;

CREATE TABLE source_texts (
            source_id INTEGER PRIMARY KEY REFERENCES sources(id),
            body TEXT NOT NULL,
            body_sha256 TEXT NOT NULL,
            html_zlib BLOB,
            stored_at TEXT NOT NULL,
            change_id INTEGER NOT NULL REFERENCES source_changes(id)
        );

CREATE TABLE source_changes (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id),
            field TEXT NOT NULL CHECK (field IN ('text', 'archive_url')),
            old_value TEXT,
            new_value TEXT,
            old_html_zlib BLOB,
            reason TEXT NOT NULL,
            recorded_by TEXT,
            recorded_at TEXT NOT NULL
        );

CREATE INDEX idx_source_changes_source_id ON source_changes (source_id);

CREATE TRIGGER source_changes_no_update BEFORE UPDATE ON source_changes BEGIN SELECT RAISE(ABORT, 'source_changes is append-only: rows cannot be changed or deleted'); END;

CREATE TRIGGER source_changes_no_delete BEFORE DELETE ON source_changes BEGIN SELECT RAISE(ABORT, 'source_changes is append-only: rows cannot be changed or deleted'); END;

CREATE TRIGGER source_texts_no_silent_update BEFORE UPDATE ON source_texts
        WHEN NOT EXISTS (SELECT 1 FROM source_changes WHERE source_changes.id = NEW.change_id
                         AND source_changes.id > OLD.change_id AND source_changes.source_id = OLD.source_id
                         AND source_changes.field = 'text'
                         AND json_extract(source_changes.new_value, '$.body_sha256') = NEW.body_sha256)
        BEGIN
            SELECT RAISE(ABORT, 'a stored source text is replaced only with its change logged in source_changes');
        END;

CREATE TRIGGER source_texts_no_delete BEFORE DELETE ON source_texts
        BEGIN SELECT RAISE(ABORT, 'a stored source text cannot be deleted'); END;

ALTER TABLE claims ADD COLUMN span_start INTEGER;

ALTER TABLE claims ADD COLUMN span_end INTEGER;

