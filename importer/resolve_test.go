package importer

import "testing"

func TestAbbreviation(t *testing.T) {
	tests := []struct {
		short, long string
		want        bool
	}{
		// The first character of each word.
		{"区政服办", "区政务服务办", true},
		{"区发改委", "区发展和改革委员会", true},
		{"区卫健委", "区卫生健康委员会", true},
		{"区市场监管局", "区市场监督管理局", true},
		{"区规资局", "区规划和自然资源局", true},
		// The same words.
		{"县发展改革局", "县发展和改革局", true},
		{"区发展和改革委", "区发展和改革委员会", true},
		{"县发展和改革局", "县发展改革局", false},
		// A generic word left out, or one word of many.
		{"时代天街管委会", "时代天街商圈管委会", true},
		{"数字经济产业园管委会", "数字经济产业园区管委会", true},
		{"区应急局", "区应急管理局", true},
		{"区住建委", "区住房城乡建设委员会", true},
		{"区人力社保局", "区人力资源和社会保障局", true},
		// A distinctive word left out: another unit.
		{"区委办", "区委编办", false},
		{"区文化委", "区文化旅游委", false},
		{"区经济委", "区经济信息委", false},
		{"区文化委员会", "区文化和旅游发展委员会", false},
		// Another level or another kind of body.
		{"区政服中心", "区政务服务办", false},
		{"市政服办", "区政务服务办", false},
		// Too short to tell.
		{"区教委", "区教育委员会", false},
		{"区政办", "区政务服务办", false},
		{"区政务服务办", "区政务服务办", false},
		// Not in order, or not the first word.
		{"区服政办", "区政务服务办", false},
		{"区服务办", "区政务服务办", false},
	}
	for _, tt := range tests {
		t.Run(tt.short+"_"+tt.long, func(t *testing.T) {
			why, got := abbreviation(tt.short, tt.long)
			if got != tt.want {
				t.Errorf("abbreviation(%q, %q) = %v (%s), want %v", tt.short, tt.long, got, why, tt.want)
			}
			if got && why == "" {
				t.Errorf("abbreviation(%q, %q) gives no reason", tt.short, tt.long)
			}
			if got {
				t.Log(why)
			}
		})
	}
}
