package ranking_test

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban"
	"duban/ranking"
)

func TestDefaultRulesValid(t *testing.T) {
	if err := ranking.DefaultRules().Validate(); err != nil {
		t.Fatalf("DefaultRules().Validate() = %v", err)
	}
}

func TestRulesValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*ranking.Rules)
		want   string // the message; "" for valid rules
	}{
		{"negative_weight", func(r *ranking.Rules) { r.Timeliness.Weight = -5 }, "按时报送分值应在0至1000之间，现为-5"},
		{"weight_not_a_number", func(r *ranking.Rules) { r.Completion.Weight = math.NaN() }, "任务完成分值应在0至1000之间，现为NaN"},
		{"weight_too_high", func(r *ranking.Rules) { r.Quality.Weight = 1000.5 }, "报告质量分值应在0至1000之间，现为1000.5"},
		{"notice_weight", func(r *ranking.Rules) { r.Notice.Weight = math.Inf(1) }, "督办响应分值应在0至1000之间，现为+Inf"},
		{"late_credit_above_one", func(r *ranking.Rules) { r.Timeliness.LateCredit = 1.5 }, "宽限期内报送折算比例应在0至1之间，现为1.5"},
		{"notice_late_credit", func(r *ranking.Rules) { r.Notice.LateCredit = -0.1 }, "督办单逾期回复折算比例应在0至1之间，现为-0.1"},
		{"unrated_above_five", func(r *ranking.Rules) { r.Quality.Unrated = 6 }, "未评分报告按分应在0至5之间，现为6"},
		{"returned_points", func(r *ranking.Rules) { r.Returned.Points = 101 }, "退回报告每次扣分应在0至100之间，现为101"},
		{"returned_cap", func(r *ranking.Rules) { r.Returned.Cap = -1 }, "退回报告扣分上限应在0至1000之间，现为-1"},
		{"beyond_grace_points", func(r *ranking.Rules) { r.BeyondGrace.Points = -2 }, "超期未报每期扣分应在0至100之间，现为-2"},
		{"beyond_grace_cap", func(r *ranking.Rules) { r.BeyondGrace.Cap = 2000 }, "超期未报扣分上限应在0至1000之间，现为2000"},
		{"notice_overdue_points", func(r *ranking.Rules) { r.NoticeOverdue.Points = -1 }, "督办单逾期每件扣分应在0至100之间，现为-1"},
		{"notice_overdue_cap", func(r *ranking.Rules) { r.NoticeOverdue.Cap = -1 }, "督办单逾期扣分上限应在0至1000之间，现为-1"},
		{"past_deadline_points", func(r *ranking.Rules) { r.PastDeadline.Points = 200 }, "逾期未完成任务每项扣分应在0至100之间，现为200"},
		{"past_deadline_cap", func(r *ranking.Rules) { r.PastDeadline.Cap = -3 }, "逾期未完成任务扣分上限应在0至1000之间，现为-3"},
		{"deduction_cap", func(r *ranking.Rules) { r.DeductionCap = -30 }, "扣分总上限应在0至1000之间，现为-30"},
		{"bonus_points", func(r *ranking.Rules) { r.EarlyClosure.Points = -1 }, "提前销号每项加分应在0至100之间，现为-1"},
		{"bonus_cap", func(r *ranking.Rules) { r.EarlyClosure.Cap = -5 }, "提前销号加分上限应在0至1000之间，现为-5"},
		{"bonus_without_cap", func(r *ranking.Rules) { r.EarlyClosure.Cap = 0 }, "提前销号加分上限应大于0"},
		{"days_ahead", func(r *ranking.Rules) { r.EarlyClosure.DaysAhead = 400 }, "提前销号天数应在0至366之间，现为400"},
		{"all_weights_zero", func(r *ranking.Rules) {
			r.Timeliness.Weight, r.Completion.Weight, r.Quality.Weight, r.Notice.Weight = 0, 0, 0, 0
		}, "按时报送、任务完成、报告质量、督办响应的分值不能都为0"},
		{"a_part_left_out", func(r *ranking.Rules) { r.Notice.Weight = 0 }, ""},
		{"no_deductions_no_bonus", func(r *ranking.Rules) {
			r.Returned, r.BeyondGrace, r.NoticeOverdue, r.PastDeadline = ranking.Deduction{}, ranking.Deduction{}, ranking.Deduction{}, ranking.Deduction{}
			r.DeductionCap, r.EarlyClosure = 0, ranking.Bonus{}
		}, ""},
		{"a_thousand_point_scale", func(r *ranking.Rules) { r.Completion.Weight = 1000 }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ranking.DefaultRules()
			tt.change(&r)
			err := r.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var e *duban.Error
			if !errors.As(err, &e) || e.Code != duban.CodeInvalid || e.Message != tt.want {
				t.Fatalf("Validate() = %#v, want CodeInvalid %q", err, tt.want)
			}
		})
	}
}

func TestRulesJSON(t *testing.T) {
	r := ranking.DefaultRules()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"timeliness":{"weight":30,"late_credit":0.5},"completion":{"weight":40},"quality":{"weight":20,"unrated":3},` +
		`"notice":{"weight":10,"late_credit":0.5},"returned":{"points":1,"cap":5},"beyond_grace":{"points":2,"cap":10},` +
		`"notice_overdue":{"points":2,"cap":10},"past_deadline":{"points":3,"cap":15},"deduction_cap":30,` +
		`"early_closure":{"points":1,"cap":5,"days_ahead":30}}`
	if string(b) != want {
		t.Errorf("json.Marshal(DefaultRules()) =\n%s\nwant\n%s", b, want)
	}
	var back ranking.Rules
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, back); diff != "" {
		t.Errorf("rules read back mismatch (-want +got):\n%s", diff)
	}
}

func TestRulesLines(t *testing.T) {
	tests := []struct {
		name   string
		change func(*ranking.Rules)
		want   []string
	}{
		{"defaults", func(*ranking.Rules) {}, []string{
			"按时报送（30分）：每期应报的报告在截止日及以前报送计1期，宽限期内报送计0.5期，超过宽限期报送或未报送不计；得分＝30分×计入期数÷应报期数，尚无应报期次的得满分",
			"任务完成（40分）：每项参评任务的完成率为最新报告的完成比例÷序时进度（最高100%），已销号或已完成的按100%计，超过完成时限后按完成比例计，未报进展的按0计；得分＝40分×平均完成率",
			"报告质量（20分）：督查室审核报告时的质量评分（1至5分）的平均分÷5×20分，尚无评分的按3分计",
			"督办响应（10分）：督办单按期回复计1件，逾期回复计0.5件，逾期未回复不计；得分＝10分×计入件数÷到期件数，尚无到期督办单的得满分",
			"扣分：退回报告每次扣1分（最多5分）；超过宽限期报送或未报送每期扣2分（最多10分）；督办单逾期回复或未回复每件扣2分（最多10分）；超过完成时限未完成任务每项扣3分（最多15分）；扣分合计最多30分；总分不低于0分",
			"加分：提前30天以上销号的任务每项加1分，最多加5分",
			"排名：按总分从高到低；同分的依次比较任务完成得分、按时报送得分，再按名称排序；尚无到期事项的不参评",
		}},
		{"parts_left_out", func(r *ranking.Rules) {
			r.Quality.Weight, r.Notice.Weight = 0, 0
			r.Returned, r.NoticeOverdue, r.PastDeadline = ranking.Deduction{}, ranking.Deduction{}, ranking.Deduction{}
			r.BeyondGrace.Cap, r.DeductionCap = 0, 0
			r.EarlyClosure.DaysAhead = 0
		}, []string{
			"按时报送（30分）：每期应报的报告在截止日及以前报送计1期，宽限期内报送计0.5期，超过宽限期报送或未报送不计；得分＝30分×计入期数÷应报期数，尚无应报期次的得满分",
			"任务完成（40分）：每项参评任务的完成率为最新报告的完成比例÷序时进度（最高100%），已销号或已完成的按100%计，超过完成时限后按完成比例计，未报进展的按0计；得分＝40分×平均完成率",
			"扣分：超过宽限期报送或未报送每期扣2分；总分不低于0分",
			"加分：在完成时限前销号的任务每项加1分，最多加5分",
			"排名：按总分从高到低；同分的依次比较任务完成得分、按时报送得分，再按名称排序；尚无到期事项的不参评",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ranking.DefaultRules()
			tt.change(&r)
			var got []string
			for _, l := range r.Lines() {
				if l.TextEN == "" {
					t.Errorf("line %q has no English", l.Text)
				}
				got = append(got, l.Text)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Lines() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
