package ranking

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"time"

	"duban"
	"duban/calendar"
)

// Score ranks the units and the leaders' portfolios of in at the end of
// in.AsOf by r, as the package documentation says. It is pure, deterministic
// and never panics. Rules that Validate refuses are brought into range first
// (a negative weight counts 0), so call Validate where rules are set.
func Score(in Input, r Rules) Result {
	r = r.sane()
	p := prepare(in, r)
	day := p.score(in.AsOf)
	res := Result{AsOf: in.AsOf, Max: r.max(), Rules: r.Lines()}
	res.Units = p.entries(p.units, day.units, &r, false)
	res.Leaders = p.entries(p.leaders, day.leaders, &r, true)
	return res
}

// History scores in at the end of each of days, in their order, from what was
// known then (see the package documentation), for a chart of the year. It is
// pure and deterministic; Snapshot i is days[i].
func History(in Input, r Rules, days []calendar.Date) []Snapshot {
	r = r.sane()
	p := prepare(in, r)
	out := make([]Snapshot, len(days))
	for i, d := range days {
		day := p.score(d)
		out[i] = Snapshot{Day: d, Units: p.standings(p.units, day.units), Leaders: p.standings(p.leaders, day.leaders)}
	}
	return out
}

// key names a unit or a leader: by ID, or by name when the ID is 0.
type key struct {
	id   int64
	name string
}

// who is a unit or a leader to score.
type who struct {
	key
	name  string
	tasks []int64
}

type cycle struct {
	end, due, grace calendar.Date
}

type review struct {
	day      calendar.Date
	decision duban.ReviewDecision
	quality  int // 0: not rated
}

type report struct {
	submitted  calendar.Date // zero: not submitted
	late       bool
	in         bool // its status now counts its progress
	percent    float64
	hasPercent bool
	stands     calendar.Date // the day its progress stands at
	reviews    []review      // in the order they were made
}

type task struct {
	start, deadline calendar.Date
	closed          calendar.Date // zero: open
	done            bool          // Status says done or closed, as of AsOf
	units, leaders  []int         // indexes into prepared.units and .leaders
}

type notice struct {
	task                       int
	issued, answered, deadline calendar.Date
	units                      []int
}

// prepared is an Input read once, with every instant turned into a day, for
// scoring on any number of days.
type prepared struct {
	asOf           calendar.Date
	rules          Rules
	cycles         []cycle
	tasks          []task
	slots          []int32 // report of task t for cycle c at t*len(cycles)+c; -1 none
	reports        []report
	reviews        []review // the reviews of all reports, each report's together
	notices        []notice
	units, leaders []who
}

// readReviews appends rs to p.reviews as days, in the order they were made,
// and returns them.
func (p *prepared) readReviews(rs []Review, dayOf func(time.Time) calendar.Date) []review {
	start := len(p.reviews)
	sorted := true
	for j, v := range rs {
		q := 0
		if v.Quality != nil && *v.Quality >= 1 && *v.Quality <= 5 {
			q = *v.Quality
		}
		p.reviews = append(p.reviews, review{day: dayOf(v.At), decision: v.Decision, quality: q})
		if j > 0 && v.At.Before(rs[j-1].At) {
			sorted = false
		}
	}
	out := p.reviews[start:len(p.reviews):len(p.reviews)]
	if !sorted {
		order := make([]int, len(rs))
		for j := range order {
			order[j] = j
		}
		slices.SortStableFunc(order, func(a, b int) int { return rs[a].At.Compare(rs[b].At) })
		tmp := slices.Clone(out)
		for j, k := range order {
			out[j] = tmp[k]
		}
	}
	return out
}

func prepare(in Input, r Rules) *prepared {
	p := &prepared{asOf: in.AsOf, rules: r}
	// dayOf reads an instant as a day: the days since 1970 of its wall
	// clock, which is calendar.DateOf without breaking the time into parts.
	epoch := calendar.NewDate(1970, 1, 1)
	dayOf := func(t time.Time) calendar.Date {
		if in.Location != nil {
			t = t.In(in.Location)
		}
		_, off := t.Zone()
		s := t.Unix() + int64(off)
		d := s / 86400
		if s%86400 < 0 {
			d--
		}
		return epoch.AddDays(int(d))
	}

	// Cycles in the order of their periods, those without a due date left
	// out.
	type cyc struct {
		id int64
		c  cycle
	}
	var cs []cyc
	seen := map[int64]bool{}
	for _, c := range in.Cycles {
		if c.Due.IsZero() || seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		g := c.GraceEnd
		if g.Before(c.Due) {
			g = c.Due
		}
		cs = append(cs, cyc{c.ID, cycle{end: c.PeriodEnd, due: c.Due, grace: g}})
	}
	slices.SortStableFunc(cs, func(a, b cyc) int {
		ea, eb := a.c.end, b.c.end
		if ea.IsZero() {
			ea = a.c.due
		}
		if eb.IsZero() {
			eb = b.c.due
		}
		return cmp.Or(ea.Compare(eb), a.c.due.Compare(b.c.due), cmp.Compare(a.id, b.id))
	})
	cycleIndex := make(map[int64]int, len(cs))
	p.cycles = make([]cycle, len(cs))
	for i, c := range cs {
		cycleIndex[c.id] = i
		p.cycles[i] = c.c
	}

	// Tasks by ID, the first of a repeated ID counting.
	ts := make([]*Task, 0, len(in.Tasks))
	seen = map[int64]bool{}
	for i := range in.Tasks {
		if t := &in.Tasks[i]; !seen[t.ID] {
			seen[t.ID] = true
			ts = append(ts, t)
		}
	}
	slices.SortStableFunc(ts, func(a, b *Task) int { return cmp.Compare(a.ID, b.ID) })
	taskIndex := make(map[int64]int, len(ts))

	units := newRoster(len(in.Units))
	groups := func(id int64) bool { return len(in.Groups[id]) > 0 }
	unitName := func(id int64, fallback string) string {
		if n := in.Units[id]; n != "" {
			return n
		}
		if fallback != "" {
			return fallback
		}
		return "单位#" + strconv.FormatInt(id, 10)
	}
	leaderName := func(id int64, fallback string) string {
		if n := in.People[id]; n != "" {
			return n
		}
		if fallback != "" {
			return fallback
		}
		return "领导#" + strconv.FormatInt(id, 10)
	}
	for _, id := range sortedKeys(in.Units) {
		if _, group := in.Groups[id]; !group {
			units.add(key{id: id}, unitName(id, ""))
		}
	}
	leaders := newRoster(len(in.People))
	for _, id := range sortedKeys(in.People) {
		leaders.add(key{id: id}, leaderName(id, ""))
	}
	// expand turns a unit into the units that answer for it: a group's
	// members, and their members in turn, each group once.
	var expand func(id int64, name string, out []key, open map[int64]bool) []key
	expand = func(id int64, name string, out []key, open map[int64]bool) []key {
		switch {
		case id == 0 && name == "":
			return out
		case id == 0:
			return append(out, key{name: name})
		case !groups(id):
			return append(out, key{id: id})
		case open[id]:
			return out // a group among its own members
		}
		if open == nil {
			open = map[int64]bool{}
		}
		open[id] = true
		for _, m := range in.Groups[id] {
			out = expand(m, "", out, open)
		}
		return out
	}

	p.tasks = make([]task, len(ts))
	for i, t := range ts {
		taskIndex[t.ID] = i
		pt := &p.tasks[i]
		year := t.Year
		if year < calendar.MinYear || year > calendar.MaxYear {
			year = t.Deadline.Year()
			if t.Deadline.IsZero() {
				year = in.AsOf.Year()
			}
		}
		pt.start = calendar.NewDate(year, 1, 1)
		pt.deadline = t.Deadline
		if pt.deadline.IsZero() {
			pt.deadline = calendar.NewDate(year, 12, 31)
		}
		switch {
		case t.ClosedAt != nil:
			pt.closed = dayOf(*t.ClosedAt)
		case t.Status == duban.StatusClosed:
			pt.closed = in.AsOf
		}
		pt.done = t.Status == duban.StatusDone || t.Status == duban.StatusClosed

		var ks []key
		for j, id := range t.LeadUnitIDs {
			name := ""
			if j < len(t.LeadUnits) {
				name = t.LeadUnits[j]
			}
			before := len(ks)
			ks = expand(id, name, ks, nil)
			for _, k := range ks[before:] {
				n := k.name
				if k.id != 0 {
					fallback := ""
					if k.id == id {
						fallback = name
					}
					n = unitName(k.id, fallback)
				}
				units.add(k, n)
			}
		}
		pt.units = units.indexes(ks, t.ID)
		ks = ks[:0]
		for j, id := range t.LeaderIDs {
			name := ""
			if j < len(t.Leaders) {
				name = t.Leaders[j]
			}
			if id == 0 && name == "" {
				continue
			}
			k, n := key{id: id}, name
			if id != 0 {
				n = leaderName(id, name)
			} else {
				k.name = name
			}
			leaders.add(k, n)
			ks = append(ks, k)
		}
		pt.leaders = leaders.indexes(ks, t.ID)
	}
	p.units, p.leaders = units.list, leaders.list

	// Reports, one per task and cycle: the first submitted counts.
	nc := len(p.cycles)
	p.slots = make([]int32, len(p.tasks)*nc)
	for i := range p.slots {
		p.slots[i] = -1
	}
	p.reports = make([]report, 0, len(in.Reports))
	nr := 0
	for i := range in.Reports {
		nr += len(in.Reports[i].Reviews)
	}
	p.reviews = make([]review, 0, nr)
	for i := range in.Reports {
		r := &in.Reports[i]
		ti, ok1 := taskIndex[r.TaskID]
		ci, ok2 := cycleIndex[r.CycleID]
		if !ok1 || !ok2 {
			continue
		}
		pr := report{late: r.Late}
		if r.SubmittedAt != nil {
			pr.submitted = dayOf(*r.SubmittedAt)
		}
		if prev := p.slots[ti*nc+ci]; prev >= 0 {
			q := p.reports[prev].submitted
			if pr.submitted.IsZero() || (!q.IsZero() && !pr.submitted.Before(q)) {
				continue
			}
		}
		switch r.Status {
		case duban.ReportSubmitted, duban.ReportApproved, duban.ReportEvidenceRequested:
			pr.in = true
		}
		if r.Percent != nil && !math.IsNaN(*r.Percent) {
			pr.percent, pr.hasPercent = min(max(*r.Percent, 0), 100), true
		}
		pr.stands = p.cycles[ci].end
		if pr.stands.IsZero() || pr.submitted.Before(pr.stands) {
			pr.stands = pr.submitted
		}
		if len(r.Reviews) > 0 {
			pr.reviews = p.readReviews(r.Reviews, dayOf)
		}
		if prev := p.slots[ti*nc+ci]; prev >= 0 {
			p.reports[prev] = pr
		} else {
			p.slots[ti*nc+ci] = int32(len(p.reports))
			p.reports = append(p.reports, pr)
		}
	}

	// Notices, for the unit they were issued to when it leads the task.
	seen = map[int64]bool{}
	for i := range in.Notices {
		n := &in.Notices[i]
		ti, ok := taskIndex[n.TaskID]
		if !ok || seen[n.ID] {
			continue
		}
		seen[n.ID] = true
		pn := notice{task: ti, issued: dayOf(n.IssuedAt), deadline: n.Deadline}
		for _, t := range []*time.Time{n.RespondedAt, n.ClosedAt} {
			if t != nil {
				if d := dayOf(*t); pn.answered.IsZero() || d.Before(pn.answered) {
					pn.answered = d
				}
			}
		}
		pt := &p.tasks[ti]
		if n.UnitID != 0 {
			for _, k := range expand(n.UnitID, "", nil, nil) {
				if j, ok := units.index[k]; ok && slices.Contains(pt.units, j) {
					pn.units = append(pn.units, j)
				}
			}
		}
		if len(pn.units) == 0 {
			pn.units = pt.units
		}
		p.notices = append(p.notices, pn)
	}
	return p
}

// roster lists units or leaders in the order they are first met.
type roster struct {
	list  []who
	index map[key]int
}

func newRoster(n int) *roster {
	return &roster{list: make([]who, 0, n), index: make(map[key]int, n)}
}

func (r *roster) add(k key, name string) {
	if _, ok := r.index[k]; ok {
		return
	}
	r.index[k] = len(r.list)
	r.list = append(r.list, who{key: k, name: name})
}

// indexes returns the places of ks, each once, noting task id for each.
func (r *roster) indexes(ks []key, id int64) []int {
	out := make([]int, 0, len(ks))
	for _, k := range ks {
		i := r.index[k]
		if !slices.Contains(out, i) {
			out = append(out, i)
			r.list[i].tasks = append(r.list[i].tasks, id)
		}
	}
	return out
}

func sortedKeys(m map[int64]string) []int64 {
	ks := make([]int64, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// tally counts what the parts of a score are made of.
type tally struct {
	tasks                                                 int     // counted for completion
	rate                                                  float64 // the sum of their completion rates
	closed, done, onSchedule, behind, unknown, unreported int
	onTime, late, afterGrace, missing                     int // reports judged
	ratings, ratingSum, returns                           int
	pastDeadline, early                                   int
	notices, noticeOnTime, noticeLate, unanswered         int
}

func (t *tally) add(o *tally) {
	t.tasks += o.tasks
	t.rate += o.rate
	t.closed += o.closed
	t.done += o.done
	t.onSchedule += o.onSchedule
	t.behind += o.behind
	t.unknown += o.unknown
	t.unreported += o.unreported
	t.onTime += o.onTime
	t.late += o.late
	t.afterGrace += o.afterGrace
	t.missing += o.missing
	t.ratings += o.ratings
	t.ratingSum += o.ratingSum
	t.returns += o.returns
	t.pastDeadline += o.pastDeadline
	t.early += o.early
}

func (t *tally) addNotices(o *tally) {
	t.notices += o.notices
	t.noticeOnTime += o.noticeOnTime
	t.noticeLate += o.noticeLate
	t.unanswered += o.unanswered
}

// dayScore is the tallies of one day.
type dayScore struct {
	units, leaders []tally
}

// score tallies every unit and leader at the end of day.
func (p *prepared) score(day calendar.Date) dayScore {
	ds := dayScore{units: make([]tally, len(p.units)), leaders: make([]tally, len(p.leaders))}
	for i := range p.tasks {
		t := p.tally(i, day)
		for _, u := range p.tasks[i].units {
			ds.units[u].add(&t)
		}
		for _, l := range p.tasks[i].leaders {
			ds.leaders[l].add(&t)
		}
	}
	for i := range p.notices {
		n := &p.notices[i]
		var t tally
		if n.issued.After(day) {
			continue
		}
		answered := !n.answered.IsZero() && !n.answered.After(day)
		switch {
		case answered && (n.deadline.IsZero() || !n.answered.After(n.deadline)):
			t.noticeOnTime = 1
		case answered:
			t.noticeLate = 1
		case !n.deadline.IsZero() && !n.deadline.After(day):
			t.unanswered = 1
		default:
			continue // open, with time left
		}
		t.notices = 1
		for _, u := range n.units {
			ds.units[u].addNotices(&t)
		}
		for _, l := range p.tasks[n.task].leaders {
			ds.leaders[l].addNotices(&t)
		}
	}
	return ds
}

// tally counts task i at the end of day.
func (p *prepared) tally(i int, day calendar.Date) tally {
	var t tally
	pt := &p.tasks[i]
	nc := len(p.cycles)
	slots := p.slots[i*nc : (i+1)*nc]
	closed := !pt.closed.IsZero() && !pt.closed.After(day)
	counted := closed || !pt.deadline.After(day)

	for c := range p.cycles {
		cy := &p.cycles[c]
		if cy.due.After(day) || closed && !cy.due.Before(pt.closed) {
			continue
		}
		counted = true
		var sub calendar.Date
		var late bool
		if s := slots[c]; s >= 0 {
			r := &p.reports[s]
			if !r.submitted.IsZero() && !r.submitted.After(day) {
				sub, late = r.submitted, r.late
			}
		}
		switch {
		case !sub.IsZero() && !late && !sub.After(cy.due):
			t.onTime++
		case !sub.IsZero() && !sub.After(cy.grace):
			t.late++
		case !sub.IsZero():
			t.afterGrace++
		case !cy.grace.After(day):
			t.missing++
		}
	}

	// The office's reviews so far, and the latest progress that is in.
	var latest *report
	anyIn := false
	for c := nc - 1; c >= 0; c-- {
		s := slots[c]
		if s < 0 {
			continue
		}
		r := &p.reports[s]
		for _, v := range r.reviews {
			if v.day.After(day) {
				continue
			}
			if v.decision == duban.DecisionReturn {
				t.returns++
			}
			if v.quality > 0 {
				t.ratings++
				t.ratingSum += v.quality
			}
		}
		if latest == nil && p.inAt(r, day) {
			anyIn = true
			if r.hasPercent {
				latest = r
			}
		}
	}

	if !counted {
		return t
	}
	t.tasks = 1
	passed := !pt.deadline.After(day)
	done := closed || pt.done && !day.Before(p.asOf) || latest != nil && latest.percent >= 100
	switch {
	case closed:
		t.closed, t.rate = 1, 1
		if pt.deadline.Sub(pt.closed) >= p.rules.EarlyClosure.DaysAhead {
			t.early = 1
		}
	case done:
		t.done, t.rate = 1, 1
	case latest != nil:
		expected := 1.0
		if !passed {
			expected = p.expected(pt, latest.stands)
		}
		t.rate = 1
		if expected > 0 {
			t.rate = min(latest.percent/100/expected, 1)
		}
		if t.rate >= 1 {
			t.onSchedule = 1
		} else {
			t.behind = 1
		}
	case anyIn:
		t.unknown, t.rate = 1, 1
	default:
		t.unreported = 1
	}
	if passed && !done {
		t.pastDeadline = 1
	}
	return t
}

// inAt reports whether r's progress counts at the end of day: submitted by
// then and, by the office's last decision by then, not returned. Without a
// decision after day, its status now says.
func (p *prepared) inAt(r *report, day calendar.Date) bool {
	if r.submitted.IsZero() || r.submitted.After(day) {
		return false
	}
	last, later := -1, false
	for j, v := range r.reviews {
		if v.day.After(day) {
			later = true
		} else {
			last = j
		}
	}
	switch {
	case !later:
		return r.in
	case last < 0:
		return true // submitted, waiting for its first review
	}
	return r.reviews[last].decision != duban.DecisionReturn
}

// expected is 序时进度 of t at the end of day, from 0 to 1.
func (p *prepared) expected(t *task, day calendar.Date) float64 {
	total := t.deadline.Sub(t.start) + 1
	if total <= 0 {
		return 1
	}
	gone := min(max(day.Sub(t.start)+1, 0), total)
	return float64(gone) / float64(total)
}

// points are the parts of one score, each rounded; deductions and the cap
// are positive amounts.
type points struct {
	timeliness, completion, quality, notice float64
	returned, beyondGrace, noticeOverdue    float64
	pastDeadline, capBack, bonus, floor     float64
	base, deducted, total                   float64
}

// points makes a score of t by r.
func (r *Rules) points(t *tally) points {
	var s points
	// share is w times a share from 0 to 1, never above w by a rounding.
	share := func(w, x float64) float64 { return min(round2(w*min(max(x, 0), 1)), round2(w)) }
	s.timeliness = round2(r.Timeliness.Weight)
	if n := t.onTime + t.late + t.afterGrace + t.missing; n > 0 {
		s.timeliness = share(r.Timeliness.Weight, (float64(t.onTime)+r.Timeliness.LateCredit*float64(t.late))/float64(n))
	}
	if t.tasks > 0 {
		s.completion = share(r.Completion.Weight, t.rate/float64(t.tasks))
	}
	mean := r.Quality.Unrated
	if t.ratings > 0 {
		mean = float64(t.ratingSum) / float64(t.ratings)
	}
	s.quality = share(r.Quality.Weight, mean/5)
	s.notice = round2(r.Notice.Weight)
	if t.notices > 0 {
		s.notice = share(r.Notice.Weight, (float64(t.noticeOnTime)+r.Notice.LateCredit*float64(t.noticeLate))/float64(t.notices))
	}
	s.base = round2(s.timeliness + s.completion + s.quality + s.notice)

	s.returned = r.Returned.take(t.returns)
	s.beyondGrace = r.BeyondGrace.take(t.afterGrace + t.missing)
	s.noticeOverdue = r.NoticeOverdue.take(t.noticeLate + t.unanswered)
	s.pastDeadline = r.PastDeadline.take(t.pastDeadline)
	sum := round2(s.returned + s.beyondGrace + s.noticeOverdue + s.pastDeadline)
	if r.DeductionCap > 0 && sum > r.DeductionCap {
		s.capBack = round2(sum - r.DeductionCap)
	}
	s.deducted = round2(sum - s.capBack)
	if t.early > 0 && r.EarlyClosure.Points > 0 {
		s.bonus = round2(min(r.EarlyClosure.Points*float64(t.early), r.EarlyClosure.Cap))
	}
	s.total = round2(s.base - s.deducted + s.bonus)
	if s.total < 0 {
		s.floor, s.total = -s.total, 0
	}
	return s
}

// take is the deduction for n items, rounded.
func (d Deduction) take(n int) float64 {
	v := d.Points * float64(n)
	if d.Cap > 0 && v > d.Cap {
		v = d.Cap
	}
	return round2(v)
}

// order returns the indexes of the rated among ws, best first, with their
// points (nil for the unrated, listed after by name).
func (p *prepared) order(ws []who, ts []tally) ([]int, []points) {
	ps := make([]points, len(ws))
	idx := make([]int, len(ws))
	for i := range ws {
		idx[i] = i
		if ts[i].tasks > 0 {
			ps[i] = p.rules.points(&ts[i])
		}
	}
	slices.SortFunc(idx, func(a, b int) int {
		ra, rb := ts[a].tasks > 0, ts[b].tasks > 0
		if ra != rb {
			if ra {
				return -1
			}
			return 1
		}
		if ra {
			if c := cmp.Or(cmp.Compare(ps[b].total, ps[a].total), cmp.Compare(ps[b].completion, ps[a].completion),
				cmp.Compare(ps[b].timeliness, ps[a].timeliness)); c != 0 {
				return c
			}
		}
		return cmp.Or(cmp.Compare(ws[a].name, ws[b].name), cmp.Compare(ws[a].id, ws[b].id), cmp.Compare(ws[a].key.name, ws[b].key.name))
	})
	return idx, ps
}

// standings are the numbers of ws on a day, in rank order.
func (p *prepared) standings(ws []who, ts []tally) []Standing {
	idx, ps := p.order(ws, ts)
	out := make([]Standing, len(idx))
	for rank, i := range idx {
		s := Standing{ID: ws[i].id, Name: ws[i].name}
		if ts[i].tasks > 0 {
			pt := &ps[i]
			s.Rank, s.Score = rank+1, pt.total
			s.Timeliness, s.Completion, s.Quality, s.Notice = pt.timeliness, pt.completion, pt.quality, pt.notice
			s.Deducted, s.Bonus = pt.deducted, pt.bonus
		}
		out[rank] = s
	}
	return out
}

// entries are the scores of ws on a day with their words, in rank order.
func (p *prepared) entries(ws []who, ts []tally, r *Rules, leaders bool) []Entry {
	idx, ps := p.order(ws, ts)
	out := make([]Entry, len(idx))
	for rank, i := range idx {
		w := &ws[i]
		e := Entry{ID: w.id, Name: w.name, TaskIDs: slices.Clone(w.tasks)}
		if e.TaskIDs == nil {
			e.TaskIDs = []int64{}
		}
		if ts[i].tasks == 0 {
			e.Reason, e.ReasonEN = notRated(len(w.tasks) > 0, leaders)
			e.Parts = []Part{}
			out[rank] = e
			continue
		}
		pt := &ps[i]
		e.Rated, e.Rank, e.Score = true, rank+1, pt.total
		e.Base, e.Deducted, e.Bonus = pt.base, pt.deducted, pt.bonus
		e.Parts = r.parts(&ts[i], pt)
		if rank > 0 {
			prev := idx[rank-1]
			if q := &ps[prev]; q.total == pt.total {
				e.TieBreak = tieBreak(rank, q, pt, ws[prev].name == w.name)
			}
		}
		out[rank] = e
	}
	return out
}
