-- m003_revisions_purges_and_recorders: the SQL this step ran when it was written, frozen (a schema change is a new step).

ALTER TABLE "claims" ADD COLUMN "created_by" TEXT;

ALTER TABLE "attributions" ADD COLUMN "recorded_by" TEXT;

ALTER TABLE "status_changes" ADD COLUMN "recorded_by" TEXT;

CREATE TABLE "revisions" (
   "id" INTEGER PRIMARY KEY,
   "claim_id" INTEGER NOT NULL REFERENCES "claims"("id"),
   "field" TEXT NOT NULL,
   "old_value" TEXT,
   "new_value" TEXT,
   "reason" TEXT NOT NULL,
   "recorded_by" TEXT,
   "recorded_at" TEXT NOT NULL
);

CREATE INDEX "idx_revisions_claim_id"
    ON "revisions" ("claim_id");

CREATE TABLE "purges" (
   "id" INTEGER PRIMARY KEY,
   "claim_id" INTEGER NOT NULL,
   "claim" TEXT NOT NULL,
   "reason" TEXT NOT NULL,
   "recorded_by" TEXT,
   "recorded_at" TEXT NOT NULL
);

CREATE INDEX "idx_purges_claim_id"
    ON "purges" ("claim_id");

DROP TRIGGER status_changes_no_delete;

DROP TRIGGER status_changes_no_update;

CREATE TRIGGER status_changes_no_update BEFORE UPDATE ON status_changes BEGIN SELECT RAISE(ABORT, 'status_changes is append-only: rows cannot be changed or deleted'); END;

CREATE TRIGGER status_changes_no_delete BEFORE DELETE ON status_changes WHEN NOT EXISTS (SELECT 1 FROM purges WHERE purges.claim_id = OLD.claim_id) BEGIN SELECT RAISE(ABORT, 'status_changes is append-only: rows cannot be changed or deleted'); END;

CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions BEGIN SELECT RAISE(ABORT, 'revisions is append-only: rows cannot be changed or deleted'); END;

CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions WHEN NOT EXISTS (SELECT 1 FROM purges WHERE purges.claim_id = OLD.claim_id) BEGIN SELECT RAISE(ABORT, 'revisions is append-only: rows cannot be changed or deleted'); END;

CREATE TRIGGER purges_no_update BEFORE UPDATE ON purges BEGIN SELECT RAISE(ABORT, 'purges is append-only: rows cannot be changed or deleted'); END;

CREATE TRIGGER purges_no_delete BEFORE DELETE ON purges BEGIN SELECT RAISE(ABORT, 'purges is append-only: rows cannot be changed or deleted'); END;

