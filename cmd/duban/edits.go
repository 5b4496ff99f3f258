package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"duban/briefing"
	"duban/export"
)

// runImportEdits is `duban import-edits`: it reads an editable ledger edited
// offline, prints what it would change in an organisation's tasks and, with
// --yes, applies the changes that conflict with nothing and are not refused,
// each task whole or not at all. It acts as the office (see cliActor), so a
// unit's report in the file is refused, never written.
func runImportEdits(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c := newStoreCommand("import-edits", "import-edits --org ORG [--yes] [--json] FILE", stderr)
	org := c.fs.String("org", "", "organisation name or ID (see `duban org list`)")
	yes := c.fs.Bool("yes", false, "apply the changes; without it only the preview is shown")
	asJSON := c.fs.Bool("json", false, "print the preview (and result) as JSON")
	if err := c.parse(args, getenv, 1); err != nil {
		return err
	}
	file := c.fs.Arg(0)
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	if len(data) > export.MaxLedgerBytes {
		return fmt.Errorf("%s: 文件过大（上限 %d MB）", file, export.MaxLedgerBytes>>20)
	}
	st, err := openStore(ctx, c.cfg, schemaCheck)
	if err != nil {
		return err
	}
	defer st.Close()
	o, err := findOrg(ctx, st, *org)
	if err != nil {
		return err
	}
	actor := cliActor(o.ID)
	le, err := briefing.PreviewLedgerEdits(ctx, st, actor, bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if *asJSON {
		if err := enc.Encode(le); err != nil {
			return err
		}
	} else {
		printLedgerEdits(stdout, le)
	}
	if !*yes {
		if !*asJSON {
			fmt.Fprintln(stdout, "\n预览完成，未写入。确认导入请加 --yes（preview only; add --yes to apply）")
		}
		return nil
	}
	confirm := make([]int64, 0, len(le.Changes))
	for _, ch := range le.Changes {
		confirm = append(confirm, ch.TaskID)
	}
	res, err := briefing.ApplyLedgerEdits(ctx, st, actor, le, confirm)
	if err != nil {
		return err
	}
	if *asJSON {
		return enc.Encode(res)
	}
	fmt.Fprintf(stdout, "\n已写入 applied: %d 项任务；未写入 skipped: %d 项\n", len(res.Written), len(res.Skipped))
	for _, w := range res.Written {
		fmt.Fprintf(stdout, "  已写入 %s (task %d): %v\n", w.Number, w.TaskID, w.Fields)
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(stdout, "  未写入 %s (task %d) %v: %s\n", s.Number, s.TaskID, s.Fields, s.Reason)
	}
	return nil
}

func printLedgerEdits(w io.Writer, le *briefing.LedgerEdits) {
	fmt.Fprintf(w, "修改 changes: %d 项任务\n", len(le.Changes))
	for _, ch := range le.Changes {
		mark := ""
		switch {
		case ch.Refused:
			mark = "（不可修改 refused）"
		case ch.Conflict:
			mark = "（冲突 conflict）"
		}
		place := ""
		if ch.Row > 0 {
			place = fmt.Sprintf(" %s 第%d行", ch.Sheet, ch.Row)
		}
		fmt.Fprintf(w, "  %s%s (task %d)%s\n", ch.Number, place, ch.TaskID, mark)
		for _, f := range ch.Fields {
			fmt.Fprintf(w, "    %s: %q → %q\n", f.Label, f.Before, f.After)
		}
		if ch.Reason != "" {
			fmt.Fprintf(w, "    %s\n", ch.Reason)
		}
	}
}
