package ingest

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// taskNumberPattern and noteLinePattern are the references that taskNumber and
// noteLine must agree with.
var (
	taskNumberPattern = regexp.MustCompile(`^(?:[（(](\d{1,3})[)）]|(\d{1,3})[.．、，,])\s*`)
	noteLinePattern   = regexp.MustCompile(`^[（(](.+)[)）]$`)
)

// referenceTaskNumber is taskNumber written with taskNumberPattern.
func referenceTaskNumber(s string) (n, size int, ok bool) {
	m := taskNumberPattern.FindStringSubmatchIndex(s)
	if m == nil || m[1] < len(s) && s[m[1]] >= '0' && s[m[1]] <= '9' {
		return 0, 0, false
	}
	var sub string
	if m[2] >= 0 {
		sub = s[m[2]:m[3]]
	} else {
		sub = s[m[4]:m[5]]
	}
	n, _ = strconv.Atoi(sub)
	return n, m[1], true
}

func TestTaskNumber(t *testing.T) {
	tests := []struct {
		in         string
		wantN      int
		wantSize   int
		wantNumber bool
	}{
		{"1.地区生产总值增长6%左右。", 1, 2, true},
		{"12． 新增", 12, len("12． "), true},
		{"（3）推进", 3, len("（3）"), true},
		{"(45)推进", 45, 4, true},
		{"7、推进", 7, len("7、"), true},
		{"1. 5亿元", 0, 0, false},
		{"2024.推进", 0, 0, false},
		{"（1推进", 0, 0, false},
		{"一、主要预期指标", 0, 0, false},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n, size, ok := taskNumber(tt.in)
			if n != tt.wantN || size != tt.wantSize || ok != tt.wantNumber {
				t.Errorf("taskNumber(%q) = %d, %d, %v; want %d, %d, %v", tt.in, n, size, ok, tt.wantN, tt.wantSize, tt.wantNumber)
			}
		})
	}
}

func TestNoteLine(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"（2024年6月起由区商务委牵头）", "2024年6月起由区商务委牵头", true},
		{"(注)", "注", true},
		{"（a）（b）", "a）（b", true},
		{"（）", "", false},
		{"（未闭合", "", false},
		{"正文（说明）", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got, ok := noteLine(tt.in); got != tt.want || ok != tt.wantOK {
				t.Errorf("noteLine(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// FuzzTaskNumber checks taskNumber and noteLine against the regular expressions
// they replace.
func FuzzTaskNumber(f *testing.F) {
	for _, s := range []string{"1.任务", "（12） 任务", "(3)", "123、", "1. 5", "（说明）"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, size, ok := taskNumber(s)
		wn, wsize, wok := referenceTaskNumber(s)
		if n != wn || size != wsize || ok != wok {
			t.Errorf("taskNumber(%q) = %d, %d, %v; the pattern gives %d, %d, %v", s, n, size, ok, wn, wsize, wok)
		}
		if strings.Contains(s, "\n") {
			return // noteLine reads one line of a cell
		}
		note, ok := noteLine(s)
		m := noteLinePattern.FindStringSubmatch(s)
		if ok != (m != nil) || ok && note != m[1] {
			t.Errorf("noteLine(%q) = %q, %v; the pattern gives %q", s, note, ok, m)
		}
	})
}
