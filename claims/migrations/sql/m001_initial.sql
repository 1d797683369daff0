-- m001_initial: the SQL this step ran when it was written, frozen (a schema change is a new step).

CREATE TABLE "statuses" (
   "name" TEXT PRIMARY KEY,
   "meaning" TEXT,
   "rank" INTEGER
);

INSERT INTO "statuses" ("meaning", "name", "rank") VALUES ('Asserted by someone, not yet confirmed or refuted by an independent or authoritative source.', 'unconfirmed', 0), ('Supported by more than one independent source, but not confirmed by the party concerned.', 'corroborated', 1), ('Confirmed by the party concerned or by conclusive evidence.', 'confirmed', 2), ('Challenged by a credible party; the evidence is contested.', 'disputed', 3), ('Denied by the party concerned; not shown false by independent evidence.', 'denied', 4), ('Shown to be untrue by evidence.', 'false', 5), ('Withdrawn by whoever asserted it, or withdrawn from the record.', 'retracted', 6);

CREATE TABLE "roles" (
   "name" TEXT PRIMARY KEY,
   "claims_column" TEXT,
   "meaning" TEXT,
   "rank" INTEGER
);

INSERT INTO "roles" ("claims_column", "meaning", "name", "rank") VALUES ('asserted_by', 'Makes the claim (the original speaker or author).', 'asserts', 0), ('relayed_by', 'Reports or repeats the claim without endorsing it.', 'relays', 1), ('confirmed_by', 'Says the claim is true.', 'confirms', 2), ('denied_by', 'Says the claim is untrue.', 'denies', 3), ('not_confirmed_by', 'Was in a position to confirm and has not.', 'not-confirmed', 4), ('disputed_by', 'Challenges the claim without denying it outright.', 'disputes', 5);

CREATE TABLE "actor_kinds" (
   "name" TEXT PRIMARY KEY,
   "meaning" TEXT
);

INSERT INTO "actor_kinds" ("meaning", "name") VALUES ('A state, its government, ministries or officials speaking for it.', 'government'), ('A news outlet controlled by a state, e.g. KCNA or TASS.', 'state-media'), ('An intelligence or security service.', 'intelligence'), ('Armed forces or a military command.', 'military'), ('An independent news outlet or agency.', 'media'), ('An individual speaking for themselves.', 'person'), ('An NGO, company, international body or other organisation.', 'organisation'), ('Anyone who fits none of the other kinds.', 'other');

CREATE TABLE "qualifiers" (
   "name" TEXT PRIMARY KEY,
   "meaning" TEXT
);

INSERT INTO "qualifiers" ("meaning", "name") VALUES ('Exactly this number (low = high).', 'exact'), ('Approximately this number (low = high).', 'about'), ('Strictly more than `low`.', 'more_than'), ('`low` or more.', 'at_least'), ('Strictly less than `high`.', 'less_than'), ('`high` or less.', 'up_to'), ('Between `low` and `high`.', 'range');

CREATE TABLE "sources" (
   "id" INTEGER PRIMARY KEY,
   "title" TEXT NOT NULL,
   "url" TEXT,
   "outlet" TEXT,
   "published" TEXT,
   "language" TEXT,
   "created_at" TEXT NOT NULL
);

CREATE UNIQUE INDEX "idx_sources_url"
    ON "sources" ("url");

CREATE INDEX "idx_sources_outlet"
    ON "sources" ("outlet");

CREATE TABLE "actors" (
   "id" INTEGER PRIMARY KEY,
   "name" TEXT NOT NULL,
   "kind" TEXT NOT NULL REFERENCES "actor_kinds"("name"),
   "country" TEXT,
   "created_at" TEXT NOT NULL
);

CREATE UNIQUE INDEX "idx_actors_name"
    ON "actors" ("name");

CREATE TABLE "actor_aliases" (
   "id" INTEGER PRIMARY KEY,
   "actor_id" INTEGER NOT NULL REFERENCES "actors"("id"),
   "alias" TEXT NOT NULL,
   "match_key" TEXT NOT NULL
);

CREATE UNIQUE INDEX "idx_actor_aliases_match_key"
    ON "actor_aliases" ("match_key");

CREATE INDEX "idx_actor_aliases_actor_id"
    ON "actor_aliases" ("actor_id");

CREATE TABLE "claims" (
   "id" INTEGER PRIMARY KEY,
   "text" TEXT NOT NULL,
   "translation" TEXT,
   "language" TEXT,
   "is_quote" INTEGER NOT NULL DEFAULT 0,
   "source_id" INTEGER NOT NULL REFERENCES "sources"("id"),
   "said_on" TEXT,
   "status" TEXT NOT NULL DEFAULT 'unconfirmed' REFERENCES "statuses"("name"),
   "notes" TEXT,
   "asserted_by" TEXT NOT NULL DEFAULT '[]',
   "relayed_by" TEXT NOT NULL DEFAULT '[]',
   "confirmed_by" TEXT NOT NULL DEFAULT '[]',
   "denied_by" TEXT NOT NULL DEFAULT '[]',
   "not_confirmed_by" TEXT NOT NULL DEFAULT '[]',
   "disputed_by" TEXT NOT NULL DEFAULT '[]',
   "created_at" TEXT NOT NULL,
   "updated_at" TEXT NOT NULL,
   "status_changed_at" TEXT
);

CREATE UNIQUE INDEX "idx_claims_source_id_text"
    ON "claims" ("source_id", "text");

CREATE INDEX "idx_claims_status"
    ON "claims" ("status");

CREATE INDEX "idx_claims_said_on"
    ON "claims" ("said_on");

CREATE VIRTUAL TABLE "claims_fts" USING FTS5 (
    "text", "translation",
    tokenize='porter unicode61 remove_diacritics 2',
    content="claims"
);

INSERT INTO "claims_fts" (rowid, "text", "translation")
    SELECT rowid, "text", "translation" FROM "claims";

CREATE TRIGGER "claims_ai" AFTER INSERT ON "claims" BEGIN
  INSERT INTO "claims_fts" (rowid, "text", "translation") VALUES (new.rowid, new."text", new."translation");
END;

CREATE TRIGGER "claims_ad" AFTER DELETE ON "claims" BEGIN
  INSERT INTO "claims_fts" ("claims_fts", rowid, "text", "translation") VALUES('delete', old.rowid, old."text", old."translation");
END;

CREATE TRIGGER "claims_au" AFTER UPDATE ON "claims" BEGIN
  INSERT INTO "claims_fts" ("claims_fts", rowid, "text", "translation") VALUES('delete', old.rowid, old."text", old."translation");
  INSERT INTO "claims_fts" (rowid, "text", "translation") VALUES (new.rowid, new."text", new."translation");
END;

CREATE TABLE "attributions" (
   "id" INTEGER PRIMARY KEY,
   "claim_id" INTEGER NOT NULL REFERENCES "claims"("id"),
   "actor_id" INTEGER NOT NULL REFERENCES "actors"("id"),
   "role" TEXT NOT NULL REFERENCES "roles"("name"),
   "source_id" INTEGER REFERENCES "sources"("id"),
   "stated_on" TEXT,
   "created_at" TEXT NOT NULL
);

CREATE UNIQUE INDEX "idx_attributions_claim_id_actor_id_role"
    ON "attributions" ("claim_id", "actor_id", "role");

CREATE INDEX "idx_attributions_actor_id_role"
    ON "attributions" ("actor_id", "role");

CREATE TABLE "status_changes" (
   "id" INTEGER PRIMARY KEY,
   "claim_id" INTEGER NOT NULL REFERENCES "claims"("id"),
   "from_status" TEXT REFERENCES "statuses"("name"),
   "to_status" TEXT NOT NULL REFERENCES "statuses"("name"),
   "reason" TEXT NOT NULL,
   "evidence_url" TEXT,
   "changed_on" TEXT,
   "recorded_at" TEXT NOT NULL
);

CREATE INDEX "idx_status_changes_claim_id"
    ON "status_changes" ("claim_id");

CREATE TRIGGER status_changes_no_update BEFORE UPDATE ON status_changes BEGIN SELECT RAISE(ABORT, 'status_changes is append-only: rows cannot be changed or deleted'); END;

CREATE TRIGGER status_changes_no_delete BEFORE DELETE ON status_changes BEGIN SELECT RAISE(ABORT, 'status_changes is append-only: rows cannot be changed or deleted'); END;

CREATE TABLE "figures" (
   "id" INTEGER PRIMARY KEY,
   "claim_id" INTEGER NOT NULL REFERENCES "claims"("id"),
   "measure" TEXT NOT NULL,
   "qualifier" TEXT NOT NULL REFERENCES "qualifiers"("name"),
   "low" INTEGER,
   "high" INTEGER,
   "unit" TEXT
);

CREATE INDEX "idx_figures_claim_id"
    ON "figures" ("claim_id");

CREATE INDEX "idx_figures_measure_low"
    ON "figures" ("measure", "low");

