package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"duban"
	"duban/store/internal/check"
	"duban/store/internal/supervision"
	"duban/store/internal/taskcache"
	"duban/store/internal/zh"
)

const taskColumns = `t.id, t.org_id, t.document_id, t.year, t.section, t.subsection, t.number, t.content,
	t.note, t.deadline, t.source_line, t.status, t.version, t.created_at, t.updated_at,
	t.light, t.light_rules, t.expected, t.actual, t.closed_at, t.closed_by, t.close_reason`

// taskOrder is the ledger's order: by organisation, newest year first, then
// section by its number and task by its number.
const taskOrder = ` ORDER BY t.org_id, t.year DESC, t.section_pos, t.number, t.id`

// FindTasks returns a page of the tasks the actor may see and the total
// count: tasks of f.OrgID (and the organisations below it when f.Rollup is
// set) within the actor's organisation, and for a reporter only those their
// unit holds. An organisation outside the actor's gives an empty page.
func (s *Store) FindTasks(ctx context.Context, a duban.Actor, f duban.TaskFilter) (tasks []*duban.Task, total int, err error) {
	defer supervision.WrapErr(&err, "find tasks")
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	offset := max(f.Offset, 0)
	tasks = []*duban.Task{}
	var q query
	if !q.taskScope(a) {
		return tasks, 0, nil
	}
	if f.Rollup {
		// The organisation rolled up must itself be the actor's.
		q.with = append(q.with, fmt.Sprintf(`req(id) AS (
			SELECT id FROM orgs WHERE id = %s%s
			UNION ALL
			SELECT o.id FROM orgs o JOIN req ON o.parent_id = req.id)`, q.arg(f.OrgID), visible(a)))
		q.where = append(q.where, "t.org_id IN (SELECT id FROM req)")
	} else {
		q.where = append(q.where, "t.org_id = "+q.arg(f.OrgID))
	}
	if f.Year != nil {
		q.where = append(q.where, "t.year = "+q.arg(*f.Year))
	}
	if f.Section != nil {
		q.where = append(q.where, "t.section = "+q.arg(*f.Section))
	}
	if f.Status != nil {
		q.where = append(q.where, "t.status = "+q.arg(string(*f.Status)))
	}
	if f.LeaderID != nil {
		q.where = append(q.where, "EXISTS (SELECT 1 FROM task_leaders tl WHERE tl.task_id = t.id AND tl.person_id = "+q.arg(*f.LeaderID)+")")
	}
	if f.UnitID != nil {
		q.where = append(q.where, q.unitMatch(*f.UnitID))
	}
	if f.Query != nil {
		if m := matchQuery(*f.Query); m != "" {
			q.where = append(q.where, "t.id IN (SELECT rowid FROM task_search WHERE task_search MATCH "+q.arg(m)+")")
		}
	}

	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	if page, total, ok, err := s.findLedgerPage(ctx, tx, a, f, limit, offset); ok || err != nil {
		if err != nil {
			return nil, 0, err
		}
		return page, total, tx.Commit()
	}
	// The page is a list of task IDs; the tasks come from the cache.
	args := append(slices.Clip(q.args), limit, offset)
	n := len(q.args)
	rows, err := tx.query(ctx, q.prefix()+`SELECT t.id, t.org_id, s.seq FROM tasks t JOIN ledger_seq s ON s.org_id = t.org_id`+
		q.conditions()+taskOrder+fmt.Sprintf(" LIMIT $%d OFFSET $%d", n+1, n+2), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var refs []taskRef
	for rows.Next() {
		var r taskRef
		if err := rows.Scan(&r.id, &r.org, &r.seq); err != nil {
			return nil, 0, err
		}
		refs = append(refs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(refs) < limit && (len(refs) > 0 || offset == 0) {
		total = offset + len(refs)
	} else {
		err := tx.queryRow(ctx, q.prefix()+`SELECT count(*) FROM tasks t`+q.conditions(), q.args...).Scan(&total)
		if err != nil {
			return nil, 0, err
		}
	}
	tasks, err = s.tasks(ctx, tx, refs)
	if err != nil {
		return nil, 0, err
	}
	return tasks, total, tx.Commit()
}

// findLedgerPage answers the busiest question, a page of one organisation's
// ledger seen whole (by year, section or status, but not by unit, leader or
// words), from the cache alone: the organisation's sequence number is the only
// row read. ok is false when the filter or the actor needs the query.
func (s *Store) findLedgerPage(ctx context.Context, tx *txn, a duban.Actor, f duban.TaskFilter, limit, offset int) (page []*duban.Task, total int, ok bool, err error) {
	if s.cache.Off() || !taskcache.Covers(a, f) {
		return nil, 0, false, nil
	}
	seq, visible, err := ledgerSeq(ctx, tx, a, f.OrgID)
	if err != nil || !visible {
		// Unknown, or outside the actor's organisation: an empty page.
		return []*duban.Task{}, 0, err == nil, err
	}
	all := s.cache.Ordered(f.OrgID, seq)
	if all == nil {
		if all, err = s.cacheOrg(ctx, tx, f.OrgID, seq); err != nil {
			return nil, 0, false, err
		}
	}
	page, total = taskcache.Page(all, f, limit, offset)
	return page, total, true, nil
}

// ledgerSeq reads organisation org's ledger sequence number in tx; visible is
// false when the organisation does not exist or lies outside the actor's.
func ledgerSeq(ctx context.Context, tx *txn, a duban.Actor, org int64) (seq int64, visible bool, err error) {
	var q query
	if !q.taskScope(a) {
		return 0, false, nil
	}
	err = tx.queryRow(ctx, q.prefix()+`SELECT s.seq FROM ledger_seq s WHERE s.org_id = `+q.arg(org)+visibleOrg(a, "s.org_id"), q.args...).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return seq, err == nil, err
}

// LedgerVersion names the state of the page FindTasks gives the actor for f
// when that page depends on nothing but the organisation's ledger: the
// organisation and its sequence number, which every change to its tasks moves
// on. "" when the page needs a query of its own or the organisation is not
// the actor's.
func (s *Store) LedgerVersion(ctx context.Context, a duban.Actor, f duban.TaskFilter) (v string, err error) {
	defer supervision.WrapErr(&err, "ledger version")
	if !taskcache.Covers(a, f) {
		return "", nil
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	seq, visible, err := ledgerSeq(ctx, tx, a, f.OrgID)
	if err != nil || !visible {
		return "", err
	}
	return strconv.FormatInt(f.OrgID, 10) + "." + strconv.FormatInt(seq, 10), tx.Commit()
}

// cacheOrg loads every task of an organisation in the ledger's order, as of
// seq in read transaction tx, and caches them.
func (s *Store) cacheOrg(ctx context.Context, tx *txn, org, seq int64) ([]*duban.Task, error) {
	all, err := tx.loadTasks(ctx, `SELECT `+taskColumns+` FROM tasks t WHERE t.org_id = $1`+taskOrder, org)
	if err != nil {
		return nil, err
	}
	s.cache.Put(org, seq, all)
	return all, nil
}

// visibleOrg is the condition that the organisation in column col lies
// within the actor's: the vis table of taskScope.
func visibleOrg(a duban.Actor, col string) string {
	if a.OrgID == 0 {
		return ""
	}
	return " AND " + col + " IN (SELECT id FROM vis)"
}

// taskRef is a task found by a query: its ID, organisation and the
// organisation's ledger sequence number in the reading transaction.
type taskRef struct {
	id, org, seq int64
}

// tasks returns the tasks refs name, in order, from the cache where it holds
// their organisation at the sequence number read, else from read transaction
// tx, caching the organisation's tasks on the way.
func (s *Store) tasks(ctx context.Context, tx *txn, refs []taskRef) ([]*duban.Task, error) {
	tasks := make([]*duban.Task, 0, len(refs))
	if len(refs) == 0 {
		return tasks, nil
	}
	if s.cache.Off() {
		ids := make([]int64, len(refs))
		for i, r := range refs {
			ids[i] = r.id
		}
		loaded, err := tx.loadTasks(ctx, `SELECT `+taskColumns+` FROM tasks t WHERE t.id IN (SELECT value FROM json_each($1))`, idList(ids))
		if err != nil {
			return nil, err
		}
		byID := make(map[int64]*duban.Task, len(loaded))
		for _, t := range loaded {
			byID[t.ID] = t
		}
		for _, r := range refs {
			tasks = append(tasks, byID[r.id])
		}
		return tasks, nil
	}
	orgs := make(map[int64]map[int64]*duban.Task)
	for _, r := range refs {
		if _, ok := orgs[r.org]; ok {
			continue
		}
		m := s.cache.Org(r.org, r.seq)
		if m == nil {
			all, err := s.cacheOrg(ctx, tx, r.org, r.seq)
			if err != nil {
				return nil, err
			}
			m = make(map[int64]*duban.Task, len(all))
			for _, t := range all {
				m[t.ID] = t
			}
		}
		orgs[r.org] = m
	}
	for _, r := range refs {
		t := orgs[r.org][r.id]
		if t == nil {
			return nil, fmt.Errorf("task %d missing from its organisation %d", r.id, r.org)
		}
		tasks = append(tasks, taskcache.Clone(t))
	}
	return tasks, nil
}

// matchQuery turns a search query into an FTS5 query over the zh tokens: each
// term a phrase (a single character a prefix), all terms required. "" when q
// has nothing to search for.
func matchQuery(q string) string {
	var parts []string
	for _, term := range zh.Query(q) {
		// Tokens hold only letters and digits: nothing to escape.
		p := `"` + strings.Join(term.Tokens, " ") + `"`
		if term.Prefix {
			p += "*"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " AND ")
}

// FindTaskByID returns a task the actor may see. A task outside the actor's
// scope is CodeNotFound, exactly as one that does not exist.
func (s *Store) FindTaskByID(ctx context.Context, a duban.Actor, id int64) (t *duban.Task, err error) {
	defer supervision.WrapErr(&err, "find task")
	var q query
	q.where = append(q.where, "t.id = "+q.arg(id))
	if !q.taskScope(a) {
		return nil, notFound("任务")
	}
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var r taskRef
	err = tx.queryRow(ctx, q.prefix()+`SELECT t.id, t.org_id, s.seq FROM tasks t JOIN ledger_seq s ON s.org_id = t.org_id`+
		q.conditions(), q.args...).Scan(&r.id, &r.org, &r.seq)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("任务")
	}
	if err != nil {
		return nil, err
	}
	if m := s.cache.Org(r.org, r.seq); m != nil && m[id] != nil {
		t = taskcache.Clone(m[id])
	} else if t, err = tx.loadTask(ctx, id); err != nil {
		return nil, err
	}
	return t, tx.Commit()
}

// findTask loads task id if actor a may see it, else CodeNotFound. It reads
// the database, never the cache: write transactions use it.
func (t *txn) findTask(ctx context.Context, a duban.Actor, id int64) (*duban.Task, error) {
	var q query
	q.where = append(q.where, "t.id = "+q.arg(id))
	if !q.taskScope(a) {
		return nil, notFound("任务")
	}
	tasks, err := t.loadTasks(ctx, q.prefix()+`SELECT `+taskColumns+` FROM tasks t`+q.conditions(), q.args...)
	if err != nil {
		return nil, err
	}
	if len(tasks) == 0 {
		return nil, notFound("任务")
	}
	return tasks[0], nil
}

// loadTask loads task id, which must exist.
func (t *txn) loadTask(ctx context.Context, id int64) (*duban.Task, error) {
	return t.findTask(ctx, duban.System(0), id)
}

// loadTasks runs a query selecting taskColumns and fills in the tasks.
func (t *txn) loadTasks(ctx context.Context, query string, args ...any) ([]*duban.Task, error) {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	tasks := []*duban.Task{}
	for rows.Next() {
		task, err := scanTask(rows)
		if err != nil {
			return nil, err
		}
		tasks = append(tasks, task)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return tasks, t.fillTasks(ctx, tasks)
}

// jsonStrings scans a text column holding a JSON array of strings; it is
// never nil after a scan.
type jsonStrings struct{ p *[]string }

func (j jsonStrings) Scan(v any) error {
	var b []byte
	switch v := v.(type) {
	case nil:
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("scan json strings: unexpected %T", v)
	}
	*j.p = []string{}
	if len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, j.p)
}

func scanTask(sc scanner, extra ...any) (*duban.Task, error) {
	t := &duban.Task{
		LeaderIDs: []int64{}, LeadUnitIDs: []int64{}, ResponsibleUnitIDs: []int64{},
		Leaders: []string{}, LeadUnits: []string{}, ResponsibleUnits: []string{},
		Targets: []duban.Target{},
	}
	dest := []any{&t.ID, &t.OrgID, &t.DocumentID, &t.Year, &t.Section, &t.Subsection, &t.Number, &t.Content,
		&t.Note, &t.Deadline, &t.SourceLine, &t.Status, &t.Version, timeText{&t.CreatedAt}, timeText{&t.UpdatedAt},
		&t.Light, jsonStrings{&t.LightRules}, &t.Expected, &t.Actual, nullTimeText{&t.ClosedAt}, &t.ClosedBy, &t.CloseReason}
	return t, sc.Scan(append(dest, extra...)...)
}

// fillTasks loads the leaders, units and targets of tasks: one query each,
// whatever the number of tasks. When the tasks are all of one organisation
// (an organisation loaded for the cache), the queries select by organisation.
func (t *txn) fillTasks(ctx context.Context, tasks []*duban.Task) error {
	if len(tasks) == 0 {
		return nil
	}
	byID := make(map[int64]*duban.Task, len(tasks))
	ids := make([]int64, len(tasks))
	oneOrg := true
	for i, task := range tasks {
		byID[task.ID] = task
		ids[i] = task.ID
		oneOrg = oneOrg && task.OrgID == tasks[0].OrgID
	}
	set, arg := `IN (SELECT value FROM json_each($1))`, any(idList(ids))
	if oneOrg && len(tasks) > 20 {
		set, arg = `IN (SELECT id FROM tasks WHERE org_id = $1)`, tasks[0].OrgID
	}

	rows, err := t.query(ctx, `SELECT tl.task_id, p.id, p.name FROM task_leaders tl JOIN people p ON p.id = tl.person_id
		WHERE tl.task_id `+set+` ORDER BY tl.task_id, tl.position`, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var taskID, id int64
		var name string
		if err := rows.Scan(&taskID, &id, &name); err != nil {
			return err
		}
		if task := byID[taskID]; task != nil {
			task.LeaderIDs = append(task.LeaderIDs, id)
			task.Leaders = append(task.Leaders, name)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}

	rows, err = t.query(ctx, `SELECT tu.task_id, tu.role, u.id, u.name FROM task_units tu JOIN units u ON u.id = tu.unit_id
		WHERE tu.task_id `+set+` ORDER BY tu.task_id, tu.role, tu.position`, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var taskID, id int64
		var role, name string
		if err := rows.Scan(&taskID, &role, &id, &name); err != nil {
			return err
		}
		task := byID[taskID]
		switch {
		case task == nil:
		case role == roleLead:
			task.LeadUnitIDs = append(task.LeadUnitIDs, id)
			task.LeadUnits = append(task.LeadUnits, name)
		default:
			task.ResponsibleUnitIDs = append(task.ResponsibleUnitIDs, id)
			task.ResponsibleUnits = append(task.ResponsibleUnits, name)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}

	rows, err = t.query(ctx, `SELECT task_id, id, year, subject, measure, op, value, unit, text FROM targets
		WHERE task_id `+set+` ORDER BY task_id, position`, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var taskID int64
		var g duban.Target
		if err := rows.Scan(&taskID, &g.ID, &g.Year, &g.Subject, &g.Measure, &g.Op, &g.Value, &g.Unit, &g.Text); err != nil {
			return err
		}
		if task := byID[taskID]; task != nil {
			task.Targets = append(task.Targets, g)
		}
	}
	return rows.Err()
}

// The roles of a unit in task_units.
const (
	roleLead        = "lead"
	roleResponsible = "responsible"
)

// UpdateTask changes a task's fields and returns it. A task outside the
// actor's scope is CodeNotFound; only an admin or a supervisor may change a
// task (CodeForbidden). A stale up.Version is CodeConflict, returned with the
// current task and nothing written. Leaders and units must belong to the
// task's organisation (CodeInvalid).
func (s *Store) UpdateTask(ctx context.Context, a duban.Actor, id int64, up duban.TaskUpdate) (task *duban.Task, err error) {
	defer supervision.WrapErr(&err, "update task")
	tx, err := s.begin(ctx, a)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	before, err := tx.findTask(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !check.CanEditTasks(a.Role) {
		return nil, check.Forbidden()
	}
	if up.Version != before.Version {
		return before, staleTask()
	}
	after := *before
	if up.Content != nil {
		if err := check.TaskText(*up.Content); err != nil {
			return nil, err
		}
		after.Content = strings.TrimSpace(*up.Content)
	}
	if up.Note != nil {
		after.Note = strings.TrimSpace(*up.Note)
	}
	if up.Deadline != nil {
		after.Deadline = strings.TrimSpace(*up.Deadline)
	}
	if up.LeaderIDs != nil {
		after.LeaderIDs = check.IDs(*up.LeaderIDs)
		if err := tx.checkRefs(ctx, "people", before.OrgID, after.LeaderIDs, "领导"); err != nil {
			return nil, err
		}
	}
	if up.LeadUnitIDs != nil {
		after.LeadUnitIDs = check.IDs(*up.LeadUnitIDs)
		if err := tx.checkRefs(ctx, "units", before.OrgID, after.LeadUnitIDs, "牵头单位"); err != nil {
			return nil, err
		}
	}
	if up.ResponsibleUnitIDs != nil {
		after.ResponsibleUnitIDs = check.IDs(*up.ResponsibleUnitIDs)
		if err := tx.checkRefs(ctx, "units", before.OrgID, after.ResponsibleUnitIDs, "责任单位"); err != nil {
			return nil, err
		}
	}
	if !taskChanged(before, &after) {
		return before, tx.Commit()
	}
	if err := tx.writeTask(ctx, before, &after, 0); err != nil {
		return nil, err
	}
	task, err = tx.loadTask(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := tx.index(ctx, task); err != nil {
		return nil, err
	}
	if err := tx.audit(ctx, task.OrgID, "task.update", "task", id, before, task); err != nil {
		return nil, err
	}
	return task, tx.Commit()
}

// staleTask is the conflict of an update planned against an old version.
func staleTask() error {
	return duban.Errorf(duban.CodeConflict, "任务已被他人修改，请刷新后重试")
}

// checkRefs checks that ids are rows of table (people or units) in
// organisation orgID.
func (t *txn) checkRefs(ctx context.Context, table string, orgID int64, ids []int64, what string) error {
	if len(ids) == 0 {
		return nil
	}
	var n int
	err := t.queryRow(ctx, `SELECT count(*) FROM `+table+` WHERE org_id = $1 AND id IN (SELECT value FROM json_each($2))`,
		orgID, idList(ids)).Scan(&n)
	if err != nil {
		return err
	}
	if n != len(ids) {
		return duban.Errorf(duban.CodeInvalid, "%s不存在或不属于本组织", what)
	}
	return nil
}

// taskChanged reports whether after differs from before in what a person or
// a document says: not in its place in a document, nor in target IDs.
func taskChanged(before, after *duban.Task) bool {
	if before.Year != after.Year || before.Section != after.Section || before.Subsection != after.Subsection ||
		before.Number != after.Number || before.Content != after.Content || before.Note != after.Note ||
		before.Deadline != after.Deadline {
		return true
	}
	if !slices.Equal(before.LeaderIDs, after.LeaderIDs) || !slices.Equal(before.LeadUnitIDs, after.LeadUnitIDs) ||
		!slices.Equal(before.ResponsibleUnitIDs, after.ResponsibleUnitIDs) {
		return true
	}
	return !slices.EqualFunc(before.Targets, after.Targets, func(a, b duban.Target) bool {
		a.ID, b.ID = 0, 0
		return a.Year == b.Year && a.Subject == b.Subject && a.Measure == b.Measure && a.Op == b.Op &&
			a.Unit == b.Unit && a.Text == b.Text && equalValue(a.Value, b.Value)
	})
}

func equalValue(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// writeTask stores after over before (same ID): its fields with a new
// version, and its leaders and units where they changed. pos is the section's
// position, used only if the section changed. The version check in the
// UPDATE catches a concurrent writer.
func (t *txn) writeTask(ctx context.Context, before, after *duban.Task, pos int) error {
	res, err := t.exec(ctx, `UPDATE tasks SET document_id = $1, year = $2,
			section_pos = CASE WHEN section = $3 THEN section_pos ELSE $4 END, section = $3, subsection = $5,
			number = $6, content = $7, note = $8, deadline = $9, source_line = $10, version = version + 1,
			updated_at = $11, updated_by = $12
		WHERE id = $13 AND version = $14`,
		after.DocumentID, after.Year, after.Section, pos, after.Subsection,
		after.Number, after.Content, after.Note, after.Deadline, after.SourceLine,
		ts(t.now), t.actorRef(), before.ID, before.Version)
	if err != nil {
		return dbErr(err, "任务“"+check.TaskName(after)+"”已存在")
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return staleTask()
	}
	if !slices.Equal(before.LeaderIDs, after.LeaderIDs) {
		if _, err := t.exec(ctx, `DELETE FROM task_leaders WHERE task_id = $1`, before.ID); err != nil {
			return err
		}
		if err := t.insertLeaders(ctx, []link{{task: before.ID, ids: after.LeaderIDs}}); err != nil {
			return err
		}
	}
	for _, r := range []struct {
		role          string
		before, after []int64
	}{
		{roleLead, before.LeadUnitIDs, after.LeadUnitIDs},
		{roleResponsible, before.ResponsibleUnitIDs, after.ResponsibleUnitIDs},
	} {
		if slices.Equal(r.before, r.after) {
			continue
		}
		if _, err := t.exec(ctx, `DELETE FROM task_units WHERE task_id = $1 AND role = $2`, before.ID, r.role); err != nil {
			return err
		}
		if err := t.insertUnitRefs(ctx, []link{{task: before.ID, role: r.role, ids: r.after}}); err != nil {
			return err
		}
	}
	return nil
}

// link names the people (task_leaders) or the units in one role (task_units)
// of a task, in order.
//
// Many rows go into one statement as a JSON array of arrays. jsonb_each, not
// json_each, reads it: it gives each row as JSONB, which ->> reads without
// parsing the row's text again, and so costs about what a prepared statement
// per row does, in one statement instead of hundreds.
type link struct {
	task int64
	role string // roleLead or roleResponsible; task_units only
	ids  []int64
}

// insertLeaders stores the leaders links name, of one task or many, in one
// statement.
func (t *txn) insertLeaders(ctx context.Context, links []link) error {
	var rows [][3]int64 // task_id, person_id, position
	for _, l := range links {
		for i, id := range l.ids {
			rows = append(rows, [3]int64{l.task, id, int64(i)})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO task_leaders (task_id, person_id, position)
		SELECT value->>0, value->>1, value->>2 FROM jsonb_each($1)`, string(b))
	return dbErr(err, "")
}

// insertUnitRefs stores the units links name, of one task or many and in
// either role, in one statement.
func (t *txn) insertUnitRefs(ctx context.Context, links []link) error {
	var rows [][4]any // task_id, unit_id, role, position
	for _, l := range links {
		for i, id := range l.ids {
			rows = append(rows, [4]any{l.task, id, l.role, i})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO task_units (task_id, unit_id, role, position)
		SELECT value->>0, value->>1, value->>2, value->>3 FROM jsonb_each($1)`, string(b))
	return dbErr(err, "")
}

// index queues a task's search tokens (its section, content and note, and the
// names of its leaders and units), to be written when the transaction
// commits (flushSearch).
func (t *txn) index(ctx context.Context, task *duban.Task) error {
	if t.search == nil {
		t.search = make(map[int64]string)
	}
	t.search[task.ID] = searchTokens(task)
	return nil
}

// searchTokens is the text task_search holds for a task: its terms,
// separated by spaces.
func searchTokens(task *duban.Task) string {
	tk := zh.Tokenize(zh.TaskText(task)...)
	return strings.Join(tk.Sequence, " ") + " " + strings.Join(tk.Ends, " ")
}

// flushSearch writes the queued search tokens in two statements. FTS5 moves
// its pending rows to a segment of their own at every statement that follows
// them, so writing each task's tokens as it was saved gave an import of 200
// tasks 200 tiny segments and most of its time merging them.
func (t *txn) flushSearch(ctx context.Context) error {
	if len(t.search) == 0 {
		return nil
	}
	docs := make(map[string]string, len(t.search))
	for id, doc := range t.search {
		docs[strconv.FormatInt(id, 10)] = doc
	}
	b, err := json.Marshal(docs)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `DELETE FROM task_search WHERE rowid IN (SELECT CAST(key AS INTEGER) FROM json_each($1))`, string(b)); err != nil {
		return err
	}
	if _, err := t.exec(ctx, `INSERT INTO task_search (rowid, tokens) SELECT CAST(key AS INTEGER), value FROM json_each($1)`, string(b)); err != nil {
		return err
	}
	t.search = nil
	return nil
}

// reindexUnitTasks rewrites the search tokens of the tasks unit id holds.
func (t *txn) reindexUnitTasks(ctx context.Context, id int64) error {
	tasks, err := t.loadTasks(ctx, `SELECT `+taskColumns+` FROM tasks t
		WHERE t.id IN (SELECT task_id FROM task_units WHERE unit_id = $1)`, id)
	if err != nil {
		return err
	}
	for _, task := range tasks {
		if err := t.index(ctx, task); err != nil {
			return err
		}
	}
	return nil
}

// RollUp returns, for organisation orgID and each organisation below it, the
// number of tasks by status that the actor may see: the organisation first,
// then the others in the order they were created. An organisation outside the
// actor's is CodeNotFound.
func (s *Store) RollUp(ctx context.Context, a duban.Actor, orgID int64) (sums []duban.OrgSummary, err error) {
	defer supervision.WrapErr(&err, "roll up")
	var q query
	if !q.taskScope(a) {
		return nil, notFound("组织")
	}
	// oq names the organisations rolled up (sub): orgID and those below
	// it, within the actor's.
	var oq query
	if a.OrgID != 0 {
		oq.with = append(oq.with, fmt.Sprintf(`vis(id) AS (
			SELECT id FROM orgs WHERE id = %s
			UNION ALL
			SELECT o.id FROM orgs o JOIN vis ON o.parent_id = vis.id)`, oq.arg(a.OrgID)))
	}
	oq.with = append(oq.with, subOrgs(oq.arg(orgID), a))
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// Every organisation gets its line, with or without visible tasks.
	rows, err := tx.query(ctx, oq.prefix()+`SELECT o.id, o.name FROM orgs o WHERE o.id IN (SELECT id FROM sub) ORDER BY o.id`, oq.args...)
	if err != nil {
		return nil, err
	}
	sums = []duban.OrgSummary{}
	line := map[int64]int{}
	for rows.Next() {
		var sum duban.OrgSummary
		if err := rows.Scan(&sum.OrgID, &sum.Name); err != nil {
			rows.Close()
			return nil, err
		}
		sum.ByStatus = emptyByStatus()
		line[sum.OrgID] = len(sums)
		sums = append(sums, sum)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Whoever sees whole organisations reads the counts the triggers keep;
	// a reporter's tasks are counted one by one.
	if a.Role == duban.RoleReporter {
		q.with = append(q.with, subOrgs(q.arg(orgID), a))
		q.where = append(q.where, "t.org_id IN (SELECT id FROM sub)")
		rows, err = tx.query(ctx, q.prefix()+`SELECT t.org_id, t.status, count(*) FROM tasks t`+q.conditions()+
			` GROUP BY t.org_id, t.status`, q.args...)
	} else {
		rows, err = tx.query(ctx, oq.prefix()+`SELECT c.org_id, c.status, c.n FROM task_counts c
			WHERE c.org_id IN (SELECT id FROM sub)`, oq.args...)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var status string
		var n int
		if err := rows.Scan(&id, &status, &n); err != nil {
			return nil, err
		}
		if k, ok := line[id]; ok {
			sums[k].ByStatus[duban.TaskStatus(status)] += n
			sums[k].Tasks += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(sums) == 0 {
		return nil, notFound("组织")
	}
	// The organisation asked for comes first.
	slices.SortStableFunc(sums, func(x, y duban.OrgSummary) int {
		switch {
		case x.OrgID == orgID:
			return -1
		case y.OrgID == orgID:
			return 1
		}
		return 0
	})
	return sums, tx.Commit()
}

// subOrgs is the common table sub: the organisation whose id is the
// parameter orgArg and those below it, limited to the actor's (the vis table).
func subOrgs(orgArg string, a duban.Actor) string {
	return fmt.Sprintf(`sub(id) AS (
		SELECT id FROM orgs WHERE id = %s%s
		UNION ALL
		SELECT o.id FROM orgs o JOIN sub ON o.parent_id = sub.id)`, orgArg, visible(a))
}

// visible is the condition that an organisation's id lies within the
// actor's: the vis table of taskScope, which the system actor does without.
func visible(a duban.Actor) string {
	if a.OrgID == 0 {
		return ""
	}
	return " AND id IN (SELECT id FROM vis)"
}

// emptyByStatus has every status, so that a roll-up's lines look alike.
func emptyByStatus() map[duban.TaskStatus]int {
	return map[duban.TaskStatus]int{
		duban.StatusNotStarted: 0, duban.StatusOnTrack: 0, duban.StatusBehind: 0,
		duban.StatusDone: 0, duban.StatusClosed: 0,
	}
}
