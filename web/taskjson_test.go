package web

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"duban"
)

// fullTask has every field set, so that a field added to duban.Task but not
// to appendTask makes the outputs differ.
func fullTask(s string) *duban.Task {
	doc := int64(7)
	v, small, big := 6.5, 2.5e-7, 3e21
	closed := time.Date(2024, 6, 30, 9, 0, 0, 0, time.UTC)
	return &duban.Task{
		ID: 1, OrgID: 2, DocumentID: &doc, Year: 2024, Section: "一、" + s, Subsection: s, Number: 3,
		Content: s + "地区生产总值增长6%左右。", Note: "（" + s + "）", Deadline: "2024年12月底", SourceLine: 30,
		LeaderIDs: []int64{1, 2}, LeadUnitIDs: []int64{3}, ResponsibleUnitIDs: []int64{},
		Leaders: []string{"邓光怀", s}, LeadUnits: []string{"区发改委"}, ResponsibleUnits: []string{"各街道"},
		Targets: []duban.Target{
			{ID: 9, Year: 2024, Subject: s, Measure: "growth", Op: "approx", Value: &v, Unit: "%", Text: s},
			{ID: 10, Year: 2024, Subject: "x", Measure: "level", Op: "reach", Value: &small, Unit: "亿元", Text: "y"},
			{ID: 11, Year: 2024, Subject: "x", Measure: "level", Op: "reach", Value: &big},
			{ID: 12, Op: "unknown"},
		},
		Status: duban.StatusOnTrack, Light: duban.LightYellow, LightRules: []string{s, "3月报告逾期"},
		Expected: &v, Actual: &small, ClosedAt: &closed, ClosedBy: &doc, CloseReason: s,
		Version:   4,
		CreatedAt: time.Date(2024, 1, 25, 8, 30, 0, 123456000, time.UTC),
		UpdatedAt: time.Date(2024, 3, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600)),
	}
}

func TestTaskJSONMatchesEncodingJSON(t *testing.T) {
	if n := reflect.TypeFor[duban.Task]().NumField(); n != 29 {
		t.Fatalf("duban.Task has %d fields; appendTask writes 29: update it and this test", n)
	}
	if n := reflect.TypeFor[duban.Target]().NumField(); n != 8 {
		t.Fatalf("duban.Target has %d fields; appendTarget writes 8: update it and this test", n)
	}
	tests := map[string]*duban.Task{
		"full":        fullTask("渝中"),
		"escapes":     fullTask("\"引号\" \\ <b>&amp;</b>\n\t\r\b\f\x00\x1f\u2028\u2029"),
		"invalid utf": fullTask("坏\xff\xfe字\xe4\xb8"),
		"empty":       {},
		"nil":         nil,
	}
	for name, task := range tests {
		t.Run(name, func(t *testing.T) {
			want, err := json.Marshal(task)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), string(appendTask(nil, task))); diff != "" {
				t.Errorf("appendTask differs from json.Marshal (-want +got):\n%s", diff)
			}
		})
	}
	list := taskList{Tasks: []*duban.Task{fullTask("a"), fullTask("b")}, Total: 2, Limit: 50, Offset: 0}
	want, _ := json.Marshal(list)
	if diff := cmp.Diff(string(want)+"\n", string(appendTaskList(nil, list))); diff != "" {
		t.Errorf("appendTaskList differs (-want +got):\n%s", diff)
	}
}

func TestAppendFloatMatchesEncodingJSON(t *testing.T) {
	for _, f := range []float64{0, -0.5, 1, 6, 7.5, 0.1 + 0.2, 1e-6, 9.99e-7, 1e-9, 1e20, 1e21, 1.5e300, -2e-300, 123456789.125} {
		want, _ := json.Marshal(f)
		if got := string(appendFloat(nil, f)); got != string(want) {
			t.Errorf("appendFloat(%v) = %s, want %s", f, got, want)
		}
	}
	if got := string(appendFloat(nil, math.NaN())); got != "null" {
		t.Errorf("NaN gives %s", got)
	}
}

func FuzzTaskJSON(f *testing.F) {
	for _, s := range []string{"", "渝中区", "\"\\<>&\n", "\xff", "\u2028", "a\x00b"} {
		f.Add(s, 6.5)
	}
	f.Fuzz(func(t *testing.T, s string, v float64) {
		task := fullTask(s)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			v = 0
		}
		task.Targets[0].Value = &v
		want, err := json.Marshal(task)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendTask(nil, task); string(got) != string(want) {
			t.Errorf("appendTask(%q, %v) =\n%s\nwant\n%s", s, v, got, want)
		}
	})
}
