package web

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"duban"
)

// What several pages read: every task in scope, the year shown, the cycle
// under way and the latest reports.

// allTasks returns every task the actor may see under f, page after page.
func (s *Server) allTasks(ctx context.Context, a duban.Actor, f duban.TaskFilter) ([]*duban.Task, error) {
	f.Limit = maxTaskLimit
	var out []*duban.Task
	for f.Offset = 0; ; f.Offset += maxTaskLimit {
		page, total, err := s.store.FindTasks(ctx, a, f)
		if err != nil {
			return nil, fmt.Errorf("find tasks: %w", err)
		}
		out = append(out, page...)
		if len(page) == 0 || len(out) >= total {
			return out, nil
		}
	}
}

// taskYears returns the years of tasks, newest first.
func taskYears(tasks []*duban.Task) []int {
	var years []int
	for _, t := range tasks {
		if !slices.Contains(years, t.Year) {
			years = append(years, t.Year)
		}
	}
	slices.Sort(years)
	slices.Reverse(years)
	return years
}

// pickYear is ?year= when it is one of years, else duban.DefaultYear: the
// current year, or the year nearest before it, so that a document of another
// year imported by mistake does not move what everyone sees.
func (s *Server) pickYear(r *http.Request, years []int) int {
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && slices.Contains(years, y) {
		return y
	}
	return duban.DefaultYear(years, s.now().In(s.cfg.location()).Year())
}

// ofYear keeps the tasks of a year.
func ofYear(tasks []*duban.Task, year int) []*duban.Task {
	out := make([]*duban.Task, 0, len(tasks))
	for _, t := range tasks {
		if t.Year == year {
			out = append(out, t)
		}
	}
	return out
}

// today is the server's local date.
func (s *Server) today() string { return s.now().In(s.cfg.location()).Format(time.DateOnly) }

// currentCycle is the cycle under way on today: the first whose grace has
// not ended, or the last one once the year is over. nil without cycles.
func currentCycle(cycles []*duban.Cycle, today string) *duban.Cycle {
	if len(cycles) == 0 {
		return nil
	}
	for _, c := range cycles {
		if c.GraceEnd >= today || c.Due >= today {
			return c
		}
	}
	return cycles[len(cycles)-1]
}

// latestReports returns, by task, the newest report among the current cycle
// and the two before it that says anything (drafts count for the unit
// that sees them). It looks no further back once every one of tasks has one.
func (s *Server) latestReports(ctx context.Context, a duban.Actor, org int64, cycles []*duban.Cycle, cur *duban.Cycle, tasks []*duban.Task) (map[int64]*duban.Report, error) {
	out := map[int64]*duban.Report{}
	wanted := make(map[int64]bool, len(tasks))
	for _, t := range tasks {
		wanted[t.ID] = true
	}
	found := 0
	if cur == nil {
		return out, nil
	}
	i := slices.IndexFunc(cycles, func(c *duban.Cycle) bool { return c.ID == cur.ID })
	for k := i; k >= 0 && k > i-3 && found < len(wanted); k-- {
		id := cycles[k].ID
		for offset := 0; ; offset += maxReportLimit {
			reps, total, err := s.store.FindReports(ctx, a, duban.ReportFilter{OrgID: org, CycleID: &id, Limit: maxReportLimit, Offset: offset})
			if err != nil {
				return nil, fmt.Errorf("find reports: %w", err)
			}
			for _, r := range reps {
				if _, ok := out[r.TaskID]; !ok && wanted[r.TaskID] && (r.Progress != "" || r.Status != duban.ReportDraft) {
					out[r.TaskID] = r
					found++
				}
			}
			if len(reps) == 0 || offset+len(reps) >= total {
				break
			}
		}
	}
	return out, nil
}

// shortText cuts s to n characters with an ellipsis.
func shortText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// lightCount counts tasks by light.
type lightCount struct {
	Name                     string
	Href                     string
	Red, Yellow, Green, None int
	Done                     int // done or closed
	Total                    int
}

func (c *lightCount) add(t *duban.Task) {
	c.Total++
	switch t.Light {
	case duban.LightRed:
		c.Red++
	case duban.LightYellow:
		c.Yellow++
	case duban.LightGreen:
		c.Green++
	default:
		c.None++
	}
	if t.Status == duban.StatusDone || t.Status == duban.StatusClosed {
		c.Done++
	}
}

// DoneRate is the share of tasks done or closed, in percent.
func (c lightCount) DoneRate() *float64 {
	if c.Total == 0 {
		return nil
	}
	v := float64(c.Done) * 100 / float64(c.Total)
	return &v
}

// countBy groups tasks under keys (a task may count under several: each of
// its lead units) and returns the groups in first-seen order.
func countBy(tasks []*duban.Task, keys func(*duban.Task) []string) []*lightCount {
	var out []*lightCount
	idx := map[string]*lightCount{}
	for _, t := range tasks {
		for _, k := range keys(t) {
			c, ok := idx[k]
			if !ok {
				c = &lightCount{Name: k}
				idx[k] = c
				out = append(out, c)
			}
			c.add(t)
		}
	}
	return out
}

// byTotal sorts groups by their number of tasks, most first.
func byTotal(cs []*lightCount) {
	slices.SortStableFunc(cs, func(a, b *lightCount) int { return cmp.Compare(b.Total, a.Total) })
}

// taskRef is how pages name a task: 一、3.
func taskRef(t *duban.Task) string {
	sec := []rune(t.Section)
	if i := slices.Index(sec, '、'); i > 0 && i <= 4 {
		return string(sec[:i+1]) + strconv.Itoa(t.Number)
	}
	return strconv.Itoa(t.Number)
}

// urlQuery escapes a value for a link's query.
func urlQuery(s string) string { return url.QueryEscape(s) }
