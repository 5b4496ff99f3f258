// Package ldaptest gives tests a real OpenLDAP directory (Debian's slapd),
// seeded by scripts/ldap, and helpers that add each test's own entries.
//
// scripts/test starts one directory for the whole run and exports
// DUBAN_TEST_LDAP_URL and the other DUBAN_TEST_LDAP_* variables. Without
// them, Start runs scripts/ldap itself if slapd is installed; that directory
// ends with the test binary (or at Stop). When no directory can be had the test is skipped, or
// fails if DUBAN_TEST_REQUIRE_LDAP=1.
package ldaptest

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/go-ldap/ldap/v3"
)

// Directory is a running directory and how to reach it.
type Directory struct {
	URL             string // ldap://127.0.0.1:PORT, which offers StartTLS
	LDAPSURL        string // ldaps://127.0.0.1:PORT
	CAFile          string // the CA that signed the server's certificate
	BaseDN          string // dc=duban,dc=test
	AdminDN         string // the rootdn, which may write anything
	AdminPassword   string
	ServiceDN       string // an account that may read people and groups
	ServicePassword string
	PeopleDN        string // ou=people under BaseDN
	GroupsDN        string // ou=groups under BaseDN
}

var (
	mu      sync.Mutex
	started *Directory // the directory Start started itself
	dir     string     // its folder
	failed  error      // why starting it failed, once
)

// Start returns the directory of DUBAN_TEST_LDAP_URL, or starts one with
// scripts/ldap (once per test binary). It skips t when there is neither, or
// fails it when DUBAN_TEST_REQUIRE_LDAP=1.
func Start(t testing.TB) *Directory {
	t.Helper()
	if os.Getenv("DUBAN_TEST_LDAP_URL") != "" {
		return fromEnv(os.Getenv)
	}
	mu.Lock()
	defer mu.Unlock()
	if started == nil && failed == nil {
		started, failed = startScript()
	}
	if failed != nil {
		if os.Getenv("DUBAN_TEST_REQUIRE_LDAP") == "1" {
			t.Fatalf("no LDAP directory (DUBAN_TEST_REQUIRE_LDAP=1): %v", failed)
		}
		t.Skipf("no LDAP directory: set DUBAN_TEST_LDAP_URL or install slapd and ldap-utils (%v)", failed)
	}
	return started
}

// Stop stops the directory Start started itself, if any. A TestMain may call
// it after m.Run; otherwise the directory stops within a second of the test
// binary's end.
func Stop() {
	mu.Lock()
	defer mu.Unlock()
	if started == nil {
		return
	}
	if script, err := findScript(); err == nil {
		_ = exec.Command(script, "stop", dir).Run()
	}
	os.RemoveAll(dir)
	started = nil
}

// startScript runs scripts/ldap start in a new temporary folder.
func startScript() (*Directory, error) {
	if _, err := exec.LookPath("slapd"); err != nil {
		if _, err := os.Stat("/usr/sbin/slapd"); err != nil {
			return nil, errors.New("slapd is not installed")
		}
	}
	script, err := findScript()
	if err != nil {
		return nil, err
	}
	d, err := os.MkdirTemp("", "duban-ldap-")
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd := exec.Command(script, "start", d)
	// The script's watchdog stops slapd when this test binary ends, even
	// without a TestMain that calls Stop.
	cmd.Env = append(os.Environ(), "DUBAN_LDAP_WATCH_PID="+strconv.Itoa(os.Getpid()))
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		os.RemoveAll(d)
		return nil, fmt.Errorf("scripts/ldap start: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	env := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			env[k] = v
		}
	}
	dir = d
	return fromEnv(func(k string) string { return env[k] }), nil
}

// findScript finds scripts/ldap in the module that holds the working
// directory (a test runs in its package's folder).
func findScript() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "scripts", "ldap"), nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("no go.mod above the working directory")
		}
	}
}

func fromEnv(getenv func(string) string) *Directory {
	d := &Directory{
		URL:             getenv("DUBAN_TEST_LDAP_URL"),
		LDAPSURL:        getenv("DUBAN_TEST_LDAPS_URL"),
		CAFile:          getenv("DUBAN_TEST_LDAP_CA_FILE"),
		BaseDN:          getenv("DUBAN_TEST_LDAP_BASE_DN"),
		AdminDN:         getenv("DUBAN_TEST_LDAP_ADMIN_DN"),
		AdminPassword:   getenv("DUBAN_TEST_LDAP_ADMIN_PASSWORD"),
		ServiceDN:       getenv("DUBAN_TEST_LDAP_SERVICE_DN"),
		ServicePassword: getenv("DUBAN_TEST_LDAP_SERVICE_PASSWORD"),
	}
	if d.BaseDN == "" {
		d.BaseDN = "dc=duban,dc=test"
	}
	d.PeopleDN = "ou=people," + d.BaseDN
	d.GroupsDN = "ou=groups," + d.BaseDN
	return d
}

// Admin returns a connection bound as the rootdn, closed when t ends.
func (d *Directory) Admin(t testing.TB) *ldap.Conn {
	t.Helper()
	conn, err := ldap.DialURL(d.URL)
	if err != nil {
		t.Fatalf("connect to %s: %v", d.URL, err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := conn.Bind(d.AdminDN, d.AdminPassword); err != nil {
		t.Fatalf("bind as %s: %v", d.AdminDN, err)
	}
	return conn
}

// Unique returns prefix followed by a random suffix, so that each test's
// entries are its own even when tests share a directory or run again.
func Unique(prefix string) string {
	b := make([]byte, 4)
	rand.Read(b)
	return prefix + "-" + hex.EncodeToString(b)
}

// Person is an inetOrgPerson to add. Empty fields are left out; CN defaults
// to UID.
type Person struct {
	UID          string
	CN           string
	DisplayName  string
	OU           []string // several values test multi-valued attributes
	Mail         string
	Mobile       string
	EmployeeType string
	Password     string
}

// AddPerson adds p under PeopleDN and returns its DN; the entry is deleted
// when t ends (if it still exists).
func (d *Directory) AddPerson(t testing.TB, p Person) string {
	t.Helper()
	dn := "uid=" + ldap.EscapeDN(p.UID) + "," + d.PeopleDN
	cn := p.CN
	if cn == "" {
		cn = p.UID
	}
	req := ldap.NewAddRequest(dn, nil)
	req.Attribute("objectClass", []string{"inetOrgPerson"})
	req.Attribute("uid", []string{p.UID})
	req.Attribute("cn", []string{cn})
	req.Attribute("sn", []string{cn})
	for attr, v := range map[string]string{
		"displayName":  p.DisplayName,
		"mail":         p.Mail,
		"mobile":       p.Mobile,
		"employeeType": p.EmployeeType,
		"userPassword": p.Password,
	} {
		if v != "" {
			req.Attribute(attr, []string{v})
		}
	}
	if len(p.OU) > 0 {
		req.Attribute("ou", p.OU)
	}
	d.add(t, req)
	return dn
}

// AddGroup adds the groupOfNames cn under GroupsDN with members (at least
// one) and returns its DN; the memberof overlay then lists it in each
// member's memberOf. It is deleted when t ends.
func (d *Directory) AddGroup(t testing.TB, cn string, members ...string) string {
	t.Helper()
	dn := "cn=" + ldap.EscapeDN(cn) + "," + d.GroupsDN
	req := ldap.NewAddRequest(dn, nil)
	req.Attribute("objectClass", []string{"groupOfNames"})
	req.Attribute("cn", []string{cn})
	req.Attribute("member", members)
	d.add(t, req)
	return dn
}

func (d *Directory) add(t testing.TB, req *ldap.AddRequest) {
	t.Helper()
	conn := d.Admin(t)
	if err := conn.Add(req); err != nil {
		t.Fatalf("add %s: %v", req.DN, err)
	}
	t.Cleanup(func() {
		conn, err := ldap.DialURL(d.URL)
		if err != nil {
			return
		}
		defer conn.Close()
		if conn.Bind(d.AdminDN, d.AdminPassword) == nil {
			_ = conn.Del(ldap.NewDelRequest(req.DN, nil))
		}
	})
}

// Replace sets attr of the entry dn to values (none deletes it).
func (d *Directory) Replace(t testing.TB, dn, attr string, values ...string) {
	t.Helper()
	req := ldap.NewModifyRequest(dn, nil)
	req.Replace(attr, values)
	if err := d.Admin(t).Modify(req); err != nil {
		t.Fatalf("modify %s %s: %v", dn, attr, err)
	}
}

// Delete deletes the entry dn.
func (d *Directory) Delete(t testing.TB, dn string) {
	t.Helper()
	if err := d.Admin(t).Del(ldap.NewDelRequest(dn, nil)); err != nil {
		t.Fatalf("delete %s: %v", dn, err)
	}
}
