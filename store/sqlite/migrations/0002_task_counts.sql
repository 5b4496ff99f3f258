-- task_counts holds how many tasks each organisation has in each status, kept
-- by triggers in the same transaction as the change, so that a city's roll-up
-- reads a few rows per district instead of counting every task.
CREATE TABLE task_counts (
	org_id INTEGER NOT NULL REFERENCES orgs (id),
	status TEXT NOT NULL,
	n      INTEGER NOT NULL,
	PRIMARY KEY (org_id, status)
) WITHOUT ROWID;

INSERT INTO task_counts (org_id, status, n)
	SELECT org_id, status, count(*) FROM tasks WHERE true GROUP BY org_id, status;

CREATE TRIGGER tasks_insert_count AFTER INSERT ON tasks
BEGIN
	INSERT INTO task_counts (org_id, status, n) VALUES (NEW.org_id, NEW.status, 1)
		ON CONFLICT (org_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tasks_delete_count AFTER DELETE ON tasks
BEGIN
	UPDATE task_counts SET n = n - 1 WHERE org_id = OLD.org_id AND status = OLD.status;
END;
CREATE TRIGGER tasks_update_count AFTER UPDATE OF org_id, status ON tasks
	WHEN OLD.org_id <> NEW.org_id OR OLD.status <> NEW.status
BEGIN
	UPDATE task_counts SET n = n - 1 WHERE org_id = OLD.org_id AND status = OLD.status;
	INSERT INTO task_counts (org_id, status, n) VALUES (NEW.org_id, NEW.status, 1)
		ON CONFLICT (org_id, status) DO UPDATE SET n = n + 1;
END;
