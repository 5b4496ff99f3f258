package ingest

import (
	"regexp"
	"testing"
)

// docNumberPattern is the 发文字号 as a regular expression, the reference that
// findDocNumber must agree with.
var docNumberPattern = regexp.MustCompile(`[\p{Han}A-Za-z]{1,12}[〔\[［（(]((?:19|20)\d{2})[〕\]］）)]\d{1,4}号`)

func TestFindDocNumber(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"渝中府办〔2024〕2号", "渝中府办〔2024〕2号"},
		{"关于印发渝中府办〔2024〕2号文件的通知", "关于印发渝中府办〔2024〕2号"},
		{"云府办发[2025]5号", "云府办发[2025]5号"},
		{"某某某某某某某某某某某某某某府办（2023）12号", "某某某某某某某某某某府办（2023）12号"},
		{"渝府发［2021］1234号", "渝府发［2021］1234号"},
		{"渝府发〔2021〕12345号", ""},
		{"〔2021〕1号", ""},
		{"渝府发〔1899〕1号", ""},
		{"渝府发〔2021〕号", ""},
		{"号召1号线2号楼", ""},
		{"见第1号，渝府发〔2021〕3号和渝府发〔2021〕4号", "渝府发〔2021〕3号"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := findDocNumber(tt.in); got != tt.want {
				t.Errorf("findDocNumber(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if ref := docNumberPattern.FindString(tt.in); ref != tt.want {
				t.Errorf("reference pattern gives %q, want %q", ref, tt.want)
			}
		})
	}
}

// FuzzFindDocNumber checks findDocNumber against the regular expression it
// replaces.
func FuzzFindDocNumber(f *testing.F) {
	f.Add("渝中府办〔2024〕2号")
	f.Add("重庆市渝中区人民政府办公室关于印发渝中府办〔2024〕2号")
	f.Add("ab(1999)0号")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := findDocNumber(s), docNumberPattern.FindString(s); got != want {
			t.Errorf("findDocNumber(%q) = %q, want %q as the pattern", s, got, want)
		}
	})
}
