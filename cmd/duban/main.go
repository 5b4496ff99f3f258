// Command duban keeps a government's yearly task ledger: it reads the official
// documents, tracks progress and produces the reports leaders ask for.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errReported) {
			fmt.Fprintln(os.Stderr, "duban:", err)
		}
		os.Exit(1)
	}
}

// errReported is returned by a command that has already told the user what went
// wrong, so main only sets the exit status.
var errReported = errors.New("reported")

const usage = `duban — 督办: the ledger of a government's yearly promises

Usage:
  duban demo [--data DIR] [--addr HOST:PORT]   sample ledger, demo accounts, then serve
  duban serve [options]            serve the ledger (web pages and the JSON API)
  duban migrate [options]          create the database or bring its schema up to date
  duban import --org ORG [--yes] FILE   preview a document against the ledger; --yes writes it
  duban import-edits --org ORG [--yes] FILE   preview an edited ledger (.xlsx); --yes applies it
  duban org add|list               manage organisations
  duban user add|list|passwd|disable|enable   manage accounts
  duban backup DEST.db             consistent copy of a SQLite database while serving
  duban gen [--districts N] [--tasks N]   synthetic city for load tests
  duban job run [-now DATE] refresh|remind|deliver|identity   run one job once
  duban export ledger|targets|bulletin|unit -o FILE   the ledger (.xlsx) and reports (.docx)
  duban config [options]           print the configuration in effect (secrets masked)
  duban extract [--json] FILE...   read work reports, plan reports and task decompositions
  duban draft [--json] [--history FILE]... REPORT   draft the year's decomposition from a work report
  duban evaluate [--json] FILE     evaluate a document's indicator tables: met, missed, borderline, pending
  duban check [--json] FILE...     find targets and outcomes stated differently across documents

Run "duban COMMAND -h" for the options of a command.
`

// run is the whole program; tests call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errReported
	}
	switch args[0] {
	case "demo":
		return runDemo(ctx, args[1:], getenv, stdout, stderr)
	case "serve":
		return runServe(ctx, args[1:], getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, args[1:], getenv, stdout, stderr)
	case "import":
		return runImport(ctx, args[1:], getenv, stdout, stderr)
	case "import-edits":
		return runImportEdits(ctx, args[1:], getenv, stdout, stderr)
	case "org":
		return runOrg(ctx, args[1:], getenv, stdout, stderr)
	case "user":
		return runUser(ctx, args[1:], getenv, os.Stdin, stdout, stderr)
	case "backup":
		return runBackup(ctx, args[1:], getenv, stdout, stderr)
	case "gen":
		return runGen(ctx, args[1:], getenv, stdout, stderr)
	case "job":
		return runJob(ctx, args[1:], getenv, stdout, stderr)
	case "export":
		return runExport(ctx, args[1:], getenv, stdout, stderr)
	case "config":
		return runConfig(ctx, args[1:], getenv, stdout, stderr)
	case "extract":
		return runExtract(ctx, args[1:], stdout, stderr)
	case "draft":
		return runDraft(ctx, args[1:], stdout, stderr)
	case "evaluate":
		return runEvaluate(ctx, args[1:], stdout, stderr)
	case "check":
		return runCheck(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "duban: unknown command %q\n\n%s", args[0], usage)
	return errReported
}
