package check

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban"
)

func TestUnit(t *testing.T) {
	tests := []struct {
		name string
		in   duban.Unit
		want duban.Unit
		code duban.Code
	}{
		{"trimmed, kind defaults, aliases cleaned",
			duban.Unit{Name: " 区政务服务办 ", Aliases: []string{"区政服办", " ", "区政服办", "区政务服务办"}},
			duban.Unit{Name: "区政务服务办", Kind: duban.UnitSingle, Aliases: []string{"区政服办"}, MemberIDs: []int64{}}, ""},
		{"group members without repeats",
			duban.Unit{Name: "各街道", Kind: duban.UnitGroup, MemberIDs: []int64{3, 4, 3}},
			duban.Unit{Name: "各街道", Kind: duban.UnitGroup, Aliases: []string{}, MemberIDs: []int64{3, 4}}, ""},
		{"members of a single unit", duban.Unit{Name: "区发改委", MemberIDs: []int64{3}}, duban.Unit{}, duban.CodeInvalid},
		{"no name", duban.Unit{Name: "  "}, duban.Unit{}, duban.CodeInvalid},
		{"unknown kind", duban.Unit{Name: "x", Kind: "team"}, duban.Unit{}, duban.CodeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.in
			err := Unit(&u)
			if got := duban.ErrorCode(err); got != tt.code {
				t.Fatalf("Unit: code %q (%v), want %q", got, err, tt.code)
			}
			if err == nil {
				if diff := cmp.Diff(tt.want, u); diff != "" {
					t.Errorf("Unit mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestPlan(t *testing.T) {
	task := func(section string, number int, content string) duban.PlannedTask {
		return duban.PlannedTask{Task: duban.Task{Year: 2024, Section: section, Number: number, Content: content}}
	}
	tests := []struct {
		name string
		plan duban.ImportPlan
		code duban.Code
	}{
		{"fine", duban.ImportPlan{OrgID: 1, Tasks: []duban.PlannedTask{task("一、", 1, "a"), task("一、", 2, "b")}}, ""},
		{"no org", duban.ImportPlan{}, duban.CodeInvalid},
		{"task twice", duban.ImportPlan{OrgID: 1, Tasks: []duban.PlannedTask{task("一、", 1, "a"), task("一、", 1, "b")}}, duban.CodeInvalid},
		{"no content", duban.ImportPlan{OrgID: 1, Tasks: []duban.PlannedTask{task("一、", 1, " ")}}, duban.CodeInvalid},
		{"no number", duban.ImportPlan{OrgID: 1, Tasks: []duban.PlannedTask{task("一、", 0, "a")}}, duban.CodeInvalid},
		{"value kind", duban.ImportPlan{OrgID: 1, Indicators: []duban.Indicator{{Name: "x", Values: []duban.IndicatorValue{{Kind: "plan"}}}}}, duban.CodeInvalid},
		{"new group with members", duban.ImportPlan{OrgID: 1, NewUnits: []duban.Unit{{Name: "各街道", Kind: duban.UnitGroup, MemberIDs: []int64{1}}}}, duban.CodeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Plan(&tt.plan)
			if got := duban.ErrorCode(err); got != tt.code {
				t.Errorf("Plan: code %q (%v), want %q", got, err, tt.code)
			}
		})
	}
}
