package identity

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestOIDCPersonClaims(t *testing.T) {
	var claims map[string]any
	err := json.Unmarshal([]byte(`{
		"sub": "8f1c",
		"name": " 赵敏 ",
		"https://sso.example.gov.cn/unit": ["区委办", "区政府办"],
		"org": {"unit": "区财政局", "roles": ["督查室", "", 7, "填报员"]},
		"employee_no": 1024,
		"mobile": "13900000000"
	}`), &claims)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		claims OIDCClaims
		want   Person
	}{
		{"defaults: username falls back to sub", OIDCClaims{Username: "preferred_username", Name: "name", Groups: "groups", Email: "email", Mobile: "phone_number"},
			Person{Source: SourceOIDC, Subject: "8f1c", Username: "8f1c", DisplayName: "赵敏"}},
		{"nested claims with dots", OIDCClaims{Username: "employee_no", Unit: "org.unit", Groups: "org.roles", Mobile: "mobile"},
			Person{Source: SourceOIDC, Subject: "8f1c", Username: "1024", Unit: "区财政局", Groups: []string{"督查室", "填报员"}, Mobile: "13900000000"}},
		{"a claim named with dots; an array's first value", OIDCClaims{Username: "sub", Unit: "https://sso.example.gov.cn/unit", Groups: "name"},
			Person{Source: SourceOIDC, Subject: "8f1c", Username: "8f1c", Unit: "区委办", Groups: []string{"赵敏"}}},
		{"- reads nothing", OIDCClaims{Username: "-", Name: "-", Unit: "org.missing", Groups: "org.unit.deeper"},
			Person{Source: SourceOIDC, Subject: "8f1c", Username: "8f1c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := &OIDC{cfg: OIDCConfig{Claims: tt.claims}}
			if diff := cmp.Diff(tt.want, o.person("8f1c", claims)); diff != "" {
				t.Errorf("person mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
