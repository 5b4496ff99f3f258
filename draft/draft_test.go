package draft

import (
	"os"
	"testing"

	"duban/ingest"
)

func TestMakeProposesFromHistory(t *testing.T) {
	history := mustExtractFile(t, "../testdata/002_df832bfe8d5b9f39.txt")
	d, err := Make(readDoc(t, "../testdata/003_01cb3e3d49b1f6f6.txt"), []*ingest.Extraction{history}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != ingest.KindDecomposition || d.Year == nil || *d.Year != 2021 {
		t.Errorf("kind %s year %v, want a 2021 decomposition", d.Kind, d.Year)
	}
	first := d.Tasks[0]
	if len(first.LeadUnits) != 1 || first.LeadUnits[0] != "区发改委" || first.Confidence < 0.5 {
		t.Errorf("GDP task proposed %v (confidence %.2f), want 区发改委", first.LeadUnits, first.Confidence)
	}
	if len(first.Basis) == 0 || first.Basis[0].Number != 1 || first.Basis[0].Line != 27 {
		t.Errorf("GDP task basis %+v, want task 1 of 002 at line 27", first.Basis)
	}
}

func TestSuggestNothingLikeIt(t *testing.T) {
	history := mustExtractFile(t, "../testdata/002_df832bfe8d5b9f39.txt")
	ix := NewIndex([]*ingest.Extraction{history}, nil)
	s := ix.Suggest(ingest.Task{Section: "一、其他", Content: "ＸＹＺ"})
	if len(s.LeadUnits) != 0 || s.Confidence != 0 {
		t.Errorf("a task like nothing got %+v", s)
	}
	doc, err := ingest.ReadText("r.txt", []byte("二、2024年工作安排\n\n（一）其他。\n\n甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥。\n"), ingest.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Make(doc, []*ingest.Extraction{history}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Tasks) != 1 || len(d.Tasks[0].LeadUnits) != 0 || len(d.Warnings) == 0 {
		t.Errorf("draft of an unknown task: tasks %+v warnings %v", d.Tasks, d.Warnings)
	}
}

func TestUnitAliases(t *testing.T) {
	u := newUnitNames([]string{"市发展和改革委员会", "市发展改革委", "区税务局等", "陈  平"}, map[string]string{"区政服办": "区政务服务办"})
	got := u.canonical([]string{"市发展改革委", "区税务局等", "区政服办", "市发展和改革委员会"})
	want := []string{"市发展和改革委员会", "区税务局", "区政务服务办"}
	if len(got) != len(want) {
		t.Fatalf("canonical %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("canonical %v, want %v", got, want)
		}
	}
}

// BenchmarkDraft is `duban draft` on a district's work report (seed 003, the
// 渝中区 2021 report) with one earlier decomposition (seed 002) as history:
// reading both files, extracting the history, splitting and suggesting.
func BenchmarkDraft(b *testing.B) {
	report, err := os.ReadFile("../testdata/003_01cb3e3d49b1f6f6.txt")
	if err != nil {
		b.Fatal(err)
	}
	hist, err := os.ReadFile("../testdata/002_df832bfe8d5b9f39.txt")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		h, err := ingest.Extract("002.txt", hist, ingest.DefaultLimits)
		if err != nil {
			b.Fatal(err)
		}
		doc, err := ingest.Read("003.txt", report, ingest.DefaultLimits)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Make(doc, []*ingest.Extraction{h}, nil); err != nil {
			b.Fatal(err)
		}
	}
}
