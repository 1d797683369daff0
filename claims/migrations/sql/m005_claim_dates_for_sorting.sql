-- m005_claim_dates_for_sorting: the SQL this step ran when it was written, frozen (a schema change is a new step).

DROP TRIGGER IF EXISTS claims_au;

CREATE TRIGGER "claims_au" AFTER UPDATE OF "text", "translation" ON "claims" BEGIN
  INSERT INTO "claims_fts" ("claims_fts", rowid, "text", "translation") VALUES('delete', old.rowid, old."text", old."translation");
  INSERT INTO "claims_fts" (rowid, "text", "translation") VALUES (new.rowid, new."text", new."translation");
END;

ALTER TABLE "claims" ADD COLUMN "dated" TEXT;

UPDATE claims SET dated = coalesce(claims.said_on, (SELECT published FROM sources WHERE sources.id = claims.source_id));

CREATE TRIGGER claims_dated_ai AFTER INSERT ON claims WHEN new.dated IS NOT coalesce(new.said_on, (SELECT published FROM sources WHERE sources.id = new.source_id))
        BEGIN UPDATE claims SET dated = coalesce(new.said_on, (SELECT published FROM sources WHERE sources.id = new.source_id)) WHERE id = new.id; END;

CREATE TRIGGER claims_dated_au AFTER UPDATE OF said_on, source_id, dated ON claims
        WHEN new.dated IS NOT coalesce(new.said_on, (SELECT published FROM sources WHERE sources.id = new.source_id))
        BEGIN UPDATE claims SET dated = coalesce(new.said_on, (SELECT published FROM sources WHERE sources.id = new.source_id)) WHERE id = new.id; END;

CREATE TRIGGER sources_dated_au AFTER UPDATE OF published ON sources
        BEGIN UPDATE claims SET dated = new.published WHERE source_id = new.id AND said_on IS NULL; END;

CREATE INDEX idx_claims_dated ON claims (dated IS NULL, dated);

CREATE INDEX "idx_claims_status_changed_at"
    ON "claims" ("status_changed_at");

DROP VIEW "unconfirmed_claims";

CREATE VIEW "unconfirmed_claims" AS 
        select claims.id, claims.text, claims.status, claims.asserted_by, claims.not_confirmed_by,
               claims.dated, claims.status_changed_at, claims.source_id, sources.title as source
        from claims join sources on sources.id = claims.source_id
        where claims.status not in ('confirmed', 'false', 'retracted')
          and not exists (select 1 from attributions where claim_id = claims.id and role = 'confirms');

DROP VIEW "contested_claims";

CREATE VIEW "contested_claims" AS 
        select claims.id, claims.text, claims.status, claims.asserted_by, claims.denied_by, claims.disputed_by,
               claims.dated, claims.source_id, sources.title as source
        from claims join sources on sources.id = claims.source_id
        where claims.id in (select claim_id from attributions where role in ('denies', 'disputes'))
          and exists (select 1 from attributions where claim_id = claims.id and role = 'asserts');

DROP VIEW "estimates";

CREATE VIEW "estimates" AS 
        select figures.id as figure_id, figures.claim_id, figures.measure, figures.qualifier,
               figures.low, figures.high,
               case when figures.low is not null and figures.high is not null and figures.low != figures.high
                    then (figures.low + figures.high) / 2.0
                    else coalesce(figures.low, figures.high) end as value,
               figures.unit, claims.dated,
               coalesce(actors.name, '(nobody)') as asserted_by, claims.status, claims.text,
               claims.source_id, sources.title as source
        from figures
        join claims on claims.id = figures.claim_id
        join sources on sources.id = claims.source_id
        left join attributions on attributions.claim_id = claims.id and attributions.role = 'asserts'
        left join actors on actors.id = attributions.actor_id;

