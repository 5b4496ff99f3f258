package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"duban/identity"
	"duban/identity/ldaptest"
)

// TestDirectorySignInEndToEnd runs `duban serve` with a real OpenLDAP: a
// member of the directory's 督查室 group signs in and is a supervisor; a
// person no rule matches waits for approval; once the directory disables the
// supervisor, `duban job run identity` ends their session, and they cannot
// sign in again.
func TestDirectorySignInEndToEnd(t *testing.T) {
	d := ldaptest.Start(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "duban.db")
	group := ldaptest.Unique("督查室")
	boss := ldaptest.Unique("zhang")
	other := ldaptest.Unique("wang")
	bossDN := d.AddPerson(t, ldaptest.Person{UID: boss, CN: "张三", DisplayName: "张三", OU: []string{"区委督查室"}, Password: "dir-password-1"})
	d.AddPerson(t, ldaptest.Person{UID: other, CN: "王五", Password: "dir-password-2"})
	d.AddGroup(t, group, bossDN)

	cfg := map[string]any{
		"database_url": "sqlite://" + db,
		"identity": map[string]any{
			"ldap": identity.LDAPConfig{
				URL: d.URL, StartTLS: true, CAFile: d.CAFile,
				BindDN: d.ServiceDN, BindPassword: d.ServicePassword, BaseDN: d.BaseDN,
				UserFilter: "(&(objectClass=inetOrgPerson)(uid=%s))", DisabledFilter: "(employeeType=disabled)",
				Attributes: identity.LDAPAttributes{Name: "displayName", Groups: "memberOf"},
			},
			"rules":      []identity.Rule{{Group: group, Role: "supervisor"}},
			"secret_key": "a key of the test, long enough",
		},
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "duban.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(k string) string {
		switch k {
		case "DUBAN_CONFIG":
			return file
		case "DUBAN_JOBS":
			return "0"
		}
		return ""
	}
	cli := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := run(context.Background(), args, env, &out, &errOut); err != nil {
			t.Fatalf("duban %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
		}
		return out.String() + errOut.String()
	}
	cli("migrate")
	cli("org", "add", "示范区")
	if out := cli("config"); strings.Contains(out, d.ServicePassword) || !strings.Contains(out, "xxxxx") {
		t.Errorf("duban config shows the bind password or hides nothing:\n%s", out)
	}
	srv := startCommand(t, env, "serve", "--addr", "127.0.0.1:0")

	c := signIn(t, srv.url, boss, "dir-password-1")
	var me struct {
		User struct {
			Username, Role, Source, DisplayName string `json:",omitempty"`
		} `json:"user"`
	}
	c.get("/api/v1/me", http.StatusOK, &me)
	if me.User.Role != "supervisor" || me.User.Source != "ldap" {
		t.Errorf("the directory's supervisor is %+v", me.User)
	}

	post := func(user, pw string) (int, string) {
		resp, err := http.Post(srv.url+"/api/v1/session", "application/json",
			strings.NewReader(`{"username":"`+user+`","password":"`+pw+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if st, body := post(other, "dir-password-2"); st != http.StatusForbidden || !strings.Contains(body, "审批") {
		t.Errorf("a person no rule matches: %d %s", st, body)
	}
	if st, _ := post(boss, "wrong"); st != http.StatusUnauthorized {
		t.Errorf("wrong directory password: %d", st)
	}

	// The directory disables him; the next check ends his session.
	d.Replace(t, bossDN, "employeeType", "disabled")
	if out := cli("job", "run", "identity"); !strings.Contains(out, "1 disabled") {
		t.Errorf("job run identity: %s", out)
	}
	c.get("/api/v1/me", http.StatusUnauthorized, nil)
	if st, body := post(boss, "dir-password-1"); st != http.StatusUnauthorized || !strings.Contains(body, "停用") {
		t.Errorf("disabled in the directory, signing in again: %d %s", st, body)
	}
}
