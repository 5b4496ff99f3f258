package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"duban/store/synth"
)

// runGen is `duban gen`: a synthetic city of districts, each with a ledger, for
// load tests and benchmarks (a city: 40 districts of 250 tasks; a province:
// 400 districts).
func runGen(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c := newStoreCommand("gen", "gen [--districts N] [--tasks N] [options]", stderr)
	districts := c.fs.Int("districts", 40, "districts under the synthetic city")
	tasks := c.fs.Int("tasks", 250, "tasks in each district's ledger")
	if err := c.parse(args, getenv, 0); err != nil {
		return err
	}
	if *districts < 1 || *tasks < 1 || *districts > 5000 || *tasks > 5000 {
		return fmt.Errorf("gen: want 1–5000 districts and 1–5000 tasks")
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
	return nil
}
