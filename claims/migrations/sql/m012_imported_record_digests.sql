-- m012_imported_record_digests: the SQL this step ran when it was written, frozen (a schema change is a new step).

ALTER TABLE imported_files ADD COLUMN record_digests TEXT NOT NULL DEFAULT '{}';
