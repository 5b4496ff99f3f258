package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is how duban is run. Each layer overrides the one before: defaults,
// then an optional JSON file (DUBAN_CONFIG or -config), then DUBAN_* environment
// variables, then flags. Settings that administrators change while the system
// runs (deadlines, holidays, the tolerance of 左右) live in the database.
type Config struct {
	DatabaseURL   string `json:"database_url"`   // sqlite:///path/duban.db or postgres://…
	Dialect       string `json:"dialect"`        // for PostgreSQL descendants: "" or "opengauss"
	HTTPAddr      string `json:"http_addr"`      // host:port
	Timezone      string `json:"timezone"`       // for display and jobs
	LogFormat     string `json:"log_format"`     // text or json
	SecureCookies bool   `json:"secure_cookies"` // set behind HTTPS
	Migrate       bool   `json:"migrate"`        // apply migrations at start
	Jobs          bool   `json:"jobs"`           // run reminders, refresh and deliveries inside serve
	// TrustedOrigins are other origins allowed to send state-changing
	// browser requests (pages served under another host name).
	TrustedOrigins []string `json:"trusted_origins"`
	// ClientIPHeader names the header a trusted reverse proxy puts the
	// client's address in (X-Real-IP, X-Forwarded-For), for sign-in
	// throttling.
	ClientIPHeader string `json:"client_ip_header"`
	// UploadConcurrency is how many uploads of one kind (document imports,
	// edited ledgers, evidence) are read at a time; 0 means 2.
	UploadConcurrency int `json:"upload_concurrency"`
	// LoginLimits throttle sign-in; zero values mean the web server's
	// defaults (docs/OPERATIONS.md).
	LoginLimits LoginLimits `json:"login_limits"`
	// Identity is sign-in through the government's identity systems.
	Identity IdentitySettings `json:"identity"`
	// MetricsAddr, when set, serves /metrics on this host:port only, not on
	// HTTPAddr (docs/OPERATIONS.md).
	MetricsAddr string `json:"metrics_addr"`
}

// LoginLimits are the sign-in limits: attempts a second over all clients and
// per client address, failures a second per user name, each with its burst.
type LoginLimits struct {
	Rate         float64 `json:"rate"`          // DUBAN_LOGIN_RATE
	Burst        int     `json:"burst"`         // DUBAN_LOGIN_BURST
	AddressRate  float64 `json:"address_rate"`  // DUBAN_LOGIN_ADDRESS_RATE
	AddressBurst int     `json:"address_burst"` // DUBAN_LOGIN_ADDRESS_BURST
	AccountRate  float64 `json:"account_rate"`  // DUBAN_LOGIN_ACCOUNT_RATE
	AccountBurst int     `json:"account_burst"` // DUBAN_LOGIN_ACCOUNT_BURST
}

func defaultConfig() Config {
	return Config{
		DatabaseURL: "sqlite:///var/lib/duban/duban.db",
		HTTPAddr:    "127.0.0.1:8080",
		Timezone:    "Asia/Shanghai",
		LogFormat:   "text",
		Jobs:        true,
	}
}

// configFlags registers the flags shared by commands that open the store.
type configFlags struct {
	file    string
	values  map[string]*string
	migrate *bool
}

func addConfigFlags(fs *flag.FlagSet) *configFlags {
	cf := &configFlags{values: map[string]*string{}}
	fs.StringVar(&cf.file, "config", "", "JSON configuration file (also DUBAN_CONFIG)")
	cf.values["database_url"] = fs.String("database", "", "database URL: sqlite:///path/duban.db or postgres://user@host/db (also DUBAN_DATABASE_URL)")
	cf.values["http_addr"] = fs.String("addr", "", "address to listen on, host:port (also DUBAN_HTTP_ADDR; default 127.0.0.1:8080)")
	cf.values["timezone"] = fs.String("timezone", "", "time zone for display and jobs (also DUBAN_TIMEZONE; default Asia/Shanghai)")
	cf.values["log_format"] = fs.String("log-format", "", "text or json (also DUBAN_LOG_FORMAT)")
	cf.values["dialect"] = fs.String("dialect", "", "PostgreSQL descendant: opengauss (also DUBAN_DIALECT)")
	cf.migrate = fs.Bool("migrate", false, "apply database migrations at start (also DUBAN_MIGRATE=1)")
	return cf
}

// load builds the configuration from its layers and validates it.
func (cf *configFlags) load(getenv func(string) string) (Config, error) {
	c := defaultConfig()
	file := cf.file
	if file == "" {
		file = getenv("DUBAN_CONFIG")
	}
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return c, fmt.Errorf("read config: %w", err)
		}
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return c, fmt.Errorf("config file %s: %w", file, err)
		}
	}
	set := func(key, env string, dst *string) {
		if v := getenv(env); v != "" {
			*dst = v
		}
		if p := cf.values[key]; p != nil && *p != "" {
			*dst = *p
		}
	}
	set("database_url", "DUBAN_DATABASE_URL", &c.DatabaseURL)
	set("http_addr", "DUBAN_HTTP_ADDR", &c.HTTPAddr)
	set("timezone", "DUBAN_TIMEZONE", &c.Timezone)
	set("log_format", "DUBAN_LOG_FORMAT", &c.LogFormat)
	set("dialect", "DUBAN_DIALECT", &c.Dialect)
	if v := getenv("DUBAN_SECURE_COOKIES"); v == "1" || v == "true" {
		c.SecureCookies = true
	}
	if v := getenv("DUBAN_MIGRATE"); v == "1" || v == "true" {
		c.Migrate = true
	}
	if *cf.migrate {
		c.Migrate = true
	}
	if v := getenv("DUBAN_JOBS"); v == "0" || v == "false" || v == "off" {
		c.Jobs = false
	}
	if v := getenv("DUBAN_TRUSTED_ORIGINS"); v != "" {
		c.TrustedOrigins = strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' })
	}
	if v := getenv("DUBAN_CLIENT_IP_HEADER"); v != "" {
		c.ClientIPHeader = v
	}
	if v := getenv("DUBAN_UPLOAD_CONCURRENCY"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 64 {
			return c, fmt.Errorf("DUBAN_UPLOAD_CONCURRENCY %q: want a whole number from 1 to 64", v)
		}
		c.UploadConcurrency = n
	}
	if err := c.LoginLimits.load(getenv); err != nil {
		return c, err
	}
	if err := c.Identity.loadEnv(getenv); err != nil {
		return c, err
	}
	if v := getenv("DUBAN_METRICS_ADDR"); v != "" {
		c.MetricsAddr = v
	}
	return c, c.validate()
}

func (c Config) validate() error {
	u, err := url.Parse(c.DatabaseURL)
	if err != nil || (u.Scheme != "sqlite" && u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return fmt.Errorf("database url %q: want sqlite:///path/to/duban.db or postgres://…", maskURL(c.DatabaseURL))
	}
	if u.Scheme == "sqlite" && (sqlitePath(c.DatabaseURL) == "" || strings.ContainsAny(sqlitePath(c.DatabaseURL), "?#")) {
		return fmt.Errorf("database url %q: want sqlite:///absolute/path/duban.db or sqlite://relative/path/duban.db", c.DatabaseURL)
	}
	if c.Dialect != "" && c.Dialect != "postgres" && c.Dialect != "opengauss" {
		return fmt.Errorf("dialect %q: want postgres or opengauss", c.Dialect)
	}
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		return fmt.Errorf("http address %q: %w", c.HTTPAddr, err)
	}
	if _, _, err := net.SplitHostPort(c.MetricsAddr); c.MetricsAddr != "" && err != nil {
		return fmt.Errorf("metrics address %q: %w", c.MetricsAddr, err)
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		return fmt.Errorf("time zone %q: %w", c.Timezone, err)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("log format %q: want text or json", c.LogFormat)
	}
	if l := c.LoginLimits; l.Rate < 0 || l.Burst < 0 || l.AddressRate < 0 || l.AddressBurst < 0 || l.AccountRate < 0 || l.AccountBurst < 0 {
		return fmt.Errorf("login limits: want numbers of 0 or more (0 means the default)")
	}
	for _, o := range c.TrustedOrigins {
		if u, err := url.Parse(o); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
			return fmt.Errorf("trusted origin %q: want scheme://host[:port]", o)
		}
	}
	return c.Identity.validate()
}

// load reads the DUBAN_LOGIN_* variables that are set.
func (l *LoginLimits) load(getenv func(string) string) error {
	floats := []struct {
		env string
		dst *float64
	}{{"DUBAN_LOGIN_RATE", &l.Rate}, {"DUBAN_LOGIN_ADDRESS_RATE", &l.AddressRate}, {"DUBAN_LOGIN_ACCOUNT_RATE", &l.AccountRate}}
	for _, f := range floats {
		if v := getenv(f.env); v != "" {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || x < 0 || math.IsInf(x, 0) || math.IsNaN(x) {
				return fmt.Errorf("%s %q: want a number of attempts a second, 0 or more", f.env, v)
			}
			*f.dst = x
		}
	}
	ints := []struct {
		env string
		dst *int
	}{{"DUBAN_LOGIN_BURST", &l.Burst}, {"DUBAN_LOGIN_ADDRESS_BURST", &l.AddressBurst}, {"DUBAN_LOGIN_ACCOUNT_BURST", &l.AccountBurst}}
	for _, f := range ints {
		if v := getenv(f.env); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return fmt.Errorf("%s %q: want a whole number, 0 or more", f.env, v)
			}
			*f.dst = n
		}
	}
	return nil
}

// maskURL hides the password of a database URL.
func maskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// print writes the configuration with secrets masked.
func (c Config) print(w io.Writer) {
	c.DatabaseURL = maskURL(c.DatabaseURL)
	c.Identity = c.Identity.masked()
	b, _ := json.MarshalIndent(c, "", "  ")
	fmt.Fprintln(w, string(b))
}
