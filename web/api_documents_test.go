package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"duban"
)

// TestDocumentPreviewCorrections: the corrections of the API's preview, one
// request each: what changes something comes back in corrections and shows
// in the tasks; what names no task, or is not JSON, is 400 naming it.
func TestDocumentPreviewCorrections(t *testing.T) {
	h := newHarness(t, Config{})
	data := readTestdata(t, "002_df832bfe8d5b9f39.txt")
	tests := []struct {
		name     string
		fields   map[string]string
		want     int
		contains []string
		// offContract marks a request the OpenAPI document refuses.
		offContract bool
	}{
		{name: "none", want: 200,
			contains: []string{`"corrections":{"tasks":[],"dropped":[],"added":[],"columns":{},"year":null}`, `"line":27`, `"content":"地区生产总值增长6%左右。"`,
				`"leaders":["邓光怀"]`, `"targets":[{"text":"地区生产总值增长6%左右"`, `"status":"created"`, `"unread":[`,
				`"headers":[{"line":20,"columns":[{"header":"任务内容","role":"content"}`, `"issuer":"重庆市渝中区人民政府办公室"`, `"org":"渝中区"`, `"mismatches":[]`}},
		{name: "a task's fields", fields: map[string]string{"corrections": `{"tasks":[{"line":27,"leaders":["陈  平"],"deadline":"2024年6月底","content":"地区生产总值增长6.5%左右。"}]}`}, want: 200,
			contains: []string{`"tasks":[{"line":27,"section":null,"number":null,"content":"地区生产总值增长6.5%左右。","leaders":["陈平"],"lead_units":null,"responsible_units":null,"deadline":"2024年6月底"}]`,
				`"edited":["content","leaders","deadline"]`, `"text":"地区生产总值增长6.5%左右"`}},
		{name: "an edit that changes nothing", fields: map[string]string{"corrections": `{"tasks":[{"line":27,"leaders":["邓光怀"]}]}`}, want: 200,
			contains: []string{`"corrections":{"tasks":[],`}},
		{name: "a task dropped", fields: map[string]string{"corrections": `{"dropped":[37]}`}, want: 200,
			contains: []string{`"dropped":[37]`, `"status":"dropped"`}},
		{name: "a column's role", fields: map[string]string{"corrections": `{"columns":{"责任区领导":"none"}}`}, want: 200,
			contains: []string{`"columns":{"责任区领导":"none"}`, `"header":"责任区领导","role":"none"`, `"new_people":[]`}},
		{name: "a unit merged", fields: map[string]string{"merges": `{"区财政局":"区发改委"}`}, want: 200,
			contains: []string{`"name":"区财政局","unit":"区发改委"`, `"how":"merge"`, `"name":"区商务委","unit":"区商务委"`}},
		{name: "corrections not JSON", fields: map[string]string{"corrections": `[1]`}, want: 400, contains: []string{"corrections"}},
		{name: "an unknown correction", fields: map[string]string{"corrections": `{"renamed":{}}`}, want: 400, contains: []string{"renamed"}},
		{name: "a paragraph that is none", fields: map[string]string{"corrections": `{"added":[{"line":27}]}`}, want: 400, contains: []string{"第 27 行已是任务"}},
		{name: "an edit of no task", fields: map[string]string{"corrections": `{"tasks":[{"line":28,"content":"x"}]}`}, want: 400, contains: []string{"第 28 行没有任务"}},
		{name: "an empty content", fields: map[string]string{"corrections": `{"tasks":[{"line":27,"content":" "}]}`}, want: 400, contains: []string{"内容不能为空"}},
		{name: "a column that is none", fields: map[string]string{"corrections": `{"columns":{"备注":"lead"}}`}, want: 400, contains: []string{"备注"}},
		{name: "a role that is none", fields: map[string]string{"corrections": `{"columns":{"牵头单位":"boss"}}`}, want: 400, contains: []string{"boss"}},
		{name: "acknowledge not a boolean", fields: map[string]string{"acknowledge": "maybe"}, want: 400, contains: []string{"acknowledge"}, offContract: true},
		{name: "a year given", fields: map[string]string{"year": "2025"}, want: 200, contains: []string{`"year":2025`, `"columns":{},"year":2025}`}},
		{name: "a year that is none", fields: map[string]string{"year": "二〇二五"}, want: 400, contains: []string{"年度应为四位数字的年份"}, offContract: true},
		{name: "a year out of range", fields: map[string]string{"corrections": `{"year":1800}`}, want: 400, contains: []string{"年度 1800 不是有效的年份"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, ct := upload(t, "002.txt", data, tt.fields)
			got := h.do(t, request{method: "POST", path: "/api/v1/documents/preview", as: "admin", body: body, contentType: ct, offContract: tt.offContract})
			if got.status != tt.want {
				t.Fatalf("status %d, want %d: %.500s", got.status, tt.want, got.body)
			}
			for _, s := range tt.contains {
				if !bytes.Contains(got.body, []byte(s)) {
					t.Errorf("the answer lacks %s", s)
				}
			}
		})
	}
}

// TestDocumentParagraphTakenAsTask takes a paragraph that no rule of the
// reader took as a task through the API.
func TestDocumentParagraphTakenAsTask(t *testing.T) {
	h := newHarness(t, Config{})
	data := readTestdata(t, "real/city_baotou_2011_decomposition.txt")
	preview := func(fields map[string]string) response {
		body, ct := upload(t, "baotou.txt", data, fields)
		return h.do(t, request{method: "POST", path: "/api/v1/documents/preview", as: "admin", body: body, contentType: ct})
	}
	got := preview(nil)
	var p struct {
		Unread []struct {
			Line int    `json:"line"`
			Text string `json:"text"`
		} `json:"unread"`
	}
	got.decode(t, &p)
	if got.status != 200 || len(p.Unread) == 0 {
		t.Fatalf("preview: %d, %d paragraphs not read", got.status, len(p.Unread))
	}
	para := p.Unread[len(p.Unread)-1]
	got = preview(map[string]string{"corrections": fmt.Sprintf(`{"added":[{"line":%d,"lead_units":["市政府督查室"]}]}`, para.Line)})
	for _, want := range []string{fmt.Sprintf(`"added":[{"line":%d,`, para.Line), `"added":true`, `"lead_units":["市政府督查室"]`, `"how":"new"`} {
		if got.status != 200 || !bytes.Contains(got.body, []byte(want)) {
			t.Errorf("the paragraph of line %d taken as a task: %d, the answer lacks %s", para.Line, got.status, want)
		}
	}
}

// TestDocumentImportAcknowledged goes through another county's document of
// next year with the API: the preview names the mismatches, the
// confirmation needs acknowledge, a unit name merged by hand becomes an
// alias, and the next preview resolves it without asking.
func TestDocumentImportAcknowledged(t *testing.T) {
	h := newHarness(t, Config{})
	orgB := h.ids["org_b"]
	if err := h.store.CreateUnit(context.Background(), duban.System(orgB), &duban.Unit{OrgID: orgB, Name: "共青团云溪县委员会"}); err != nil {
		t.Fatal(err)
	}
	data := readTestdata(t, "own/county_decomposition_2025.txt")
	revised := bytes.Replace(data, []byte("2025"), []byte("2025 "), 1)
	merges := `{"团县委":"共青团云溪县委员会"}`
	corrections := `{"tasks":[{"line":81,"deadline":"2025年12月底前"}]}`
	fingerprint := ""
	steps := []struct {
		name     string
		file     []byte
		path     string
		fields   map[string]string
		want     int
		contains []string
		excludes []string
	}{
		{name: "preview", file: data, path: "/api/v1/documents/preview", fields: map[string]string{"merges": merges, "corrections": corrections}, want: 200,
			contains: []string{`"kind":"issuer","document":"云溪县","ledger":"江北区"`, `"kind":"year","document":"2025","ledger":"2024","default_year":2024`,
				`"name":"团县委","unit":"共青团云溪县委员会"`, `"how":"merge"`, `"deadline":"2025年12月底前","targets"`}},
		{name: "confirm without acknowledging", file: data, path: "/api/v1/documents",
			fields: map[string]string{"merges": merges, "corrections": corrections, "fingerprint": "{fingerprint}"}, want: 400,
			contains: []string{"云溪县", "2025", "江北区"}},
		{name: "confirm with other corrections", file: data, path: "/api/v1/documents",
			fields: map[string]string{"merges": merges, "corrections": `{"dropped":[25]}`, "fingerprint": "{fingerprint}", "acknowledge": "true"}, want: 409},
		{name: "confirm", file: data, path: "/api/v1/documents",
			fields: map[string]string{"merges": merges, "corrections": corrections, "fingerprint": "{fingerprint}", "acknowledge": "true"}, want: 201,
			contains: []string{`"tasks_created":8`}},
		{name: "the next preview knows the alias", file: revised, path: "/api/v1/documents/preview", want: 200,
			contains: []string{`"name":"团县委","unit":"共青团云溪县委员会"`, `"how":"alias"`, `"kind":"issuer"`},
			excludes: []string{`"kind":"year"`, `"团县委","into"`}},
	}
	for _, st := range steps {
		fields := map[string]string{}
		for k, v := range st.fields {
			fields[k] = strings.ReplaceAll(v, "{fingerprint}", fingerprint)
		}
		body, ct := upload(t, "county.txt", st.file, fields)
		got := h.do(t, request{method: "POST", path: st.path, as: "admin_b", body: body, contentType: ct})
		if got.status != st.want {
			t.Fatalf("%s: status %d, want %d: %.600s", st.name, got.status, st.want, got.body)
		}
		for _, s := range st.contains {
			if !bytes.Contains(got.body, []byte(s)) {
				t.Errorf("%s: the answer lacks %s", st.name, s)
			}
		}
		for _, s := range st.excludes {
			if bytes.Contains(got.body, []byte(s)) {
				t.Errorf("%s: the answer has %s", st.name, s)
			}
		}
		if got.status == 200 {
			var p struct {
				Fingerprint string `json:"fingerprint"`
			}
			got.decode(t, &p)
			fingerprint = p.Fingerprint
		}
	}
	units, err := h.store.FindUnits(context.Background(), orgB)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if u.Name == "共青团云溪县委员会" {
			if b, _ := json.Marshal(u.Aliases); string(b) != `["团县委"]` {
				t.Errorf("aliases of 共青团云溪县委员会: %s", b)
			}
		}
	}
}
