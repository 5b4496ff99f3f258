package importer

import (
	"testing"

	"duban/ingest"
)

func TestIssuerMismatch(t *testing.T) {
	tests := []struct {
		name, issuer, title, org string
		want                     string // the issuer's place when it is not the organisation's
	}{
		{"the district's own office", "重庆市渝中区人民政府办公室", "", "渝中区", ""},
		{"another county", "云溪县人民政府办公室", "", "渝中区", "云溪县"},
		{"no place named", "区人民政府办公室", "", "渝中区", ""},
		{"the city above", "重庆市人民政府办公厅", "", "渝中区", "重庆市"},
		{"a district below", "重庆市渝中区人民政府办公室", "", "重庆市", "渝中区"},
		{"the organisation named in full", "渝中区人民政府", "", "重庆市渝中区", ""},
		{"a district of a city", "鞍山市立山区人民政府", "", "立山区", ""},
		{"a county-level city", "海城市人民政府", "", "海城市", ""},
		{"an autonomous region", "宁夏回族自治区人民政府", "", "银川市", "宁夏回族自治区"},
		{"no issuer: the title", "", "2021年重庆市渝中区人民政府工作报告", "渝中区", ""},
		{"no issuer: another place's title", "", "2025年云溪县人民政府工作报告", "渝中区", "云溪县"},
		{"a title without a place", "", "关于印发2024年区政府工作报告重点工作目标任务分解的通知", "渝中区", ""},
		{"an organisation named without its suffix", "重庆市渝中区人民政府办公室", "", "渝中", ""},
		{"an organisation without a place", "重庆市渝中区人民政府办公室", "", "演示单位", "渝中区"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := &ingest.Extraction{Title: tt.title}
			if tt.issuer != "" {
				x.Issuer = &tt.issuer
			}
			got := ""
			if m := issuerMismatch(x, tt.org); m != nil {
				got = m.Document
				if m.Kind != MismatchIssuer || m.Ledger != tt.org || m.Message == "" {
					t.Errorf("mismatch %+v", m)
				}
			}
			if got != tt.want {
				t.Errorf("issuerMismatch(%q, %q) names %q, want %q", tt.issuer+tt.title, tt.org, got, tt.want)
			}
		})
	}
}

func TestYearMismatch(t *testing.T) {
	tests := []struct {
		name         string
		year         int
		years        []int
		createsTasks bool
		want         int // the default year after the import; 0 for no mismatch
	}{
		{"the current year", 2024, nil, true, 0},
		{"a year of the ledger", 2023, []int{2023, 2024}, true, 0},
		{"next year beside this year's ledger", 2025, []int{2024}, true, 2024},
		{"an old year beside this year's ledger", 2019, []int{2024}, true, 2024},
		{"next year into an empty ledger", 2025, nil, true, 2025},
		{"an old plan report into an empty ledger", 2022, nil, false, 2024},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := yearMismatch(tt.year, 2024, tt.years, tt.createsTasks)
			switch {
			case tt.want == 0 && m != nil:
				t.Errorf("a mismatch: %+v", m)
			case tt.want != 0 && m == nil:
				t.Errorf("no mismatch")
			case tt.want != 0 && (*m.DefaultYear != tt.want || m.Message == ""):
				t.Errorf("default year %d, want %d (%s)", *m.DefaultYear, tt.want, m.Message)
			}
			if m != nil {
				t.Log(m.Message)
			}
		})
	}
}
