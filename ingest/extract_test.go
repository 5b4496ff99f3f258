package ingest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"duban/ingest"
)

var update = flag.Bool("update", false, "rewrite the golden files of extraction tests")

const (
	seed001 = "../testdata/001_9361f94df469906e.txt"
	seed002 = "../testdata/002_df832bfe8d5b9f39.txt"
	seed003 = "../testdata/003_01cb3e3d49b1f6f6.txt"
)

// goldenDocs are the documents whose whole extraction is kept as a golden file
// beside them: the three seeds, documents made for this project in other
// layouts, and the .docx and .xlsx forms of the decomposition.
func goldenDocs(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, pattern := range []string{"../testdata/*.txt", "../testdata/own/*.txt", "../testdata/own/*.docx", "../testdata/own/*.xlsx", "testdata/decomposition_*.docx", "testdata/decomposition_*.xlsx"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m...)
	}
	if len(out) < 6 {
		t.Fatalf("found only %d golden documents", len(out))
	}
	return out
}

func mustExtract(t testing.TB, path string) *ingest.Extraction {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	x, err := ingest.Extract(filepath.Base(path), data, ingest.DefaultLimits)
	if err != nil {
		t.Fatalf("Extract(%s): %v", path, err)
	}
	return x
}

func TestGolden(t *testing.T) {
	for _, path := range goldenDocs(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			x := mustExtract(t, path)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(x); err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(path, filepath.Ext(path)) + filepath.Ext(path) + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./ingest -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), buf.String()); diff != "" {
				t.Errorf("extraction of %s differs from %s (-want +got):\n%s", path, golden, diff)
			}
		})
	}
}

// goldTask is a task as the reference answers of the project write it.
type goldTask struct {
	Section          string   `json:"section"`
	Subsection       *string  `json:"subsection"`
	Number           int      `json:"number"`
	Content          string   `json:"content"`
	Note             *string  `json:"note"`
	Leaders          []string `json:"leaders"`
	LeadUnits        []string `json:"lead_units"`
	ResponsibleUnits []string `json:"responsible_units"`
}

func asGoldTasks(tasks []ingest.Task) []goldTask {
	out := make([]goldTask, len(tasks))
	for i, t := range tasks {
		out[i] = goldTask{t.Section, t.Subsection, t.Number, t.Content, t.Note, t.Leaders, t.LeadUnits, t.ResponsibleUnits}
	}
	return out
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestDecompositionMatchesReference(t *testing.T) {
	var gold struct {
		Tasks []goldTask `json:"tasks"`
	}
	readJSON(t, "../testdata/gold/gold_002.json", &gold)
	x := mustExtract(t, seed002)
	if x.Kind != ingest.KindDecomposition {
		t.Errorf("kind = %q, want decomposition", x.Kind)
	}
	if diff := cmp.Diff(gold.Tasks, asGoldTasks(x.Tasks)); diff != "" {
		t.Errorf("tasks of seed 002 differ from gold_002.json (-want +got):\n%s", diff)
	}
	sections := map[string]bool{}
	for _, task := range x.Tasks {
		sections[task.Section] = true
	}
	if len(x.Tasks) != 194 || len(sections) != 12 {
		t.Errorf("got %d tasks in %d sections, want 194 in 12", len(x.Tasks), len(sections))
	}
}

func TestIndicatorTablesMatchReference(t *testing.T) {
	type goldTable struct {
		Header []string         `json:"header"`
		Rows   []map[string]any `json:"rows"`
	}
	var gold struct {
		Completion goldTable `json:"completion_2021"`
		Proposal   goldTable `json:"proposal_2022"`
	}
	readJSON(t, "../testdata/gold/gold_001.json", &gold)
	x := mustExtract(t, seed001)
	if len(x.Tables) != 2 {
		t.Fatalf("got %d tables, want 2", len(x.Tables))
	}
	for i, g := range []goldTable{gold.Completion, gold.Proposal} {
		got := x.Tables[i]
		if diff := cmp.Diff(g.Header, got.Columns); diff != "" {
			t.Errorf("table %d columns (-want +got):\n%s", i+1, diff)
		}
		var rows []map[string]any
		for _, ind := range got.Indicators {
			row := map[string]any{"seq": float64(ind.Seq), "category": ind.Category, "name": ind.Name, "unit": ind.Unit, "attribute": ind.Attribute}
			for _, v := range ind.Values {
				row[string(v.Kind)+"_"+itoa(*v.Year)] = v.Text
			}
			rows = append(rows, row)
		}
		if diff := cmp.Diff(g.Rows, rows); diff != "" {
			t.Errorf("table %d rows (-want +got):\n%s", i+1, diff)
		}
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestWorkReportTargetsMatchReference(t *testing.T) {
	var gold struct {
		Kind            string `json:"kind"`
		Year            int    `json:"year"`
		GlossaryEntries int    `json:"glossary_entries"`
		Targets         []struct {
			Year    int     `json:"year"`
			Subject string  `json:"subject"`
			Measure string  `json:"measure"`
			Op      string  `json:"op"`
			Value   float64 `json:"value"`
			Unit    string  `json:"unit"`
		} `json:"targets"`
	}
	readJSON(t, "../testdata/gold/targets_003.json", &gold)
	x := mustExtract(t, seed003)
	if string(x.Kind) != gold.Kind || x.Year == nil || *x.Year != gold.Year || len(x.Glossary) != gold.GlossaryEntries {
		t.Errorf("kind %q year %v glossary %d, want %q %d %d", x.Kind, x.Year, len(x.Glossary), gold.Kind, gold.Year, gold.GlossaryEntries)
	}
	for _, g := range gold.Targets {
		found := false
		for _, got := range x.Targets {
			if got.Subject == g.Subject && string(got.Measure) == g.Measure && string(got.Op) == g.Op &&
				got.Value != nil && *got.Value == g.Value && got.Unit != nil && *got.Unit == g.Unit &&
				got.Year != nil && *got.Year == g.Year {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("target %+v not found", g)
		}
	}
}

// TestFormatsAgree checks that the .docx and .xlsx forms of the decomposition, with
// merged cells as Word and Excel write them, yield the same tasks as the text.
func TestFormatsAgree(t *testing.T) {
	want := mustExtract(t, seed002).Tasks
	ignore := cmpopts.IgnoreFields(ingest.Task{}, "Line", "EndLine", "Rule")
	ignoreTargetLine := cmpopts.IgnoreFields(ingest.Target{}, "Line")
	for _, path := range []string{"testdata/decomposition_002.docx", "testdata/decomposition_002.xlsx"} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			got := mustExtract(t, path).Tasks
			if diff := cmp.Diff(want, got, ignore, ignoreTargetLine); diff != "" {
				t.Errorf("tasks from %s differ from the text (-text +%s):\n%s", path, filepath.Ext(path), diff)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	small := ingest.Limits{MaxFileBytes: 1 << 20, MaxUnpackedBytes: 1 << 20, MaxLineBytes: 4 << 10}
	missing := "\t任务内容\n\t责任区领导\n\t牵头单位\n\t责任单位\n\n\t一、测试\n\n\t1.某项任务。\n\n"
	tests := []struct {
		name     string
		file     string
		data     []byte
		lim      ingest.Limits
		wantLine int
		wantMsg  string
	}{
		{"empty", "a.txt", nil, ingest.DefaultLimits, 0, "文件为空"},
		{"binary", "a.txt", []byte("\x00\x01\x02PNG\x00\x00garbage"), ingest.DefaultLimits, 0, "二进制"},
		{"too large", "a.txt", bytes.Repeat([]byte("甲"), 1<<20), small, 0, "文件过大"},
		{"long line", "a.txt", append([]byte("标题\n"), bytes.Repeat([]byte("a"), 8<<10)...), small, 2, "行过长"},
		{"not a zip", "a.docx", []byte("this is not a word file"), ingest.DefaultLimits, 0, ""},
		{"truncated docx", "a.docx", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), ingest.DefaultLimits, 0, ""},
		{"legacy doc", "a.doc", []byte("\xd0\xcf\x11\xe0"), ingest.DefaultLimits, 0, "不支持"},
		{"missing cells", "a.txt", []byte(missing), ingest.DefaultLimits, 8, "缺少"},
		{"undecodable", "a.txt", []byte{0xff, 0xfe - 1, 0x81, 0xff, 0xff, 0x80, 0xff}, ingest.DefaultLimits, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, err := ingest.Extract(tt.file, tt.data, tt.lim)
			var ie *ingest.Error
			if !errors.As(err, &ie) {
				t.Fatalf("Extract = %v, %v; want *ingest.Error", x, err)
			}
			if ie.File != tt.file || ie.Line != tt.wantLine || !strings.Contains(ie.Msg, tt.wantMsg) {
				t.Errorf("error = %q (file %q line %d), want file %q line %d containing %q", err, ie.File, ie.Line, tt.file, tt.wantLine, tt.wantMsg)
			}
		})
	}
}

func TestGB18030(t *testing.T) {
	x := mustExtract(t, "../testdata/own/county_decomposition_2025.txt")
	if x.DocNumber == nil || *x.DocNumber != "云府办发〔2025〕5号" || len(x.Tasks) != 8 {
		t.Errorf("GB18030 decomposition: doc number %v, %d tasks", x.DocNumber, len(x.Tasks))
	}
}

func FuzzExtractText(f *testing.F) {
	for _, p := range []string{seed002, "../testdata/own/county_decomposition_2025.txt", "../testdata/own/district_plan_report_2023.txt"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/3])
	}
	f.Add([]byte("\t任务内容\n\t牵头单位\n\n\t\n\n\t1.x\n"))
	lim := ingest.Limits{MaxFileBytes: 1 << 20, MaxUnpackedBytes: 1 << 20, MaxLineBytes: 64 << 10}
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := ingest.Extract("f.txt", data, lim)
		if err != nil {
			var ie *ingest.Error
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *ingest.Error", err)
			}
			return
		}
		if _, err := json.Marshal(x); err != nil {
			t.Fatal(err)
		}
	})
}

func benchmarkExtract(b *testing.B, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	name := filepath.Base(path)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ingest.Extract(name, data, ingest.DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExtract002Text(b *testing.B) { benchmarkExtract(b, seed002) }
func BenchmarkExtract002DOCX(b *testing.B) { benchmarkExtract(b, "testdata/decomposition_002.docx") }
func BenchmarkExtract002XLSX(b *testing.B) { benchmarkExtract(b, "testdata/decomposition_002.xlsx") }
func BenchmarkExtract001Text(b *testing.B) { benchmarkExtract(b, seed001) }
func BenchmarkExtract003Text(b *testing.B) { benchmarkExtract(b, seed003) }

// BenchmarkReadText measures raw text throughput on a large decomposition: the
// seed's table repeated to 5 MB.
func BenchmarkReadText(b *testing.B) {
	data, err := os.ReadFile(seed002)
	if err != nil {
		b.Fatal(err)
	}
	big := bytes.Repeat(data, 5<<20/len(data))
	b.SetBytes(int64(len(big)))
	for b.Loop() {
		if _, err := ingest.ReadText("big.txt", big, ingest.DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}
