-- m007_status_changes_per_month_counts_changes_only: the SQL this step ran when it was written, frozen (a schema change is a new step).

DROP TRIGGER IF EXISTS status_changes_counts_ai;

CREATE TRIGGER status_changes_counts_ai AFTER INSERT ON status_changes WHEN NEW.from_status IS NOT NULL BEGIN INSERT INTO status_changes_per_month (month, status, count) SELECT substr(NEW.changed_on, 1, 7), NEW.to_status, 1 WHERE substr(NEW.changed_on, 1, 7) IS NOT NULL AND NEW.to_status IS NOT NULL ON CONFLICT (month, status) DO UPDATE SET count = count + 1; END;

DROP TRIGGER IF EXISTS status_changes_counts_ad;

CREATE TRIGGER status_changes_counts_ad AFTER DELETE ON status_changes WHEN OLD.from_status IS NOT NULL BEGIN UPDATE status_changes_per_month SET count = count - 1 WHERE month = substr(OLD.changed_on, 1, 7) AND status = OLD.to_status; END;

DELETE FROM status_changes_per_month;

INSERT INTO status_changes_per_month (month, status, count) SELECT substr(status_changes.changed_on, 1, 7), to_status, count(*) FROM status_changes WHERE id >= 0 AND changed_on IS NOT NULL AND status_changes.from_status IS NOT NULL GROUP BY substr(status_changes.changed_on, 1, 7), to_status ON CONFLICT (month, status) DO UPDATE SET count = count + excluded.count;

