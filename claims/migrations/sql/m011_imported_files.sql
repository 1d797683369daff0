-- m011_imported_files: the SQL this step ran when it was written, frozen (a schema change is a new step).

CREATE TABLE imported_files (
            path TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            imported_at TEXT NOT NULL,
            claim_ids TEXT NOT NULL DEFAULT '[]',
            source_ids TEXT NOT NULL DEFAULT '[]',
            source_keys TEXT NOT NULL DEFAULT '{}',
            actor_ids TEXT NOT NULL DEFAULT '[]'
        );
