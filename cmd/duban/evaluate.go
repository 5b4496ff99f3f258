package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"duban"
	"duban/assess"
	"duban/ingest"
)

// runEvaluate is `duban evaluate`: it judges the indicator tables of one
// document and prints the verdicts, as JSON (the contract in docs/EXTRACT.md)
// or as a summary.
func runEvaluate(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("evaluate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the evaluation as JSON (the contract in docs/EXTRACT.md)")
	lang := fs.String("lang", "zh", "language of the reasons: zh or en")
	tol := fs.String("tolerance", "5%", "tolerance of 左右/约, as a fraction (0.05) or a percentage (5%)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: duban evaluate [--json] [--lang zh|en] [--tolerance X] FILE")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errReported
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errReported
	}
	s, err := assessSettings(*lang, *tol)
	if err != nil {
		fmt.Fprintln(stderr, "duban evaluate:", err)
		return errReported
	}
	x, err := extractFile(fs.Arg(0), ingest.DefaultLimits)
	if err != nil {
		fmt.Fprintln(stderr, "duban evaluate:", err)
		return errReported
	}
	a := assess.EvaluateExtraction(x, s)
	if *asJSON {
		return printJSON(stdout, a)
	}
	printAssessment(stdout, a, s)
	return nil
}

// runCheck is `duban check`: it reads every file first, compares them and
// prints the findings; nothing is printed when a file cannot be read.
func runCheck(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the findings as JSON (docs/EVALUATE.md)")
	lang := fs.String("lang", "zh", "language of the messages: zh or en")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: duban check [--json] [--lang zh|en] FILE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errReported
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errReported
	}
	s, err := assessSettings(*lang, "")
	if err != nil {
		fmt.Fprintln(stderr, "duban check:", err)
		return errReported
	}
	var docs []*ingest.Extraction
	failed := false
	for _, name := range fs.Args() {
		x, err := extractFile(name, ingest.DefaultLimits)
		if err != nil {
			fmt.Fprintln(stderr, "duban check:", err)
			failed = true
			continue
		}
		docs = append(docs, x)
	}
	if failed {
		return errReported
	}
	r := assess.CheckDocuments(docs, s)
	if *asJSON {
		return printJSON(stdout, r)
	}
	printFindings(stdout, r, s)
	return nil
}

// assessSettings builds the settings from the flags; tol "" keeps the default.
func assessSettings(lang, tol string) (assess.Settings, error) {
	s := assess.DefaultSettings()
	switch lang {
	case "zh", "":
		s.Lang = assess.LangZH
	case "en":
		s.Lang = assess.LangEN
	default:
		return s, duban.Errorf(duban.CodeInvalid, "--lang 应为 zh 或 en，而不是 %q", lang)
	}
	if tol != "" {
		t, err := assess.ParseTolerance(tol)
		if err != nil {
			return s, fmt.Errorf("--tolerance %q: %w", tol, err)
		}
		s.Tolerance = t
	}
	return s, nil
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// statusLabels name the verdicts in the summary, Chinese and English.
var statusLabels = map[assess.Status][2]string{
	assess.StatusMet:           {"已完成", "met"},
	assess.StatusMissed:        {"未完成", "missed"},
	assess.StatusBorderline:    {"难以判定", "borderline"},
	assess.StatusPending:       {"待定", "pending"},
	assess.StatusNotApplicable: {"不适用", "not applicable"},
}

var statusOrder = []assess.Status{assess.StatusMet, assess.StatusMissed, assess.StatusBorderline, assess.StatusPending, assess.StatusNotApplicable}

func label(labels map[assess.Status][2]string, st assess.Status, s assess.Settings) string {
	l, ok := labels[st]
	if !ok {
		return string(st)
	}
	if s.Lang == assess.LangEN {
		return l[1]
	}
	return l[0]
}

// padLabel pads a status label to one width: Chinese labels with ideographic
// spaces, English ones with spaces.
func padLabel(l string, s assess.Settings) string {
	if s.Lang == assess.LangEN {
		return fmt.Sprintf("%-14s", l)
	}
	return l + strings.Repeat("　", max(0, 4-utf8.RuneCountInString(l)))
}

func en(s assess.Settings, zh, en string) string {
	if s.Lang == assess.LangEN {
		return en
	}
	return zh
}

func printAssessment(w io.Writer, a *assess.Assessment, s assess.Settings) {
	fmt.Fprintln(w, a.Source)
	if len(a.Evaluations) == 0 {
		fmt.Fprintln(w, en(s, "  没有可评价的指标表（需要同一年的目标列和完成情况列）",
			"  no indicator table to evaluate (it needs a target and an outcome column of the same year)"))
		return
	}
	counts := map[assess.Status]int{}
	heading := ""
	for _, e := range a.Evaluations {
		h := e.Table
		if e.Year != nil {
			h += en(s, "（"+strconv.Itoa(*e.Year)+"年）", " ("+strconv.Itoa(*e.Year)+")")
		}
		if h != heading {
			fmt.Fprintln(w, "  "+h)
			heading = h
		}
		counts[e.Status]++
		fmt.Fprintf(w, "  %3d  %s  %s  %s %s  %s %s  %s\n", e.Seq, padLabel(label(statusLabels, e.Status, s), s), e.Name,
			en(s, "目标", "target"), e.Target, en(s, "完成", "outcome"), e.Actual, e.Reason)
	}
	var parts []string
	for _, st := range statusOrder {
		parts = append(parts, label(statusLabels, st, s)+" "+strconv.Itoa(counts[st]))
	}
	fmt.Fprintf(w, en(s, "  合计 %d 项：%s\n", "  total %d: %s\n"), len(a.Evaluations), strings.Join(parts, en(s, "，", ", ")))
}

var severityLabels = map[assess.Severity][2]string{
	assess.SeverityError:   {"错误", "error"},
	assess.SeverityWarning: {"警告", "warning"},
	assess.SeverityNotice:  {"提示", "notice"},
}

func printFindings(w io.Writer, r *assess.CheckReport, s assess.Settings) {
	fmt.Fprintf(w, en(s, "比对 %d 份文件：%s\n", "compared %d documents: %s\n"), len(r.Sources), strings.Join(r.Sources, ", "))
	if len(r.Findings) == 0 {
		fmt.Fprintln(w, en(s, "  未发现不一致", "  no inconsistencies found"))
		return
	}
	counts := map[assess.Severity]int{}
	for _, f := range r.Findings {
		counts[f.Severity]++
		l := severityLabels[f.Severity]
		fmt.Fprintf(w, "[%s] %s\n", en(s, l[0], l[1]), f.Message)
		for _, p := range []assess.Place{f.A, f.B} {
			fmt.Fprintln(w, strings.TrimRight("    "+placeText(p, s)+"  "+p.Where+"  "+p.Text, " "))
		}
	}
	var parts []string
	for _, sev := range []assess.Severity{assess.SeverityError, assess.SeverityWarning, assess.SeverityNotice} {
		l := severityLabels[sev]
		parts = append(parts, en(s, l[0], l[1])+" "+strconv.Itoa(counts[sev]))
	}
	fmt.Fprintf(w, en(s, "共 %d 项：%s\n", "%d findings: %s\n"), len(r.Findings), strings.Join(parts, en(s, "，", ", ")))
}

// placeText is "file:line", or the file alone for a whole document.
func placeText(p assess.Place, s assess.Settings) string {
	if p.Line == nil {
		return p.Source + en(s, "（全文）", " (whole document)")
	}
	return p.Source + ":" + strconv.Itoa(*p.Line)
}
