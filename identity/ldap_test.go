package identity_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-ldap/ldap/v3"
	"github.com/google/go-cmp/cmp"

	"duban/identity"
	"duban/identity/ldaptest"
)

// ldapConfig is a configuration for the test directory d: people under
// BaseDN by uid, employeeType=disabled disables, groups from both memberOf
// and a search of ou=groups.
func ldapConfig(d *ldaptest.Directory) identity.LDAPConfig {
	return identity.LDAPConfig{
		URL:            d.URL,
		BindDN:         d.ServiceDN,
		BindPassword:   d.ServicePassword,
		BaseDN:         d.BaseDN,
		UserFilter:     "(&(objectClass=inetOrgPerson)(uid=%s))",
		DisabledFilter: "(employeeType=disabled)",
		GroupBaseDN:    d.GroupsDN,
		GroupFilter:    "(&(objectClass=groupOfNames)(member=%s))",
		Attributes:     identity.LDAPAttributes{Name: "displayName", Groups: "memberOf"},
		Timeout:        "5s",
	}
}

func mustNewLDAP(t *testing.T, cfg identity.LDAPConfig) *identity.LDAP {
	t.Helper()
	l, err := identity.NewLDAP(cfg)
	if err != nil {
		t.Fatalf("NewLDAP: %v", err)
	}
	return l
}

// closedURL returns an ldap:// URL of a port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "ldap://" + addr
}

func TestLDAPAuthenticate(t *testing.T) {
	d := ldaptest.Start(t)
	l := mustNewLDAP(t, ldapConfig(d))
	ctx := t.Context()

	uid := ldaptest.Unique("zhangsan")
	dn := d.AddPerson(t, ldaptest.Person{
		UID: uid, CN: "张三", DisplayName: "张三（督查室）", OU: []string{"区发改委", "督查室"},
		Mail: uid + "@duban.test", Mobile: "13800000001", Password: "正确的密码 1",
	})
	inspectors := ldaptest.Unique("督查室")
	d.AddGroup(t, inspectors, dn)
	reporters := ldaptest.Unique("填报人, 区发改委") // a comma, escaped in the DN
	d.AddGroup(t, reporters, dn)

	got, err := l.Authenticate(ctx, uid, "正确的密码 1")
	if err != nil {
		t.Fatalf("Authenticate(right password): %v", err)
	}
	want := identity.Person{
		Source:      identity.SourceLDAP,
		Subject:     "uid=" + uid + ",ou=people,dc=duban,dc=test",
		Username:    uid,
		DisplayName: "张三（督查室）",
		Email:       uid + "@duban.test",
		Mobile:      "13800000001",
		Unit:        "区发改委", // the first of the values
		Groups:      []string{inspectors, reporters},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Authenticate mismatch (-want +got):\n%s", diff)
	}

	// uid matches without regard to case; Username is the directory's spelling.
	got, err = l.Authenticate(ctx, strings.ToUpper(uid), "正确的密码 1")
	if err != nil || got.Username != uid {
		t.Errorf("Authenticate(%q) = %q, %v; want the Username %q", strings.ToUpper(uid), got.Username, err, uid)
	}

	rejected := []struct {
		name, username, password string
	}{
		{"wrong password", uid, "错误的密码"},
		{"unknown user", ldaptest.Unique("nobody"), "正确的密码 1"},
		{"empty password", uid, ""},
		{"empty user name", "", "正确的密码 1"},
		{"over-long user name", strings.Repeat("张", 200), "正确的密码 1"},
		{"control character", uid + "\x00", "正确的密码 1"},
		// Unescaped, each of these filters would find the person, and the
		// right password would sign them in.
		{"wildcard", uid[:len(uid)-3] + "*", "正确的密码 1"},
		{"injection", "*)(uid=" + uid, "正确的密码 1"},
		{"injection star", "*)(uid=*", "正确的密码 1"},
		{"star", "*", "正确的密码 1"},
	}
	for _, tt := range rejected {
		t.Run(tt.name, func(t *testing.T) {
			_, err := l.Authenticate(ctx, tt.username, tt.password)
			if !errors.Is(err, identity.ErrRejected) {
				t.Errorf("Authenticate(%q, %q) = %v, want ErrRejected", tt.username, tt.password, err)
			}
		})
	}
}

func TestLDAPAuthenticateGroupSources(t *testing.T) {
	d := ldaptest.Start(t)
	uid := ldaptest.Unique("lisi")
	dn := d.AddPerson(t, ldaptest.Person{UID: uid, CN: "李四", OU: []string{"区发改委"}, Password: "pw-李四"})
	group := ldaptest.Unique("填报人")
	d.AddGroup(t, group, dn)
	loner := ldaptest.Unique("wangwu")
	d.AddPerson(t, ldaptest.Person{UID: loner, CN: "王五", OU: []string{"区档案馆"}, Password: "pw-王五"})

	tests := []struct {
		name   string
		change func(*identity.LDAPConfig)
		user   string
		pw     string
		want   []string
	}{
		{"memberOf only", func(c *identity.LDAPConfig) { c.GroupBaseDN, c.GroupFilter = "", "" }, uid, "pw-李四", []string{group}},
		{"group search only", func(c *identity.LDAPConfig) { c.Attributes.Groups = "" }, uid, "pw-李四", []string{group}},
		{"no groups configured", func(c *identity.LDAPConfig) {
			c.GroupBaseDN, c.GroupFilter, c.Attributes.Groups = "", "", ""
		}, uid, "pw-李四", nil},
		{"in no group", func(*identity.LDAPConfig) {}, loner, "pw-王五", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ldapConfig(d)
			tt.change(&cfg)
			got, err := mustNewLDAP(t, cfg).Authenticate(t.Context(), tt.user, tt.pw)
			if err != nil {
				t.Fatalf("Authenticate: %v", err)
			}
			if diff := cmp.Diff(tt.want, got.Groups); diff != "" {
				t.Errorf("Groups mismatch (-want +got):\n%s", diff)
			}
			if got.DisplayName != "" {
				t.Errorf("DisplayName = %q, want empty: the entries have no displayName", got.DisplayName)
			}
		})
	}
}

func TestLDAPAuthenticateDisabled(t *testing.T) {
	d := ldaptest.Start(t)
	l := mustNewLDAP(t, ldapConfig(d))
	ctx := t.Context()

	disabled := ldaptest.Unique("zhaoliu")
	d.AddPerson(t, ldaptest.Person{UID: disabled, CN: "赵六", EmployeeType: "disabled", Password: "pw-赵六"})
	locked := ldaptest.Unique("sunqi")
	lockedDN := d.AddPerson(t, ldaptest.Person{UID: locked, CN: "孙七", Password: "pw-孙七"})
	// The ppolicy overlay locks an account whose pwdAccountLockedTime is
	// 000001010000Z for good.
	d.Replace(t, lockedDN, "pwdAccountLockedTime", "000001010000Z")

	tests := []struct {
		name, user, pw string
		want           error
	}{
		{"disabled, right password", disabled, "pw-赵六", identity.ErrDisabled},
		{"disabled, wrong password: nothing revealed", disabled, "guess", identity.ErrRejected},
		{"locked by the password policy", locked, "pw-孙七", identity.ErrDisabled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := l.Authenticate(ctx, tt.user, tt.pw)
			if !errors.Is(err, tt.want) {
				t.Errorf("Authenticate(%q) = %v, want %v", tt.user, err, tt.want)
			}
		})
	}
}

func TestLDAPAuthenticateAmbiguous(t *testing.T) {
	d := ldaptest.Start(t)
	cn := ldaptest.Unique("张伟")
	d.AddPerson(t, ldaptest.Person{UID: ldaptest.Unique("zhangwei"), CN: cn, Password: "pw"})
	d.AddPerson(t, ldaptest.Person{UID: ldaptest.Unique("zhangwei"), CN: cn, Password: "pw"})
	cfg := ldapConfig(d)
	cfg.UserFilter = "(&(objectClass=inetOrgPerson)(cn=%s))"
	_, err := mustNewLDAP(t, cfg).Authenticate(t.Context(), cn, "pw")
	if !errors.Is(err, identity.ErrRejected) {
		t.Errorf("Authenticate(a name two entries have) = %v, want ErrRejected", err)
	}
}

func TestLDAPCheck(t *testing.T) {
	d := ldaptest.Start(t)
	l := mustNewLDAP(t, ldapConfig(d))
	ctx := t.Context()
	uid := ldaptest.Unique("zhouba")
	d.AddPerson(t, ldaptest.Person{UID: uid, CN: "周八", Password: "pw-周八"})
	p, err := l.Authenticate(ctx, uid, "pw-周八")
	if err != nil {
		t.Fatalf("Authenticate: %v", err)
	}

	check := func(want identity.Status) {
		t.Helper()
		got, secret, err := l.Check(ctx, p.Subject, "")
		if err != nil || got != want || secret != "" {
			t.Errorf("Check(%q) = %v, %q, %v; want %v", p.Subject, got, secret, err, want)
		}
	}
	check(identity.Active)
	d.Replace(t, p.Subject, "employeeType", "disabled")
	check(identity.Disabled)
	d.Replace(t, p.Subject, "employeeType")
	check(identity.Active)
	d.Delete(t, p.Subject)
	check(identity.Gone)

	cfg := ldapConfig(d)
	cfg.BaseDN = "ou=nowhere," + d.BaseDN
	if st, _, err := mustNewLDAP(t, cfg).Check(ctx, p.Subject, ""); err == nil {
		t.Errorf("Check with a base_dn not in the directory = %v, want an error rather than Gone for everyone", st)
	}
	if _, _, err := l.Check(ctx, "not a DN", ""); err == nil {
		t.Errorf("Check(not a DN) = nil error, want one: a subject duban did not get from here is no reason to end an account")
	}
}

func TestLDAPDirectoryDown(t *testing.T) {
	d := ldaptest.Start(t)
	cfg := ldapConfig(d)
	cfg.URL = closedURL(t)
	l := mustNewLDAP(t, cfg)

	_, err := l.Authenticate(t.Context(), "zhangsan", "seed-password")
	if err == nil || errors.Is(err, identity.ErrRejected) || errors.Is(err, identity.ErrDisabled) {
		t.Errorf("Authenticate with the directory down = %v, want another error", err)
	}
	_, _, err = l.Check(t.Context(), "uid=zhangsan,ou=people,dc=duban,dc=test", "")
	if err == nil {
		t.Errorf("Check with the directory down = nil error, want one")
	}
	// An empty password never reaches the directory: rejected, though it is down.
	if _, err := l.Authenticate(t.Context(), "zhangsan", ""); !errors.Is(err, identity.ErrRejected) {
		t.Errorf("Authenticate(empty password) = %v, want ErrRejected without asking the directory", err)
	}
}

func TestLDAPServiceAccountWrongPassword(t *testing.T) {
	d := ldaptest.Start(t)
	cfg := ldapConfig(d)
	cfg.BindPassword = "wrong"
	_, err := mustNewLDAP(t, cfg).Authenticate(t.Context(), "zhangsan", "seed-password")
	// duban's own account failing is the administrator's problem, not the
	// person's: not ErrRejected.
	if err == nil || errors.Is(err, identity.ErrRejected) {
		t.Errorf("Authenticate with a wrong service password = %v, want an error that is not ErrRejected", err)
	}
}

func TestLDAPTimeout(t *testing.T) {
	// A directory that accepts connections and never answers.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	l := mustNewLDAP(t, identity.LDAPConfig{
		URL: "ldap://" + ln.Addr().String(), BindDN: "cn=duban", BindPassword: "x",
		BaseDN: "dc=duban,dc=test", UserFilter: "(uid=%s)", Timeout: "10s",
	})
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = l.Authenticate(ctx, "zhangsan", "pw")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Authenticate against a silent server = %v, want context.DeadlineExceeded", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("Authenticate took %v after its context ended", took)
	}
}

func TestLDAPTLS(t *testing.T) {
	d := ldaptest.Start(t)
	if d.LDAPSURL == "" || d.CAFile == "" {
		t.Skip("the directory has no ldaps:// URL or CA file")
	}
	uid := ldaptest.Unique("wujiu")
	d.AddPerson(t, ldaptest.Person{UID: uid, CN: "吴九", Password: "pw-吴九"})

	tests := []struct {
		name   string
		change func(*identity.LDAPConfig)
		ok     bool
	}{
		{"ldaps with the CA", func(c *identity.LDAPConfig) { c.URL, c.CAFile = d.LDAPSURL, d.CAFile }, true},
		{"StartTLS with the CA", func(c *identity.LDAPConfig) { c.StartTLS, c.CAFile = true, d.CAFile }, true},
		{"ldaps without the CA", func(c *identity.LDAPConfig) { c.URL = d.LDAPSURL }, false},
		{"StartTLS without the CA", func(c *identity.LDAPConfig) { c.StartTLS = true }, false},
		{"ldaps with another CA", func(c *identity.LDAPConfig) { c.URL, c.CAFile = d.LDAPSURL, otherCA(t) }, false},
		{"ldaps, verification skipped", func(c *identity.LDAPConfig) {
			c.URL, c.InsecureSkipVerify = d.LDAPSURL, true
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ldapConfig(d)
			tt.change(&cfg)
			l := mustNewLDAP(t, cfg)
			p, err := l.Authenticate(t.Context(), uid, "pw-吴九")
			switch {
			case tt.ok && err != nil:
				t.Fatalf("Authenticate: %v", err)
			case tt.ok && p.Username != uid:
				t.Errorf("Authenticate = %+v, want %s", p, uid)
			case !tt.ok && (err == nil || errors.Is(err, identity.ErrRejected)):
				t.Errorf("Authenticate with a certificate not verified = %v, want a TLS error", err)
			}
		})
	}
}

// otherCA writes the certificate of a CA that signed nothing and returns
// its file.
func otherCA(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "another CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(t.TempDir(), "other-ca.pem")
	if err := os.WriteFile(name, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

func TestNewLDAP(t *testing.T) {
	ok := identity.LDAPConfig{
		URL:        "ldap://127.0.0.1:389",
		BaseDN:     "dc=duban,dc=test",
		UserFilter: "(uid=%s)",
	}
	tests := []struct {
		name   string
		change func(*identity.LDAPConfig)
		want   string // a part of the error; "" for none
	}{
		{"minimal", func(*identity.LDAPConfig) {}, ""},
		{"no URL", func(c *identity.LDAPConfig) { c.URL = "" }, "url"},
		{"http URL", func(c *identity.LDAPConfig) { c.URL = "http://dir" }, "url"},
		{"StartTLS on ldaps", func(c *identity.LDAPConfig) { c.URL, c.StartTLS = "ldaps://dir", true }, "start_tls"},
		{"bind DN without password", func(c *identity.LDAPConfig) { c.BindDN = "cn=duban" }, "bind_password"},
		{"no base DN", func(c *identity.LDAPConfig) { c.BaseDN = "" }, "base_dn"},
		{"no user filter", func(c *identity.LDAPConfig) { c.UserFilter = "" }, "user_filter"},
		{"user filter without %s", func(c *identity.LDAPConfig) { c.UserFilter = "(uid=zhangsan)" }, "user_filter"},
		{"user filter unbalanced", func(c *identity.LDAPConfig) { c.UserFilter = "(uid=%s" }, "user_filter"},
		{"disabled filter bad", func(c *identity.LDAPConfig) { c.DisabledFilter = "employeeType=disabled)" }, "disabled_filter"},
		{"group filter without base", func(c *identity.LDAPConfig) { c.GroupFilter = "(member=%s)" }, "group_base_dn"},
		{"group base without filter", func(c *identity.LDAPConfig) { c.GroupBaseDN = "ou=groups,dc=duban,dc=test" }, "group_filter"},
		{"bad attribute", func(c *identity.LDAPConfig) { c.Attributes.Unit = "ou)(x" }, "attributes.unit"},
		{"bad timeout", func(c *identity.LDAPConfig) { c.Timeout = "5" }, "timeout"},
		{"CA file on plain ldap", func(c *identity.LDAPConfig) { c.CAFile = "ca.pem" }, "ca_file"},
		{"missing CA file", func(c *identity.LDAPConfig) { c.URL, c.CAFile = "ldaps://dir", "no-such-ca.pem" }, "ca_file"},
		{"ldaps without CA file", func(c *identity.LDAPConfig) { c.URL = "ldaps://dir" }, ""},
		{"Active Directory", func(c *identity.LDAPConfig) {
			c.UserFilter = "(&(objectCategory=person)(objectClass=user)(sAMAccountName=%s))"
			c.DisabledFilter = "(userAccountControl:1.2.840.113556.1.4.803:=2)"
			c.Attributes = identity.LDAPAttributes{Username: "sAMAccountName", Name: "displayName", Unit: "department", Groups: "memberOf"}
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.change(&cfg)
			l, err := identity.NewLDAP(cfg)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("NewLDAP: %v", err)
			case tt.want == "" && l.Source() != identity.SourceLDAP:
				t.Errorf("Source() = %q", l.Source())
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("NewLDAP = %v, want an error naming %s", err, tt.want)
			}
		})
	}
}

func TestNormalizeDN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"uid=zhangsan,ou=people,dc=duban,dc=test", "uid=zhangsan,ou=people,dc=duban,dc=test"},
		{"UID=zhangsan, OU=People , DC=duban,DC=test", "uid=zhangsan,ou=People,dc=duban,dc=test"},
		{`cn=\e5\bc\a0\e4\b8\89,ou=区发改委,dc=test`, "cn=张三,ou=区发改委,dc=test"},
		{`cn=a\2cb,dc=test`, `cn=a\,b,dc=test`},
		{`cn=\ lead,dc=test`, `cn=\ lead,dc=test`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := identity.NormalizeDN(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("NormalizeDN(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

// FuzzNormalizeDN checks the two readers of DNs that LDAP sign-in uses:
// NormalizeDN spells a DN it accepts in a form it reads back the same, and
// FirstCN reads back any group name written into a DN as the directory
// escapes it.
func FuzzNormalizeDN(f *testing.F) {
	f.Add("cn=督查室,ou=groups,dc=duban,dc=test", "督查室")
	f.Add(`cn=a\,b+ou=x,dc=test`, " #a,b+c\\ ")
	f.Add(`cn=\e7\9d\a3,dc=test`, "x\x00y")
	f.Fuzz(func(t *testing.T, dn, name string) {
		if n, err := identity.NormalizeDN(dn); err == nil {
			again, err := identity.NormalizeDN(n)
			if err != nil || again != n {
				t.Errorf("NormalizeDN(%q) = %q, which normalises to %q, %v", dn, n, again, err)
			}
		}
		if name == "" || strings.TrimSpace(name) != name || !utf8.ValidString(name) {
			return // DNs are UTF-8 and hold no empty values; FirstCN trims spaces
		}
		written := "cn=" + ldap.EscapeDN(name) + ",ou=groups,dc=duban,dc=test"
		if got := identity.FirstCN(written); got != name {
			t.Errorf("FirstCN(%q) = %q, want %q", written, got, name)
		}
	})
}

// BenchmarkLDAPAuthenticate measures one sign-in, each on its own
// connection (service bind, searches, the person's bind), in plain text and
// over TLS.
// BenchmarkLDAPAuthenticate measures one directory sign-in (a connection,
// the service bind, the search, the person's bind and the group search),
// beside the floor: one connection and the person's bind alone, done with
// go-ldap and nothing of duban.
func BenchmarkLDAPAuthenticate(b *testing.B) {
	d := ldaptest.Start(b)
	uid := ldaptest.Unique("bench")
	dn := d.AddPerson(b, ldaptest.Person{UID: uid, CN: "测试", Password: "pw-bench"})
	b.Run("floor-bind", func(b *testing.B) {
		for b.Loop() {
			conn, err := ldap.DialURL(d.URL)
			if err != nil {
				b.Fatal(err)
			}
			if err := conn.Bind(dn, "pw-bench"); err != nil {
				b.Fatal(err)
			}
			conn.Close()
		}
	})
	for _, bb := range []struct {
		name   string
		change func(*identity.LDAPConfig)
	}{
		{"ldap", func(*identity.LDAPConfig) {}},
		{"ldaps", func(c *identity.LDAPConfig) { c.URL, c.CAFile = d.LDAPSURL, d.CAFile }},
	} {
		b.Run(bb.name, func(b *testing.B) {
			cfg := ldapConfig(d)
			bb.change(&cfg)
			l, err := identity.NewLDAP(cfg)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := l.Authenticate(b.Context(), uid, "pw-bench"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
