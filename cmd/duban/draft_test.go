package main

import (
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files of command tests")

// draftGolden is `duban draft --json` on seed 003 (the district's work
// report) with seed 002 (its decomposition of a later year) as history.
const draftGolden = "../../testdata/003_01cb3e3d49b1f6f6.txt.draft.golden.json"

func TestDraftJSONGolden(t *testing.T) {
	stdout, stderr, err := runCLI(t, "draft", "--json", "--history", "../../testdata/002_df832bfe8d5b9f39.txt", "../../testdata/003_01cb3e3d49b1f6f6.txt")
	if err != nil {
		t.Fatalf("draft: %v\n%s", err, stderr)
	}
	if *updateGolden {
		if err := os.WriteFile(draftGolden, []byte(stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(draftGolden)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/duban -run TestDraftJSONGolden -update)", err)
	}
	if diff := cmp.Diff(string(want), stdout); diff != "" {
		t.Errorf("duban draft --json mismatch (-want +got):\n%s", diff)
	}
	var x map[string]any
	if err := json.Unmarshal([]byte(stdout), &x); err != nil {
		t.Fatalf("output is not one JSON object: %v", err)
	}
	for _, key := range []string{"source", "kind", "title", "doc_number", "issuer", "date", "year", "tasks", "tables", "targets", "glossary", "warnings", "history"} {
		if _, ok := x[key]; !ok {
			t.Errorf("output lacks %q", key)
		}
	}
	if x["kind"] != "decomposition" {
		t.Errorf("kind %v, want decomposition", x["kind"])
	}
	tasks := x["tasks"].([]any)
	if len(tasks) == 0 {
		t.Fatal("no tasks")
	}
	for _, key := range []string{"section", "subsection", "number", "content", "note", "leaders", "lead_units", "responsible_units", "deadline", "targets", "line", "basis", "confidence"} {
		if _, ok := tasks[0].(map[string]any)[key]; !ok {
			t.Errorf("task lacks %q", key)
		}
	}
}

func TestDraftSummaryAndErrors(t *testing.T) {
	stdout, stderr, err := runCLI(t, "draft", "--history", "../../testdata/002_df832bfe8d5b9f39.txt", "../../testdata/003_01cb3e3d49b1f6f6.txt")
	if err != nil {
		t.Fatalf("draft: %v\n%s", err, stderr)
	}
	for _, want := range []string{"一、主要预期目标", "牵头单位 lead: 区发改委", "依据 basis: 002_df832bfe8d5b9f39.txt 第27行 一、1"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	if _, stderr, err := runCLI(t, "draft", "--history", "../../testdata/001_9361f94df469906e.txt", "../../testdata/003_01cb3e3d49b1f6f6.txt"); err == nil || !strings.Contains(stderr, "不是任务分解") {
		t.Errorf("a plan report as history: err %v, stderr %q", err, stderr)
	}
	if _, _, err := runCLI(t, "draft"); err == nil {
		t.Error("draft without a report succeeded")
	}
	stdout, _, err = runCLI(t, "draft", "--json", "../../testdata/003_01cb3e3d49b1f6f6.txt")
	if err != nil || !strings.Contains(stdout, "没有给出往年的任务分解") {
		t.Errorf("draft without history: err %v, no warning", err)
	}
}
