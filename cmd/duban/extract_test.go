package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, func(string) string { return "" }, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestExtractJSON(t *testing.T) {
	stdout, stderr, err := runCLI(t, "extract", "--json", "../../testdata/002_df832bfe8d5b9f39.txt")
	if err != nil {
		t.Fatalf("extract: %v\n%s", err, stderr)
	}
	var x map[string]any
	if err := json.Unmarshal([]byte(stdout), &x); err != nil {
		t.Fatalf("output is not one JSON object: %v", err)
	}
	for _, key := range []string{"source", "kind", "title", "doc_number", "issuer", "date", "year", "tasks", "tables", "targets", "glossary", "warnings"} {
		if _, ok := x[key]; !ok {
			t.Errorf("output lacks %q", key)
		}
	}
	if x["source"] != "002_df832bfe8d5b9f39.txt" || x["kind"] != "decomposition" || len(x["tasks"].([]any)) != 194 {
		t.Errorf("source %v kind %v tasks %d", x["source"], x["kind"], len(x["tasks"].([]any)))
	}
}

func TestExtractSeveralFilesOneLineEach(t *testing.T) {
	stdout, stderr, err := runCLI(t, "extract", "--json", "../../testdata/001_9361f94df469906e.txt", "../../testdata/003_01cb3e3d49b1f6f6.txt")
	if err != nil {
		t.Fatalf("extract: %v\n%s", err, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2", len(lines))
	}
	for _, l := range lines {
		if !json.Valid([]byte(l)) {
			t.Errorf("line is not JSON: %.80s", l)
		}
	}
}

func TestExtractBadInputPrintsNothing(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.txt")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.docx")
	if err := os.WriteFile(broken, []byte("PK\x03\x04garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runCLI(t, "extract", "--json", "../../testdata/002_df832bfe8d5b9f39.txt", empty, broken, filepath.Join(dir, "missing.txt"))
	if err == nil {
		t.Fatal("extract of bad files succeeded")
	}
	if stdout != "" {
		t.Errorf("printed %d bytes despite errors; want nothing", len(stdout))
	}
	for _, want := range []string{"empty.txt: 文件为空", "broken.docx", "missing.txt"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestExtractSummary(t *testing.T) {
	stdout, _, err := runCLI(t, "extract", "../../testdata/002_df832bfe8d5b9f39.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"decomposition", "渝中府办〔2024〕2号", "tasks: 194", "002_df832bfe8d5b9f39.txt:1282"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	if _, stderr, err := runCLI(t, "frobnicate"); err == nil || !strings.Contains(stderr, "unknown command") {
		t.Errorf("err %v stderr %q", err, stderr)
	}
}
