package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"duban/draft"
	"duban/ingest"
)

// repeated is a flag that may be given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(s string) error { *r = append(*r, s); return nil }

// runDraft is `duban draft`: it drafts next year's decomposition from a work
// report, proposing leaders and units from earlier decompositions. Like
// extract, it prints nothing unless every file could be read.
func runDraft(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("draft", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the draft as JSON (the extract contract of a decomposition, each task with basis and confidence)")
	var history repeated
	fs.Var(&history, "history", "an earlier decomposition (.txt, .docx, .xlsx) to propose leaders and units from; may be repeated")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: duban draft [--json] [--history FILE]... REPORT")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errReported
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errReported
	}
	lim := ingest.DefaultLimits
	failed := false
	var earlier []*ingest.Extraction
	for _, name := range history {
		x, err := extractFile(name, lim)
		if err != nil {
			fmt.Fprintln(stderr, "duban draft:", err)
			failed = true
			continue
		}
		if x.Kind != ingest.KindDecomposition || len(x.Tasks) == 0 {
			fmt.Fprintf(stderr, "duban draft: %s: 不是任务分解（没有读出带责任单位的任务），不能作为往年分解\n", name)
			failed = true
			continue
		}
		earlier = append(earlier, x)
	}
	report := fs.Arg(0)
	data, err := readDocumentFile(report, lim)
	if err != nil {
		fmt.Fprintln(stderr, "duban draft:", err)
		return errReported
	}
	if failed {
		return errReported
	}
	doc, err := ingest.Read(filepath.Base(report), data, lim)
	if err != nil {
		fmt.Fprintln(stderr, "duban draft:", err)
		return errReported
	}
	d, err := draft.Make(doc, earlier, nil)
	if err != nil {
		fmt.Fprintln(stderr, "duban draft:", err)
		return errReported
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	printDraft(stdout, d)
	return nil
}

// printDraft writes a draft for a person: each task with what is proposed
// and why.
func printDraft(w io.Writer, d *draft.Draft) {
	fmt.Fprintf(w, "%s\n  %s\n", d.Source, d.Title)
	if len(d.History) > 0 {
		fmt.Fprintf(w, "  往年分解 history: %s\n", strings.Join(d.History, "、"))
	}
	guessed := 0
	for _, t := range d.Tasks {
		if len(t.LeadUnits) > 0 {
			guessed++
		}
	}
	fmt.Fprintf(w, "  任务 tasks: %d  已建议单位 with proposals: %d\n", len(d.Tasks), guessed)
	section := ""
	for _, t := range d.Tasks {
		if t.Section != section {
			section = t.Section
			fmt.Fprintf(w, "\n%s\n", section)
		}
		fmt.Fprintf(w, "  %d. [第%d行] %s\n", t.Number, t.Line, shortText(t.Content, 50))
		if len(t.LeadUnits) == 0 {
			continue
		}
		if len(t.Leaders) > 0 {
			fmt.Fprintf(w, "     责任领导 leaders: %s\n", strings.Join(t.Leaders, "、"))
		}
		fmt.Fprintf(w, "     牵头单位 lead: %s（把握 confidence %.2f）\n", strings.Join(t.LeadUnits, "、"), t.Confidence)
		if len(t.ResponsibleUnits) > 0 {
			fmt.Fprintf(w, "     责任单位 responsible: %s\n", strings.Join(t.ResponsibleUnits, "、"))
		}
		for _, b := range t.Basis {
			fmt.Fprintf(w, "     依据 basis: %s 第%d行 %s%d（相似度 %.2f）%s\n", b.Source, b.Line, sectionOrdinal(b.Section), b.Number, b.Score, shortText(b.Content, 30))
		}
	}
	if len(d.Warnings) > 0 {
		fmt.Fprintf(w, "\n提示 warnings: %d\n", len(d.Warnings))
		for _, wn := range d.Warnings {
			fmt.Fprintf(w, "  %s:%d: %s\n", d.Source, wn.Line, wn.Message)
		}
	}
}
