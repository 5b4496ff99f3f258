package web

import (
	"strings"
	"testing"
)

// TestAssessmentAPI: the plan report imported, its indicators are judged,
// documents checked, lineage and polarities kept, by who may.
func TestAssessmentAPI(t *testing.T) {
	h := newHarness(t, Config{})
	if got := h.do(t, importRequest(t, h, "admin", readTestdata(t, "001_9361f94df469906e.txt"))); got.status != 201 {
		t.Fatalf("import 001: %s", got)
	}
	tests := []struct {
		name   string
		req    request
		status int
		want   []string
	}{
		{"2021 judged", request{method: "GET", path: "/api/v1/indicators/evaluation?year=2021", as: "viewer"}, 200,
			[]string{`"name":"研发经费投入强度"`, `"status":"missed"`, `"status":"borderline"`, `"status":"pending"`}},
		{"in English", request{method: "GET", path: "/api/v1/indicators/evaluation?year=2021&lang=en", as: "leader"}, 200, []string{"target"}},
		{"a reporter sees the evaluation too", request{method: "GET", path: "/api/v1/indicators/evaluation?year=2021", as: "reporter"}, 200, nil},
		{"consistency", request{method: "GET", path: "/api/v1/consistency", as: "supervisor"}, 200, []string{`"002.txt"`, `"kind":"target_mismatch"`}},
		{"a reporter may not run the checks", request{method: "GET", path: "/api/v1/consistency", as: "reporter"}, 403, nil},
		{"lineage", request{method: "GET", path: "/api/v1/indicators/lineage", as: "viewer"}, 200, []string{`"links":[]`}},
		{"polarity as supervisor", request{method: "PUT", path: "/api/v1/indicators/polarity", as: "supervisor", body: `{"polarity":{"绿化覆盖率":"lower"}}`}, 403, nil},
		{"polarity as admin", request{method: "PUT", path: "/api/v1/indicators/polarity", as: "admin", body: `{"polarity":{"研发经费投入强度":"lower"}}`}, 200, nil},
		{"a bad polarity", request{method: "PUT", path: "/api/v1/indicators/polarity", as: "admin", body: `{"polarity":{"x":"up"}}`, offContract: true}, 400, nil},
		{"read back", request{method: "GET", path: "/api/v1/indicators/polarity", as: "viewer"}, 200, []string{"研发经费投入强度"}},
		{"projections", request{method: "GET", path: "/api/v1/projections?year=2024", as: "leader"}, 200, []string{`"projections":[]`}},
		{"ranking", request{method: "GET", path: "/api/v1/ranking?year=2024&as_of=2024-11-15", as: "viewer"}, 200, []string{`"as_of":"2024-11-14"`, `"units"`}},
		{"rules in words", request{method: "GET", path: "/api/v1/ranking/rules", as: "reporter"}, 200, []string{"按时报送"}},
		{"rules by a supervisor", request{method: "PUT", path: "/api/v1/ranking/rules", as: "supervisor", body: `{"rules":{}}`, offContract: true}, 403, nil},
		{"bad rules", request{method: "PUT", path: "/api/v1/ranking/rules", as: "admin", offContract: true,
			body: `{"rules":{"timeliness":{"weight":-1,"late_credit":0.5},"completion":{"weight":40},"quality":{"weight":20,"unrated":3},"notice":{"weight":10,"late_credit":0.5},"returned":{"points":1,"cap":5},"beyond_grace":{"points":2,"cap":10},"notice_overdue":{"points":2,"cap":10},"past_deadline":{"points":3,"cap":15},"deduction_cap":30,"early_closure":{"points":1,"cap":5,"days_ahead":30}}}`}, 400, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.do(t, tt.req)
			if got.status != tt.status {
				t.Fatalf("%s %s as %s: %s; want %d", tt.req.method, tt.req.path, tt.req.as, got, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(got.body), w) {
					t.Errorf("%s: no %s in %.300s", tt.name, w, got.body)
				}
			}
		})
	}
}
