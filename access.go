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
	Email     string    `json:"email"`
	Mobile    string    `json:"mobile"`
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
