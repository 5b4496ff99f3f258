package postgres

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"slices"
	"strings"

	"duban"
	"duban/store/internal/check"
	"duban/store/internal/supervision"
	"duban/store/internal/zh"
)

// ApplyImport writes an import plan in one transaction, or nothing: the
// document (the same file twice in an organisation is CodeConflict
// "该文件已导入"), new units and people, aliases, tasks created or updated,
// their targets replaced, and indicators merged by name. Leader and unit names
// resolve through people and every unit name and alias; an unknown name is
// CodeInvalid naming it and the task. A planned update of a task changed since
// is CodeConflict. Only an admin of the organisation (or one above) may
// (CodeForbidden). The audit log gets one entry for the import and one per
// task created or updated; a planned update that changes nothing is skipped.
func (s *Store) ApplyImport(ctx context.Context, a duban.Actor, p *duban.ImportPlan) (res *duban.ImportResult, err error) {
	defer supervision.WrapErr(&err, "apply import")
	if p == nil {
		return nil, duban.Errorf(duban.CodeInvalid, "导入计划为空")
	}
	if err := check.Plan(p); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx, a)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := tx.manage(ctx, p.OrgID); err != nil {
		return nil, err
	}
	if err := tx.lockLedger(ctx, p.OrgID); err != nil {
		return nil, err
	}
	res = &duban.ImportResult{}
	doc := &p.Document
	if err := tx.insertDocument(ctx, p.OrgID, doc); err != nil {
		return nil, err
	}
	res.DocumentID = doc.ID

	units, err := tx.names(ctx, `SELECT n.name, u.id, u.name FROM unit_names n JOIN units u ON u.id = n.unit_id WHERE n.org_id = $1`, p.OrgID)
	if err != nil {
		return nil, err
	}
	people, err := tx.names(ctx, `SELECT name, id, name FROM people WHERE org_id = $1`, p.OrgID)
	if err != nil {
		return nil, err
	}
	audit := importAudit{Document: doc, Result: res, Aliases: p.Aliases, Units: []string{}, People: []string{}, Review: p.Review}
	if err := tx.insertUnits(ctx, p.OrgID, p.NewUnits, units); err != nil {
		return nil, err
	}
	for _, u := range p.NewUnits {
		audit.Units = append(audit.Units, u.Name)
	}
	res.UnitsCreated = len(p.NewUnits)
	if err := tx.insertPeople(ctx, p.OrgID, p.NewPeople, people); err != nil {
		return nil, err
	}
	for _, pr := range p.NewPeople {
		audit.People = append(audit.People, pr.Name)
	}
	res.PeopleAdded = len(p.NewPeople)
	for _, al := range p.Aliases {
		if err := tx.insertAlias(ctx, p.OrgID, al, units); err != nil {
			return nil, err
		}
	}
	entries, err := tx.importTasks(ctx, p, units, people, res)
	if err != nil {
		return nil, err
	}
	if res.Indicators, err = tx.importIndicators(ctx, p); err != nil {
		return nil, err
	}
	// One entry per task created or updated, then the import's.
	entries = append(entries, auditEntry{p.OrgID, "document.import", "document", doc.ID, nil, audit})
	if err := tx.auditAll(ctx, entries); err != nil {
		return nil, err
	}
	return res, tx.Commit()
}

// importAudit is the audit log's record of an import.
type importAudit struct {
	Document *duban.Document     `json:"document"`
	Result   *duban.ImportResult `json:"result"`
	Units    []string            `json:"units_created"`
	People   []string            `json:"people_created"`
	Aliases  []duban.UnitAlias   `json:"aliases"`
	Review   duban.ImportReview  `json:"review"`
}

// ref is a unit or person found by one of its names.
type ref struct {
	id   int64
	name string // the unit's own name, when found by an alias
}

// names runs a query of (name, id, own name) rows into a map.
func (t *txn) names(ctx context.Context, query string, orgID int64) (map[string]ref, error) {
	rows, err := t.query(ctx, query, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := make(map[string]ref)
	for rows.Next() {
		var name string
		var r ref
		if err := rows.Scan(&name, &r.id, &r.name); err != nil {
			return nil, err
		}
		m[name] = r
	}
	return m, rows.Err()
}

// insertDocument stores the document of an import. Its hash is computed when
// not given and must match when given.
func (t *txn) insertDocument(ctx context.Context, orgID int64, doc *duban.Document) error {
	sum := sha256.Sum256(doc.Content)
	hash := hex.EncodeToString(sum[:])
	if doc.SHA256 != "" && !strings.EqualFold(doc.SHA256, hash) {
		return duban.Errorf(duban.CodeInvalid, "文件校验值与内容不符")
	}
	doc.OrgID, doc.SHA256, doc.Size = orgID, hash, int64(len(doc.Content))
	doc.CreatedAt, doc.CreatedBy = t.now, t.actor.UserID
	content := doc.Content
	if content == nil {
		content = []byte{}
	}
	err := t.queryRow(ctx, `INSERT INTO documents (org_id, file_name, kind, title, doc_number, year, sha256, size, content, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		orgID, doc.FileName, doc.Kind, doc.Title, doc.DocNumber, doc.Year, doc.SHA256, doc.Size, content,
		ts(t.now), t.actorRef()).Scan(&doc.ID)
	return dbErr(err, "该文件已导入")
}

// insertUnits creates an import's new units and their names (aliases
// included), two statements for all of them, and adds the names to units. A
// name the organisation already has, or that two new units share, is
// CodeConflict naming it.
func (t *txn) insertUnits(ctx context.Context, orgID int64, newUnits []duban.Unit, units map[string]ref) error {
	if len(newUnits) == 0 {
		return nil
	}
	// units holds every name of the organisation, as read in this
	// transaction: a taken name is found here, before anything is written.
	// One taken since is still a unique violation below.
	taken := make(map[string]bool)
	names, kinds := make([]string, len(newUnits)), make([]string, len(newUnits))
	for i, u := range newUnits {
		for _, n := range append([]string{u.Name}, u.Aliases...) {
			if _, ok := units[n]; ok || taken[n] {
				return duban.Errorf(duban.CodeConflict, "单位名称“%s”已被使用", n)
			}
			taken[n] = true
		}
		names[i], kinds[i] = u.Name, string(u.Kind)
	}
	// ORDER BY: the units take their IDs in plan order. RETURNING gives the
	// rows in no particular order; the names are unique.
	res, err := t.query(ctx, `INSERT INTO units (org_id, name, kind, created_at)
		SELECT $1::bigint, ($2::text[])[i], ($3::text[])[i], $4::timestamptz
		FROM generate_series(1, array_length($2::text[], 1)) AS i ORDER BY i
		RETURNING id, name`, orgID, names, kinds, ts(t.now))
	if err != nil {
		return dbErr(err, "")
	}
	ids, err := scanNames(res)
	if err != nil {
		return dbErr(err, "")
	}
	var unitIDs []int64
	var allNames []string
	for _, u := range newUnits {
		for _, n := range append([]string{u.Name}, u.Aliases...) {
			unitIDs, allNames = append(unitIDs, ids[u.Name]), append(allNames, n)
			units[n] = ref{ids[u.Name], u.Name}
		}
	}
	_, err = t.exec(ctx, `INSERT INTO unit_names (unit_id, org_id, name)
		SELECT ($1::bigint[])[i], $2::bigint, ($3::text[])[i]
		FROM generate_series(1, array_length($1::bigint[], 1)) AS i ORDER BY i`, unitIDs, orgID, allNames)
	return dbErr(err, "单位名称已被使用")
}

// insertPeople adds an import's new people in one statement and adds them to
// people. A name the organisation already has, or given twice, is
// CodeConflict naming it.
func (t *txn) insertPeople(ctx context.Context, orgID int64, newPeople []duban.Person, people map[string]ref) error {
	if len(newPeople) == 0 {
		return nil
	}
	taken := make(map[string]bool)
	n := len(newPeople)
	names, titles, portfolios := make([]string, n), make([]string, n), make([]string, n)
	for i, pr := range newPeople {
		if _, ok := people[pr.Name]; ok || taken[pr.Name] {
			return duban.Errorf(duban.CodeConflict, "人员“%s”已存在", pr.Name)
		}
		taken[pr.Name] = true
		names[i], titles[i], portfolios[i] = pr.Name, pr.Title, pr.Portfolio
	}
	res, err := t.query(ctx, `INSERT INTO people (org_id, name, title, portfolio, created_at)
		SELECT $1::bigint, ($2::text[])[i], ($3::text[])[i], ($4::text[])[i], $5::timestamptz
		FROM generate_series(1, array_length($2::text[], 1)) AS i ORDER BY i
		RETURNING id, name`, orgID, names, titles, portfolios, ts(t.now))
	if err != nil {
		return dbErr(err, "人员已存在")
	}
	ids, err := scanNames(res)
	if err != nil {
		return dbErr(err, "人员已存在")
	}
	for name, id := range ids {
		people[name] = ref{id, name}
	}
	return nil
}

// scanNames reads the (id, name) rows an INSERT returned, by name, and
// closes them.
func scanNames(rows *sql.Rows) (map[string]int64, error) {
	defer rows.Close()
	ids := make(map[string]int64)
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		ids[name] = id
	}
	return ids, rows.Err()
}

// insertAlias adds a confirmed alias to a unit of the organisation; a name
// the unit already has is fine, one of another unit is CodeConflict.
func (t *txn) insertAlias(ctx context.Context, orgID int64, al duban.UnitAlias, units map[string]ref) error {
	if r, ok := units[al.Alias]; ok {
		if r.id == al.UnitID {
			return nil
		}
		return duban.Errorf(duban.CodeConflict, "名称“%s”已是单位“%s”的名称", al.Alias, r.name)
	}
	var name string
	err := t.queryRow(ctx, `SELECT name FROM units WHERE id = $1 AND org_id = $2`, al.UnitID, orgID).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return duban.Errorf(duban.CodeInvalid, "别名“%s”所属的单位不存在", al.Alias)
	}
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `INSERT INTO unit_names (unit_id, org_id, name) VALUES ($1, $2, $3)`, al.UnitID, orgID, al.Alias); err != nil {
		return dbErr(err, "单位名称“"+al.Alias+"”已被使用")
	}
	units[al.Alias] = ref{al.UnitID, name}
	return nil
}

// importTasks creates and updates the tasks of plan p and returns their
// audit entries, in plan order. Updates are written one by one (each checks
// its version); new tasks all at once, a statement for the tasks and one for
// each kind of row they hold.
func (t *txn) importTasks(ctx context.Context, p *duban.ImportPlan, units, people map[string]ref, res *duban.ImportResult) ([]auditEntry, error) {
	var updates []int64
	pos := make(map[string]int)
	for _, pt := range p.Tasks {
		if pt.ID != 0 {
			updates = append(updates, pt.ID)
		}
		if _, ok := pos[pt.Section]; !ok {
			// Unnumbered sections follow the numbered ones, in plan order.
			pos[pt.Section] = zh.SectionOrder(pt.Section, 1000+len(pos))
		}
	}
	current := make(map[int64]*duban.Task)
	if len(updates) > 0 {
		tasks, err := t.loadTasks(ctx, `SELECT `+taskColumns+` FROM tasks t
			WHERE t.org_id = $1 AND t.id = ANY($2)`, p.OrgID, idList(updates))
		if err != nil {
			return nil, err
		}
		for _, task := range tasks {
			current[task.ID] = task
		}
	}
	var created []*duban.Task
	var entries []auditEntry
	var createdEntries []int // where in entries each created task's entry is
	for i := range p.Tasks {
		pt := &p.Tasks[i]
		task, err := planned(pt, p.OrgID, units, people)
		if err != nil {
			return nil, err
		}
		task.DocumentID = &res.DocumentID
		if pt.ID == 0 {
			created = append(created, task)
			createdEntries = append(createdEntries, len(entries))
			entries = append(entries, auditEntry{task.OrgID, "task.create", "task", 0, nil, task})
			continue
		}
		before, ok := current[pt.ID]
		if !ok {
			return nil, duban.Errorf(duban.CodeNotFound, "任务“%s”不存在", check.TaskName(task))
		}
		if before.Version != pt.Version {
			return nil, duban.Errorf(duban.CodeConflict, "任务“%s”已被他人修改，请重新生成导入计划", check.TaskName(task))
		}
		if !taskChanged(before, task) {
			continue
		}
		task.ID, task.Status, task.CreatedAt = before.ID, before.Status, before.CreatedAt
		task.Version, task.UpdatedAt = before.Version+1, t.now
		if err := t.writeTask(ctx, before, task, pos[task.Section]); err != nil {
			return nil, err
		}
		if err := t.replaceTargets(ctx, before, task); err != nil {
			return nil, err
		}
		if err := t.index(ctx, task); err != nil {
			return nil, err
		}
		entries = append(entries, auditEntry{task.OrgID, "task.update", "task", task.ID, before, task})
		res.TasksUpdated++
	}
	if err := t.createTasks(ctx, p.OrgID, created, pos); err != nil {
		return nil, err
	}
	for k, i := range createdEntries {
		entries[i].entityID = created[k].ID
	}
	res.TasksCreated = len(created)
	return entries, nil
}

// planned returns the task a planned task describes, its names resolved.
func planned(pt *duban.PlannedTask, orgID int64, units, people map[string]ref) (*duban.Task, error) {
	task := pt.Task
	task.OrgID = orgID
	task.Content = strings.TrimSpace(task.Content)
	task.Targets = slices.Clone(task.Targets)
	if task.Targets == nil {
		task.Targets = []duban.Target{}
	}
	var err error
	if task.LeaderIDs, task.Leaders, err = resolve(&task, pt.LeaderNames, people, "领导"); err != nil {
		return nil, err
	}
	if task.LeadUnitIDs, task.LeadUnits, err = resolve(&task, pt.LeadUnitNames, units, "单位"); err != nil {
		return nil, err
	}
	if task.ResponsibleUnitIDs, task.ResponsibleUnits, err = resolve(&task, pt.ResponsibleUnitNames, units, "单位"); err != nil {
		return nil, err
	}
	return &task, nil
}

// resolve finds names in m, without repeats (an alias and its unit's own name
// are one unit). An unknown name is CodeInvalid.
func resolve(task *duban.Task, names []string, m map[string]ref, what string) ([]int64, []string, error) {
	ids, own := []int64{}, []string{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		r, ok := m[n]
		if !ok {
			return nil, nil, duban.Errorf(duban.CodeInvalid, "任务“%s”：找不到%s“%s”", check.TaskName(task), what, n)
		}
		if !slices.Contains(ids, r.id) {
			ids = append(ids, r.id)
			own = append(own, r.name)
		}
	}
	return ids, own, nil
}

// taskKey is what makes a task unique in its organisation.
type taskKey struct {
	year    int
	section string
	number  int
}

// createTasks inserts new tasks of organisation orgID, all of one document,
// with their leaders, units, targets and search tokens: one statement for
// each, whatever the number of tasks. pos holds the sections' positions. A
// task that exists already is CodeConflict naming it.
func (t *txn) createTasks(ctx context.Context, orgID int64, tasks []*duban.Task, pos map[string]int) error {
	if len(tasks) == 0 {
		return nil
	}
	n := len(tasks)
	years, poss, numbers, lines := make([]int, n), make([]int, n), make([]int, n), make([]int, n)
	sections, subsections, contents := make([]string, n), make([]string, n), make([]string, n)
	notes, deadlines := make([]string, n), make([]string, n)
	texts := make([][]string, n)
	for i, task := range tasks {
		task.Status, task.Version, task.LightRules = duban.StatusNotStarted, 1, []string{}
		task.CreatedAt, task.UpdatedAt = t.now, t.now
		years[i], sections[i], poss[i], subsections[i], numbers[i] = task.Year, task.Section, pos[task.Section], task.Subsection, task.Number
		contents[i], notes[i], deadlines[i], lines[i] = task.Content, task.Note, task.Deadline, task.SourceLine
		texts[i] = zh.TaskText(task)
	}
	// The search tokens depend on the texts alone: they are made on another
	// core while the server writes the rows.
	vectors := make([]string, n)
	tokenised := make(chan struct{})
	go func() {
		defer close(tokenised)
		for i, text := range texts {
			vectors[i] = tsVector(zh.Tokenize(text...))
		}
	}()
	defer func() { <-tokenised }()
	// A task already there is left alone and missing from what RETURNING
	// gives (in no particular order): found below by its key. ORDER BY: the
	// tasks take their IDs in plan order.
	res, err := t.query(ctx, `INSERT INTO tasks (org_id, document_id, year, section, section_pos, subsection, number, content,
			note, deadline, source_line, status, version, created_at, created_by, updated_at, updated_by)
		SELECT $1::bigint, $2::bigint, ($3::int[])[i], ($4::text[])[i], ($5::int[])[i], ($6::text[])[i], ($7::int[])[i],
			($8::text[])[i], ($9::text[])[i], ($10::text[])[i], ($11::int[])[i],
			$12::text, 1, $13::timestamptz, $14::bigint, $13::timestamptz, $14::bigint
		FROM generate_series(1, array_length($3::int[], 1)) AS i ORDER BY i
		ON CONFLICT (org_id, year, section, number) DO NOTHING
		RETURNING id, year, section, number`,
		orgID, tasks[0].DocumentID, years, sections, poss, subsections, numbers, contents, notes, deadlines, lines,
		string(duban.StatusNotStarted), ts(t.now), t.actorRef())
	if err != nil {
		return dbErr(err, "")
	}
	defer res.Close()
	ids := make(map[taskKey]int64, len(tasks))
	for res.Next() {
		var id int64
		var k taskKey
		if err := res.Scan(&id, &k.year, &k.section, &k.number); err != nil {
			return err
		}
		ids[k] = id
	}
	if err := res.Err(); err != nil {
		return dbErr(err, "")
	}
	leaders := make([]link, 0, len(tasks))
	unitRefs := make([]link, 0, 2*len(tasks))
	for _, task := range tasks {
		task.ID = ids[taskKey{task.Year, task.Section, task.Number}]
		if task.ID == 0 {
			return duban.Errorf(duban.CodeConflict, "任务“%s”已存在", check.TaskName(task))
		}
		leaders = append(leaders, link{task: task.ID, ids: task.LeaderIDs})
		unitRefs = append(unitRefs, link{task.ID, roleLead, task.LeadUnitIDs}, link{task.ID, roleResponsible, task.ResponsibleUnitIDs})
	}
	if err := t.insertLeaders(ctx, leaders); err != nil {
		return err
	}
	if err := t.insertUnitRefs(ctx, unitRefs); err != nil {
		return err
	}
	if err := t.insertTargets(ctx, tasks); err != nil {
		return err
	}
	<-tokenised
	for i, task := range tasks {
		t.queueSearch(task.ID, vectors[i])
	}
	return nil
}

// replaceTargets replaces before's targets by after's if they differ, and
// otherwise keeps them (and their IDs) in after.
func (t *txn) replaceTargets(ctx context.Context, before, after *duban.Task) error {
	same := *after
	same.Targets = before.Targets
	if !taskChanged(&same, after) {
		after.Targets = before.Targets
		return nil
	}
	if _, err := t.exec(ctx, `DELETE FROM targets WHERE task_id = $1`, before.ID); err != nil {
		return err
	}
	return t.insertTargets(ctx, []*duban.Task{after})
}

// insertTargets stores the targets of tasks, each task's in order, in one
// statement, and fills in their IDs.
func (t *txn) insertTargets(ctx context.Context, tasks []*duban.Task) error {
	var taskIDs []int64
	var positions, years []int
	var subjects, measures, ops, units, texts []string
	var values []*float64
	byID := make(map[int64]*duban.Task, len(tasks))
	for _, task := range tasks {
		byID[task.ID] = task
		for i, g := range task.Targets {
			taskIDs, positions, years = append(taskIDs, task.ID), append(positions, i), append(years, g.Year)
			subjects, measures, ops = append(subjects, g.Subject), append(measures, g.Measure), append(ops, g.Op)
			values, units, texts = append(values, g.Value), append(units, g.Unit), append(texts, g.Text)
		}
	}
	if len(taskIDs) == 0 {
		return nil
	}
	// RETURNING gives the rows in no particular order: each names its place.
	res, err := t.query(ctx, `INSERT INTO targets (task_id, position, year, subject, measure, op, value, unit, text)
		SELECT ($1::bigint[])[i], ($2::int[])[i], ($3::int[])[i], ($4::text[])[i], ($5::text[])[i], ($6::text[])[i],
			($7::float8[])[i], ($8::text[])[i], ($9::text[])[i]
		FROM generate_series(1, array_length($1::bigint[], 1)) AS i ORDER BY i
		RETURNING id, task_id, position`,
		taskIDs, positions, years, subjects, measures, ops, values, units, texts)
	if err != nil {
		return dbErr(err, "")
	}
	defer res.Close()
	for res.Next() {
		var id, taskID int64
		var pos int
		if err := res.Scan(&id, &taskID, &pos); err != nil {
			return err
		}
		byID[taskID].Targets[pos].ID = id
	}
	return dbErr(res.Err(), "")
}

// importIndicators merges the plan's indicators into the organisation's: by
// ID when given, else by name, with values by year and kind (the plan's
// value wins). It returns the number of indicators written.
func (t *txn) importIndicators(ctx context.Context, p *duban.ImportPlan) (int, error) {
	written := make(map[int64]bool)
	for i := range p.Indicators {
		ind := &p.Indicators[i]
		id := ind.ID
		if id != 0 {
			res, err := t.exec(ctx, `UPDATE indicators SET document_id = $1, name = $2, category = $3, unit = $4, attribute = $5
				WHERE id = $6 AND org_id = $7`,
				p.Document.ID, ind.Name, ind.Category, ind.Unit, ind.Attribute, id, p.OrgID)
			if err != nil {
				return 0, dbErr(err, "指标“"+ind.Name+"”已存在")
			}
			if n, err := res.RowsAffected(); err != nil {
				return 0, err
			} else if n == 0 {
				return 0, duban.Errorf(duban.CodeNotFound, "指标“%s”不存在", ind.Name)
			}
		} else {
			// A second table of the same report names the same indicator:
			// fill what it leaves blank from the first.
			err := t.queryRow(ctx, `INSERT INTO indicators (org_id, document_id, name, category, unit, attribute)
				VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (org_id, name) DO UPDATE SET document_id = excluded.document_id,
					category = CASE WHEN excluded.category = '' THEN indicators.category ELSE excluded.category END,
					unit = CASE WHEN excluded.unit = '' THEN indicators.unit ELSE excluded.unit END,
					attribute = CASE WHEN excluded.attribute = '' THEN indicators.attribute ELSE excluded.attribute END
				RETURNING id`,
				p.OrgID, p.Document.ID, ind.Name, ind.Category, ind.Unit, ind.Attribute).Scan(&id)
			if err != nil {
				return 0, dbErr(err, "")
			}
		}
		for _, v := range ind.Values {
			_, err := t.exec(ctx, `INSERT INTO indicator_values (indicator_id, year, kind, text, op, value)
				VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (indicator_id, year, kind) DO UPDATE SET text = excluded.text, op = excluded.op, value = excluded.value`,
				id, v.Year, v.Kind, v.Text, v.Op, v.Value)
			if err != nil {
				return 0, dbErr(err, "")
			}
		}
		written[id] = true
	}
	return len(written), nil
}

// FindIndicators returns an organisation's indicators with all their values
// (by year, targets before outcomes); with year, only indicators that have a
// value for that year.
func (s *Store) FindIndicators(ctx context.Context, orgID int64, year *int) (inds []*duban.Indicator, err error) {
	defer supervision.WrapErr(&err, "find indicators")
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	cond := ""
	args := []any{orgID}
	if year != nil {
		cond = ` AND EXISTS (SELECT 1 FROM indicator_values v WHERE v.indicator_id = i.id AND v.year = $2)`
		args = append(args, *year)
	}
	rows, err := tx.query(ctx, `SELECT i.id, i.org_id, i.document_id, i.name, i.category, i.unit, i.attribute
		FROM indicators i WHERE i.org_id = $1`+cond+` ORDER BY i.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	inds = []*duban.Indicator{}
	byID := make(map[int64]*duban.Indicator)
	for rows.Next() {
		ind := &duban.Indicator{Values: []duban.IndicatorValue{}}
		if err := rows.Scan(&ind.ID, &ind.OrgID, &ind.DocumentID, &ind.Name, &ind.Category, &ind.Unit, &ind.Attribute); err != nil {
			return nil, err
		}
		inds = append(inds, ind)
		byID[ind.ID] = ind
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.query(ctx, `SELECT v.indicator_id, v.year, v.kind, v.text, v.op, v.value
		FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id
		WHERE i.org_id = $1 ORDER BY v.indicator_id, v.year, v.kind DESC`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var v duban.IndicatorValue
		if err := rows.Scan(&id, &v.Year, &v.Kind, &v.Text, &v.Op, &v.Value); err != nil {
			return nil, err
		}
		if ind := byID[id]; ind != nil {
			ind.Values = append(ind.Values, v)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return inds, tx.Commit()
}

const documentColumns = `id, org_id, file_name, kind, title, doc_number, year, sha256, size, created_at, created_by`

func scanDocument(sc scanner) (*duban.Document, error) {
	d := &duban.Document{}
	var by sql.NullInt64
	err := sc.Scan(&d.ID, &d.OrgID, &d.FileName, &d.Kind, &d.Title, &d.DocNumber, &d.Year, &d.SHA256, &d.Size,
		utcTime{&d.CreatedAt}, &by)
	d.CreatedBy = by.Int64
	return d, err
}

// FindDocuments returns an organisation's imported documents without their
// content, in the order they were imported.
func (s *Store) FindDocuments(ctx context.Context, orgID int64) (docs []*duban.Document, err error) {
	defer supervision.WrapErr(&err, "find documents")
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, `SELECT `+documentColumns+` FROM documents WHERE org_id = $1 ORDER BY id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	docs = []*duban.Document{}
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return docs, tx.Commit()
}

// FindDocumentByID returns a document without its content, or CodeNotFound.
func (s *Store) FindDocumentByID(ctx context.Context, id int64) (d *duban.Document, err error) {
	defer supervision.WrapErr(&err, "find document")
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	d, err = scanDocument(tx.queryRow(ctx, `SELECT `+documentColumns+` FROM documents WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("文件")
	}
	if err != nil {
		return nil, err
	}
	return d, tx.Commit()
}

// FindDocumentContent returns the file of a document as uploaded, or
// CodeNotFound.
func (s *Store) FindDocumentContent(ctx context.Context, id int64) (b []byte, err error) {
	defer supervision.WrapErr(&err, "find document content")
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	err = tx.queryRow(ctx, `SELECT content FROM documents WHERE id = $1`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("文件")
	}
	if err != nil {
		return nil, err
	}
	if b == nil {
		b = []byte{}
	}
	return b, tx.Commit()
}
