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
	"strings"
	"testing"
	"time"

	"duban"
	"duban/progress"
	"duban/store/sqlite"
	"duban/store/synth"
)

// BenchmarkPages renders each main page for a district of 250 tasks with
// ten months of reports, on 15 November 2024, one request at a time: the
// goal is under 100 ms each on the server. Run
//
//	go test -run XXX -bench Pages -benchtime 20x ./web
//
// and read ms/page.
func BenchmarkPages(b *testing.B) {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2024, 11, 15, 2, 0, 0, 0, time.UTC) }
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "duban.db"), sqlite.Options{Migrate: true, Now: now})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	st.SetProgressFunc(progress.Func(time.UTC))
	st.SetLocation(time.UTC)
	city, err := synth.Seed(ctx, st, 1, 250)
	if err != nil {
		b.Fatal(err)
	}
	org := city.Districts[0].ID
	hash, err := fixtureHash()
	if err != nil {
		b.Fatal(err)
	}
	if err := synth.Reports(ctx, st, org, 2024, synth.ReportOptions{Months: 10, PasswordHash: hash, Missing: 0.1}); err != nil {
		b.Fatal(err)
	}
	admin := &duban.User{OrgID: org, Username: "admin", PasswordHash: hash, Role: duban.RoleAdmin}
	if err := st.CreateUser(ctx, duban.System(org), admin); err != nil {
		b.Fatal(err)
	}
	tasks, _, err := st.FindTasks(ctx, duban.System(org), duban.TaskFilter{OrgID: org, Limit: 500})
	if err != nil || len(tasks) != 250 {
		b.Fatalf("seed: %d tasks, %v", len(tasks), err)
	}
	task := tasks[len(tasks)/2]
	reporter := fmt.Sprintf("synth%d_%d", org, task.LeadUnitIDs[0])
	cycles, err := st.FindCycles(ctx, duban.System(org), org, 2024)
	if err != nil {
		b.Fatal(err)
	}
	srv := NewServer(Config{Location: time.UTC}, Deps{Store: st, Now: now}, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	ts := httptest.NewServer(srv)
	defer ts.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	signIn := func(user string) *http.Cookie {
		resp, err := client.Post(ts.URL+"/api/v1/session", "application/json",
			bytes.NewReader([]byte(`{"username":"`+user+`","password":"`+testPassword+`"}`)))
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		for _, c := range resp.Cookies() {
			if c.Name == sessionCookie {
				return c
			}
		}
		b.Fatalf("sign in %s: %s", user, resp.Status)
		return nil
	}
	office, unit := signIn("admin"), signIn(reporter)
	pages := []struct {
		name, path string
		as         *http.Cookie
		want       string
	}{
		{"dashboard", "/dashboard", office, "一图总览"},
		{"ledger", "/tasks", office, "共 250 项任务"},
		{"ledger_filtered", "/tasks?q=" + strings.ReplaceAll(task.LeadUnits[0], " ", "+"), office, "项任务"},
		{"task", fmt.Sprintf("/tasks/%d", task.ID), office, "进展报告"},
		{"inbox", "/inbox", office, "待审核报告"},
		{"indicators", "/indicators", office, "指标"},
		{"ranking", "/ranking", office, "单位排名"},
		{"admin_units", "/admin?tab=units", office, "单位与单位组"},
		{"portal", "/portal", unit, "本单位任务"},
		{"report_form", fmt.Sprintf("/tasks/%d/report/%d", task.ID, cycles[10].ID), unit, "进展情况"},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			get := func() []byte {
				req, _ := http.NewRequest("GET", ts.URL+p.path, nil)
				req.AddCookie(p.as)
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("GET %s: %s\n%.500s", p.path, resp.Status, body)
				}
				return body
			}
			if body := get(); !bytes.Contains(body, []byte(p.want)) {
				b.Fatalf("GET %s lacks %q", p.path, p.want)
			}
			b.ResetTimer()
			for b.Loop() {
				get()
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/page")
		})
	}
}
