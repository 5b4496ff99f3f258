package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"duban/ingest"
)

// runExtract is `duban extract`: it reads every file first and prints only when
// all of them could be read, so a script never sees half of a batch.
func runExtract(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the extraction as JSON (the public contract in docs/EXTRACT.md)")
	explain := fs.Bool("explain", false, "show, per task and target, the rule that read it and its lines, and the paragraphs no rule took")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: duban extract [--json | --explain] FILE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errReported
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errReported
	}
	var results []*ingest.Extraction
	failed := false
	for _, name := range fs.Args() {
		x, err := extractFile(name, ingest.DefaultLimits)
		if err != nil {
			fmt.Fprintln(stderr, "duban extract:", err)
			failed = true
			continue
		}
		results = append(results, x)
	}
	if failed {
		return errReported
	}
	if *asJSON && *explain {
		fmt.Fprintln(stderr, "duban extract: --json and --explain do not go together")
		return errReported
	}
	for _, x := range results {
		if *explain {
			printExplain(stdout, x)
			continue
		}
		if err := printExtraction(stdout, x, *asJSON, len(results) > 1); err != nil {
			return err
		}
	}
	return nil
}

// extractFile reads and extracts one file.
func extractFile(name string, lim ingest.Limits) (*ingest.Extraction, error) {
	data, err := readDocumentFile(name, lim)
	if err != nil {
		return nil, err
	}
	return ingest.Extract(filepath.Base(name), data, lim)
}

// readDocumentFile reads one document, refusing it before reading when it is
// too large. Errors are *ingest.Error values naming the file.
func readDocumentFile(name string, lim ingest.Limits) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, &ingest.Error{File: name, Msg: "无法打开文件: " + errors.Unwrap(err).Error()}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, &ingest.Error{File: name, Msg: "无法读取文件信息"}
	}
	if st.IsDir() {
		return nil, &ingest.Error{File: name, Msg: "这是一个目录，不是文件"}
	}
	if st.Size() > lim.MaxFileBytes {
		return nil, &ingest.Error{File: name, Msg: fmt.Sprintf("文件过大（%d 字节，上限 %d 字节）", st.Size(), lim.MaxFileBytes)}
	}
	data, err := io.ReadAll(io.LimitReader(f, lim.MaxFileBytes+1))
	if err != nil {
		return nil, &ingest.Error{File: name, Msg: "读取失败: " + err.Error()}
	}
	return data, nil
}

func printExtraction(w io.Writer, x *ingest.Extraction, asJSON, several bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		if !several {
			enc.SetIndent("", "  ")
		}
		return enc.Encode(x)
	}
	fmt.Fprintf(w, "%s\n  类型 kind: %s\n  标题 title: %s\n", x.Source, x.Kind, x.Title)
	if x.DocNumber != nil {
		fmt.Fprintf(w, "  文号 doc number: %s\n", *x.DocNumber)
	}
	if x.Issuer != nil {
		fmt.Fprintf(w, "  发文机关 issuer: %s\n", *x.Issuer)
	}
	if x.Date != nil {
		fmt.Fprintf(w, "  日期 date: %s\n", *x.Date)
	}
	if x.Year != nil {
		fmt.Fprintf(w, "  年度 year: %d\n", *x.Year)
	}
	fmt.Fprintf(w, "  任务 tasks: %d  指标表 tables: %d  目标 targets: %d  名词解释 glossary: %d\n",
		len(x.Tasks), len(x.Tables), len(x.Targets), len(x.Glossary))
	for _, wn := range x.Warnings {
		fmt.Fprintf(w, "  提示 warning: %s:%d: %s\n", x.Source, wn.Line, wn.Message)
	}
	return nil
}

// ruleNames are the rules of Task.Rule and Target.Rule as the office reads
// them, Chinese first.
var ruleNames = map[string]string{
	"table/text":         "表格行（文本，单元格以行首制表符起头） table row",
	"table/docx":         "表格行（Word） table row",
	"table/xlsx":         "表格行（Excel） table row",
	"table/pipe":         "网页展平的表格行（以 | 分隔） flattened table, cells by |",
	"table/tab":          "网页展平的表格行（以制表符分隔） flattened table, cells by tabs",
	"table/space":        "网页展平的表格行（以空格分隔） flattened table, cells by spaces",
	"table/lines":        "网页展平的表格（每格一行） flattened table, a cell per line",
	"item/bracket":       "编号条目，责任单位在条目末尾括号内 numbered item, responsibility in brackets",
	"item/inline-labels": "编号条目，责任单位以“牵头单位：”等标注写在同一行 numbered item, labels on its line",
	"item/labels":        "编号条目，责任单位在其下的标注行 numbered item, labelled lines below",
	"item/plain":         "编号条目，未写责任单位（同节其他条目写了） numbered item without units",
	"paragraph":          "由办公室标为任务的段落 paragraph taken as a task",
	"figure":             "主语＋数值（如“增长6%左右”） subject and figure",
	"count":              "动词＋数量＋名词（如“新建2所学校”） verb, count, noun",
	"respectively":       "“分别”列举 a list with 分别",
	"sync":               "与…同步 keeps pace",
	"external":           "上级下达的目标 set by the level above",
	"yearly":             "完成年度目标任务 the year's set task",
	"range":              "控制在上级确定的目标范围内 within the range set above",
	"zero":               "零新增 / 零增长 zero",
	"rank":               "排名 rank",
	"qualitative":        "定性比较（如“高于全省平均水平”） qualitative comparison",
	"class":              "类别（如“Ⅲ类”） class",
}

func ruleName(r string) string {
	if n, ok := ruleNames[r]; ok {
		return n
	}
	return r
}

// printExplain writes, for the office, what the reader made of a document and
// why: the kind and its reason, every task with the rule and lines that read
// it, every target with its form, the paragraphs no rule took, and warnings.
func printExplain(w io.Writer, x *ingest.Extraction) {
	fmt.Fprintf(w, "%s\n  类型 kind: %s（%s）\n", x.Source, x.Kind, x.KindReason)
	if x.Title != "" {
		fmt.Fprintf(w, "  标题 title: %s\n", x.Title)
	}
	if x.Year != nil {
		fmt.Fprintf(w, "  年度 year: %d\n", *x.Year)
	}
	for _, h := range x.Headers {
		var cols []string
		for _, c := range h.Columns {
			cols = append(cols, c.Header+"="+string(c.Role))
		}
		fmt.Fprintf(w, "  表头 header (第%d行): %s\n", h.Line, strings.Join(cols, " | "))
	}
	fmt.Fprintf(w, "\n任务 tasks: %d\n", len(x.Tasks))
	for _, t := range x.Tasks {
		lines := fmt.Sprintf("第%d行", t.Line)
		if t.EndLine > t.Line {
			lines = fmt.Sprintf("第%d–%d行", t.Line, t.EndLine)
		}
		fmt.Fprintf(w, "  %s%d  %s  [%s]\n", sectionOrdinal(t.Section), t.Number, lines, ruleName(t.Rule))
		fmt.Fprintf(w, "    %s\n", shortText(t.Content, 60))
		if len(t.Leaders) > 0 {
			fmt.Fprintf(w, "    责任领导 leaders: %s\n", strings.Join(t.Leaders, "、"))
		}
		fmt.Fprintf(w, "    牵头单位 lead: %s\n", orNone(t.LeadUnits))
		if len(t.ResponsibleUnits) > 0 {
			fmt.Fprintf(w, "    责任单位 responsible: %s\n", strings.Join(t.ResponsibleUnits, "、"))
		}
		if t.Deadline != nil {
			fmt.Fprintf(w, "    完成时限 deadline: %s\n", *t.Deadline)
		}
		for _, g := range t.Targets {
			printTarget(w, "    目标 target", g)
		}
	}
	fmt.Fprintf(w, "\n指标表 tables: %d\n", len(x.Tables))
	for _, t := range x.Tables {
		fmt.Fprintf(w, "  第%d行 %s：%d 项指标\n", t.Line, t.Title, len(t.Indicators))
	}
	fmt.Fprintf(w, "\n目标 targets: %d\n", len(x.Targets))
	for _, g := range x.Targets {
		printTarget(w, " ", g)
	}
	if len(x.Unread) > 0 {
		fmt.Fprintf(w, "\n未读取的段落 paragraphs no rule took: %d\n", len(x.Unread))
		for _, p := range x.Unread {
			fmt.Fprintf(w, "  第%d行 %s\n", p.Line, shortText(p.Text, 50))
		}
	}
	if len(x.Warnings) > 0 {
		fmt.Fprintf(w, "\n提示 warnings: %d\n", len(x.Warnings))
		for _, wn := range x.Warnings {
			fmt.Fprintf(w, "  %s:%d: %s\n", x.Source, wn.Line, wn.Message)
		}
	}
}

func printTarget(w io.Writer, prefix string, g ingest.Target) {
	value := "—"
	if g.Value != nil {
		value = strconv.FormatFloat(*g.Value, 'f', -1, 64)
		if g.Unit != nil {
			value += *g.Unit
		}
	}
	year := ""
	if g.Year != nil {
		year = fmt.Sprintf("%d年 ", *g.Year)
	}
	fmt.Fprintf(w, "%s 第%d行 %s%s %s %s  [%s]  «%s»\n", prefix, g.Line, year, g.Subject, g.Op, value, ruleName(g.Rule), g.Text)
}

// sectionOrdinal is the 一、 of a section heading, or "".
func sectionOrdinal(section string) string {
	if i := strings.Index(section, "、"); i > 0 && i <= 3*len("十") {
		return section[:i+len("、")]
	}
	return ""
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "（无 none）"
	}
	return strings.Join(names, "、")
}

// shortText cuts s to n characters with an ellipsis.
func shortText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
