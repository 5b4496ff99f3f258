package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"duban/importer"
	"duban/ingest"
)

// mergeFlags collects --merge NAME=INTO decisions.
type mergeFlags map[string]string

func (m mergeFlags) String() string { return "" }

func (m mergeFlags) Set(v string) error {
	name, into, ok := strings.Cut(v, "=")
	if !ok || name == "" || into == "" {
		return fmt.Errorf("want NAME=INTO, got %q", v)
	}
	m[name] = into
	return nil
}

// runImport is `duban import`: it previews a document against the ledger of
// an organisation and, with --yes, writes it in one transaction.
func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c := newStoreCommand("import", "import --org ORG [--yes] [--accept-merges] [--merge NAME=INTO]... [--acknowledge] FILE", stderr)
	org := c.fs.String("org", "", "organisation name or ID (see `duban org list`)")
	yes := c.fs.Bool("yes", false, "write the import; without it only the preview is shown")
	acceptMerges := c.fs.Bool("accept-merges", false, "accept every proposed unit merge")
	acknowledge := c.fs.Bool("acknowledge", false, "import even though the issuer or the year is not the organisation's")
	asJSON := c.fs.Bool("json", false, "print the preview (and result) as JSON")
	year := c.fs.Int("year", 0, "the year the document is about, when it names none or names it wrongly")
	merges := mergeFlags{}
	c.fs.Var(merges, "merge", "treat unit NAME as another name of INTO (repeatable)")
	if err := c.parse(args, getenv, 1); err != nil {
		return err
	}
	file := c.fs.Arg(0)
	data, err := readDocumentFile(file, ingest.DefaultLimits)
	if err != nil {
		return err
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
	loc, err := time.LoadLocation(c.cfg.Timezone)
	if err != nil {
		return fmt.Errorf("time zone: %w", err)
	}
	imp := &importer.Service{Store: st, Limits: ingest.DefaultLimits, Location: loc}
	req := importer.Request{OrgID: o.ID, FileName: filepath.Base(file), Data: data, Merges: merges, Acknowledge: *acknowledge}
	if *year != 0 {
		req.Corrections.Year = year
	}
	p, err := imp.Preview(ctx, actor, req)
	if err != nil {
		return err
	}
	if *acceptMerges {
		for _, m := range p.Merges {
			if _, decided := merges[m.Name]; !decided {
				merges[m.Name] = m.Into
			}
		}
		if p, err = imp.Preview(ctx, actor, req); err != nil {
			return err
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(p); err != nil {
			return err
		}
	} else {
		printPreview(stdout, p)
	}
	if p.AlreadyImported != nil {
		if !*asJSON {
			fmt.Fprintf(stdout, "\n此文件已导入（文件 %d），无需再次导入（this file is already imported as document %d）\n", *p.AlreadyImported, *p.AlreadyImported)
		}
		return nil
	}
	if !*yes {
		if !*asJSON {
			fmt.Fprintln(stdout, "\n预览完成，未写入。确认导入请加 --yes（preview only; add --yes to write）")
			if len(p.Mismatches) > 0 && !*acknowledge {
				fmt.Fprintln(stdout, "发文机关或年度与本单位不符，确认无误请再加 --acknowledge（the issuer or the year is not the organisation's: add --acknowledge）")
			}
		}
		return nil
	}
	if len(p.Mismatches) > 0 && !*acknowledge {
		return fmt.Errorf("发文机关或年度与本单位不符（见预览），确认无误请加 --acknowledge (the issuer or the year is not the organisation's: add --acknowledge)")
	}
	req.Fingerprint = p.Fingerprint
	res, err := imp.Confirm(ctx, actor, req)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	fmt.Fprintf(stdout, "\n已导入 imported: document %d, %d tasks created, %d updated, %d units and %d people created, %d indicators\n",
		res.DocumentID, res.TasksCreated, res.TasksUpdated, res.UnitsCreated, res.PeopleAdded, res.Indicators)
	return nil
}

func printPreview(w io.Writer, p *importer.Preview) {
	fmt.Fprintf(w, "%s — %s (%s", p.FileName, p.Title, p.Kind)
	if p.Year != nil {
		fmt.Fprintf(w, ", %d", *p.Year)
	}
	fmt.Fprintln(w, ")")
	if p.Issuer != nil {
		fmt.Fprintf(w, "  发文机关 issuer: %s；导入到 into: %s\n", *p.Issuer, p.Org)
	}
	if p.AlreadyImported != nil {
		fmt.Fprintf(w, "  此文件已导入 already imported as document %d\n", *p.AlreadyImported)
	}
	for _, m := range p.Mismatches {
		fmt.Fprintf(w, "  注意 mismatch (%s): %s\n", m.Kind, m.Message)
	}
	fmt.Fprintf(w, "  新建任务 created: %d  修改 updated: %d  不变 unchanged: %d  文件中已无 missing: %d  指标 indicators: %d\n",
		len(p.Created), len(p.Updated), p.Unchanged, len(p.Missing), p.Indicators)
	for _, t := range p.Updated {
		fmt.Fprintf(w, "  修改 %s 第%d项 (line %d):\n", t.Section, t.Number, t.Line)
		for _, ch := range t.Changes {
			fmt.Fprintf(w, "    %s: %q → %q\n", ch.Field, ch.Before, ch.After)
		}
	}
	for _, t := range p.Missing {
		fmt.Fprintf(w, "  文件中已无 %s 第%d项 (task %d)\n", t.Section, t.Number, t.ID)
	}
	if len(p.NewUnits) > 0 {
		fmt.Fprintf(w, "  新单位 new units (%d): %s\n", len(p.NewUnits), strings.Join(p.NewUnits, "、"))
	}
	if len(p.NewPeople) > 0 {
		fmt.Fprintf(w, "  新领导 new people (%d): %s\n", len(p.NewPeople), strings.Join(p.NewPeople, "、"))
	}
	for _, m := range p.Merges {
		fmt.Fprintf(w, "  建议合并 proposed merge: %s → %s（%s）  --merge '%s=%s'\n", m.Name, m.Into, m.Reason, m.Name, m.Into)
	}
	for _, g := range p.Groups {
		members := "（尚未设置成员 no members yet）"
		if len(g.Members) > 0 {
			members = strings.Join(g.Members, "、")
		}
		fmt.Fprintf(w, "  单位组 group %s: %s\n", g.Name, members)
	}
	for _, wn := range p.Warnings {
		fmt.Fprintf(w, "  提示 warning: %s:%d: %s\n", p.FileName, wn.Line, wn.Message)
	}
}
