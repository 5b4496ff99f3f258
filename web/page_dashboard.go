package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"duban"
)

// dashboardView is 一图: the year's tasks by light and completion, by
// section, lead unit and leader, the red and yellow lists, and indicator
// trends against targets.
type dashboardView struct {
	*pageBase
	Year      int
	Years     []int
	All       lightCount
	Mine      *lightCount // a leader's own portfolio
	MineHref  string
	Sections  []*lightCount
	Units     []*lightCount
	Leaders   []*lightCount
	Red       []*duban.Task
	Yellow    []*duban.Task
	MoreRed   int
	MoreYel   int
	Charts    map[string]string
	Trends    []trendChart
	NoTasks   bool
	UnitsMore int
	// Average is the mean percent complete of the tasks that have one.
	Average *float64
	// Rollup sums the organisations below a city's, one line each.
	Rollup []duban.OrgSummary
}

// Count is an organisation's number of tasks of a status.
func (v *dashboardView) Count(o duban.OrgSummary, st string) int {
	return o.ByStatus[duban.TaskStatus(st)]
}

// trendChart is one indicator's values by year, outcome against target.
type trendChart struct {
	Name, Unit string
	Chart      string
}

// dashboardListMax bounds the red and yellow lists.
const dashboardListMax = 12

func (s *Server) pageDashboard(ps *pageSet) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *caller, b *pageBase) error {
		ctx := r.Context()
		org := c.actor.OrgID
		tasks, err := s.allTasks(ctx, c.actor, duban.TaskFilter{OrgID: org})
		if err != nil {
			return err
		}
		v := dashboardView{pageBase: b, Years: taskYears(tasks), Charts: map[string]string{}}
		v.Year = s.pickYear(r, v.Years)
		tasks = ofYear(tasks, v.Year)
		b.Title = b.T("dash.title")
		b.Active = "nav.dashboard"
		v.NoTasks = len(tasks) == 0
		var sum float64
		var n int
		for _, t := range tasks {
			v.All.add(t)
			if t.Actual != nil {
				sum += *t.Actual
				n++
			}
		}
		if n > 0 {
			avg := sum / float64(n)
			v.Average = &avg
		}
		year := "&year=" + strconv.Itoa(v.Year)
		if pid := c.user.PersonID; pid != nil {
			mine := &lightCount{Name: b.T("dash.mine")}
			for _, t := range tasks {
				if slices.Contains(t.LeaderIDs, *pid) {
					mine.add(t)
				}
			}
			v.Mine = mine
			v.MineHref = "/tasks?leader_id=" + strconv.FormatInt(*pid, 10) + year
		}
		v.Sections = countBy(tasks, func(t *duban.Task) []string { return []string{t.Section} })
		for _, sc := range v.Sections {
			sc.Href = "/tasks?section=" + urlQuery(sc.Name) + year
		}
		v.Units = countBy(tasks, func(t *duban.Task) []string { return t.LeadUnits })
		byTotal(v.Units)
		if len(v.Units) > 15 {
			v.UnitsMore = len(v.Units) - 15
			v.Units = v.Units[:15]
		}
		v.Leaders = countBy(tasks, func(t *duban.Task) []string { return t.Leaders })
		byTotal(v.Leaders)
		for _, t := range tasks {
			switch t.Light {
			case duban.LightRed:
				v.Red = append(v.Red, t)
			case duban.LightYellow:
				v.Yellow = append(v.Yellow, t)
			}
		}
		if n := len(v.Red); n > dashboardListMax {
			v.MoreRed, v.Red = n-dashboardListMax, v.Red[:dashboardListMax]
		}
		if n := len(v.Yellow); n > dashboardListMax {
			v.MoreYel, v.Yellow = n-dashboardListMax, v.Yellow[:dashboardListMax]
		}
		v.Charts["sections"] = chartJSON(lightBars(b, v.Sections, true, 12))
		v.Charts["units"] = chartJSON(lightBars(b, v.Units, true, 0))
		v.Charts["leaders"] = chartJSON(lightBars(b, v.Leaders, true, 0))
		v.Charts["lights"] = chartJSON(lightPie(b, &v.All))

		if c.actor.Role != duban.RoleReporter {
			sums, err := s.store.RollUp(ctx, c.actor, org)
			if err != nil {
				return fmt.Errorf("roll up: %w", err)
			}
			if len(sums) > 1 {
				v.Rollup = sums
			}
		}
		inds, err := s.store.FindIndicators(ctx, org, nil)
		if err != nil {
			return fmt.Errorf("find indicators: %w", err)
		}
		for _, ind := range inds {
			if len(v.Trends) == 4 {
				break
			}
			if opt, ok := trendOption(b, ind); ok {
				v.Trends = append(v.Trends, trendChart{Name: ind.Name, Unit: ind.Unit, Chart: chartJSON(opt)})
			}
		}
		return s.render(ps, w, r, http.StatusOK, "dashboard", &v)
	}
}

// The colours of the lights in charts; the legend and the tables beside
// the charts name them in words.
const (
	colorRed    = "#d92d20"
	colorYellow = "#f0b400"
	colorGreen  = "#17a34a"
	colorNone   = "#b8bec6"
)

// lightBars is a stacked bar chart of groups by light; horizontal for long
// names (units, leaders). cut shortens the axis labels (0 keeps them).
func lightBars(b *pageBase, cs []*lightCount, horizontal bool, cut int) map[string]any {
	names := make([]string, len(cs))
	series := []map[string]any{}
	type part struct {
		key, color string
		get        func(*lightCount) int
	}
	parts := []part{
		{"light.red", colorRed, func(c *lightCount) int { return c.Red }},
		{"light.yellow", colorYellow, func(c *lightCount) int { return c.Yellow }},
		{"light.green", colorGreen, func(c *lightCount) int { return c.Green }},
		{"light.none", colorNone, func(c *lightCount) int { return c.None }},
	}
	for i, c := range cs {
		names[i] = c.Name
		if cut > 0 {
			names[i] = shortText(c.Name, cut)
		}
	}
	for _, p := range parts {
		data := make([]int, len(cs))
		for i, c := range cs {
			data[i] = p.get(c)
		}
		series = append(series, map[string]any{
			"name": b.T(p.key), "type": "bar", "stack": "all", "data": data,
			"itemStyle": map[string]any{"color": p.color}, "barMaxWidth": 28,
		})
	}
	cat := map[string]any{"type": "category", "data": names, "axisLabel": map[string]any{"interval": 0, "fontSize": 12}}
	val := map[string]any{"type": "value", "minInterval": 1}
	opt := map[string]any{
		"aria":    map[string]any{"enabled": true, "decal": map[string]any{"show": true}},
		"tooltip": map[string]any{"trigger": "axis", "axisPointer": map[string]any{"type": "shadow"}},
		"legend":  map[string]any{"bottom": 0},
		"grid":    map[string]any{"left": 8, "right": 16, "top": 12, "bottom": 36, "containLabel": true},
		"series":  series,
	}
	if horizontal {
		cat["inverse"] = true
		opt["yAxis"], opt["xAxis"] = cat, val
	} else {
		cat["axisLabel"].(map[string]any)["rotate"] = 30
		opt["xAxis"], opt["yAxis"] = cat, val
	}
	return opt
}

// lightPie is the year's tasks by light.
func lightPie(b *pageBase, c *lightCount) map[string]any {
	item := func(key, color string, n int) map[string]any {
		return map[string]any{"name": b.T(key) + " " + strconv.Itoa(n), "value": n, "itemStyle": map[string]any{"color": color}}
	}
	return map[string]any{
		"aria":    map[string]any{"enabled": true, "decal": map[string]any{"show": true}},
		"tooltip": map[string]any{"trigger": "item", "formatter": "{b}：{c}（{d}%）"},
		"legend":  map[string]any{"bottom": 0},
		"series": []map[string]any{{
			"type": "pie", "radius": []string{"42%", "68%"}, "center": []string{"50%", "45%"},
			"label": map[string]any{"show": false},
			"data": []map[string]any{
				item("light.red", colorRed, c.Red), item("light.yellow", colorYellow, c.Yellow),
				item("light.green", colorGreen, c.Green), item("light.none", colorNone, c.None),
			},
		}},
	}
}

// trendOption is an indicator's outcomes and targets by year, when it has
// figures for at least two points.
func trendOption(b *pageBase, ind *duban.Indicator) (map[string]any, bool) {
	var years []int
	for _, v := range ind.Values {
		if v.Value != nil && !slices.Contains(years, v.Year) {
			years = append(years, v.Year)
		}
	}
	if len(years) == 0 {
		return nil, false
	}
	slices.Sort(years)
	labels := make([]string, len(years))
	target := make([]any, len(years))
	actual := make([]any, len(years))
	n := 0
	for i, y := range years {
		labels[i] = strconv.Itoa(y)
		for _, v := range ind.Values {
			if v.Year != y || v.Value == nil {
				continue
			}
			if v.Kind == "actual" {
				actual[i] = *v.Value
			} else {
				target[i] = *v.Value
			}
			n++
		}
	}
	if n < 2 {
		return nil, false
	}
	return map[string]any{
		"aria":    map[string]any{"enabled": true},
		"tooltip": map[string]any{"trigger": "axis"},
		"legend":  map[string]any{"bottom": 0},
		"grid":    map[string]any{"left": 8, "right": 16, "top": 16, "bottom": 32, "containLabel": true},
		"xAxis":   map[string]any{"type": "category", "data": labels},
		"yAxis":   map[string]any{"type": "value", "scale": true, "name": ind.Unit},
		"series": []map[string]any{
			{"name": b.T("ind.target"), "type": "line", "data": target, "connectNulls": true, "symbol": "rect", "symbolSize": 9,
				"lineStyle": map[string]any{"type": "dashed", "color": "#7a1212"}, "itemStyle": map[string]any{"color": "#7a1212"}},
			{"name": b.T("ind.actual"), "type": "line", "data": actual, "connectNulls": true, "symbol": "circle", "symbolSize": 9,
				"lineStyle": map[string]any{"width": 3, "color": "#0b4f9c"}, "itemStyle": map[string]any{"color": "#0b4f9c"},
				"label": map[string]any{"show": true, "position": "top"}},
		},
	}, true
}
