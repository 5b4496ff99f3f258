package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"duban"
	"duban/store/sqlite"
	"duban/store/synth"
)

// The throughput goals on two cores, with 50 concurrent clients and a
// 250-task ledger: the task list at 1,000 req/s, a task at 5,000 req/s. Run
//
//	go test -run XXX -bench 'TaskIndex|TaskShow' -cpu 2 ./web
//
// and read req/s. The client runs in the same process and takes its share
// of the two cores, so the numbers are a floor.
func BenchmarkTaskIndex(b *testing.B) { benchmarkGET(b, "/api/v1/tasks?limit=500") }

func BenchmarkTaskShow(b *testing.B) { benchmarkGET(b, "/api/v1/tasks/%d") }

func benchmarkGET(b *testing.B, path string) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "duban.db"), sqlite.Options{Migrate: true})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	city, err := synth.Seed(ctx, st, 1, 250)
	if err != nil {
		b.Fatal(err)
	}
	org := city.Districts[0].ID
	hash, err := fixtureHash()
	if err != nil {
		b.Fatal(err)
	}
	u := &duban.User{OrgID: org, Username: "admin", PasswordHash: hash, Role: duban.RoleAdmin}
	if err := st.CreateUser(ctx, duban.System(org), u); err != nil {
		b.Fatal(err)
	}
	tasks, _, err := st.FindTasks(ctx, duban.System(org), duban.TaskFilter{OrgID: org, Limit: 500})
	if err != nil || len(tasks) != 250 {
		b.Fatalf("seed: %d tasks, %v", len(tasks), err)
	}
	// Log as production does, to nowhere.
	srv := NewServer(Config{}, Deps{Store: st}, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	ts := httptest.NewServer(srv)
	defer ts.Close()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	resp, err := client.Post(ts.URL+"/api/v1/session", "application/json",
		bytes.NewReader([]byte(`{"username":"admin","password":"`+testPassword+`"}`)))
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			cookie = c
		}
	}
	if cookie == nil {
		b.Fatalf("sign in: %s", resp.Status)
	}

	// RunParallel starts parallelism × GOMAXPROCS clients: 50 in all.
	procs := runtime.GOMAXPROCS(0)
	b.SetParallelism((50 + procs - 1) / procs)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			url := ts.URL + path
			if strings.Contains(path, "%d") {
				url = ts.URL + fmt.Sprintf(path, tasks[i%len(tasks)].ID)
			}
			i++
			req, _ := http.NewRequest("GET", url, nil)
			req.AddCookie(cookie)
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("GET %s: %s", url, resp.Status)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
