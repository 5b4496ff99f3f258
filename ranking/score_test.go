package ranking_test

import (
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"duban"
	"duban/calendar"
	"duban/ranking"
)

// cst is the organisation's time zone in the tests.
var cst = time.FixedZone("CST", 8*3600)

// day reads a date of a test.
func day(s string) calendar.Date { return calendar.MustParse(s) }

// at is 10:00 on day s in cst.
func at(s string) time.Time {
	d := day(s)
	y, m, dd := d.Parts()
	return time.Date(y, time.Month(m), dd, 10, 0, 0, 0, cst)
}

// monthly2024 are twelve cycles: month m covers the month, is due on the
// 25th and accepted until the 28th.
func monthly2024() []ranking.Cycle {
	cs := make([]ranking.Cycle, 12)
	for m := 1; m <= 12; m++ {
		cs[m-1] = ranking.Cycle{
			ID: int64(m), Label: "2024年" + strconv.Itoa(m) + "月",
			PeriodEnd: calendar.NewDate(2024, m, calendar.DaysInMonth(2024, m)),
			Due:       calendar.NewDate(2024, m, 25), GraceEnd: calendar.NewDate(2024, m, 28),
		}
	}
	return cs
}

// task is task id of 2024, led by unit 1 (区发改委) under leader 9 (张三),
// due by deadline ("" for the year end).
func task(id int64, deadline string) ranking.Task {
	t := ranking.Task{ID: id, Year: 2024, LeadUnitIDs: []int64{1}, LeaderIDs: []int64{9}, Status: duban.StatusOnTrack}
	if deadline != "" {
		t.Deadline = day(deadline)
	}
	return t
}

func closedTask(id int64, deadline, closed string) ranking.Task {
	t := task(id, deadline)
	t.Status = duban.StatusClosed
	t.ClosedAt = new(at(closed))
	return t
}

// report is task's report for month, submitted on day submitted ("" never)
// with percent (negative for none); its status follows its last review.
func report(taskID int64, month int, submitted string, percent float64, reviews ...ranking.Review) ranking.Report {
	r := ranking.Report{ID: taskID*100 + int64(month), TaskID: taskID, CycleID: int64(month), Status: duban.ReportDraft, Reviews: reviews}
	if submitted != "" {
		r.SubmittedAt = new(at(submitted))
		r.Late = day(submitted).After(calendar.NewDate(2024, month, 25))
		r.Status = duban.ReportSubmitted
	}
	if percent >= 0 {
		r.Percent = new(percent)
	}
	if len(reviews) > 0 {
		r.Status = map[duban.ReviewDecision]duban.ReportStatus{
			duban.DecisionApprove: duban.ReportApproved, duban.DecisionReturn: duban.ReportReturned,
			duban.DecisionRequestEvidence: duban.ReportEvidenceRequested,
		}[reviews[len(reviews)-1].Decision]
	}
	return r
}

// review is a decision on day s with a rating (0 for none).
func review(d duban.ReviewDecision, quality int, s string) ranking.Review {
	r := ranking.Review{Decision: d, At: at(s)}
	if quality != 0 {
		r.Quality = new(quality)
	}
	return r
}

func approved(quality int, s string) ranking.Review { return review(duban.DecisionApprove, quality, s) }
func returned(s string) ranking.Review              { return review(duban.DecisionReturn, 0, s) }

// notice is a notice about task 1 to unit 1, issued on 1 March.
func notice(id int64, deadline, responded string) ranking.Notice {
	n := ranking.Notice{ID: id, TaskID: 1, UnitID: 1, IssuedAt: at("2024-03-01")}
	if deadline != "" {
		n.Deadline = day(deadline)
	}
	if responded != "" {
		n.RespondedAt = new(at(responded))
	}
	return n
}

// org is an organisation with unit 1 and leader 9 as of asOf.
func org(asOf string, tasks []ranking.Task, reports []ranking.Report, notices ...ranking.Notice) ranking.Input {
	return ranking.Input{
		AsOf: day(asOf), Location: cst, Cycles: monthly2024(), Tasks: tasks, Reports: reports, Notices: notices,
		Units: map[int64]string{1: "区发改委"}, People: map[int64]string{9: "张三"},
	}
}

// entry finds the entry of id (and name, for id 0) in es.
func entry(t *testing.T, es []ranking.Entry, id int64, name string) ranking.Entry {
	t.Helper()
	for _, e := range es {
		if e.ID == id && (id != 0 || e.Name == name) {
			return e
		}
	}
	t.Fatalf("no entry %d %s in %v", id, name, es)
	return ranking.Entry{}
}

// pick returns the parts of e of the kinds in want, in e's order.
func pick(e ranking.Entry, want []ranking.Part) []ranking.Part {
	var out []ranking.Part
	for _, p := range e.Parts {
		for _, w := range want {
			if w.Kind == p.Kind {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// checkSum fails unless the parts of every rated entry add up to its score,
// and Base, Deducted and Bonus to the parts.
func checkSum(t *testing.T, es []ranking.Entry) {
	t.Helper()
	for _, e := range es {
		if !e.Rated {
			continue
		}
		var sum, base, ded, bonus float64
		for _, p := range e.Parts {
			sum += p.Points
			switch p.Kind {
			case ranking.PartTimeliness, ranking.PartCompletion, ranking.PartQuality, ranking.PartNotice:
				base += p.Points
			case ranking.PartEarlyClosure:
				bonus += p.Points
			case ranking.PartFloor:
			default:
				ded -= p.Points
			}
		}
		r := func(x float64) float64 { return math.Round(x*100) / 100 }
		if r(sum) != e.Score || r(base) != e.Base || r(ded) != e.Deducted || r(bonus) != e.Bonus {
			t.Errorf("%s: parts add up to %v (base %v, deducted %v, bonus %v), entry says %v (%v, %v, %v)",
				e.Name, r(sum), r(base), r(ded), r(bonus), e.Score, e.Base, e.Deducted, e.Bonus)
		}
	}
}

func TestScoreParts(t *testing.T) {
	d := ranking.DefaultRules()
	tests := []struct {
		name  string
		in    ranking.Input
		rules *ranking.Rules
		want  []ranking.Part // the parts of unit 1 of these kinds
		score float64        // checked when not 0
	}{
		{
			name: "everything_on_time",
			in: org("2024-03-31", []ranking.Task{task(1, "2024-04-09")}, []ranking.Report{
				report(1, 1, "2024-01-20", 20, approved(4, "2024-01-22")),
				report(1, 2, "2024-02-20", 51, approved(4, "2024-02-22")),
				report(1, 3, "2024-03-10", 70, approved(5, "2024-03-12")),
			}),
			want: []ranking.Part{
				{Kind: ranking.PartTimeliness, Points: 30, Max: 30, Count: 3, Of: 3,
					Text: "按时报送3/3期，得30分（满分30分）", TextEN: "On time 3 of 3 reports: 30 of 30 points"},
				{Kind: ranking.PartCompletion, Points: 40, Max: 40, Count: 1, Of: 1,
					Text:   "参评任务1项：达到序时进度1项；平均完成率100%，得40分（满分40分）",
					TextEN: "1 tasks counted: 1 on schedule; mean completion 100%: 40 of 40 points"},
				{Kind: ranking.PartQuality, Points: 17.33, Max: 20, Count: 3,
					Text: "质量评分3次，平均4.33分，得17.33分（满分20分）", TextEN: "3 ratings, mean 4.33 of 5: 17.33 of 20 points"},
				{Kind: ranking.PartNotice, Points: 10, Max: 10,
					Text: "暂无到期督办单，得满分10分", TextEN: "No supervision notice due: full 10 points"},
			},
			score: 97.33,
		},
		{
			name: "on_time_late_after_grace_and_missing",
			in: org("2024-04-30", []ranking.Task{task(1, "")}, []ranking.Report{
				report(1, 1, "2024-01-25", 10), // on its due day
				report(1, 2, "2024-02-27", 20), // within grace
				report(1, 4, "2024-04-29", 30), // after grace
			}),
			want: []ranking.Part{
				{Kind: ranking.PartTimeliness, Points: 11.25, Max: 30, Count: 1, Of: 4,
					Text:   "按时报送1/4期，宽限期内报送1期（每期按0.5期计），超过宽限期报送1期，未报送1期，得11.25分（满分30分）",
					TextEN: "On time 1 of 4 reports, 1 within the grace window (each counts 0.5), 1 after it, 1 missing: 11.25 of 30 points"},
				{Kind: ranking.PartBeyondGrace, Points: -4, Max: 10, Count: 2,
					Text: "超过宽限期报送或未报送2期，每期扣2分，扣4分", TextEN: "2 reports after the grace window or missing, 2 points each: −4"},
			},
		},
		{
			name: "missing_report_within_grace_not_judged_yet",
			in: org("2024-03-26", []ranking.Task{task(1, "")}, []ranking.Report{
				report(1, 1, "2024-01-20", 10), report(1, 2, "2024-02-20", 20),
			}),
			want: []ranking.Part{{Kind: ranking.PartTimeliness, Points: 30, Max: 30, Count: 2, Of: 2,
				Text: "按时报送2/2期，得30分（满分30分）", TextEN: "On time 2 of 2 reports: 30 of 30 points"}},
		},
		{
			name: "nothing_judged_yet_scores_full",
			in:   org("2024-01-26", []ranking.Task{task(1, "")}, nil),
			want: []ranking.Part{{Kind: ranking.PartTimeliness, Points: 30, Max: 30,
				Text: "暂无应报期次，得满分30分", TextEN: "No report due yet: full 30 points"}},
		},
		{
			name: "late_by_the_organisations_clock",
			in: func() ranking.Input {
				in := org("2024-01-31", []ranking.Task{task(1, ""), task(2, "")}, []ranking.Report{
					report(1, 1, "", 10), report(2, 1, "", 10),
				})
				// 23:30 on the due day in the organisation's zone, and 00:30
				// the day after, both given in UTC.
				in.Reports[0].SubmittedAt, in.Reports[0].Status = new(time.Date(2024, 1, 25, 15, 30, 0, 0, time.UTC)), duban.ReportSubmitted
				in.Reports[1].SubmittedAt, in.Reports[1].Status = new(time.Date(2024, 1, 25, 16, 30, 0, 0, time.UTC)), duban.ReportSubmitted
				return in
			}(),
			want: []ranking.Part{{Kind: ranking.PartTimeliness, Points: 22.5, Max: 30, Count: 1, Of: 2,
				Text:   "按时报送1/2期，宽限期内报送1期（每期按0.5期计），得22.5分（满分30分）",
				TextEN: "On time 1 of 2 reports, 1 within the grace window (each counts 0.5): 22.5 of 30 points"}},
		},
		{
			name: "late_flag_counts",
			in: func() ranking.Input {
				in := org("2024-01-31", []ranking.Task{task(1, "")}, []ranking.Report{report(1, 1, "2024-01-20", 10)})
				in.Reports[0].Late = true
				return in
			}(),
			want: []ranking.Part{{Kind: ranking.PartTimeliness, Points: 15, Max: 30, Count: 0, Of: 1,
				Text:   "按时报送0/1期，宽限期内报送1期（每期按0.5期计），得15分（满分30分）",
				TextEN: "On time 0 of 1 reports, 1 within the grace window (each counts 0.5): 15 of 30 points"}},
		},
		{
			// A 100-day task (to 9 April): 序时进度 is the day's number.
			name: "behind_schedule_at_the_day_of_the_report",
			in:   org("2024-03-31", []ranking.Task{task(1, "2024-04-09")}, []ranking.Report{report(1, 3, "2024-03-10", 56)}),
			want: []ranking.Part{{Kind: ranking.PartCompletion, Points: 32, Max: 40, Count: 0, Of: 1,
				Text:   "参评任务1项：落后序时进度1项；平均完成率80%，得32分（满分40分）",
				TextEN: "1 tasks counted: 1 behind schedule; mean completion 80%: 32 of 40 points"}},
		},
		{
			name: "a_late_report_stands_at_its_period_end",
			in:   org("2024-03-31", []ranking.Task{task(1, "2024-04-09")}, []ranking.Report{report(1, 2, "2024-03-10", 48)}),
			want: []ranking.Part{{Kind: ranking.PartCompletion, Points: 32, Max: 40, Count: 0, Of: 1,
				Text:   "参评任务1项：落后序时进度1项；平均完成率80%，得32分（满分40分）",
				TextEN: "1 tasks counted: 1 behind schedule; mean completion 80%: 32 of 40 points"}},
		},
		{
			name: "past_the_deadline_the_percent_counts",
			in:   org("2024-03-31", []ranking.Task{task(1, "2024-03-20")}, []ranking.Report{report(1, 3, "2024-03-10", 90)}),
			want: []ranking.Part{
				{Kind: ranking.PartCompletion, Points: 36, Max: 40, Count: 0, Of: 1,
					Text:   "参评任务1项：落后序时进度1项；平均完成率90%，得36分（满分40分）",
					TextEN: "1 tasks counted: 1 behind schedule; mean completion 90%: 36 of 40 points"},
				{Kind: ranking.PartPastDeadline, Points: -3, Max: 15, Count: 1,
					Text: "超过完成时限未完成任务1项，每项扣3分，扣3分", TextEN: "1 tasks past their deadline and not done, 3 points each: −3"},
			},
		},
		{
			name: "closed_done_unknown_and_unreported",
			in: func() ranking.Input {
				t3 := task(3, "")
				t3.Status = duban.StatusDone // by its targets
				return org("2024-03-31", []ranking.Task{closedTask(1, "", "2024-03-01"), task(2, ""), t3, task(4, ""), task(5, "")},
					[]ranking.Report{
						report(2, 3, "2024-03-20", 100), report(3, 3, "2024-03-20", 10), report(4, 3, "2024-03-20", -1),
						report(5, 3, "2024-03-20", 90, returned("2024-03-22")),
					})
			}(),
			want: []ranking.Part{
				{Kind: ranking.PartCompletion, Points: 32, Max: 40, Count: 4, Of: 5,
					Text:   "参评任务5项：已销号1项，已完成2项，未填完成比例1项（按达到序时进度计），未报进展1项；平均完成率80%，得32分（满分40分）",
					TextEN: "5 tasks counted: 1 closed, 2 done, 1 without a percent (counted on schedule), 1 not reported; mean completion 80%: 32 of 40 points"},
				{Kind: ranking.PartEarlyClosure, Points: 1, Max: 5, Count: 1,
					Text: "提前30天以上销号1项，每项加1分，加1分", TextEN: "1 tasks closed 30 days or more before their deadline, 1 points each: +1"},
			},
		},
		{
			name: "a_returned_report_does_not_count_and_is_deducted",
			in: org("2024-03-31", []ranking.Task{task(1, "2024-04-09")}, []ranking.Report{
				report(1, 2, "2024-02-20", 20, approved(0, "2024-02-21")),
				report(1, 3, "2024-03-10", 70, returned("2024-03-12")),
			}),
			want: []ranking.Part{
				{Kind: ranking.PartCompletion, Points: 15.69, Max: 40, Count: 0, Of: 1,
					Text:   "参评任务1项：落后序时进度1项；平均完成率39.2%，得15.69分（满分40分）",
					TextEN: "1 tasks counted: 1 behind schedule; mean completion 39.2%: 15.69 of 40 points"},
				{Kind: ranking.PartReturned, Points: -1, Max: 5, Count: 1,
					Text: "退回报告1次，每次扣1分，扣1分", TextEN: "1 reports returned, 1 points each: −1"},
			},
		},
		{
			name: "ratings_out_of_range_are_ignored",
			in: org("2024-03-31", []ranking.Task{task(1, "")}, []ranking.Report{
				report(1, 1, "2024-01-20", 10, review(duban.DecisionRequestEvidence, 6, "2024-01-21"), approved(2, "2024-01-23")),
				report(1, 2, "2024-02-20", 20, approved(3, "2024-02-21")),
			}),
			want: []ranking.Part{{Kind: ranking.PartQuality, Points: 10, Max: 20, Count: 2,
				Text: "质量评分2次，平均2.5分，得10分（满分20分）", TextEN: "2 ratings, mean 2.5 of 5: 10 of 20 points"}},
		},
		{
			name: "unrated",
			in:   org("2024-03-31", []ranking.Task{task(1, "")}, []ranking.Report{report(1, 1, "2024-01-20", 10, approved(0, "2024-01-21"))}),
			want: []ranking.Part{{Kind: ranking.PartQuality, Points: 12, Max: 20,
				Text: "暂无质量评分，按3分计，得12分（满分20分）", TextEN: "No rating yet, counted as 3 of 5: 12 of 20 points"}},
		},
		{
			name: "notices",
			in: func() ranking.Input {
				closedOnly := notice(5, "2024-03-15", "")
				closedOnly.ClosedAt = new(at("2024-03-14"))
				later := notice(6, "2024-03-20", "")
				later.IssuedAt = at("2024-04-02")
				return org("2024-03-31", []ranking.Task{task(1, "")}, nil,
					notice(1, "2024-03-10", "2024-03-10"), notice(2, "2024-03-10", "2024-03-12"), notice(3, "2024-03-20", ""),
					notice(4, "2024-04-05", ""), closedOnly, later, notice(7, "", ""))
			}(),
			want: []ranking.Part{
				{Kind: ranking.PartNotice, Points: 6.25, Max: 10, Count: 2, Of: 4,
					Text:   "督办单4件：按期回复2件，逾期回复1件（每件按0.5件计），逾期未回复1件，得6.25分（满分10分）",
					TextEN: "4 notices: 2 answered in time, 1 answered late (each counts 0.5), 1 unanswered past the deadline: 6.25 of 10 points"},
				{Kind: ranking.PartNoticeOverdue, Points: -4, Max: 10, Count: 2,
					Text: "督办单逾期回复或未回复2件，每件扣2分，扣4分", TextEN: "2 notices answered late or not at all, 2 points each: −4"},
			},
		},
		{
			name: "a_deduction_stops_at_its_cap",
			in: func() ranking.Input {
				var rs []ranking.Report
				for m := 1; m <= 7; m++ {
					rs = append(rs, report(1, m, "2024-0"+strconv.Itoa(m)+"-20", float64(m*8), returned("2024-0"+strconv.Itoa(m)+"-21")))
				}
				return org("2024-07-31", []ranking.Task{task(1, "")}, rs)
			}(),
			want: []ranking.Part{{Kind: ranking.PartReturned, Points: -5, Max: 5, Count: 7,
				Text: "退回报告7次，每次扣1分，扣5分（上限5分）", TextEN: "7 reports returned, 1 points each: −5 (at most 5)"}},
		},
		{
			name: "all_deductions_stop_at_their_cap",
			in: org("2024-03-31", []ranking.Task{task(1, "")}, []ranking.Report{
				report(1, 1, "2024-01-20", 10, returned("2024-01-21")),
				report(1, 2, "2024-02-20", 20, returned("2024-02-21")),
				report(1, 3, "2024-03-20", 30, returned("2024-03-21")),
			}),
			rules: func() *ranking.Rules {
				r := d
				r.Returned, r.DeductionCap = ranking.Deduction{Points: 10}, 25
				return &r
			}(),
			want: []ranking.Part{
				{Kind: ranking.PartReturned, Points: -30, Count: 3,
					Text: "退回报告3次，每次扣10分，扣30分", TextEN: "3 reports returned, 10 points each: −30"},
				{Kind: ranking.PartDeductionCap, Points: 5, Max: 25,
					Text: "扣分合计30分，超过上限25分，按25分扣", TextEN: "Deductions total 30, over the cap of 25: 25 deducted"},
			},
		},
		{
			name: "no_score_below_zero",
			in: org("2024-03-31", []ranking.Task{task(1, "2024-03-01")}, []ranking.Report{
				report(1, 1, "2024-01-20", 10, returned("2024-01-21")),
				report(1, 2, "2024-02-20", 20, returned("2024-02-21")),
			}),
			rules: func() *ranking.Rules {
				r := d
				r.Returned, r.DeductionCap = ranking.Deduction{Points: 50}, 0
				return &r
			}(),
			// 20 (March missing) + 0 (nothing in) + 12 + 10 = 42, less 100
			// for the returns, 2 for March and 3 for the deadline.
			want: []ranking.Part{{Kind: ranking.PartFloor, Points: 63,
				Text: "扣分后低于0分，按0分计", TextEN: "Below 0 after deductions: counted as 0"}},
		},
		{
			name: "bonus_for_early_closures_stops_at_its_cap",
			in: func() ranking.Input {
				var ts []ranking.Task
				for i := int64(1); i <= 7; i++ {
					ts = append(ts, closedTask(i, "2024-12-31", "2024-03-01"))
				}
				ts = append(ts, closedTask(8, "2024-03-30", "2024-03-01")) // 29 days ahead: not enough
				return org("2024-03-31", ts, nil)
			}(),
			want: []ranking.Part{{Kind: ranking.PartEarlyClosure, Points: 5, Max: 5, Count: 7,
				Text: "提前30天以上销号7项，每项加1分，加5分（上限5分）", TextEN: "7 tasks closed 30 days or more before their deadline, 1 points each: +5 (at most 5)"}},
		},
		{
			name: "bonus_by_the_deadline",
			in:   org("2024-03-31", []ranking.Task{closedTask(1, "2024-03-30", "2024-03-30")}, nil),
			rules: func() *ranking.Rules {
				r := d
				r.EarlyClosure.DaysAhead = 0
				return &r
			}(),
			want: []ranking.Part{{Kind: ranking.PartEarlyClosure, Points: 1, Max: 5, Count: 1,
				Text: "在完成时限前销号1项，每项加1分，加1分", TextEN: "1 tasks closed by their deadline, 1 points each: +1"}},
			// Nothing reported for January to March, due before the closure:
			// 0 + 40 + 12 + 10 + 1, less 3 × 2.
			score: 57,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := d
			if tt.rules != nil {
				r = *tt.rules
			}
			res := ranking.Score(tt.in, r)
			e := entry(t, res.Units, 1, "")
			if diff := cmp.Diff(tt.want, pick(e, tt.want)); diff != "" {
				t.Errorf("parts mismatch (-want +got):\n%s\nall parts: %+v", diff, e.Parts)
			}
			if tt.score != 0 && e.Score != tt.score {
				t.Errorf("score = %v, want %v; parts %+v", e.Score, tt.score, e.Parts)
			}
			checkSum(t, res.Units)
			checkSum(t, res.Leaders)
		})
	}
}
