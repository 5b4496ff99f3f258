package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"duban"
	"duban/briefing"
	"duban/export"
)

// runExport is `duban export ledger|targets|bulletin|unit --org ORG -o FILE`:
// the files of package export, made from the store as its system actor.
func runExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const usage = `export ledger   --org ORG [--year Y] [--as-of DATE] [--sheets section|unit|org] [--rollup] [--editable unit --unit NAME|--editable office] -o FILE.xlsx
       duban export targets  --org ORG --year Y [--as-of DATE] -o FILE.docx
       duban export bulletin --org ORG [--year Y] [--period 2024年11月] [--issue N] [--number 文号] [--as-of DATE] -o FILE.docx
       duban export unit     --org ORG --unit NAME [--year Y] [--as-of DATE] -o FILE.docx`
	if len(args) == 0 {
		fmt.Fprintln(stderr, "Usage: duban "+usage)
		return errReported
	}
	what := args[0]
	c := newStoreCommand("export "+what, usage, stderr)
	org := c.fs.String("org", "", "organisation name or ID")
	year := c.fs.Int("year", 0, "the year (default: this year)")
	out := c.fs.String("o", "", "the file to write")
	sheets := c.fs.String("sheets", "", "ledger: one sheet per section, unit (lead unit) or org")
	rollup := c.fs.Bool("rollup", false, "ledger: with the organisations below (a city's districts)")
	editable := c.fs.String("editable", "", "ledger: unit or office, to edit offline and import again")
	period := c.fs.String("period", "", "bulletin: the period it reports on, 2024年11月, 2024年第4季度 or 2024年 (default: this month)")
	number := c.fs.String("number", "", "bulletin: its document number")
	issue := c.fs.Int("issue", 0, "bulletin: its issue, 第N期 (default: the period's month)")
	asOfFlag := c.fs.String("as-of", "", "the day the figures stand at, 2024-11-30 (default: today; for a bulletin, the period's last day if sooner)")
	unit := c.fs.String("unit", "", "unit, and ledger --editable unit: the unit's name")
	if err := c.parse(args[1:], getenv, 0); err != nil {
		return err
	}
	if *out == "" {
		c.fs.Usage()
		return errReported
	}
	loc, err := time.LoadLocation(c.cfg.Timezone)
	if err != nil {
		return err
	}
	now := time.Now().In(loc)
	// asOf is the end of the day the figures stand at; the bulletin keeps
	// now as its date.
	asOf := now
	if *asOfFlag != "" {
		day, err := time.ParseInLocation(time.DateOnly, *asOfFlag, loc)
		if err != nil {
			return fmt.Errorf("--as-of %q: want a date such as 2024-11-30", *asOfFlag)
		}
		asOf = day.AddDate(0, 0, 1).Add(-time.Second)
	}
	if *issue < 0 {
		return fmt.Errorf("--issue %d: want 1 or more", *issue)
	}
	if *year == 0 {
		*year = now.Year()
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
	a := cliActor(o.ID)
	start := time.Now()
	var buf bytes.Buffer
	switch what {
	case "ledger":
		opt := briefing.LedgerOptions{Rollup: *rollup}
		switch *sheets {
		case "":
		case "section":
			opt.Sheets = export.SheetsBySection
		case "unit":
			opt.Sheets = export.SheetsByLeadUnit
		case "org":
			opt.Sheets = export.SheetsByOrg
		default:
			return fmt.Errorf("--sheets %q: want section, unit or org", *sheets)
		}
		switch *editable {
		case "":
		case "unit":
			// A unit's file holds the unit's tasks, with the report open
			// only where it leads: made as the unit's reporter would.
			opt.Editable = export.EditUnit
			id, ferr := findUnitID(ctx, st, o.ID, *unit)
			if ferr != nil {
				return fmt.Errorf("--editable unit needs --unit NAME: %w", ferr)
			}
			a.Role, a.UnitID = duban.RoleReporter, &id
		case "office":
			opt.Editable = export.EditOffice
		default:
			return fmt.Errorf("--editable %q: want unit or office", *editable)
		}
		err = briefing.WriteLedger(ctx, st, a, &buf, o.ID, *year, asOf, opt)
	case "targets":
		err = briefing.WriteTargets(ctx, st, a, &buf, o.ID, *year, asOf)
	case "bulletin":
		opt := briefing.BulletinOptions{Number: *number, Period: *period, Issue: *issue}
		if *asOfFlag != "" {
			opt.AsOf = asOf
		}
		err = briefing.WriteBulletin(ctx, st, a, &buf, o.ID, *year, now, loc, opt)
	case "unit":
		var id int64
		if id, err = findUnitID(ctx, st, o.ID, *unit); err == nil {
			err = briefing.WriteUnitTasks(ctx, st, a, &buf, o.ID, id, *year, asOf)
		}
	default:
		fmt.Fprintln(stderr, "Usage: duban "+usage)
		return errReported
	}
	if err != nil {
		if e := duban.ErrorMessage(err); duban.ErrorCode(err) != duban.CodeInternal {
			return fmt.Errorf("export %s: %s", what, e)
		}
		return fmt.Errorf("export %s: %w", what, err)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d bytes) in %s\n", *out, buf.Len(), time.Since(start).Round(time.Millisecond))
	return nil
}
