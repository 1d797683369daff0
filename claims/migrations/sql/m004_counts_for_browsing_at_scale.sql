-- m004_counts_for_browsing_at_scale: the SQL this step ran when it was written, frozen (a schema change is a new step).

CREATE TABLE facet_counts (facet TEXT NOT NULL, value NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (facet, value)) WITHOUT ROWID;

CREATE TABLE status_changes_per_month (month TEXT NOT NULL, status TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (month, status)) WITHOUT ROWID;

CREATE TRIGGER claims_counts_ai AFTER INSERT ON claims BEGIN INSERT INTO facet_counts (facet, value, count) SELECT 'status', NEW.status, 1 WHERE 'status' IS NOT NULL AND NEW.status IS NOT NULL ON CONFLICT (facet, value) DO UPDATE SET count = count + 1; INSERT INTO facet_counts (facet, value, count) SELECT 'source_id', NEW.source_id, 1 WHERE 'source_id' IS NOT NULL AND NEW.source_id IS NOT NULL ON CONFLICT (facet, value) DO UPDATE SET count = count + 1; INSERT INTO facet_counts (facet, value, count) SELECT 'language', NEW.language, 1 WHERE 'language' IS NOT NULL AND NEW.language IS NOT NULL ON CONFLICT (facet, value) DO UPDATE SET count = count + 1; INSERT INTO facet_counts (facet, value, count) SELECT 'said_on', NEW.said_on, 1 WHERE 'said_on' IS NOT NULL AND NEW.said_on IS NOT NULL ON CONFLICT (facet, value) DO UPDATE SET count = count + 1; END;

CREATE TRIGGER claims_counts_ad AFTER DELETE ON claims BEGIN UPDATE facet_counts SET count = count - 1 WHERE facet = 'status' AND value = OLD.status; UPDATE facet_counts SET count = count - 1 WHERE facet = 'source_id' AND value = OLD.source_id; UPDATE facet_counts SET count = count - 1 WHERE facet = 'language' AND value = OLD.language; UPDATE facet_counts SET count = count - 1 WHERE facet = 'said_on' AND value = OLD.said_on; END;

CREATE TRIGGER claims_counts_au_status AFTER UPDATE OF status ON claims WHEN OLD.status IS NOT NEW.status BEGIN UPDATE facet_counts SET count = count - 1 WHERE facet = 'status' AND value = OLD.status; INSERT INTO facet_counts (facet, value, count) SELECT 'status', NEW.status, 1 WHERE 'status' IS NOT NULL AND NEW.status IS NOT NULL ON CONFLICT (facet, value) DO UPDATE SET count = count + 1; END;

CREATE TRIGGER claims_counts_au_source_id AFTER UPDATE OF source_id ON claims WHEN OLD.source_id IS NOT NEW.source_id BEGIN UPDATE facet_counts SET count = count - 1 WHERE facet = 'source_id' AND value = OLD.source_id; INSERT INTO facet_counts (facet, value, count) SELECT 'source_id', NEW.source_id, 1 WHERE 'source_id' IS NOT NULL AND NEW.source_id IS NOT NULL ON CONFLICT (facet, value) DO UPDATE SET count = count + 1; END;

CREATE TRIGGER claims_counts_au_language AFTER UPDATE OF language ON claims WHEN OLD.language IS NOT NEW.language BEGIN UPDATE facet_counts SET count = count - 1 WHERE facet = 'language' AND value = OLD.language; INSERT INTO facet_counts (facet, value, count) SELECT 'language', NEW.language, 1 WHERE 'language' IS NOT NULL AND NEW.language IS NOT NULL ON CONFLICT (facet, value) DO UPDATE SET count = count + 1; END;

CREATE TRIGGER claims_counts_au_said_on AFTER UPDATE OF said_on ON claims WHEN OLD.said_on IS NOT NEW.said_on BEGIN UPDATE facet_counts SET count = count - 1 WHERE facet = 'said_on' AND value = OLD.said_on; INSERT INTO facet_counts (facet, value, count) SELECT 'said_on', NEW.said_on, 1 WHERE 'said_on' IS NOT NULL AND NEW.said_on IS NOT NULL ON CONFLICT (facet, value) DO UPDATE SET count = count + 1; END;

CREATE TRIGGER attributions_counts_ai AFTER INSERT ON attributions BEGIN INSERT INTO facet_counts (facet, value, count) SELECT (SELECT claims_column FROM roles WHERE name = NEW.role), NEW.actor_id, 1 WHERE (SELECT claims_column FROM roles WHERE name = NEW.role) IS NOT NULL AND NEW.actor_id IS NOT NULL ON CONFLICT (facet, value) DO UPDATE SET count = count + 1; END;

CREATE TRIGGER attributions_counts_ad AFTER DELETE ON attributions BEGIN UPDATE facet_counts SET count = count - 1 WHERE facet = (SELECT claims_column FROM roles WHERE name = OLD.role) AND value = OLD.actor_id; END;

CREATE TRIGGER attributions_counts_au AFTER UPDATE OF role, actor_id ON attributions BEGIN UPDATE facet_counts SET count = count - 1 WHERE facet = (SELECT claims_column FROM roles WHERE name = OLD.role) AND value = OLD.actor_id; INSERT INTO facet_counts (facet, value, count) SELECT (SELECT claims_column FROM roles WHERE name = NEW.role), NEW.actor_id, 1 WHERE (SELECT claims_column FROM roles WHERE name = NEW.role) IS NOT NULL AND NEW.actor_id IS NOT NULL ON CONFLICT (facet, value) DO UPDATE SET count = count + 1; END;

CREATE TRIGGER status_changes_counts_ai AFTER INSERT ON status_changes WHEN NEW.from_status IS NOT NULL BEGIN INSERT INTO status_changes_per_month (month, status, count) SELECT substr(NEW.changed_on, 1, 7), NEW.to_status, 1 WHERE substr(NEW.changed_on, 1, 7) IS NOT NULL AND NEW.to_status IS NOT NULL ON CONFLICT (month, status) DO UPDATE SET count = count + 1; END;

CREATE TRIGGER status_changes_counts_ad AFTER DELETE ON status_changes WHEN OLD.from_status IS NOT NULL BEGIN UPDATE status_changes_per_month SET count = count - 1 WHERE month = substr(OLD.changed_on, 1, 7) AND status = OLD.to_status; END;

INSERT INTO facet_counts (facet, value, count) SELECT 'status', status, count(*) FROM claims WHERE id >= 0 AND status IS NOT NULL GROUP BY status ON CONFLICT (facet, value) DO UPDATE SET count = count + excluded.count;

INSERT INTO facet_counts (facet, value, count) SELECT 'source_id', source_id, count(*) FROM claims WHERE id >= 0 AND source_id IS NOT NULL GROUP BY source_id ON CONFLICT (facet, value) DO UPDATE SET count = count + excluded.count;

INSERT INTO facet_counts (facet, value, count) SELECT 'language', language, count(*) FROM claims WHERE id >= 0 AND language IS NOT NULL GROUP BY language ON CONFLICT (facet, value) DO UPDATE SET count = count + excluded.count;

INSERT INTO facet_counts (facet, value, count) SELECT 'said_on', said_on, count(*) FROM claims WHERE id >= 0 AND said_on IS NOT NULL GROUP BY said_on ON CONFLICT (facet, value) DO UPDATE SET count = count + excluded.count;

INSERT INTO facet_counts (facet, value, count) SELECT (SELECT claims_column FROM roles WHERE name = attributions.role), actor_id, count(*) FROM attributions WHERE id >= 0 GROUP BY actor_id, role ON CONFLICT (facet, value) DO UPDATE SET count = count + excluded.count;

INSERT INTO status_changes_per_month (month, status, count) SELECT substr(status_changes.changed_on, 1, 7), to_status, count(*) FROM status_changes WHERE id >= 0 AND changed_on IS NOT NULL AND status_changes.from_status IS NOT NULL GROUP BY substr(status_changes.changed_on, 1, 7), to_status ON CONFLICT (month, status) DO UPDATE SET count = count + excluded.count;

CREATE INDEX "idx_figures_measure_claim_id"
    ON "figures" ("measure", "claim_id");

CREATE INDEX "idx_attributions_role_claim_id"
    ON "attributions" ("role", "claim_id");

DROP VIEW "contested_claims";

CREATE VIEW "contested_claims" AS 
        select claims.id, claims.text, claims.status, claims.asserted_by, claims.denied_by, claims.disputed_by,
               coalesce(claims.said_on, sources.published) as dated, claims.source_id, sources.title as source
        from claims join sources on sources.id = claims.source_id
        where claims.id in (select claim_id from attributions where role in ('denies', 'disputes'))
          and exists (select 1 from attributions where claim_id = claims.id and role = 'asserts');

