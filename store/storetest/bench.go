package storetest

import (
	"context"
	"encoding/json"
	"io"
	"testing"

	"duban"
	"duban/store/synth"
)

// reportCPU adds the metric cpu-ns/op: the process's CPU time per operation,
// garbage collection and every goroutine included. On a shared machine it is
// steadier than ns/op, and 2e9 / cpu-ns/op is the rate two busy cores
// sustain. It must be deferred before the timed loop starts.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 && start > 0 {
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

// seedDistrict seeds a city with one district of n tasks and returns the
// district's ID and a reporter of one of its units.
func seedDistrict(b *testing.B, s duban.Store, n int) (int64, duban.Actor) {
	b.Helper()
	ctx := context.Background()
	city, err := synth.Seed(ctx, s, 1, n)
	if err != nil {
		b.Fatal(err)
	}
	d := city.Districts[0].ID
	units, err := s.FindUnits(ctx, d)
	if err != nil {
		b.Fatal(err)
	}
	var unit int64
	for _, u := range units {
		if u.Name == "解放碑街道" {
			unit = u.ID
		}
	}
	rep := &duban.User{OrgID: d, Username: "bench_reporter", Role: duban.RoleReporter, UnitID: &unit}
	if err := s.CreateUser(ctx, duban.System(0), rep); err != nil {
		b.Fatal(err)
	}
	return d, actorOf(rep)
}

// BenchmarkFindTasks measures the task list of a 250-task district: a page of
// 50, the whole list (also encoded as JSON, and from parallel clients, the
// way the web serves it), a reporter's list and a search.
func BenchmarkFindTasks(b *testing.B, s duban.Store) {
	d, rep := seedDistrict(b, s, 250)
	admin := duban.System(0)
	ctx := context.Background()
	run := func(name string, a duban.Actor, f duban.TaskFilter, want int, encode bool) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				tasks, total, err := s.FindTasks(ctx, a, f)
				if err != nil {
					b.Fatal(err)
				}
				if want > 0 && len(tasks) != want {
					b.Fatalf("got %d tasks (total %d), want %d", len(tasks), total, want)
				}
				if encode {
					if err := json.NewEncoder(io.Discard).Encode(tasks); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
	run("page50", admin, duban.TaskFilter{OrgID: d}, 50, false)
	run("all250", admin, duban.TaskFilter{OrgID: d, Limit: 500}, 250, false)
	run("all250+json", admin, duban.TaskFilter{OrgID: d, Limit: 500}, 250, true)
	run("reporter", rep, duban.TaskFilter{OrgID: d, Limit: 500}, 0, false)
	run("query", admin, duban.TaskFilter{OrgID: d, Limit: 500, Query: new("金融")}, 0, false)
	run("query/one-character", admin, duban.TaskFilter{OrgID: d, Limit: 500, Query: new("融")}, 0, false)
	b.Run("all250+json/parallel", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b)()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				tasks, _, err := s.FindTasks(ctx, admin, duban.TaskFilter{OrgID: d, Limit: 500})
				if err != nil {
					b.Error(err)
					return
				}
				if err := json.NewEncoder(io.Discard).Encode(tasks); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkFindTaskByID measures reading one task of a 250-task district.
func BenchmarkFindTaskByID(b *testing.B, s duban.Store) {
	d, _ := seedDistrict(b, s, 250)
	ctx := context.Background()
	tasks, _, err := s.FindTasks(ctx, duban.System(0), duban.TaskFilter{OrgID: d, Limit: 500})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	defer reportCPU(b)()
	i := 0
	for b.Loop() {
		if _, err := s.FindTaskByID(ctx, duban.System(d), tasks[i%len(tasks)].ID); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkRollUp measures the roll-up of a city of 40 districts of 250 tasks.
func BenchmarkRollUp(b *testing.B, s duban.Store) {
	ctx := context.Background()
	city, err := synth.Seed(ctx, s, 40, 250)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		sums, err := s.RollUp(ctx, duban.System(city.ID), city.ID)
		if err != nil {
			b.Fatal(err)
		}
		if len(sums) != 41 {
			b.Fatalf("%d lines, want 41", len(sums))
		}
	}
}

// BenchmarkApplyImport measures the first import of a 194-task decomposition
// (with its 68 units and 15 leaders) into a new district.
func BenchmarkApplyImport(b *testing.B, s duban.Store) {
	ctx := context.Background()
	sys := duban.System(0)
	city := &duban.Org{Name: "示范市"}
	if err := s.CreateOrg(ctx, sys, city); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		d := &duban.Org{Name: "示范区", ParentID: &city.ID}
		if err := s.CreateOrg(ctx, sys, d); err != nil {
			b.Fatal(err)
		}
		res, err := s.ApplyImport(ctx, sys, synth.Plan(d.ID, 2024, 194, 1))
		if err != nil {
			b.Fatal(err)
		}
		if res.TasksCreated != 194 {
			b.Fatalf("%d tasks created, want 194", res.TasksCreated)
		}
	}
}
