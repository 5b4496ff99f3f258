package main

import (
	"fmt"
	"log/slog"
	"strings"
	"time"

	"duban/identity"
	"duban/web"
)

// IdentitySettings is sign-in through the government's identity systems
// (docs/OPERATIONS.md, 统一身份认证): an OpenID Connect provider, an LDAP
// directory, the rules that give
// their people accounts, and how often duban asks whether they may still
// sign in.
type IdentitySettings struct {
	// LocalLogin keeps duban's own passwords working beside the identity
	// systems; nil means true. DUBAN_LOCAL_LOGIN=0 switches them off.
	LocalLogin *bool `json:"local_login,omitempty"`
	// OIDC is the OpenID Connect provider of the sign-in page's 统一身份认证
	// button; nil for none. DUBAN_OIDC_CLIENT_SECRET overrides its
	// client_secret.
	OIDC *identity.OIDCConfig `json:"oidc,omitempty"`
	// OIDCLabel is the button's text; "" means 统一身份认证登录.
	OIDCLabel string `json:"oidc_label,omitempty"`
	// LDAP is the directory the sign-in form checks names against; nil for
	// none. DUBAN_LDAP_BIND_PASSWORD overrides its bind_password.
	LDAP *identity.LDAPConfig `json:"ldap,omitempty"`
	// Rules give accounts; a person none matches waits for approval.
	Rules []identity.Rule `json:"rules,omitempty"`
	// ApprovalOrg names the organisation whose admins approve the people no
	// rule matches; "" for the top one.
	ApprovalOrg string `json:"approval_org,omitempty"`
	// CheckEvery is how often the identity systems are asked whether their
	// people may still sign in (a Go duration); "" means 10m.
	CheckEvery string `json:"check_every,omitempty"`
	// SecretKey seals what a source gives for those checks (OIDC refresh
	// tokens) in the database: at least 16 bytes, the same on every server.
	// DUBAN_IDENTITY_SECRET_KEY overrides it. Without it, the OIDC client
	// secret (when it is 16 bytes or more) seals them; with neither, no
	// refresh token is kept and people disabled at the provider keep their
	// accounts until an administrator disables them.
	SecretKey string `json:"secret_key,omitempty"`
}

// defaultCheckEvery is how often people of the identity systems are checked
// when the configuration does not say.
const defaultCheckEvery = 10 * time.Minute

// loadEnv applies the DUBAN_* variables of the identity settings.
func (s *IdentitySettings) loadEnv(getenv func(string) string) error {
	switch v := getenv("DUBAN_LOCAL_LOGIN"); v {
	case "":
	case "0", "false", "off":
		s.LocalLogin = new(false)
	case "1", "true", "on":
		s.LocalLogin = new(true)
	default:
		return fmt.Errorf("DUBAN_LOCAL_LOGIN %q: want 1 or 0", v)
	}
	if v := getenv("DUBAN_LDAP_BIND_PASSWORD"); v != "" && s.LDAP != nil {
		s.LDAP.BindPassword = v
	}
	if v := getenv("DUBAN_OIDC_CLIENT_SECRET"); v != "" && s.OIDC != nil {
		s.OIDC.ClientSecret = v
	}
	if v := getenv("DUBAN_IDENTITY_SECRET_KEY"); v != "" {
		s.SecretKey = v
	}
	return nil
}

func (s IdentitySettings) validate() error {
	if err := identity.Check(s.Rules); err != nil {
		return err
	}
	if _, err := s.checkEvery(); err != nil {
		return err
	}
	if s.SecretKey != "" && len(s.SecretKey) < 16 {
		return fmt.Errorf("identity secret_key: want at least 16 bytes")
	}
	if s.LDAP != nil {
		if _, err := identity.NewLDAP(*s.LDAP); err != nil {
			return err
		}
	}
	if s.OIDC != nil {
		if _, err := identity.NewOIDC(*s.OIDC); err != nil {
			return fmt.Errorf("identity %w", err)
		}
	}
	if s.LocalLogin != nil && !*s.LocalLogin && s.LDAP == nil && s.OIDC == nil {
		return fmt.Errorf("identity: local_login is off and no identity system is configured: nobody could sign in")
	}
	return nil
}

func (s IdentitySettings) checkEvery() (time.Duration, error) {
	if s.CheckEvery == "" {
		return defaultCheckEvery, nil
	}
	d, err := time.ParseDuration(s.CheckEvery)
	if err != nil || d < time.Minute {
		return 0, fmt.Errorf("identity check_every %q: want a duration of a minute or more, e.g. 10m", s.CheckEvery)
	}
	return d, nil
}

// masked is s with its secrets hidden, for printing.
func (s IdentitySettings) masked() IdentitySettings {
	if s.LDAP != nil {
		l := *s.LDAP
		if l.BindPassword != "" {
			l.BindPassword = "xxxxx"
		}
		s.LDAP = &l
	}
	if s.OIDC != nil {
		o := *s.OIDC
		if o.ClientSecret != "" {
			o.ClientSecret = "xxxxx"
		}
		s.OIDC = &o
	}
	if s.SecretKey != "" {
		s.SecretKey = "xxxxx"
	}
	return s
}

// identitySetup is what the server and the jobs are given of the identity
// settings.
type identitySetup struct {
	web      web.IdentityConfig
	checkers []identity.Checker
	sealer   *identity.Sealer
	every    time.Duration
}

// buildIdentity makes the sources the settings name.
func buildIdentity(s IdentitySettings, logger *slog.Logger) (*identitySetup, error) {
	every, err := s.checkEvery()
	if err != nil {
		return nil, err
	}
	out := &identitySetup{every: every, web: web.IdentityConfig{
		NoLocalLogin: s.LocalLogin != nil && !*s.LocalLogin,
		Rules:        s.Rules,
		ApprovalOrg:  strings.TrimSpace(s.ApprovalOrg),
	}}
	key := s.SecretKey
	if key == "" && s.OIDC != nil && len(s.OIDC.ClientSecret) >= 16 {
		key = s.OIDC.ClientSecret
	}
	if key != "" {
		if out.sealer, err = identity.NewSealer(key); err != nil {
			return nil, err
		}
	}
	if s.OIDC != nil {
		o, err := identity.NewOIDC(*s.OIDC)
		if err != nil {
			return nil, err
		}
		if out.sealer == nil {
			logger.Warn("no identity secret_key: OIDC refresh tokens are not kept, so people disabled at the provider are not signed out by the identity check",
				"issuer", s.OIDC.Issuer)
		}
		out.web.OIDC = o
		out.web.OIDCLabel = strings.TrimSpace(s.OIDCLabel)
		out.checkers = append(out.checkers, o)
	}
	if s.LDAP != nil {
		l, err := identity.NewLDAP(*s.LDAP)
		if err != nil {
			return nil, err
		}
		if l.InsecureSkipVerify() {
			logger.Warn("LDAP certificate verification is OFF (insecure_skip_verify): anyone on the network path can read passwords; use ca_file instead",
				"url", s.LDAP.URL)
		}
		out.web.LDAP = l
		out.checkers = append(out.checkers, l)
	}
	out.web.Sealer = out.sealer
	return out, nil
}
