package postgres

import (
	"context"
	"slices"
	"strings"

	"duban"
	"duban/store/internal/check"
	"duban/store/internal/supervision"
)

// CreateUnit creates a unit or a group with its aliases and, for a group, its
// members. Only an admin of the unit's organisation (or one above) may
// (CodeForbidden). A name or alias already used in the organisation is
// CodeConflict; a member that is not a unit of the organisation is
// CodeInvalid.
func (s *Store) CreateUnit(ctx context.Context, a duban.Actor, u *duban.Unit) (err error) {
	defer supervision.WrapErr(&err, "create unit")
	if err := check.Unit(u); err != nil {
		return err
	}
	tx, err := s.begin(ctx, a)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.manage(ctx, u.OrgID); err != nil {
		return err
	}
	if err := tx.insertUnit(ctx, u); err != nil {
		return err
	}
	if err := tx.audit(ctx, u.OrgID, "unit.create", "unit", u.ID, nil, u); err != nil {
		return err
	}
	return tx.Commit()
}

// insertUnit writes a checked unit with its names and members, and fills in
// its ID and CreatedAt.
func (t *txn) insertUnit(ctx context.Context, u *duban.Unit) error {
	err := t.queryRow(ctx, `INSERT INTO units (org_id, name, kind, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		u.OrgID, u.Name, string(u.Kind), ts(t.now)).Scan(&u.ID)
	if err != nil {
		return dbErr(err, "")
	}
	u.CreatedAt = t.now
	if err := t.insertUnitNames(ctx, u); err != nil {
		return err
	}
	return t.insertMembers(ctx, u)
}

// insertUnitNames records u's name and aliases, unique in the organisation.
func (t *txn) insertUnitNames(ctx context.Context, u *duban.Unit) error {
	for _, name := range append([]string{u.Name}, u.Aliases...) {
		_, err := t.exec(ctx, `INSERT INTO unit_names (unit_id, org_id, name) VALUES ($1, $2, $3)`, u.ID, u.OrgID, name)
		if err != nil {
			return dbErr(err, "单位名称“"+name+"”已被使用")
		}
	}
	return nil
}

// insertMembers records the members of group u, which must be single units
// of its organisation.
func (t *txn) insertMembers(ctx context.Context, u *duban.Unit) error {
	if len(u.MemberIDs) == 0 {
		return nil
	}
	var n int
	err := t.queryRow(ctx, `SELECT count(*) FROM units
		WHERE org_id = $1 AND kind = 'unit' AND id <> $2 AND id = ANY($3)`,
		u.OrgID, u.ID, idList(u.MemberIDs)).Scan(&n)
	if err != nil {
		return err
	}
	if n != len(u.MemberIDs) {
		return duban.Errorf(duban.CodeInvalid, "成员必须是本组织的单位（不能是单位组）")
	}
	for _, m := range u.MemberIDs {
		if _, err := t.exec(ctx, `INSERT INTO unit_members (org_id, group_id, member_id) VALUES ($1, $2, $3)`, u.OrgID, u.ID, m); err != nil {
			return dbErr(err, "")
		}
	}
	return nil
}

// UpdateUnit renames a unit, replaces its aliases or a group's members, and
// returns it. If the new name was one of its aliases, the alias goes. Rules
// and codes are those of CreateUnit; an unknown unit is CodeNotFound.
func (s *Store) UpdateUnit(ctx context.Context, a duban.Actor, id int64, up duban.UnitUpdate) (u *duban.Unit, err error) {
	defer supervision.WrapErr(&err, "update unit")
	tx, err := s.begin(ctx, a)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	before, err := tx.findUnit(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := tx.manage(ctx, before.OrgID); err != nil {
		return nil, err
	}
	after := *before
	if up.Name != nil {
		after.Name = strings.TrimSpace(*up.Name)
	}
	aliases := before.Aliases
	if up.Aliases != nil {
		aliases = *up.Aliases
	}
	after.Aliases = check.Aliases(after.Name, aliases)
	if up.MemberIDs != nil {
		after.MemberIDs = *up.MemberIDs
	}
	if err := check.Unit(&after); err != nil {
		return nil, err
	}
	renamed := after.Name != before.Name
	if renamed || !slices.Equal(after.Aliases, before.Aliases) {
		if renamed {
			if _, err := tx.exec(ctx, `UPDATE units SET name = $1 WHERE id = $2`, after.Name, id); err != nil {
				return nil, err
			}
		}
		if _, err := tx.exec(ctx, `DELETE FROM unit_names WHERE unit_id = $1`, id); err != nil {
			return nil, err
		}
		if err := tx.insertUnitNames(ctx, &after); err != nil {
			return nil, err
		}
	}
	if !slices.Equal(after.MemberIDs, before.MemberIDs) {
		if _, err := tx.exec(ctx, `DELETE FROM unit_members WHERE group_id = $1`, id); err != nil {
			return nil, err
		}
		if err := tx.insertMembers(ctx, &after); err != nil {
			return nil, err
		}
	}
	if renamed {
		// Tasks are found by the names of their units.
		if err := tx.reindexUnitTasks(ctx, id); err != nil {
			return nil, err
		}
	}
	u, err = tx.findUnit(ctx, id)
	if err != nil {
		return nil, err
	}
	if renamed || !slices.Equal(u.Aliases, before.Aliases) || !slices.Equal(u.MemberIDs, before.MemberIDs) {
		if err := tx.audit(ctx, u.OrgID, "unit.update", "unit", id, before, u); err != nil {
			return nil, err
		}
	}
	return u, tx.Commit()
}

// FindUnits returns the units and groups of an organisation with their
// aliases and members, in the order they were created.
func (s *Store) FindUnits(ctx context.Context, orgID int64) (units []*duban.Unit, err error) {
	defer supervision.WrapErr(&err, "find units")
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	units, err = tx.loadUnits(ctx, `u.org_id = $1`, orgID)
	if err != nil {
		return nil, err
	}
	return units, tx.Commit()
}

// FindUnitByID returns a unit with its aliases and members, or CodeNotFound.
func (s *Store) FindUnitByID(ctx context.Context, id int64) (u *duban.Unit, err error) {
	defer supervision.WrapErr(&err, "find unit")
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	u, err = tx.findUnit(ctx, id)
	if err != nil {
		return nil, err
	}
	return u, tx.Commit()
}

func (t *txn) findUnit(ctx context.Context, id int64) (*duban.Unit, error) {
	units, err := t.loadUnits(ctx, `u.id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(units) == 0 {
		return nil, notFound("单位")
	}
	return units[0], nil
}

// loadUnits returns the units matching cond (on units u, with one argument)
// with their aliases and members.
func (t *txn) loadUnits(ctx context.Context, cond string, arg int64) ([]*duban.Unit, error) {
	units := []*duban.Unit{}
	byID := make(map[int64]*duban.Unit)
	rows, err := t.query(ctx, `SELECT u.id, u.org_id, u.name, u.kind, u.created_at FROM units u WHERE `+cond+` ORDER BY u.id`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		u := &duban.Unit{Aliases: []string{}, MemberIDs: []int64{}}
		if err := rows.Scan(&u.ID, &u.OrgID, &u.Name, &u.Kind, utcTime{&u.CreatedAt}); err != nil {
			return nil, err
		}
		units = append(units, u)
		byID[u.ID] = u
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(units) == 0 {
		return units, nil
	}
	rows, err = t.query(ctx, `SELECT n.unit_id, n.name FROM unit_names n JOIN units u ON u.id = n.unit_id
		WHERE `+cond+` AND n.name <> u.name ORDER BY n.id`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		byID[id].Aliases = append(byID[id].Aliases, name)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = t.query(ctx, `SELECT m.group_id, m.member_id FROM unit_members m JOIN units u ON u.id = m.group_id
		WHERE `+cond+` ORDER BY m.group_id, m.member_id`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var g, m int64
		if err := rows.Scan(&g, &m); err != nil {
			return nil, err
		}
		byID[g].MemberIDs = append(byID[g].MemberIDs, m)
	}
	return units, rows.Err()
}

// CreatePerson adds a leader to an organisation. Only an admin of the
// organisation (or one above) may (CodeForbidden); a name already in the
// organisation is CodeConflict.
func (s *Store) CreatePerson(ctx context.Context, a duban.Actor, p *duban.Person) (err error) {
	defer supervision.WrapErr(&err, "create person")
	if err := check.Person(p); err != nil {
		return err
	}
	tx, err := s.begin(ctx, a)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.manage(ctx, p.OrgID); err != nil {
		return err
	}
	if err := tx.insertPerson(ctx, p); err != nil {
		return err
	}
	if err := tx.audit(ctx, p.OrgID, "person.create", "person", p.ID, nil, p); err != nil {
		return err
	}
	return tx.Commit()
}

func (t *txn) insertPerson(ctx context.Context, p *duban.Person) error {
	err := t.queryRow(ctx, `INSERT INTO people (org_id, name, title, portfolio, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		p.OrgID, p.Name, p.Title, p.Portfolio, ts(t.now)).Scan(&p.ID)
	if err != nil {
		return dbErr(err, "人员“"+p.Name+"”已存在")
	}
	p.CreatedAt = t.now
	return nil
}

// FindPeople returns the people of an organisation in the order they were
// added.
func (s *Store) FindPeople(ctx context.Context, orgID int64) (people []*duban.Person, err error) {
	defer supervision.WrapErr(&err, "find people")
	tx, err := s.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.query(ctx, `SELECT id, org_id, name, title, portfolio, created_at FROM people WHERE org_id = $1 ORDER BY id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	people = []*duban.Person{}
	for rows.Next() {
		p := &duban.Person{}
		if err := rows.Scan(&p.ID, &p.OrgID, &p.Name, &p.Title, &p.Portfolio, utcTime{&p.CreatedAt}); err != nil {
			return nil, err
		}
		people = append(people, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return people, tx.Commit()
}
