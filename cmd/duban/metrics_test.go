package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// getText fetches url and returns its status and body.
func getText(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// TestMetricsAddr: by default the main listener serves /metrics; with
// DUBAN_METRICS_ADDR the metrics are served there, with the store's pool,
// writer and cache numbers, and the main listener answers 404 to them. The
// probes stay on the main listener.
func TestMetricsAddr(t *testing.T) {
	db := filepath.Join(t.TempDir(), "duban.db")
	env := map[string]string{"DUBAN_DATABASE_URL": "sqlite://" + db, "DUBAN_HTTP_ADDR": "127.0.0.1:0", "DUBAN_JOBS": "0"}
	getenv := func(k string) string { return env[k] }
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"migrate"}, getenv, &out, &errOut); err != nil {
		t.Fatalf("migrate: %v\n%s", err, errOut.String())
	}

	plain := startCommand(t, getenv, "serve")
	if status, body := getText(t, plain.url+"/metrics"); status != 200 || !strings.Contains(body, "duban_db_open_connections") {
		t.Errorf("GET /metrics on the main listener by default = %d:\n%.300s", status, body)
	}
	plain.stop(t)

	env["DUBAN_METRICS_ADDR"] = "127.0.0.1:0"
	s := startCommand(t, getenv, "serve")
	_, after, ok := strings.Cut(s.stdout.String(), "metrics on ")
	if !ok {
		t.Fatalf("serve did not say where the metrics are:\n%s", s.stdout)
	}
	metricsURL := strings.TrimSpace(strings.SplitN(after, "\n", 2)[0])
	if status, _ := getText(t, s.url+"/metrics"); status != 404 {
		t.Errorf("GET /metrics on the main listener with DUBAN_METRICS_ADDR = %d, want 404", status)
	}
	for _, probe := range []string{"/healthz", "/readyz"} {
		if status, body := getText(t, s.url+probe); status != 200 {
			t.Errorf("GET %s = %d %s, want 200", probe, status, body)
		}
	}
	status, body := getText(t, metricsURL)
	if status != 200 {
		t.Fatalf("GET %s = %d", metricsURL, status)
	}
	for _, want := range []string{
		`duban_http_requests_total{method="GET",route="GET /readyz",status="200"} 1`,
		`duban_db_open_connections{pool="read"}`,
		`duban_db_wait_count_total{pool="write"}`,
		`duban_write_queue_writes_total`,
		`duban_cache_hits_total{cache="tasks"}`,
		`duban_cache_hits_total{cache="ledger_pages"}`,
		`process_resident_memory_bytes`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if status, _ := getText(t, strings.TrimSuffix(metricsURL, "/metrics")+"/api/v1/me"); status != 404 {
		t.Errorf("the metrics listener serves the API: %d, want 404", status)
	}
}

// TestConfigMetricsAddr: metrics_addr comes from the file and from
// DUBAN_METRICS_ADDR, and must be host:port.
func TestConfigMetricsAddr(t *testing.T) {
	file := filepath.Join(t.TempDir(), "duban.json")
	if err := os.WriteFile(file, []byte(`{"metrics_addr": "127.0.0.1:9100"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		want string
		bad  bool
	}{
		{"from the file", map[string]string{"DUBAN_CONFIG": file}, "127.0.0.1:9100", false},
		{"the environment wins", map[string]string{"DUBAN_CONFIG": file, "DUBAN_METRICS_ADDR": "10.0.0.5:9100"}, "10.0.0.5:9100", false},
		{"not host:port", map[string]string{"DUBAN_METRICS_ADDR": "metrics"}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cf := addConfigFlags(flag.NewFlagSet("config", flag.ContinueOnError))
			got, err := cf.load(func(k string) string { return tt.env[k] })
			if tt.bad {
				if err == nil {
					t.Errorf("metrics address %q accepted", tt.env["DUBAN_METRICS_ADDR"])
				}
				return
			}
			if err != nil || got.MetricsAddr != tt.want {
				t.Errorf("MetricsAddr = %q, %v; want %q", got.MetricsAddr, err, tt.want)
			}
		})
	}
}
