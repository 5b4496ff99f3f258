package duban

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Role is what a user may do.
type Role string

// The roles of duban (DOMAIN.md, "Who uses it").
const (
	RoleAdmin      Role = "admin"      // 区政府办公室: imports documents, manages units, people, users
	RoleSupervisor Role = "supervisor" // 督查室: reviews, reminds, closes, scores
	RoleLeader     Role = "leader"     // 区领导: reads their portfolio and the whole picture
	RoleReporter   Role = "reporter"   // a unit's clerk: reports on the unit's own tasks only
	RoleViewer     Role = "viewer"     // read-only, e.g. the congress office
)

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleSupervisor, RoleLeader, RoleReporter, RoleViewer:
		return true
	}
	return false
}

// User is an account. A reporter is bound to one unit; a leader may be bound to
// the person they are.
type User struct {
	ID           int64  `json:"id"`
	OrgID        int64  `json:"org_id"`
	Username     string `json:"username"`
	DisplayName  string `json:"display_name"`
	PasswordHash string `json:"-"`
	Role         Role   `json:"role"`
	UnitID       *int64 `json:"unit_id"`
	PersonID     *int64 `json:"person_id"`
	Disabled     bool   `json:"disabled"`
	// Email and Mobile reach the user outside duban: e-mail channels send a
	// unit's notifications to its users' addresses, robots @-mention mobiles.
	Email  string `json:"email"`
	Mobile string `json:"mobile"`
	// Source is where the user signs in: "" for duban's own password, or the
	// identity system ("oidc", "ldap") whose Subject they are. Such a user
	// has no password in duban.
	Source    string    `json:"source"`
	Subject   string    `json:"subject,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Actor is who performs an operation. Stores take it to enforce scope in the
// query itself and to write the audit log.
type Actor struct {
	UserID   int64
	Username string
	Role     Role
	OrgID    int64
	UnitID   *int64 // for reporters: the only unit whose tasks they see
	PersonID *int64
}

// System is the actor of jobs and of the demo set-up.
func System(orgID int64) Actor {
	return Actor{Username: "system", Role: RoleAdmin, OrgID: orgID}
}

// Session is a signed-in browser session. Only the SHA-256 of the cookie's token
// is stored.
type Session struct {
	TokenHash  string    `json:"-"`
	UserID     int64     `json:"user_id"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	// Method is how the user signed in ("password", "oidc", "ldap"); it is
	// written to the audit log, not kept with the session.
	Method string `json:"method,omitempty"`
}

// APIToken lets a script call the API as a user. Only its SHA-256 is stored.
// A token signs nobody in once it has expired or been revoked; revoked tokens
// stay in the store but are never returned.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	TokenHash  string     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	// ExpiresAt is when the token stops working; nil means never.
	ExpiresAt *time.Time `json:"expires_at"`
}

// Expired reports whether the token has expired at now.
func (t *APIToken) Expired(now time.Time) bool {
	return t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)
}

// HashToken is what a store keeps of a session or API token: its SHA-256 in
// hex, so that a copy of the database signs nobody in.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ExternalAccount is what the periodic check of an identity system needs of
// a user who signs in through it.
type ExternalAccount struct {
	UserID   int64
	OrgID    int64
	Username string
	Subject  string
	// Secret is what the source gave at the last sign-in or check (an OIDC
	// refresh token, sealed by the web server); "" when none.
	Secret   string
	Disabled bool
}

// The states of an IdentityRequest.
const (
	RequestPending  = "pending"
	RequestApproved = "approved"
	RequestRejected = "rejected"
)

// IdentityRequest is a person who signed in through an identity system but
// whom no mapping rule gives an account: they wait for an administrator,
// who approves them with a role and unit, or rejects them. Nothing is granted
// until then.
type IdentityRequest struct {
	ID          int64      `json:"id"`
	OrgID       int64      `json:"org_id"`
	Source      string     `json:"source"`
	Subject     string     `json:"subject"`
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	Email       string     `json:"email"`
	Mobile      string     `json:"mobile"`
	Unit        string     `json:"unit"`
	Groups      []string   `json:"groups"`
	Status      string     `json:"status"`
	Attempts    int        `json:"attempts"`
	FirstAt     time.Time  `json:"first_at"`
	LastAt      time.Time  `json:"last_at"`
	DecidedBy   string     `json:"decided_by,omitempty"`
	DecidedAt   *time.Time `json:"decided_at,omitempty"`
	UserID      *int64     `json:"user_id,omitempty"`
}

// IdentityDecision is an administrator's answer to an IdentityRequest. An
// approval creates the account in OrgID (0: the request's organisation) with
// the role, unit and person given, under Username ("" for the name the
// source gave).
type IdentityDecision struct {
	Approve  bool   `json:"approve"`
	OrgID    int64  `json:"org_id"`
	Role     Role   `json:"role"`
	UnitID   *int64 `json:"unit_id"`
	PersonID *int64 `json:"person_id"`
	Username string `json:"username"`
}

// SignInEvent is a sign-in that failed, or a sign-in through an identity
// system, for the audit log.
type SignInEvent struct {
	// UserID is the account concerned, 0 when the name is unknown.
	UserID int64 `json:"user_id,omitempty"`
	// OrgID is whose audit log gets the event when UserID is 0; 0 means
	// the top organisation's.
	OrgID    int64  `json:"-"`
	Username string `json:"username"`
	// Method is "password", "oidc" or "ldap".
	Method string `json:"method"`
	// Outcome is "failed", "refused" (a disabled account) or "pending".
	Outcome string `json:"outcome"`
	Reason  string `json:"reason,omitempty"`
	Address string `json:"address,omitempty"`
}
