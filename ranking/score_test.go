package ranking_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

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
					TextEN: "1 task counted: 1 on schedule; mean completion 100%: 40 of 40 points"},
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
				TextEN: "On time 0 of 1 report, 1 within the grace window (each counts 0.5): 15 of 30 points"}},
		},
		{
			// A 100-day task (to 9 April): 序时进度 is the day's number.
			name: "behind_schedule_at_the_day_of_the_report",
			in:   org("2024-03-31", []ranking.Task{task(1, "2024-04-09")}, []ranking.Report{report(1, 3, "2024-03-10", 56)}),
			want: []ranking.Part{{Kind: ranking.PartCompletion, Points: 32, Max: 40, Count: 0, Of: 1,
				Text:   "参评任务1项：落后序时进度1项；平均完成率80%，得32分（满分40分）",
				TextEN: "1 task counted: 1 behind schedule; mean completion 80%: 32 of 40 points"}},
		},
		{
			name: "a_late_report_stands_at_its_period_end",
			in:   org("2024-03-31", []ranking.Task{task(1, "2024-04-09")}, []ranking.Report{report(1, 2, "2024-03-10", 48)}),
			want: []ranking.Part{{Kind: ranking.PartCompletion, Points: 32, Max: 40, Count: 0, Of: 1,
				Text:   "参评任务1项：落后序时进度1项；平均完成率80%，得32分（满分40分）",
				TextEN: "1 task counted: 1 behind schedule; mean completion 80%: 32 of 40 points"}},
		},
		{
			name: "past_the_deadline_the_percent_counts",
			in:   org("2024-03-31", []ranking.Task{task(1, "2024-03-20")}, []ranking.Report{report(1, 3, "2024-03-10", 90)}),
			want: []ranking.Part{
				{Kind: ranking.PartCompletion, Points: 36, Max: 40, Count: 0, Of: 1,
					Text:   "参评任务1项：落后序时进度1项；平均完成率90%，得36分（满分40分）",
					TextEN: "1 task counted: 1 behind schedule; mean completion 90%: 36 of 40 points"},
				{Kind: ranking.PartPastDeadline, Points: -3, Max: 15, Count: 1,
					Text: "超过完成时限未完成任务1项，每项扣3分，扣3分", TextEN: "1 task past its deadline and not done, 3 points each: −3"},
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
					Text: "提前30天以上销号1项，每项加1分，加1分", TextEN: "1 task closed 30 days or more before the deadline, 1 point each: +1"},
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
					TextEN: "1 task counted: 1 behind schedule; mean completion 39.2%: 15.69 of 40 points"},
				{Kind: ranking.PartReturned, Points: -1, Max: 5, Count: 1,
					Text: "退回报告1次，每次扣1分，扣1分", TextEN: "1 report returned, 1 point each: −1"},
			},
		},
		{
			name: "a_report_waiting_for_evidence_counts",
			in: org("2024-03-31", []ranking.Task{task(1, "2024-04-09")}, []ranking.Report{
				report(1, 3, "2024-03-10", 70, review(duban.DecisionRequestEvidence, 0, "2024-03-12")),
			}),
			want: []ranking.Part{{Kind: ranking.PartCompletion, Points: 40, Max: 40, Count: 1, Of: 1,
				Text:   "参评任务1项：达到序时进度1项；平均完成率100%，得40分（满分40分）",
				TextEN: "1 task counted: 1 on schedule; mean completion 100%: 40 of 40 points"}},
		},
		{
			name: "a_closed_task_owes_no_report_due_after_its_closure",
			in:   org("2024-03-31", []ranking.Task{closedTask(1, "", "2024-02-25")}, []ranking.Report{report(1, 1, "2024-01-20", 10)}),
			want: []ranking.Part{{Kind: ranking.PartTimeliness, Points: 30, Max: 30, Count: 1, Of: 1,
				Text: "按时报送1/1期，得30分（满分30分）", TextEN: "On time 1 of 1 report: 30 of 30 points"}},
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
				Text: "退回报告7次，每次扣1分，扣5分（上限5分）", TextEN: "7 reports returned, 1 point each: −5 (at most 5)"}},
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
				Text: "提前30天以上销号7项，每项加1分，加5分（上限5分）", TextEN: "7 tasks closed 30 days or more before the deadline, 1 point each: +5 (at most 5)"}},
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
				Text: "在完成时限前销号1项，每项加1分，加1分", TextEN: "1 task closed by the deadline, 1 point each: +1"}},
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

// row is what TestScoreWhoAnswers checks of an entry.
type row struct {
	ID         int64
	Name       string
	Reason     string
	Tasks      []int64
	Timeliness string
	Notices    int
}

func rows(es []ranking.Entry) []row {
	var out []row
	for _, e := range es {
		r := row{ID: e.ID, Name: e.Name, Reason: e.Reason, Tasks: e.TaskIDs}
		for _, p := range e.Parts {
			switch p.Kind {
			case ranking.PartTimeliness:
				r.Timeliness = p.Text
			case ranking.PartNotice:
				r.Notices = p.Of
			}
		}
		out = append(out, r)
	}
	return out
}

func TestScoreWhoAnswers(t *testing.T) {
	lead := func(id int64, units []int64, names []string, leaders []int64, leaderNames []string) ranking.Task {
		t := task(id, "")
		t.LeadUnitIDs, t.LeadUnits, t.LeaderIDs, t.Leaders = units, names, leaders, leaderNames
		return t
	}
	in := ranking.Input{
		AsOf: day("2024-01-31"), Location: cst, Cycles: monthly2024(),
		Units: map[int64]string{1: "区发改委", 2: "区商务委", 3: "解放碑街道", 4: "七星岗街道", 5: "各街道", 6: "各相关部门", 7: "区财政局"},
		// 各相关部门 has no members yet: its task counts for it.
		Groups: map[int64][]int64{5: {3, 4}, 6: nil},
		People: map[int64]string{9: "张三", 10: "王五", 11: "赵六"},
		Tasks: []ranking.Task{
			lead(1, []int64{1, 2}, nil, []int64{9}, nil),                               // led together
			lead(2, []int64{5}, nil, []int64{10}, nil),                                 // by a group
			lead(3, []int64{6}, nil, nil, nil),                                         // by a group without members
			lead(4, []int64{0}, []string{"区城管局"}, []int64{9, 0}, []string{"张三", "李四"}), // names not matched
			lead(5, []int64{2}, []string{"商务委"}, []int64{10}, nil),
		},
		Reports: []ranking.Report{
			report(1, 1, "2024-01-20", 10), report(2, 1, "2024-01-20", 10), report(3, 1, "2024-01-20", 10),
			report(4, 1, "2024-01-27", 10), report(5, 1, "2024-01-20", 10),
		},
		Notices: []ranking.Notice{
			{ID: 1, TaskID: 1, UnitID: 2, IssuedAt: at("2024-01-10"), Deadline: day("2024-01-15"), RespondedAt: new(at("2024-01-14"))},
			{ID: 2, TaskID: 2, UnitID: 5, IssuedAt: at("2024-01-10"), Deadline: day("2024-01-15"), RespondedAt: new(at("2024-01-14"))},
			{ID: 3, TaskID: 5, UnitID: 1, IssuedAt: at("2024-01-10"), Deadline: day("2024-01-15"), RespondedAt: new(at("2024-01-14"))},
		},
	}
	onTime := "按时报送1/1期，得30分（满分30分）"
	late := "按时报送0/1期，宽限期内报送1期（每期按0.5期计），得15分（满分30分）"
	res := ranking.Score(in, ranking.DefaultRules())
	wantUnits := []row{
		{ID: 1, Name: "区发改委", Tasks: []int64{1}, Timeliness: onTime},
		{ID: 2, Name: "区商务委", Tasks: []int64{1, 5}, Timeliness: "按时报送2/2期，得30分（满分30分）", Notices: 2},
		{ID: 3, Name: "解放碑街道", Tasks: []int64{2}, Timeliness: onTime, Notices: 1},
		{ID: 4, Name: "七星岗街道", Tasks: []int64{2}, Timeliness: onTime, Notices: 1},
		{ID: 6, Name: "各相关部门", Tasks: []int64{3}, Timeliness: onTime},
		{ID: 0, Name: "区城管局", Tasks: []int64{4}, Timeliness: late},
		{ID: 7, Name: "区财政局", Reason: "未参评：无牵头任务", Tasks: []int64{}},
	}
	wantLeaders := []row{
		{ID: 9, Name: "张三", Tasks: []int64{1, 4}, Timeliness: "按时报送1/2期，宽限期内报送1期（每期按0.5期计），得22.5分（满分30分）", Notices: 1},
		{ID: 10, Name: "王五", Tasks: []int64{2, 5}, Timeliness: "按时报送2/2期，得30分（满分30分）", Notices: 2},
		{ID: 0, Name: "李四", Tasks: []int64{4}, Timeliness: late},
		{ID: 11, Name: "赵六", Reason: "未参评：无分管任务", Tasks: []int64{}},
	}
	byKey := cmpopts.SortSlices(func(a, b row) bool { return a.ID < b.ID || a.ID == b.ID && a.Name < b.Name })
	if diff := cmp.Diff(wantUnits, rows(res.Units), byKey); diff != "" {
		t.Errorf("units mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantLeaders, rows(res.Leaders), byKey); diff != "" {
		t.Errorf("leaders mismatch (-want +got):\n%s", diff)
	}
	if last := res.Units[len(res.Units)-1]; last.Name != "区财政局" || last.Rank != 0 || last.Rated {
		t.Errorf("the unit not assessed is %+v, want it last without a rank", last)
	}
	checkSum(t, res.Units)
	checkSum(t, res.Leaders)
}

func TestScoreTies(t *testing.T) {
	// Each unit leads one 100-day task (to 9 April) reported on time for
	// January to March; March's report says percent and is rated.
	unit := func(id int64, percent float64, rating int, feb string, returns int) (ranking.Task, []ranking.Report) {
		tk := task(id, "2024-04-09")
		tk.LeadUnitIDs, tk.LeaderIDs = []int64{id}, nil
		jan := report(id, 1, "2024-01-20", 10)
		for range returns {
			jan.Reviews = append(jan.Reviews, returned("2024-01-21"))
		}
		return tk, []ranking.Report{jan, report(id, 2, feb, 20), report(id, 3, "2024-03-10", percent, approved(rating, "2024-03-12"))}
	}
	in := ranking.Input{AsOf: day("2024-03-31"), Location: cst, Cycles: monthly2024(), Units: map[int64]string{
		1: "甲单位", 2: "乙单位", 3: "庚单位", 4: "辛单位", 5: "丙单位", 6: "丁单位", 7: "戊单位", 8: "戊单位",
	}}
	for _, u := range []struct {
		id      int64
		percent float64
		rating  int
		feb     string
		returns int
	}{
		{1, 56, 5, "2024-02-20", 0}, // 30 + 32 + 20 + 10 = 92
		{2, 63, 4, "2024-02-20", 0}, // 30 + 36 + 16 + 10 = 92
		{3, 63, 4, "2024-02-20", 1}, // 30 + 36 + 16 + 10 − 1 = 91
		{4, 63, 5, "2024-02-27", 0}, // 25 + 36 + 20 + 10 = 91
		{5, 70, 2, "2024-02-20", 0}, // 30 + 40 + 8 + 10 = 88
		{6, 70, 2, "2024-02-20", 0},
		{7, 70, 1, "2024-02-20", 0}, // 30 + 40 + 4 + 10 = 84
		{8, 70, 1, "2024-02-20", 0},
	} {
		tk, rs := unit(u.id, u.percent, u.rating, u.feb, u.returns)
		in.Tasks, in.Reports = append(in.Tasks, tk), append(in.Reports, rs...)
	}
	type place struct {
		Rank     int
		ID       int64
		Name     string
		Score    float64
		TieBreak string
	}
	want := []place{
		{1, 2, "乙单位", 92, ""},
		{2, 1, "甲单位", 92, "与第1名同分（92分），任务完成得分较低"},
		{3, 3, "庚单位", 91, ""},
		{4, 4, "辛单位", 91, "与第3名同分（91分），任务完成得分相同，按时报送得分较低"},
		{5, 6, "丁单位", 88, ""},
		{6, 5, "丙单位", 88, "与第5名同分（88分），任务完成、按时报送得分均相同，按名称排序"},
		{7, 7, "戊单位", 84, ""},
		{8, 8, "戊单位", 84, "与第7名同分（84分），任务完成、按时报送得分及名称均相同，按编号排序"},
	}
	res := ranking.Score(in, ranking.DefaultRules())
	var got []place
	for _, e := range res.Units {
		p := place{e.Rank, e.ID, e.Name, e.Score, ""}
		if e.TieBreak != nil {
			p.TieBreak = e.TieBreak.Text
			if e.TieBreak.TextEN == "" {
				t.Errorf("%s: tie break without English", e.Name)
			}
		}
		got = append(got, p)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ranking mismatch (-want +got):\n%s", diff)
	}
}

func TestScoreNothingDue(t *testing.T) {
	in := org("2024-01-10", []ranking.Task{task(1, ""), closedTask(2, "", "2024-01-05")}, nil)
	in.Tasks[1].LeadUnitIDs, in.Tasks[1].LeaderIDs = []int64{3}, nil
	in.Units[2], in.Units[3] = "区财政局", "区教委"
	res := ranking.Score(in, ranking.DefaultRules())
	type place struct {
		Rank   int
		Name   string
		Rated  bool
		Reason string
		Parts  int
	}
	var got []place
	for _, e := range res.Units {
		got = append(got, place{e.Rank, e.Name, e.Rated, e.Reason, len(e.Parts)})
	}
	// The closed task counts: its unit is ranked. The others follow by name
	// (区发改委 before 区财政局 in Unicode order).
	want := []place{
		{1, "区教委", true, "", 5},
		{0, "区发改委", false, "未参评：牵头任务尚无到期事项", 0},
		{0, "区财政局", false, "未参评：无牵头任务", 0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("units mismatch (-want +got):\n%s", diff)
	}
	if got, want := res.Leaders, []ranking.Entry{{ID: 9, Name: "张三", Reason: "未参评：分管任务尚无到期事项",
		ReasonEN: "Not assessed: nothing of the tasks in charge is due yet", TaskIDs: []int64{1}, Parts: []ranking.Part{}}}; !cmp.Equal(want, got) {
		t.Errorf("leaders mismatch (-want +got):\n%s", cmp.Diff(want, got))
	}
}

func TestScoreDeterministic(t *testing.T) {
	in := district(1)
	want := ranking.Score(in, ranking.DefaultRules())
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range 3 {
		shuffled := in
		shuffled.Tasks, shuffled.Reports = slices.Clone(in.Tasks), slices.Clone(in.Reports)
		shuffled.Cycles, shuffled.Notices = slices.Clone(in.Cycles), slices.Clone(in.Notices)
		rng.Shuffle(len(shuffled.Tasks), func(i, j int) { shuffled.Tasks[i], shuffled.Tasks[j] = shuffled.Tasks[j], shuffled.Tasks[i] })
		rng.Shuffle(len(shuffled.Reports), func(i, j int) { shuffled.Reports[i], shuffled.Reports[j] = shuffled.Reports[j], shuffled.Reports[i] })
		rng.Shuffle(len(shuffled.Cycles), func(i, j int) { shuffled.Cycles[i], shuffled.Cycles[j] = shuffled.Cycles[j], shuffled.Cycles[i] })
		rng.Shuffle(len(shuffled.Notices), func(i, j int) { shuffled.Notices[i], shuffled.Notices[j] = shuffled.Notices[j], shuffled.Notices[i] })
		if diff := cmp.Diff(want, ranking.Score(shuffled, ranking.DefaultRules())); diff != "" {
			t.Fatalf("shuffle %d: Score mismatch (-first +shuffled):\n%s", i, diff)
		}
	}
	checkSum(t, want.Units)
	checkSum(t, want.Leaders)
	for _, es := range [][]ranking.Entry{want.Units, want.Leaders} {
		for i, e := range es {
			if e.Rated && e.Rank != i+1 {
				t.Errorf("%s is %d-th with rank %d", e.Name, i+1, e.Rank)
			}
		}
	}
}

func TestResultJSON(t *testing.T) {
	in := org("2024-03-31", []ranking.Task{task(1, "")}, []ranking.Report{report(1, 3, "2024-03-20", 30)})
	b, err := json.Marshal(ranking.Score(in, ranking.DefaultRules()))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"as_of":"2024-03-31"`, `"max":105`, `"rules":[{"text":"按时报送（30分）`, `"units":[{"id":1,"name":"区发改委"`,
		`"rated":true`, `"reason_en":""`, `"rank":1`, `"tie_break":null`, `"deducted":4`, `"parts":[{"kind":"timeliness"`,
		`"text_en":"On time 1 of 3 reports`, `"task_ids":[1]`, `"leaders":[{"id":9,"name":"张三"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s:\n%s", want, b)
		}
	}
	b, err = json.Marshal(ranking.History(in, ranking.DefaultRules(), []calendar.Date{in.AsOf}))
	if err != nil {
		t.Fatal(err)
	}
	if want := `[{"day":"2024-03-31","units":[{"id":1,"name":"区发改委","rank":1,"score":`; !strings.HasPrefix(string(b), want) {
		t.Errorf("History JSON = %s, want it to start with %s", b, want)
	}
}
