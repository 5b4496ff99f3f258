package identity

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-ldap/ldap/v3"
)

// LDAPConfig is the identity.ldap section of duban's configuration: how to
// reach the directory (目录服务) and where people and groups are in it.
type LDAPConfig struct {
	// URL is ldap://host:389 or ldaps://host:636.
	URL string `json:"url"`
	// StartTLS upgrades an ldap:// connection to TLS before anything is
	// sent; it cannot be combined with ldaps://.
	StartTLS bool `json:"start_tls"`
	// CAFile is the PEM file of the CA that signed the directory's
	// certificate; empty trusts the system's CAs.
	CAFile string `json:"ca_file"`
	// InsecureSkipVerify accepts any certificate. Only for tests: whoever
	// sits between duban and the directory then reads every password.
	InsecureSkipVerify bool `json:"insecure_skip_verify"`
	// BindDN and BindPassword are the service account that searches for
	// people; an empty BindDN searches anonymously.
	BindDN       string `json:"bind_dn"`
	BindPassword string `json:"bind_password"`
	// BaseDN is where people are searched (the whole subtree).
	BaseDN string `json:"base_dn"`
	// UserFilter finds a person by the name they sign in with, e.g.
	// (&(objectClass=inetOrgPerson)(uid=%s)); %s becomes the escaped name.
	UserFilter string `json:"user_filter"`
	// DisabledFilter, if set, marks a disabled person: an entry that matches
	// it cannot sign in, e.g. (employeeType=disabled) or
	// (userAccountControl:1.2.840.113556.1.4.803:=2) for Active Directory.
	DisabledFilter string `json:"disabled_filter"`
	// GroupBaseDN, if set, is searched for the person's groups with
	// GroupFilter, and each group's cn is one of Person.Groups.
	GroupBaseDN string `json:"group_base_dn"`
	// GroupFilter finds the groups a person is a member of, e.g.
	// (&(objectClass=groupOfNames)(member=%s)); %s becomes the escaped DN.
	GroupFilter string `json:"group_filter"`
	// Attributes names the attributes read from a person's entry.
	Attributes LDAPAttributes `json:"attributes"`
	// Timeout bounds one sign-in or check, as a Go duration ("5s", the
	// default).
	Timeout string `json:"timeout"`
}

// LDAPAttributes names the attributes of a person's entry; an empty field
// takes the default in brackets.
type LDAPAttributes struct {
	Username string `json:"username"` // the sign-in name (uid); sAMAccountName in Active Directory
	Name     string `json:"name"`     // the person's name (cn), or displayName
	Unit     string `json:"unit"`     // the unit's name (ou), or departmentNumber, department
	Email    string `json:"email"`    // (mail)
	Mobile   string `json:"mobile"`   // (mobile)
	Groups   string `json:"groups"`   // the DNs of the person's groups, e.g. memberOf; none by default
}

// The limits of what Authenticate sends to the directory.
const (
	maxLDAPUsername = 256
	maxLDAPPassword = 1024
)

const defaultLDAPTimeout = 5 * time.Second

// LDAP signs people in by binding to a directory with their password, and
// checks that they are still there. It is safe for concurrent use; each call
// opens its own connection.
type LDAP struct {
	cfg     LDAPConfig
	tls     *tls.Config // nil for ldap:// without StartTLS
	timeout time.Duration
}

var (
	_ PasswordSource = (*LDAP)(nil)
	_ Checker        = (*LDAP)(nil)
)

// NewLDAP checks cfg (an error names the field at fault), loads the CA file
// and fills the attributes' defaults. It does not connect.
func NewLDAP(cfg LDAPConfig) (*LDAP, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || u.Host == "" || (u.Scheme != "ldap" && u.Scheme != "ldaps") {
		return nil, fmt.Errorf("ldap: url %q: want ldap://host:port or ldaps://host:port", cfg.URL)
	}
	if cfg.StartTLS && u.Scheme == "ldaps" {
		return nil, errors.New("ldap: start_tls is for ldap:// URLs; ldaps:// is already TLS")
	}
	if cfg.BindDN != "" && cfg.BindPassword == "" {
		return nil, errors.New("ldap: bind_dn is set but bind_password is empty (that would be an unauthenticated bind)")
	}
	if _, err := ldap.ParseDN(cfg.BaseDN); err != nil || strings.TrimSpace(cfg.BaseDN) == "" {
		return nil, fmt.Errorf("ldap: base_dn %q is not a DN", cfg.BaseDN)
	}
	if err := checkFilter("user_filter", cfg.UserFilter, true); err != nil {
		return nil, err
	}
	if cfg.DisabledFilter != "" {
		if err := checkFilter("disabled_filter", cfg.DisabledFilter, false); err != nil {
			return nil, err
		}
	}
	if cfg.GroupBaseDN != "" {
		if _, err := ldap.ParseDN(cfg.GroupBaseDN); err != nil {
			return nil, fmt.Errorf("ldap: group_base_dn %q is not a DN", cfg.GroupBaseDN)
		}
		if err := checkFilter("group_filter", cfg.GroupFilter, true); err != nil {
			return nil, err
		}
	} else if cfg.GroupFilter != "" {
		return nil, errors.New("ldap: group_filter is set but group_base_dn is empty")
	}
	a := &cfg.Attributes
	for _, f := range []struct {
		v        *string
		def, key string
	}{
		{&a.Username, "uid", "username"},
		{&a.Name, "cn", "name"},
		{&a.Unit, "ou", "unit"},
		{&a.Email, "mail", "email"},
		{&a.Mobile, "mobile", "mobile"},
		{&a.Groups, "", "groups"},
	} {
		if *f.v == "" {
			*f.v = f.def
		}
		if *f.v != "" && !validAttributeName(*f.v) {
			return nil, fmt.Errorf("ldap: attributes.%s %q is not an attribute name", f.key, *f.v)
		}
	}
	l := &LDAP{cfg: cfg, timeout: defaultLDAPTimeout}
	if cfg.Timeout != "" {
		d, err := time.ParseDuration(cfg.Timeout)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("ldap: timeout %q: want a positive duration such as 5s", cfg.Timeout)
		}
		l.timeout = d
	}
	if u.Scheme == "ldaps" || cfg.StartTLS {
		l.tls = &tls.Config{
			ServerName:         u.Hostname(),
			MinVersion:         tls.VersionTLS12,
			InsecureSkipVerify: cfg.InsecureSkipVerify,
		}
		if cfg.CAFile != "" {
			pem, err := os.ReadFile(cfg.CAFile)
			if err != nil {
				return nil, fmt.Errorf("ldap: ca_file: %w", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("ldap: ca_file %q holds no PEM certificate", cfg.CAFile)
			}
			l.tls.RootCAs = pool
		}
	} else if cfg.CAFile != "" || cfg.InsecureSkipVerify {
		return nil, errors.New("ldap: ca_file and insecure_skip_verify need ldaps:// or start_tls")
	}
	return l, nil
}

// checkFilter tells whether filter compiles, with "%s" replaced when
// placeholder is true (and then required).
func checkFilter(field, filter string, placeholder bool) error {
	if filter == "" {
		return fmt.Errorf("ldap: %s is empty", field)
	}
	f := filter
	if placeholder {
		if !strings.Contains(filter, "%s") {
			return fmt.Errorf("ldap: %s %q has no %%s for the escaped value", field, filter)
		}
		f = strings.ReplaceAll(filter, "%s", "x")
	}
	if _, err := ldap.CompileFilter(f); err != nil {
		return fmt.Errorf("ldap: %s %q: %w", field, filter, err)
	}
	return nil
}

// validAttributeName tells whether s is an attribute description: a name
// (letters, digits, hyphens) or an OID, optionally with options (;lang-zh).
func validAttributeName(s string) bool {
	for _, r := range s {
		if !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '.' || r == ';')) {
			return false
		}
	}
	return s != ""
}

// InsecureSkipVerify tells whether the directory's certificate goes
// unchecked; the server logs a warning at start-up when it does.
func (l *LDAP) InsecureSkipVerify() bool { return l.tls != nil && l.tls.InsecureSkipVerify }

// Source returns SourceLDAP.
func (l *LDAP) Source() string { return SourceLDAP }

// Authenticate finds the person whose sign-in name is username with the
// service account, then binds as their entry with password. It returns
// ErrRejected for an empty or malformed name or password (an empty password
// would be an unauthenticated bind, which directories accept), for a name
// that matches no entry or several, and for a wrong password. It returns
// ErrDisabled for a person who matches DisabledFilter, but only once the
// password has been verified, so a guesser learns nothing of the account;
// and for an account the directory's password policy reports as locked
// (OpenLDAP's ppolicy with ppolicy_use_lockout: there the directory itself
// chose to tell). Any other error means the directory could not be asked.
//
// The person's Subject is their entry's DN, normalised (see NormalizeDN);
// Groups are the cn of each DN in the groups attribute and of each group the
// group search finds, without repeats.
func (l *LDAP) Authenticate(ctx context.Context, username, password string) (Person, error) {
	if !acceptableCredential(username, maxLDAPUsername) || !acceptableCredential(password, maxLDAPPassword) {
		return Person{}, ErrRejected
	}
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	conn, err := l.connect(ctx)
	if err != nil {
		return Person{}, err
	}
	defer conn.Close()
	if err := l.serviceBind(ctx, conn); err != nil {
		return Person{}, err
	}

	a := l.cfg.Attributes
	attrs := []string{a.Username, a.Name, a.Unit, a.Email, a.Mobile}
	if a.Groups != "" {
		attrs = append(attrs, a.Groups)
	}
	filter := strings.ReplaceAll(l.cfg.UserFilter, "%s", ldap.EscapeFilter(username))
	res, err := conn.Search(ldap.NewSearchRequest(l.cfg.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
		2, 0, false, filter, attrs, nil))
	if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) {
		return Person{}, l.fail(ctx, "search the person", err)
	}
	if res == nil || len(res.Entries) != 1 {
		return Person{}, ErrRejected
	}
	entry := res.Entries[0]

	disabled := false
	if l.cfg.DisabledFilter != "" {
		disabled, err = l.matches(ctx, conn, entry.DN, l.cfg.DisabledFilter)
		if err != nil {
			return Person{}, err
		}
	}
	groups := groupNames(entry.GetEqualFoldAttributeValues(a.Groups))
	if l.cfg.GroupBaseDN != "" {
		more, err := l.searchGroups(ctx, conn, entry.DN)
		if err != nil {
			return Person{}, err
		}
		groups = appendNew(groups, more...)
	}

	// The person's own bind comes last: the connection stays bound as them.
	policy := ldap.NewControlBeheraPasswordPolicy()
	bound, err := conn.SimpleBind(&ldap.SimpleBindRequest{Username: entry.DN, Password: password, Controls: []ldap.Control{policy}})
	if err != nil {
		if ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
			if bound != nil && lockedByPolicy(bound.Controls) {
				return Person{}, ErrDisabled
			}
			return Person{}, ErrRejected
		}
		return Person{}, l.fail(ctx, "bind as the person", err)
	}
	if disabled || lockedByPolicy(bound.Controls) {
		return Person{}, ErrDisabled
	}

	subject, err := NormalizeDN(entry.DN)
	if err != nil {
		return Person{}, fmt.Errorf("ldap: the directory returned the DN %q: %w", entry.DN, err)
	}
	// The directory's spelling of the name (uid "zhangsan" for "ZhangSan"),
	// or the name typed when the entry lacks the attribute.
	name := entry.GetEqualFoldAttributeValue(a.Username)
	if name == "" {
		name = username
	}
	return Person{
		Source:      SourceLDAP,
		Subject:     subject,
		Username:    name,
		DisplayName: entry.GetEqualFoldAttributeValue(a.Name),
		Email:       entry.GetEqualFoldAttributeValue(a.Email),
		Mobile:      entry.GetEqualFoldAttributeValue(a.Mobile),
		Unit:        entry.GetEqualFoldAttributeValue(a.Unit),
		Groups:      groups,
	}, nil
}

// Check reads the entry subject (a DN, as Person.Subject) with the service
// account: Gone if the directory has no such entry, Disabled if it matches
// DisabledFilter, else Active. secret is unused and newSecret always "". An
// error means the directory could not be asked, or cannot show BaseDN
// itself (so a broken configuration ends no one's account).
func (l *LDAP) Check(ctx context.Context, subject, secret string) (Status, string, error) {
	if _, err := ldap.ParseDN(subject); err != nil || strings.TrimSpace(subject) == "" {
		// Not a subject this source gave: say so rather than end the account.
		return 0, "", fmt.Errorf("ldap: the subject %q is not a DN", subject)
	}
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	conn, err := l.connect(ctx)
	if err != nil {
		return 0, "", err
	}
	defer conn.Close()
	if err := l.serviceBind(ctx, conn); err != nil {
		return 0, "", err
	}
	found, err := l.matches(ctx, conn, subject, "(objectClass=*)")
	if err != nil {
		return 0, "", err
	}
	if !found {
		// A directory that hides the whole base (a wrong base_dn, a service
		// account that may no longer read it) would make everyone Gone:
		// that is an error of the configuration, not of each person.
		base, err := l.matches(ctx, conn, l.cfg.BaseDN, "(objectClass=*)")
		if err != nil {
			return 0, "", err
		}
		if !base {
			return 0, "", fmt.Errorf("ldap %s: base_dn %q is not in the directory or not readable by the service account", l.cfg.URL, l.cfg.BaseDN)
		}
		return Gone, "", nil
	}
	if l.cfg.DisabledFilter != "" {
		disabled, err := l.matches(ctx, conn, subject, l.cfg.DisabledFilter)
		if err != nil {
			return 0, "", err
		}
		if disabled {
			return Disabled, "", nil
		}
	}
	return Active, "", nil
}

// connect opens a connection that ctx ends, upgraded to TLS as configured.
func (l *LDAP) connect(ctx context.Context) (*ldap.Conn, error) {
	u, _ := url.Parse(l.cfg.URL) // checked by NewLDAP
	host := u.Host
	if u.Port() == "" {
		port := ldap.DefaultLdapPort
		if u.Scheme == "ldaps" {
			port = ldap.DefaultLdapsPort
		}
		host = net.JoinHostPort(u.Hostname(), port)
	}
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return nil, l.fail(ctx, "connect", err)
	}
	if u.Scheme == "ldaps" {
		tc := tls.Client(raw, l.tls)
		if err := tc.HandshakeContext(ctx); err != nil {
			raw.Close()
			return nil, l.fail(ctx, "tls handshake", err)
		}
		raw = tc
	}
	conn := ldap.NewConn(raw, u.Scheme == "ldaps")
	conn.Start()
	// ctx's end closes the connection (below); the library's own request
	// timeout is only a backstop, a little later, so errors name ctx.
	if deadline, ok := ctx.Deadline(); ok {
		conn.SetTimeout(time.Until(deadline) + time.Second)
	}
	// A cancelled ctx closes the connection, which ends the request that
	// waits on it.
	context.AfterFunc(ctx, func() { raw.Close() })
	if l.cfg.StartTLS {
		if err := conn.StartTLS(l.tls); err != nil {
			conn.Close()
			return nil, l.fail(ctx, "start tls", err)
		}
	}
	return conn, nil
}

// serviceBind binds as the service account, if there is one.
func (l *LDAP) serviceBind(ctx context.Context, conn *ldap.Conn) error {
	if l.cfg.BindDN == "" {
		return nil
	}
	if err := conn.Bind(l.cfg.BindDN, l.cfg.BindPassword); err != nil {
		return l.fail(ctx, "bind as the service account", err)
	}
	return nil
}

// matches tells whether the entry dn exists and matches filter.
func (l *LDAP) matches(ctx context.Context, conn *ldap.Conn, dn, filter string) (bool, error) {
	res, err := conn.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases,
		1, 0, false, filter, []string{"1.1"}, nil))
	if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
		return false, nil
	}
	if err != nil {
		return false, l.fail(ctx, "read the entry", err)
	}
	return len(res.Entries) > 0, nil
}

// searchGroups returns the cn of each group under GroupBaseDN that
// GroupFilter finds for the member dn.
func (l *LDAP) searchGroups(ctx context.Context, conn *ldap.Conn, dn string) ([]string, error) {
	filter := strings.ReplaceAll(l.cfg.GroupFilter, "%s", ldap.EscapeFilter(dn))
	res, err := conn.Search(ldap.NewSearchRequest(l.cfg.GroupBaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
		0, 0, false, filter, []string{"cn"}, nil))
	if err != nil {
		return nil, l.fail(ctx, "search the groups", err)
	}
	var names []string
	for _, e := range res.Entries {
		names = appendNew(names, e.GetEqualFoldAttributeValues("cn")...)
	}
	return names, nil
}

// fail wraps err, an error of the directory or the network, saying what was
// being done; when ctx ended first it says so.
func (l *LDAP) fail(ctx context.Context, doing string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("ldap %s: %s: %w (%v)", l.cfg.URL, doing, ctx.Err(), err)
	}
	return fmt.Errorf("ldap %s: %s: %w", l.cfg.URL, doing, err)
}

// lockedByPolicy tells whether a bind response's password policy control
// says the account is locked.
func lockedByPolicy(controls []ldap.Control) bool {
	for _, c := range controls {
		if p, ok := c.(*ldap.ControlBeheraPasswordPolicy); ok && p.Error == ldap.BeheraAccountLocked {
			return true
		}
	}
	return false
}

// acceptableCredential tells whether s may be sent to the directory: not
// empty, at most max bytes, valid UTF-8 without control characters.
func acceptableCredential(s string, max int) bool {
	if s == "" || len(s) > max || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// groupNames returns the cn of each group DN (FirstCN), in order and
// without repeats; a DN whose first RDN is not a cn is left out.
func groupNames(dns []string) []string {
	var names []string
	for _, dn := range dns {
		if name := FirstCN(dn); name != "" {
			names = appendNew(names, name)
		}
	}
	return names
}

// appendNew appends the values of more that are not yet in list.
func appendNew(list []string, more ...string) []string {
	for _, m := range more {
		seen := false
		for _, v := range list {
			if v == m {
				seen = true
				break
			}
		}
		if !seen {
			list = append(list, m)
		}
	}
	return list
}

// NormalizeDN returns dn in one spelling, so that the same entry always has
// the same Subject, or an error if dn is not a DN: attribute types in lower
// case, no spaces around "=",
// "," and "+", values unescaped and escaped again only where RFC 4514
// requires it (non-ASCII text such as 张三 stays as it is).
func NormalizeDN(dn string) (string, error) {
	d, err := ldap.ParseDN(dn)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for i, rdn := range d.RDNs {
		if i > 0 {
			b.WriteByte(',')
		}
		for j, a := range rdn.Attributes {
			if j > 0 {
				b.WriteByte('+')
			}
			if !validAttributeName(a.Type) || strings.Contains(a.Type, ";") {
				return "", fmt.Errorf("the attribute type %q in the DN is not a name or an OID", a.Type)
			}
			b.WriteString(strings.ToLower(a.Type))
			b.WriteByte('=')
			writeDNValue(&b, a.Value)
		}
	}
	return b.String(), nil
}

// writeDNValue writes v escaped as RFC 4514 section 2.4 asks; bytes that
// are not UTF-8 are written as \hh.
func writeDNValue(b *strings.Builder, v string) {
	for i, r := range v {
		switch {
		case r == '"' || r == '+' || r == ',' || r == ';' || r == '<' || r == '>' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case (i == 0 && (r == ' ' || r == '#')) || (i == len(v)-1 && r == ' '):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < ' ' || r == 0x7f || (r == utf8.RuneError && !strings.HasPrefix(v[i:], "\uFFFD")):
			fmt.Fprintf(b, "\\%02x", v[i])
		default:
			b.WriteRune(r)
		}
	}
}
