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

func TestExtractExplain(t *testing.T) {
	stdout, stderr, err := runCLI(t, "extract", "--explain", "../../testdata/real/district_xianan_2023_decomposition.txt",
		"../../testdata/real/county_dazhu_2016_decomposition.txt")
	if err != nil {
		t.Fatalf("extract --explain: %v\n%s", err, stderr)
	}
	for _, want := range []string{
		"类型 kind: decomposition（读出 12 项带责任单位的任务）",
		"一、1  第5行  [编号条目，责任单位在条目末尾括号内",
		"牵头单位 lead: 区发改局",
		"目标 target 第5行 2023年 地区生产总值 ge 8%  [主语＋数值",
		"[网页展平的表格（每格一行）",
		"未读取的段落 paragraphs no rule took:",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("explanation lacks %q", want)
		}
	}
	if _, _, err := runCLI(t, "extract", "--explain", "--json", "../../testdata/real/district_xianan_2023_decomposition.txt"); err == nil {
		t.Error("--explain with --json was accepted")
	}
}

func TestExtractWarnsWhenNothingIsRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "letter.txt")
	if err := os.WriteFile(path, []byte("关于召开座谈会的通知\n各单位：\n定于下周召开座谈会，请准时参加。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runCLI(t, "extract", "--json", path)
	if err != nil {
		t.Fatalf("extract: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "没有读出任何任务、指标表或目标：查找了") {
		t.Errorf("no warning that nothing was read:\n%s", stdout)
	}
}
