package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"duban"
)

// ledgerView is 一表: the decomposition's columns with each task's status,
// light and latest progress, filtered.
type ledgerView struct {
	*pageBase
	Filter   *form
	Fields   []fieldView
	Rows     []ledgerRow
	Total    int
	Year     int
	Filtered bool
	L        ledgerLabels
}

// ledgerRow is a task of the ledger; Section is set on the first task of
// each section, which the table shows as a heading row.
type ledgerRow struct {
	*duban.Task
	NewSection string
	Latest     *duban.Report
	// What the row shows, in words: worked out once here, since a ledger
	// has hundreds of rows.
	Ref, LeadersText, LeadText, RespText string
	LightClass, LightText, StatusText    string
	LatestStatus, Percent                string
}

// ledgerLabels are the column names, for the phone's cards.
type ledgerLabels struct {
	No, Content, Leaders, Lead, Resp, Progress, Latest, None string
}

func (s *Server) pageLedger(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		ctx := r.Context()
		org := c.actor.OrgID
		q := r.URL.Query()
		b.Title = b.T("ledger.title")
		b.Active = "nav.ledger"
		f := duban.TaskFilter{OrgID: org, Section: queryString(q, "section"), Query: queryString(q, "q")}
		var err error
		if f.LeaderID, err = queryInt64(q, "leader_id"); err != nil {
			return err
		}
		if f.UnitID, err = queryInt64(q, "unit_id"); err != nil {
			return err
		}
		if st := queryString(q, "status"); st != nil {
			status := duban.TaskStatus(*st)
			if !validStatus(status) {
				return duban.Errorf(duban.CodeInvalid, "参数 status 无效")
			}
			f.Status = &status
		}
		if f.Query != nil {
			if err := checkLength("搜索词", *f.Query, 100); err != nil {
				return err
			}
		}
		light := q.Get("light")
		all, err := s.allTasks(ctx, c.actor, duban.TaskFilter{OrgID: org})
		if err != nil {
			return err
		}
		years := taskYears(all)
		v := ledgerView{pageBase: b, Filter: newForm(q)}
		v.Year = s.pickYear(r, years)
		f.Year = &v.Year
		v.Filtered = f.Section != nil || f.LeaderID != nil || f.UnitID != nil || f.Status != nil || f.Query != nil || light != ""
		tasks := ofYear(all, v.Year)
		if v.Filtered {
			if tasks, err = s.allTasks(ctx, c.actor, f); err != nil {
				return err
			}
		}
		if light != "" {
			tasks = slices.DeleteFunc(tasks, func(t *duban.Task) bool { return lightClassOf(t.Light) != light })
		}
		cycles, err := s.store.FindCycles(ctx, c.actor, org, v.Year)
		if err != nil {
			return fmt.Errorf("find cycles: %w", err)
		}
		latest, err := s.latestReports(ctx, c.actor, org, cycles, currentCycle(cycles, s.today()), tasks)
		if err != nil {
			return err
		}
		section := "\x00"
		for _, t := range tasks {
			row := ledgerRow{Task: t, Latest: latest[t.ID], Ref: taskRef(t), LeadersText: joinNames(t.Leaders),
				LeadText: joinNames(t.LeadUnits), RespText: joinNames(t.ResponsibleUnits),
				LightClass: lightClassOf(t.Light), LightText: b.Light(t.Light), StatusText: b.Status(t.Status)}
			if row.RespText == "" {
				row.RespText = "—"
			}
			if row.Latest != nil {
				row.LatestStatus = b.ReportStatus(row.Latest.Status)
			}
			if t.Actual != nil {
				row.Percent = formatPercent(t.Actual)
			}
			if t.Section != section {
				section = t.Section
				row.NewSection = t.Section
			}
			v.Rows = append(v.Rows, row)
		}
		v.Total = len(tasks)
		v.L = ledgerLabels{No: b.T("ledger.no"), Content: b.T("ledger.content"), Leaders: b.T("ledger.leaders"),
			Lead: b.T("ledger.leadunits"), Resp: b.T("ledger.respunits"), Progress: b.T("ledger.progress"),
			Latest: b.T("ledger.latest"), None: b.T("report.none")}

		people, err := s.store.FindPeople(ctx, org)
		if err != nil {
			return fmt.Errorf("find people: %w", err)
		}
		units, err := s.store.FindUnits(ctx, org)
		if err != nil {
			return fmt.Errorf("find units: %w", err)
		}
		all = ofYear(all, v.Year)
		v.Fields = ledgerFields(b, v.Filter, all, people, units, years, v.Year)
		return s.render(ps, w, r, http.StatusOK, "ledger", v)
	}
}

// lightClassOf names a light for filters and CSS: none for no light.
func lightClassOf(l duban.Light) string {
	if l == duban.LightNone {
		return "none"
	}
	return string(l)
}

// ledgerFields are the ledger's filters: year, section, leader, unit or
// group, status, light and search.
func ledgerFields(b *pageBase, f *form, tasks []*duban.Task, people []*duban.Person, units []*duban.Unit, years []int, year int) []fieldView {
	all := option{Value: "", Label: b.T("form.all")}
	var yearOpts []option
	for _, y := range years {
		yearOpts = append(yearOpts, option{Value: strconv.Itoa(y), Label: strconv.Itoa(y)})
	}
	sections := []option{all}
	for _, t := range tasks {
		if !slices.ContainsFunc(sections, func(o option) bool { return o.Value == t.Section }) {
			sections = append(sections, option{Value: t.Section, Label: t.Section})
		}
	}
	leaders := []option{all}
	for _, p := range people {
		leaders = append(leaders, option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
	}
	unitOpts := []option{all}
	for _, u := range units {
		label := u.Name
		if u.Kind == duban.UnitGroup {
			label += b.T("ledger.group")
		}
		unitOpts = append(unitOpts, option{Value: strconv.FormatInt(u.ID, 10), Label: label})
	}
	statuses := []option{all}
	for _, st := range []duban.TaskStatus{duban.StatusNotStarted, duban.StatusOnTrack, duban.StatusBehind, duban.StatusDone, duban.StatusClosed} {
		statuses = append(statuses, option{Value: string(st), Label: b.Status(st)})
	}
	lights := []option{all}
	for _, l := range []string{"red", "yellow", "green", "none"} {
		lights = append(lights, option{Value: l, Label: b.T("light." + l)})
	}
	if f.V("year") == "" {
		f.Values.Set("year", strconv.Itoa(year))
	}
	fields := []fieldView{
		f.field("q", b.T("ledger.search"), "search", false),
		f.field("section", b.T("ledger.section"), "select", false, sections...),
		f.field("leader_id", b.T("ledger.leader"), "select", false, leaders...),
		f.field("unit_id", b.T("ledger.unit"), "select", false, unitOpts...),
		f.field("status", b.T("ledger.status"), "select", false, statuses...),
		f.field("light", b.T("ledger.light"), "select", false, lights...),
	}
	if len(years) > 1 {
		fields = append(fields, f.field("year", b.T("dash.year"), "select", false, yearOpts...))
	}
	fields[0].Class = "q"
	return fields
}

// joinNames writes a list of names for a table cell.
func joinNames(names []string) string { return strings.Join(names, "、") }
