// Package identity signs people in through the government's identity
// systems (统一身份认证): an OpenID Connect provider or an LDAP directory. It
// turns what the source says about a person (name, unit, groups) into a
// duban account by rules the administrator writes, and checks from time to
// time that the person may still sign in there.
//
// The package knows nothing of HTTP sessions or the database: the web server
// asks a source who a person is (Person), maps them with Map, and keeps the
// account in the store.
package identity

import (
	"context"
	"errors"
)

// The sources a person can come from; they are also User.Source.
const (
	SourceOIDC = "oidc"
	SourceLDAP = "ldap"
)

// Person is who a source says signed in.
type Person struct {
	// Source is SourceOIDC or SourceLDAP.
	Source string
	// Subject is the person's stable identifier at the source: the OIDC
	// "sub" claim, or the DN of the LDAP entry.
	Subject string
	// Username is the name they sign in with there (preferred_username, uid).
	Username    string
	DisplayName string
	Email       string
	Mobile      string
	// Unit is the value of the unit attribute or claim (ou, department):
	// a unit's name as the source writes it.
	Unit string
	// Groups are the names of the person's groups (LDAP: each group's cn;
	// OIDC: the groups claim).
	Groups []string
}

// Errors of a source. Anything else means the source could not be asked (it
// is down or misconfigured): the person is told to try again later.
var (
	// ErrRejected is a wrong user name or password, or a person the source
	// does not know.
	ErrRejected = errors.New("identity: rejected by the source")
	// ErrDisabled is a person the source knows but has disabled.
	ErrDisabled = errors.New("identity: disabled at the source")
)

// Status is what a periodic check learnt of a person.
type Status int

// The statuses of a check.
const (
	// Active: the person may still sign in.
	Active Status = iota
	// Disabled: the source has disabled the person.
	Disabled
	// Gone: the source no longer knows the person (or revoked duban's grant).
	Gone
)

func (s Status) String() string {
	switch s {
	case Active:
		return "active"
	case Disabled:
		return "disabled"
	case Gone:
		return "gone"
	}
	return "unknown"
}

// Checker asks a source, from time to time, whether people who signed in
// through it may still do so; the server disables those who may not, which
// ends their sessions and revokes their API tokens.
type Checker interface {
	// Source is SourceOIDC or SourceLDAP.
	Source() string
	// Check tells whether subject may still sign in. secret is what the
	// source gave at the last sign-in or check (an OIDC refresh token; ""
	// for LDAP); a non-empty newSecret replaces it. An error means the source
	// could not be asked: the person is left as they are.
	Check(ctx context.Context, subject, secret string) (st Status, newSecret string, err error)
}

// PasswordSource checks a user name and password at the source (LDAP).
type PasswordSource interface {
	// Authenticate returns the person who signed in, ErrRejected for a wrong
	// name or password, ErrDisabled for a disabled person, or another error
	// when the source could not be asked.
	Authenticate(ctx context.Context, username, password string) (Person, error)
}
