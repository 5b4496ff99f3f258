// Command rush is the deadline rush: every unit of a district made by
// `duban gen --rush N` submits its report at once to a running duban server,
// and rush measures how many submissions per second were acknowledged and
// how long each took (p50, p99). Every 2xx is a report on disk; rush then
// reads each task's report back and fails when one acknowledged is missing.
//
//	duban gen --rush 2000 --tokens rush.json
//	duban serve &
//	go run ./scripts/rush -url http://127.0.0.1:8080 -tokens rush.json -rounds 3
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"
)

type rush struct {
	CycleID int64 `json:"cycle_id"`
	Units   []struct {
		TaskID int64  `json:"task_id"`
		Token  string `json:"token"`
	} `json:"units"`
}

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "the duban server")
	file := flag.String("tokens", "rush.json", "the file `duban gen --rush` wrote")
	rounds := flag.Int("rounds", 1, "how many times every unit submits")
	flag.Parse()
	if err := run(*base, *file, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "rush:", err)
		os.Exit(1)
	}
}

func run(base, file string, rounds int) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var r rush
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: len(r.Units)}, Timeout: 60 * time.Second}
	for round := 1; round <= rounds; round++ {
		lat := make([]time.Duration, len(r.Units))
		errs := make([]error, len(r.Units))
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, u := range r.Units {
			wg.Go(func() {
				body, _ := json.Marshal(map[string]any{"progress": fmt.Sprintf("第%d轮：本期重点工作按计划推进。", round), "percent": round * 10, "version": round - 1})
				req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/tasks/%d/reports/%d/submit", base, u.TaskID, r.CycleID), bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+u.Token)
				<-start
				t0 := time.Now()
				resp, err := client.Do(req)
				lat[i] = time.Since(t0)
				if err == nil {
					msg, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						err = fmt.Errorf("%s: %.200s", resp.Status, msg)
					}
				}
				errs[i] = err
			})
		}
		t0 := time.Now()
		close(start)
		wg.Wait()
		elapsed := time.Since(t0)
		failed := 0
		for _, err := range errs {
			if err != nil {
				if failed == 0 {
					fmt.Fprintln(os.Stderr, "first failure:", err)
				}
				failed++
			}
		}
		slices.Sort(lat)
		fmt.Printf("round %d: %d submissions in %s: %.0f/s acknowledged, p50 %s, p99 %s, max %s, %d failed\n",
			round, len(r.Units), elapsed.Round(time.Millisecond), float64(len(r.Units)-failed)/elapsed.Seconds(),
			lat[len(lat)/2].Round(100*time.Microsecond), lat[len(lat)*99/100].Round(100*time.Microsecond),
			lat[len(lat)-1].Round(100*time.Microsecond), failed)
		if failed > 0 {
			return fmt.Errorf("%d submissions failed", failed)
		}
	}
	// Every acknowledged report is there.
	missing := 0
	for _, u := range r.Units {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/tasks/%d/reports/%d", base, u.TaskID, r.CycleID), nil)
		req.Header.Set("Authorization", "Bearer "+u.Token)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		var rep struct {
			Status   string `json:"status"`
			Progress string `json:"progress"`
		}
		json.NewDecoder(resp.Body).Decode(&rep)
		resp.Body.Close()
		if resp.StatusCode != 200 || rep.Status != "submitted" || rep.Progress != fmt.Sprintf("第%d轮：本期重点工作按计划推进。", rounds) {
			missing++
		}
	}
	if missing > 0 {
		return fmt.Errorf("%d acknowledged reports are not as submitted", missing)
	}
	fmt.Printf("all %d reports read back as submitted\n", len(r.Units))
	return nil
}
