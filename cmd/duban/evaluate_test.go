package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const seed001 = "../../testdata/001_9361f94df469906e.txt"

func TestEvaluateJSON(t *testing.T) {
	stdout, stderr, err := runCLI(t, "evaluate", "--json", seed001)
	if err != nil {
		t.Fatalf("evaluate: %v\n%s", err, stderr)
	}
	var got struct {
		Source      string           `json:"source"`
		Evaluations []map[string]any `json:"evaluations"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("output is not one JSON object: %v", err)
	}
	if got.Source != "001_9361f94df469906e.txt" || len(got.Evaluations) != 23 {
		t.Fatalf("source %q, %d evaluations; want 001, 23", got.Source, len(got.Evaluations))
	}
	keys := []string{"table", "seq", "name", "year", "target", "actual", "status", "reason"}
	for _, e := range got.Evaluations {
		for _, k := range keys {
			if _, ok := e[k]; !ok {
				t.Errorf("evaluation %v lacks %q", e["name"], k)
			}
		}
		if len(e) != len(keys) {
			t.Errorf("evaluation %v has %d fields, want %d", e["name"], len(e), len(keys))
		}
	}
	counts := map[string]int{}
	for _, e := range got.Evaluations {
		counts[e["status"].(string)]++
	}
	if diff := cmp.Diff(map[string]int{"met": 15, "missed": 2, "borderline": 1, "pending": 5}, counts); diff != "" {
		t.Errorf("statuses mismatch (-want +got):\n%s", diff)
	}
	if e := got.Evaluations[5]; e["name"] != "研发经费投入强度" || e["reason"] != "完成情况约0.7，低于目标0.8" {
		t.Errorf("evaluation 6 = %v", e)
	}
}

func TestEvaluateOptions(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"summary", []string{seed001}, []string{"001_9361f94df469906e.txt", "2021年经济社会发展主要目标完成情况表（2021年）", "未完成", "完成情况约0.7，低于目标0.8",
			"合计 23 项：已完成 15，未完成 2，难以判定 1，待定 5，不适用 0"}},
		{"english", []string{"--lang", "en", seed001}, []string{"outcome about 0.7 is below the target 0.8", "total 23: met 15, missed 2, borderline 1, pending 5, not applicable 0"}},
		{"tolerance", []string{"--json", "--tolerance", "0.2", seed001}, []string{`"reason": "完成情况约7，与目标＞6的界限大致持平，难以判定"`}},
		{"no table", []string{"../../testdata/003_01cb3e3d49b1f6f6.txt"}, []string{"没有可评价的指标表"}},
		{"no table, JSON", []string{"--json", "../../testdata/003_01cb3e3d49b1f6f6.txt"}, []string{`"evaluations": []`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, err := runCLI(t, append([]string{"evaluate"}, tt.args...)...)
			if err != nil {
				t.Fatalf("evaluate: %v\n%s", err, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("output lacks %q:\n%s", w, stdout)
				}
			}
		})
	}
}

func TestEvaluateBadInput(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.txt")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"empty file", []string{"--json", empty}, "empty.txt: 文件为空"},
		{"missing file", []string{filepath.Join(dir, "missing.txt")}, "missing.txt"},
		{"no file", nil, "Usage: duban evaluate"},
		{"two files", []string{seed001, seed001}, "Usage: duban evaluate"},
		{"bad language", []string{"--lang", "fr", seed001}, "--lang 应为 zh 或 en"},
		{"bad tolerance", []string{"--tolerance", "lots", seed001}, `--tolerance "lots": 容差应为小数`},
		{"tolerance too big", []string{"--tolerance", "150%", seed001}, "容差应在 0 到 100% 之间"},
		{"unknown flag", []string{"--frobnicate", seed001}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, err := runCLI(t, append([]string{"evaluate"}, tt.args...)...)
			if err == nil {
				t.Fatal("evaluate succeeded")
			}
			if stdout != "" {
				t.Errorf("printed %d bytes despite the error; want nothing", len(stdout))
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, stderr)
			}
		})
	}
}

func TestCheckJSON(t *testing.T) {
	stdout, stderr, err := runCLI(t, "check", "--json", seed001, "../../testdata/002_df832bfe8d5b9f39.txt", "../../testdata/003_01cb3e3d49b1f6f6.txt")
	if err != nil {
		t.Fatalf("check: %v\n%s", err, stderr)
	}
	var got struct {
		Sources  []string         `json:"sources"`
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("output is not one JSON object: %v", err)
	}
	if len(got.Sources) != 3 || len(got.Findings) != 4 {
		t.Fatalf("sources %v, %d findings; want 3 sources, 4 findings", got.Sources, len(got.Findings))
	}
	for _, f := range got.Findings {
		for _, k := range []string{"kind", "severity", "year", "indicator", "a", "b", "message"} {
			if _, ok := f[k]; !ok {
				t.Errorf("finding lacks %q: %v", k, f)
			}
		}
		if f["severity"] != "notice" {
			t.Errorf("seed finding %v: severity %v, want notice", f["message"], f["severity"])
		}
	}
}

func TestCheckSummary(t *testing.T) {
	stdout, stderr, err := runCLI(t, "check", "../../testdata/own/county_work_report_2025.txt", "../../testdata/own/county_decomposition_2025.txt")
	if err != nil {
		t.Fatalf("check: %v\n%s", err, stderr)
	}
	for _, w := range []string{
		"比对 2 份文件",
		"[错误] 2025年目标数值不一致：“7.5%”与“7%”",
		"county_work_report_2025.txt:17  正文",
		"county_decomposition_2025.txt:63  二、推进乡村全面振兴 第3项  农村居民人均可支配收入增长7%",
		"county_decomposition_2025.txt（全文）",
		"共 5 项：错误 1，警告 4，提示 0",
	} {
		if !strings.Contains(stdout, w) {
			t.Errorf("summary lacks %q:\n%s", w, stdout)
		}
	}
}

func TestCheckBadInputPrintsNothing(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.docx")
	if err := os.WriteFile(broken, []byte("PK\x03\x04garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runCLI(t, "check", "--json", seed001, broken, filepath.Join(dir, "missing.txt"))
	if err == nil {
		t.Fatal("check of bad files succeeded")
	}
	if stdout != "" {
		t.Errorf("printed %d bytes despite errors; want nothing", len(stdout))
	}
	for _, want := range []string{"duban check: ", "broken.docx", "missing.txt"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, stderr, err := runCLI(t, "check"); err == nil || !strings.Contains(stderr, "Usage: duban check") {
		t.Errorf("check without files: err %v, stderr %q", err, stderr)
	}
}

func TestUsageNamesEvaluateAndCheck(t *testing.T) {
	stdout, _, err := runCLI(t, "help")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"duban evaluate [--json] FILE", "duban check [--json] FILE..."} {
		if !strings.Contains(stdout, w) {
			t.Errorf("usage lacks %q", w)
		}
	}
}
