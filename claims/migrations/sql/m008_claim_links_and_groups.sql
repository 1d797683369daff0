-- m008_claim_links_and_groups: the SQL this step ran when it was written, frozen (a schema change is a new step).

CREATE TABLE "link_relations" (
   "name" TEXT PRIMARY KEY,
   "meaning" TEXT,
   "rank" INTEGER
);

INSERT INTO "link_relations" ("meaning", "name", "rank") VALUES ('The same claim, reported again (in another source, outlet or language): one claim, many reports.', 'same', 0), ('A newer version of the other claim: the same measure or assertion by the same side, revised.', 'updates', 1), ('Cannot be true together with the other claim: a denial, a very different figure.', 'contradicts', 2);

CREATE TABLE claim_links (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            other_id INTEGER NOT NULL REFERENCES claims(id),
            relation TEXT NOT NULL REFERENCES link_relations(name),
            action TEXT NOT NULL CHECK (action IN ('link', 'unlink')),
            reason TEXT NOT NULL,
            recorded_by TEXT,
            recorded_at TEXT NOT NULL,
            CHECK (claim_id != other_id)
        );

CREATE INDEX idx_claim_links_claim_id_other_id ON claim_links (claim_id, other_id);

CREATE INDEX idx_claim_links_other_id ON claim_links (other_id);

CREATE TRIGGER claim_links_no_update BEFORE UPDATE ON claim_links BEGIN SELECT RAISE(ABORT, 'claim_links is append-only: rows cannot be changed or deleted'); END;

CREATE TRIGGER claim_links_no_delete BEFORE DELETE ON claim_links WHEN NOT EXISTS (SELECT 1 FROM purges WHERE purges.claim_id IN (OLD.claim_id, OLD.other_id)) BEGIN SELECT RAISE(ABORT, 'claim_links is append-only: rows cannot be changed or deleted'); END;

CREATE VIEW "current_links" AS 
        select claim_links.id, claim_links.claim_id, claim_links.other_id, claim_links.relation, claim_links.reason,
               claim_links.recorded_by, claim_links.recorded_at
        from claim_links
        where claim_links.action = 'link'
          and claim_links.id = (select max(latest.id) from claim_links as latest
                                where latest.claim_id = claim_links.claim_id and latest.other_id = claim_links.other_id);

ALTER TABLE claims ADD COLUMN group_id INTEGER;

UPDATE claims SET group_id = id;

CREATE INDEX idx_claims_group_id ON claims (group_id);

CREATE TRIGGER claims_group_ai AFTER INSERT ON claims WHEN new.group_id IS NULL BEGIN UPDATE claims SET group_id = new.id WHERE id = new.id; END;

CREATE VIEW "claim_groups" AS 
        select lead.id as claim_id, lead.text, lead.status, count(reports.id) as reports,
               count(distinct sources.outlet) as outlets_count, min(reports.dated) as first_appearance,
               max(reports.dated) as latest_appearance,
               json_group_array(distinct sources.outlet) filter (where sources.outlet is not null) as outlets,
               json_group_array(distinct reports.language) filter (where reports.language is not null) as languages,
               lead.asserted_by
        from claims as lead
        join claims as reports on reports.group_id = lead.id
        join sources on sources.id = reports.source_id
        where lead.group_id = lead.id
        group by lead.id;

