package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"duban/store/synth"
	"duban/web"
)

// runGen is `duban gen`: a synthetic city of districts, each with a ledger, for
// load tests and benchmarks (a city: 40 districts of 250 tasks; a province:
// 400 districts).
func runGen(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c := newStoreCommand("gen", "gen [--districts N] [--tasks N] [options]", stderr)
	districts := c.fs.Int("districts", 40, "districts under the synthetic city")
	tasks := c.fs.Int("tasks", 250, "tasks in each district's ledger")
	reports := c.fs.Int("reports", 0, "monthly reports per task, submitted and reviewed through the reporting loop (0–12)")
	rush := c.fs.Int("rush", 0, "instead: a district of N units, each with a task and a reporter's API token, for the deadline rush")
	tokens := c.fs.String("tokens", "rush.json", "with --rush: the file the tokens are written to")
	if err := c.parse(args, getenv, 0); err != nil {
		return err
	}
	if *rush > 0 {
		return genRush(ctx, c.cfg, *rush, *tokens, stdout)
	}
	if *districts < 1 || *tasks < 1 || *districts > 5000 || *tasks > 5000 || *reports < 0 || *reports > 12 {
		return fmt.Errorf("gen: want 1–5000 districts, 1–5000 tasks and 0–12 reports")
	}
	st, err := openStore(ctx, c.cfg, schemaMigrate)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	city, err := synth.Seed(ctx, st, *districts, *tasks)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created city %d with %d districts of %d tasks in %s\n",
		city.ID, len(city.Districts), *tasks, time.Since(start).Round(time.Millisecond))
	if *reports > 0 {
		start = time.Now()
		hash, err := web.HashPassword(demoPassword())
		if err != nil {
			return err
		}
		for _, d := range city.Districts {
			if err := synth.Reports(ctx, st, d.ID, 2024, synth.ReportOptions{Months: *reports, PasswordHash: hash}); err != nil {
				return err
			}
		}
		fmt.Fprintf(stdout, "submitted and reviewed %d reports per task in %s\n", *reports, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// genRush seeds a deadline rush and writes its tokens, for scripts/rush.
func genRush(ctx context.Context, cfg Config, n int, file string, stdout io.Writer) error {
	if n > 100000 {
		return fmt.Errorf("gen: at most 100000 units")
	}
	st, err := openStore(ctx, cfg, schemaMigrate)
	if err != nil {
		return err
	}
	defer st.Close()
	hash, err := web.HashPassword(demoPassword())
	if err != nil {
		return err
	}
	start := time.Now()
	r, err := synth.SeedRush(ctx, st, n, time.Now().Year(), hash)
	if err != nil {
		return err
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if err := os.WriteFile(file, b, 0o600); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created district %d with %d units, tasks and reporters in %s; tokens in %s\n",
		r.OrgID, len(r.Units), time.Since(start).Round(time.Millisecond), file)
	return nil
}
