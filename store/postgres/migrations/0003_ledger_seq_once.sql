-- 0003_ledger_seq_once: the ledger sequence number is bumped once per
-- transaction and organisation instead of once per row changed, and inserted
-- tasks are counted once per statement. The cache keyed by the number only
-- needs every committed change to give a new number, and an import that
-- bumped the same ledger_seq row (and task_counts row) for each of its
-- thousand rows made every bump walk a longer chain of row versions.
--
-- bumped_by holds the transaction (txid_current(), which does not wrap) that
-- last bumped the row; a second bump in the same transaction is skipped.

ALTER TABLE ledger_seq ADD COLUMN bumped_by bigint;

CREATE OR REPLACE FUNCTION ledger_seq_bump_org() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	-- Nested IFs: OLD must not be read in an INSERT trigger on older servers.
	IF TG_OP = 'INSERT' THEN
		UPDATE ledger_seq SET seq = seq + 1, bumped_by = txid_current()
			WHERE org_id = NEW.org_id AND bumped_by IS DISTINCT FROM txid_current();
	ELSIF TG_OP = 'DELETE' THEN
		UPDATE ledger_seq SET seq = seq + 1, bumped_by = txid_current()
			WHERE org_id = OLD.org_id AND bumped_by IS DISTINCT FROM txid_current();
	ELSE
		UPDATE ledger_seq SET seq = seq + 1, bumped_by = txid_current()
			WHERE org_id IN (OLD.org_id, NEW.org_id) AND bumped_by IS DISTINCT FROM txid_current();
	END IF;
	RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ledger_seq_bump_task() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		UPDATE ledger_seq SET seq = seq + 1, bumped_by = txid_current()
			WHERE org_id = (SELECT org_id FROM tasks WHERE id = NEW.task_id)
			AND bumped_by IS DISTINCT FROM txid_current();
	ELSIF TG_OP = 'DELETE' THEN
		UPDATE ledger_seq SET seq = seq + 1, bumped_by = txid_current()
			WHERE org_id = (SELECT org_id FROM tasks WHERE id = OLD.task_id)
			AND bumped_by IS DISTINCT FROM txid_current();
	ELSE
		UPDATE ledger_seq SET seq = seq + 1, bumped_by = txid_current()
			WHERE org_id IN (SELECT org_id FROM tasks WHERE id IN (OLD.task_id, NEW.task_id))
			AND bumped_by IS DISTINCT FROM txid_current();
	END IF;
	RETURN NULL;
END;
$$;

-- Statement triggers over the inserted rows (new_rows), for servers that have
-- transition tables (PostgreSQL 10 and later; not openGauss, which keeps the
-- row triggers above for inserts too).
CREATE FUNCTION ledger_seq_bump_new_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE ledger_seq SET seq = seq + 1, bumped_by = txid_current()
		WHERE org_id IN (SELECT org_id FROM new_rows) AND bumped_by IS DISTINCT FROM txid_current();
	RETURN NULL;
END;
$$;

CREATE FUNCTION ledger_seq_bump_new_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE ledger_seq SET seq = seq + 1, bumped_by = txid_current()
		WHERE org_id IN (SELECT t.org_id FROM tasks t WHERE t.id IN (SELECT task_id FROM new_rows))
		AND bumped_by IS DISTINCT FROM txid_current();
	RETURN NULL;
END;
$$;

CREATE FUNCTION task_counts_add_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO task_counts (org_id, status, n)
		SELECT org_id, status, count(*) FROM new_rows GROUP BY org_id, status
		ON CONFLICT (org_id, status) DO UPDATE SET n = task_counts.n + excluded.n;
	RETURN NULL;
END;
$$;

DO $$
BEGIN
	IF current_setting('server_version_num')::int >= 100000 THEN
		-- A trigger with a transition table fires on one event only.
		EXECUTE 'DROP TRIGGER tasks_seq ON tasks';
		EXECUTE 'CREATE TRIGGER tasks_seq AFTER UPDATE OR DELETE ON tasks
			FOR EACH ROW EXECUTE PROCEDURE ledger_seq_bump_org()';
		EXECUTE 'CREATE TRIGGER tasks_insert_seq AFTER INSERT ON tasks REFERENCING NEW TABLE AS new_rows
			FOR EACH STATEMENT EXECUTE PROCEDURE ledger_seq_bump_new_tasks()';
		EXECUTE 'DROP TRIGGER tasks_count ON tasks';
		EXECUTE 'CREATE TRIGGER tasks_count AFTER UPDATE OR DELETE ON tasks
			FOR EACH ROW EXECUTE PROCEDURE task_counts_keep()';
		EXECUTE 'CREATE TRIGGER tasks_insert_count AFTER INSERT ON tasks REFERENCING NEW TABLE AS new_rows
			FOR EACH STATEMENT EXECUTE PROCEDURE task_counts_add_new()';
		EXECUTE 'DROP TRIGGER task_leaders_seq ON task_leaders';
		EXECUTE 'CREATE TRIGGER task_leaders_seq AFTER UPDATE OR DELETE ON task_leaders
			FOR EACH ROW EXECUTE PROCEDURE ledger_seq_bump_task()';
		EXECUTE 'CREATE TRIGGER task_leaders_insert_seq AFTER INSERT ON task_leaders REFERENCING NEW TABLE AS new_rows
			FOR EACH STATEMENT EXECUTE PROCEDURE ledger_seq_bump_new_rows()';
		EXECUTE 'DROP TRIGGER task_units_seq ON task_units';
		EXECUTE 'CREATE TRIGGER task_units_seq AFTER UPDATE OR DELETE ON task_units
			FOR EACH ROW EXECUTE PROCEDURE ledger_seq_bump_task()';
		EXECUTE 'CREATE TRIGGER task_units_insert_seq AFTER INSERT ON task_units REFERENCING NEW TABLE AS new_rows
			FOR EACH STATEMENT EXECUTE PROCEDURE ledger_seq_bump_new_rows()';
		EXECUTE 'DROP TRIGGER targets_seq ON targets';
		EXECUTE 'CREATE TRIGGER targets_seq AFTER UPDATE OR DELETE ON targets
			FOR EACH ROW EXECUTE PROCEDURE ledger_seq_bump_task()';
		EXECUTE 'CREATE TRIGGER targets_insert_seq AFTER INSERT ON targets REFERENCING NEW TABLE AS new_rows
			FOR EACH STATEMENT EXECUTE PROCEDURE ledger_seq_bump_new_rows()';
	END IF;
END;
$$;
