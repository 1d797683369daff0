-- m006_claim_identity_keys_and_actor_changes: the SQL this step ran when it was written, frozen (a schema change is a new step).

ALTER TABLE claims ADD COLUMN text_key TEXT;

CREATE INDEX "idx_claims_source_id_text_key"
    ON "claims" ("source_id", "text_key");

DROP INDEX idx_claims_source_id_text;

CREATE TABLE actor_changes (
            id INTEGER PRIMARY KEY,
            actor_id INTEGER NOT NULL,
            action TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            reason TEXT NOT NULL,
            recorded_by TEXT,
            recorded_at TEXT NOT NULL
        );

CREATE INDEX idx_actor_changes_actor_id ON actor_changes (actor_id);

CREATE TRIGGER actor_changes_no_update BEFORE UPDATE ON actor_changes BEGIN SELECT RAISE(ABORT, 'actor_changes is append-only: rows cannot be changed or deleted'); END;

CREATE TRIGGER actor_changes_no_delete BEFORE DELETE ON actor_changes BEGIN SELECT RAISE(ABORT, 'actor_changes is append-only: rows cannot be changed or deleted'); END;

