-- task_counts holds how many tasks each organisation has in each status, kept
-- by a trigger in the same transaction as the change, so that a city's roll-up
-- reads a few rows per district instead of counting every task.
CREATE TABLE task_counts (
	org_id bigint NOT NULL REFERENCES orgs (id),
	status text NOT NULL,
	n      bigint NOT NULL,
	PRIMARY KEY (org_id, status)
);

INSERT INTO task_counts (org_id, status, n)
	SELECT org_id, status, count(*) FROM tasks GROUP BY org_id, status;

CREATE FUNCTION task_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	-- Nested IFs: OLD must not be read in an INSERT trigger on older servers.
	IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
		IF TG_OP = 'UPDATE' THEN
			IF OLD.org_id = NEW.org_id AND OLD.status = NEW.status THEN
				RETURN NULL;
			END IF;
		END IF;
		UPDATE task_counts SET n = n - 1 WHERE org_id = OLD.org_id AND status = OLD.status;
	END IF;
	IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
		INSERT INTO task_counts (org_id, status, n) VALUES (NEW.org_id, NEW.status, 1)
			ON CONFLICT (org_id, status) DO UPDATE SET n = task_counts.n + 1;
	END IF;
	RETURN NULL;
END;
$$;
CREATE TRIGGER tasks_count AFTER INSERT OR UPDATE OR DELETE ON tasks
	FOR EACH ROW EXECUTE PROCEDURE task_counts_keep();
