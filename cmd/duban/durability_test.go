package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"duban/store/synth"
)

// TestSubmissionsSurviveSIGKILL starts the real server as a process of its
// own, fires hundreds of concurrent report submissions, kills the server with
// SIGKILL in the middle of the burst, starts it again and finds every
// submission that had been acknowledged, on SQLite and on PostgreSQL.
func TestSubmissionsSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a server")
	}
	bin := filepath.Join(t.TempDir(), "duban")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("sqlite", func(t *testing.T) {
		killAndCount(t, bin, "sqlite://"+filepath.Join(t.TempDir(), "duban.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("DUBAN_TEST_POSTGRES_URL")
		if base == "" {
			t.Skip("DUBAN_TEST_POSTGRES_URL is not set")
		}
		killAndCount(t, bin, freshPostgresSchema(t, base))
	})
}

// freshPostgresSchema creates a schema of its own for the test, dropped at
// its end, and returns the URL that uses it.
func freshPostgresSchema(t *testing.T, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "duban_kill_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// process is a server started from the binary.
type process struct {
	cmd *exec.Cmd
	url string
}

func startProcess(t *testing.T, bin, db string) *process {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "DUBAN_DATABASE_URL="+db, "DUBAN_JOBS=off", "DUBAN_LOG_FORMAT=json")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd}
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		p.cmd.Wait()
	})
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if after, ok := strings.CutPrefix(sc.Text(), "serving on "); ok {
				lines <- after
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case p.url = <-lines:
	case <-time.After(30 * time.Second):
		t.Fatalf("the server did not start:\n%s", stderr.String())
	}
	return p
}

func killAndCount(t *testing.T, bin, db string) {
	ctx := context.Background()
	cfg := defaultConfig()
	cfg.DatabaseURL = db
	st, err := openStore(ctx, cfg, schemaMigrate)
	if err != nil {
		t.Fatal(err)
	}
	const units = 400
	rush, err := synth.SeedRush(ctx, st, units, 2024, "x")
	st.Close()
	if err != nil {
		t.Fatal(err)
	}

	p := startProcess(t, bin, db)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: units}, Timeout: 30 * time.Second}
	submit := func(base string, i int, version int) (int, error) {
		u := rush.Units[i]
		body := fmt.Sprintf(`{"progress":"第%d单位第%d次报送","version":%d}`, i, version+1, version)
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/tasks/%d/reports/%d/submit", base, u.TaskID, rush.CycleID), strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+u.Token)
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, nil
	}

	// Every unit submits twice; the server dies when a third of the
	// submissions have been acknowledged.
	var acked sync.Map // unit → the last version acknowledged (1 or 2)
	var n atomic.Int32
	killed := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	for i := range units {
		wg.Go(func() {
			for v := range 2 {
				status, err := submit(p.url, i, v)
				if err != nil || status != 200 {
					return
				}
				acked.Store(i, v+1)
				if n.Add(1) == units*2/3 {
					once.Do(func() {
						p.cmd.Process.Signal(syscall.SIGKILL)
						close(killed)
					})
				}
			}
		})
	}
	select {
	case <-killed:
	case <-time.After(60 * time.Second):
		t.Fatal("the burst never reached the kill")
	}
	wg.Wait()
	p.cmd.Wait()
	total := 0
	acked.Range(func(_, _ any) bool { total++; return true })
	if total == 0 {
		t.Fatal("nothing was acknowledged")
	}

	// Restarted, the server has every acknowledged submission.
	p2 := startProcess(t, bin, db)
	lost := 0
	acked.Range(func(k, v any) bool {
		i, version := k.(int), v.(int)
		u := rush.Units[i]
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/tasks/%d/reports/%d", p2.url, u.TaskID, rush.CycleID), nil)
		req.Header.Set("Authorization", "Bearer "+u.Token)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var rep struct {
			Status   string `json:"status"`
			Progress string `json:"progress"`
		}
		json.NewDecoder(resp.Body).Decode(&rep)
		resp.Body.Close()
		// A later submission may have reached the disk without its answer
		// reaching the client: at least the acknowledged one must be there.
		ok := rep.Status == "submitted" && (rep.Progress == fmt.Sprintf("第%d单位第%d次报送", i, version) ||
			rep.Progress == fmt.Sprintf("第%d单位第%d次报送", i, version+1))
		if !ok {
			lost++
			if lost < 5 {
				t.Errorf("unit %d: acknowledged submission %d lost: %d %+v", i, version, resp.StatusCode, rep)
			}
		}
		return true
	})
	t.Logf("%d of %d units had a submission acknowledged before SIGKILL; %d lost", total, units, lost)
	if lost > 0 {
		t.Errorf("%d acknowledged submissions lost", lost)
	}
	// The server takes submissions again.
	for i := range units {
		if _, ok := acked.Load(i); !ok {
			// 409 when its first submission reached the disk unanswered.
			if status, err := submit(p2.url, i, 0); err != nil || status != 200 && status != 409 {
				t.Errorf("after the restart, unit %d submits: %d %v", i, status, err)
			}
			break
		}
	}
}
