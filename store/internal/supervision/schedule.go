package supervision

import (
	"context"
	"database/sql"
	"errors"

	"duban"
)

// manage checks that the actor administers organisation orgID: an
// administrator of it or of an organisation above it.
func (s *Store) manage(tx Tx, a duban.Actor, orgID int64) error {
	if a.Role != duban.RoleAdmin {
		return forbidden()
	}
	return s.orgVisible(tx, a, orgID)
}

// orgVisible checks that organisation orgID lies within the actor's:
// CodeNotFound otherwise.
func (s *Store) orgVisible(tx Tx, a duban.Actor, orgID int64) error {
	args := []any{orgID}
	var n int
	if err := tx.QueryRow(`SELECT count(*) FROM orgs o WHERE o.id = $1 AND `+visible(a, "o.id", &args), args...).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return notFound("组织")
	}
	return nil
}

// SetSchedule sets an organisation's reporting schedule for a year and its
// cycles (computed by the caller from the schedule and the calendar). Cycles
// that already hold reports keep their period: changing it, or dropping such
// a cycle, is CodeConflict. Only an administrator may.
func (s *Store) SetSchedule(ctx context.Context, a duban.Actor, sc *duban.Schedule, cycles []duban.Cycle) error {
	return s.run.Write(ctx, a, func(tx Tx) error {
		if err := s.manage(tx, a, sc.OrgID); err != nil {
			return err
		}
		before, err := s.findSchedule(tx, sc.OrgID, sc.Year)
		if err != nil && duban.ErrorCode(err) != duban.CodeNotFound {
			return err
		}
		sc.UpdatedAt = tx.Now()
		if sc.Dates == nil {
			sc.Dates = []string{}
		}
		switch sc.Kind {
		case duban.ScheduleMonthly, duban.ScheduleQuarterly, duban.ScheduleSemiannual, duban.ScheduleCustom:
		default:
			return duban.Errorf(duban.CodeInvalid, "填报频次应为 monthly、quarterly、semiannual 或 custom")
		}
		switch sc.Shift {
		case "":
			sc.Shift = duban.ShiftNone
		case duban.ShiftBefore, duban.ShiftAfter, duban.ShiftNone:
		default:
			return duban.Errorf(duban.CodeInvalid, "节假日顺延方式应为 before、after 或 none")
		}
		_, err = tx.Exec(`INSERT INTO schedules (org_id, year, kind, day, dates, grace_days, shift, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (org_id, year) DO UPDATE SET kind = excluded.kind, day = excluded.day, dates = excluded.dates,
				grace_days = excluded.grace_days, shift = excluded.shift, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			sc.OrgID, sc.Year, string(sc.Kind), sc.Day, marshal(sc.Dates), sc.GraceDays, string(sc.Shift), s.d.Time(sc.UpdatedAt), actorRef(a))
		if err != nil {
			return s.d.Err(err, "")
		}
		if err := s.replaceCycles(tx, sc.OrgID, sc.Year, cycles); err != nil {
			return err
		}
		if before == nil {
			return tx.Audit(sc.OrgID, "schedule.create", "schedule", int64(sc.Year), nil, sc)
		}
		return tx.Audit(sc.OrgID, "schedule.update", "schedule", int64(sc.Year), before, sc)
	})
}

// replaceCycles makes the organisation's cycles of year those given, by seq.
func (s *Store) replaceCycles(tx Tx, orgID int64, year int, cycles []duban.Cycle) error {
	rows, err := tx.Query(`SELECT c.id, c.seq, c.period_start, c.period_end,
		(SELECT count(*) FROM reports r WHERE r.cycle_id = c.id)
		FROM cycles c WHERE c.org_id = $1 AND c.year = $2`, orgID, year)
	if err != nil {
		return err
	}
	type existing struct {
		id         int64
		start, end string
		reports    int
	}
	old := map[int]existing{}
	for rows.Next() {
		var e existing
		var seq int
		if err := rows.Scan(&e.id, &seq, &e.start, &e.end, &e.reports); err != nil {
			rows.Close()
			return err
		}
		old[seq] = e
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	seen := map[int]bool{}
	for _, c := range cycles {
		seen[c.Seq] = true
		e, ok := old[c.Seq]
		if ok && e.reports > 0 && (e.start != c.PeriodStart || e.end != c.PeriodEnd) {
			return duban.Errorf(duban.CodeConflict, "第%d个填报周期已有报告，不能改变其起止日期（%s 至 %s）", c.Seq, e.start, e.end)
		}
		if ok {
			_, err = tx.Exec(`UPDATE cycles SET label = $1, period_start = $2, period_end = $3, due = $4, grace_end = $5 WHERE id = $6`,
				c.Label, c.PeriodStart, c.PeriodEnd, c.Due, c.GraceEnd, e.id)
		} else {
			_, err = tx.Exec(`INSERT INTO cycles (org_id, year, seq, label, period_start, period_end, due, grace_end)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, orgID, year, c.Seq, c.Label, c.PeriodStart, c.PeriodEnd, c.Due, c.GraceEnd)
		}
		if err != nil {
			return s.d.Err(err, "")
		}
	}
	for seq, e := range old {
		if seen[seq] {
			continue
		}
		if e.reports > 0 {
			return duban.Errorf(duban.CodeConflict, "第%d个填报周期已有报告，不能删除", seq)
		}
		if _, err := tx.Exec(`DELETE FROM cycles WHERE id = $1`, e.id); err != nil {
			return err
		}
	}
	return nil
}

// FindSchedule returns an organisation's schedule for a year, or
// CodeNotFound when none was set. Anyone who sees the organisation may read
// it.
func (s *Store) FindSchedule(ctx context.Context, a duban.Actor, orgID int64, year int) (sc *duban.Schedule, err error) {
	err = s.run.Read(ctx, a, func(tx Tx) error {
		if err := s.orgVisible(tx, a, orgID); err != nil {
			return err
		}
		sc, err = s.findSchedule(tx, orgID, year)
		return err
	})
	return sc, err
}

func (s *Store) findSchedule(tx Tx, orgID int64, year int) (*duban.Schedule, error) {
	sc := &duban.Schedule{OrgID: orgID, Year: year, Dates: []string{}}
	var kind, shift string
	err := tx.QueryRow(`SELECT kind, day, dates, grace_days, shift, updated_at FROM schedules WHERE org_id = $1 AND year = $2`,
		orgID, year).Scan(&kind, &sc.Day, jsonColumn{&sc.Dates}, &sc.GraceDays, &shift, s.d.ScanTime(&sc.UpdatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("填报周期设置")
	}
	if err != nil {
		return nil, err
	}
	sc.Kind, sc.Shift = duban.ScheduleKind(kind), duban.Shift(shift)
	return sc, nil
}

// FindCycles returns an organisation's cycles of a year in order (all years
// when year is 0).
func (s *Store) FindCycles(ctx context.Context, a duban.Actor, orgID int64, year int) (cycles []*duban.Cycle, err error) {
	err = s.run.Read(ctx, a, func(tx Tx) error {
		if err := s.orgVisible(tx, a, orgID); err != nil {
			return err
		}
		cycles, err = s.cycles(tx, orgID, year)
		return err
	})
	return cycles, err
}

func (s *Store) cycles(tx Tx, orgID int64, year int) ([]*duban.Cycle, error) {
	rows, err := tx.Query(`SELECT id, org_id, year, seq, label, period_start, period_end, due, grace_end
		FROM cycles WHERE org_id = $1 AND (year = $2 OR $2 = 0) ORDER BY year, seq`, orgID, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cycles := []*duban.Cycle{}
	for rows.Next() {
		c := &duban.Cycle{}
		if err := rows.Scan(&c.ID, &c.OrgID, &c.Year, &c.Seq, &c.Label, &c.PeriodStart, &c.PeriodEnd, &c.Due, &c.GraceEnd); err != nil {
			return nil, err
		}
		cycles = append(cycles, c)
	}
	return cycles, rows.Err()
}

// cycle loads cycle id, which must be of organisation orgID.
func (s *Store) cycle(tx Tx, orgID, id int64) (*duban.Cycle, error) {
	c := &duban.Cycle{}
	err := tx.QueryRow(`SELECT id, org_id, year, seq, label, period_start, period_end, due, grace_end
		FROM cycles WHERE id = $1 AND org_id = $2`, id, orgID).
		Scan(&c.ID, &c.OrgID, &c.Year, &c.Seq, &c.Label, &c.PeriodStart, &c.PeriodEnd, &c.Due, &c.GraceEnd)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("填报周期")
	}
	return c, err
}

// SetCalendar replaces the exceptions of an organisation's working week
// (holidays and 调休 days). Only an administrator may.
func (s *Store) SetCalendar(ctx context.Context, a duban.Actor, orgID int64, days []duban.CalendarDay) error {
	return s.run.Write(ctx, a, func(tx Tx) error {
		if err := s.manage(tx, a, orgID); err != nil {
			return err
		}
		before, err := s.calendar(tx, orgID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM calendar_days WHERE org_id = $1`, orgID); err != nil {
			return err
		}
		for _, d := range days {
			if err := checkText("节假日名称", d.Name, 50); err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT INTO calendar_days (org_id, date, working, name) VALUES ($1, $2, $3, $4)`,
				orgID, d.Date, d.Working, d.Name); err != nil {
				return s.d.Err(err, "日期 "+d.Date+" 重复")
			}
		}
		return tx.Audit(orgID, "calendar.update", "calendar", orgID, before, days)
	})
}

// FindCalendar returns the exceptions of an organisation's working week, by
// date.
func (s *Store) FindCalendar(ctx context.Context, a duban.Actor, orgID int64) (days []duban.CalendarDay, err error) {
	err = s.run.Read(ctx, a, func(tx Tx) error {
		if err := s.orgVisible(tx, a, orgID); err != nil {
			return err
		}
		days, err = s.calendar(tx, orgID)
		return err
	})
	return days, err
}

func (s *Store) calendar(tx Tx, orgID int64) ([]duban.CalendarDay, error) {
	rows, err := tx.Query(`SELECT date, working, name FROM calendar_days WHERE org_id = $1 ORDER BY date`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	days := []duban.CalendarDay{}
	for rows.Next() {
		var d duban.CalendarDay
		if err := rows.Scan(&d.Date, &d.Working, &d.Name); err != nil {
			return nil, err
		}
		days = append(days, d)
	}
	return days, rows.Err()
}

// FindSettings returns an organisation's settings, the defaults where none
// were set.
func (s *Store) FindSettings(ctx context.Context, a duban.Actor, orgID int64) (set duban.OrgSettings, err error) {
	err = s.run.Read(ctx, a, func(tx Tx) error {
		if err := s.orgVisible(tx, a, orgID); err != nil {
			return err
		}
		set, err = s.settings(tx, orgID)
		return err
	})
	return set, err
}

func (s *Store) settings(tx Tx, orgID int64) (duban.OrgSettings, error) {
	set := duban.DefaultOrgSettings()
	err := tx.QueryRow(`SELECT value FROM org_settings WHERE org_id = $1`, orgID).Scan(jsonColumn{&set})
	if errors.Is(err, sql.ErrNoRows) {
		return set, nil
	}
	return set, err
}

// UpdateSettings replaces an organisation's settings. Only an administrator
// may.
func (s *Store) UpdateSettings(ctx context.Context, a duban.Actor, orgID int64, set duban.OrgSettings) error {
	return s.run.Write(ctx, a, func(tx Tx) error {
		if err := s.manage(tx, a, orgID); err != nil {
			return err
		}
		before, err := s.settings(tx, orgID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO org_settings (org_id, value) VALUES ($1, $2)
			ON CONFLICT (org_id) DO UPDATE SET value = excluded.value`, orgID, marshal(set)); err != nil {
			return err
		}
		return tx.Audit(orgID, "settings.update", "org", orgID, before, set)
	})
}
