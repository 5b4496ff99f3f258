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

	"duban/ingest"
)

// runExtract is `duban extract`: it reads every file first and prints only when
// all of them could be read, so a script never sees half of a batch.
func runExtract(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the extraction as JSON (the public contract in docs/EXTRACT.md)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: duban extract [--json] FILE...")
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
	for _, x := range results {
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
