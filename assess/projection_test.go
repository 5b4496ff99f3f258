package assess_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"duban"
	"duban/assess"
	"duban/ingest"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestProject(t *testing.T) {
	zh := assess.ProjectOptions{Settings: assess.DefaultSettings()}
	lastYear := []assess.Point{
		{Date: day(2023, time.March, 31), Value: 8},
		{Date: day(2023, time.June, 30), Value: 18},
		{Date: day(2023, time.September, 30), Value: 28},
		{Date: day(2023, time.December, 31), Value: 40},
	}
	seasonal := zh
	seasonal.LastYear = lastYear
	growth := seasonal
	growth.Growth = true
	rates := zh
	rates.Rates = true
	en := zh
	en.Settings.Lang = assess.LangEN
	asOf := zh
	asOf.AsOf = day(2024, time.July, 15)

	half := []assess.Point{{Date: day(2024, time.March, 31), Value: 9}, {Date: day(2024, time.June, 30), Value: 20}}
	tests := []struct {
		name   string
		target string
		pol    assess.Polarity
		points []assess.Point
		opt    assess.ProjectOptions
		want   assess.Projection
	}{
		{"linear, short", "新增50个", assess.HigherIsBetter, half, zh, assess.Projection{
			Value: 40.22, Elapsed: 0.497, Status: assess.StatusMissed, LikelyMiss: true,
			Method: "按序时进度线性推算：截至6月30日累计20，已过全年时间的49.73%，预计全年40.22",
			Reason: "预计全年40.22，低于目标新增50个",
		}},
		{"linear, on track", "≥40", assess.HigherIsBetter, half, zh, assess.Projection{
			Value: 40.22, Elapsed: 0.497, Status: assess.StatusMet,
			Method: "按序时进度线性推算：截至6月30日累计20，已过全年时间的49.73%，预计全年40.22",
			Reason: "预计全年40.22，达到目标≥40",
		}},
		{"seasonal", "≥45", assess.HigherIsBetter, half, seasonal, assess.Projection{
			Value: 44.44, Elapsed: 0.497, Status: assess.StatusMissed, LikelyMiss: true,
			Method: "按上年同期进度推算：上年同期完成全年的45%，截至6月30日累计20，预计全年44.44",
			Reason: "预计全年44.44，低于目标≥45",
		}},
		{"seasonal growth", "增长10%以上", assess.HigherIsBetter, half, growth, assess.Projection{
			Value: 11.11, Elapsed: 0.497, Status: assess.StatusMet,
			Method: "按上年同期进度推算：上年同期完成全年的45%，截至6月30日累计20，预计全年44.44，比上年全年40增长11.11%",
			Reason: "预计全年11.11，达到目标增长10%以上",
		}},
		{"seasonal interpolated", "≥45", assess.HigherIsBetter, []assess.Point{{Date: day(2024, time.May, 31), Value: 15}}, seasonal, assess.Projection{
			Value: 40.81, Elapsed: 0.415, Status: assess.StatusMissed, LikelyMiss: true,
			Method: "按上年同期进度推算：上年同期完成全年的36.76%，截至5月31日累计15，预计全年40.81",
			Reason: "预计全年40.81，低于目标≥45",
		}},
		{"rates", "6左右", assess.HigherIsBetter, []assess.Point{{Date: day(2024, time.March, 31), Value: 5.2}, {Date: day(2024, time.June, 30), Value: 5.8}}, rates, assess.Projection{
			Value: 5.8, Elapsed: 0.497, Status: assess.StatusMet,
			Method: "按最新累计增速推算：截至6月30日累计增长5.8%，按此推至年底",
			Reason: "预计全年5.8，略低于6，仍在目标6左右的范围内（±5%）",
		}},
		{"lower is better", "5.5%以内", assess.LowerIsBetter, []assess.Point{{Date: day(2024, time.June, 30), Value: 5.9}}, rates, assess.Projection{
			Value: 5.9, Elapsed: 0.497, Status: assess.StatusMissed, LikelyMiss: true,
			Method: "按最新累计增速推算：截至6月30日累计增长5.9%，按此推至年底",
			Reason: "预计全年5.9，高于目标5.5%以内",
		}},
		{"early in the year", "≥40", assess.HigherIsBetter, []assess.Point{{Date: day(2024, time.January, 31), Value: 2}}, zh, assess.Projection{
			Value: 23.61, Elapsed: 0.0847, Status: assess.StatusMissed, LikelyMiss: true,
			Method: "按序时进度线性推算：截至1月31日累计2，已过全年时间的8.47%，预计全年23.61（数据不足一个季度，仅供参考）",
			Reason: "预计全年23.61，低于目标≥40",
		}},
		{"the clock hides later points", "≥40", assess.HigherIsBetter, append(half, assess.Point{Date: day(2024, time.September, 30), Value: 35}), asOf, assess.Projection{
			Value: 40.22, Elapsed: 0.497, Status: assess.StatusMet,
			Method: "按序时进度线性推算：截至6月30日累计20，已过全年时间的49.73%，预计全年40.22",
			Reason: "预计全年40.22，达到目标≥40",
		}},
		{"year end", "≥40", assess.HigherIsBetter, []assess.Point{{Date: day(2024, time.December, 31), Value: 41}}, zh, assess.Projection{
			Value: 41, Elapsed: 1, Status: assess.StatusMet,
			Method: "按序时进度线性推算：截至12月31日累计41，已过全年时间的100%，预计全年41",
			Reason: "预计全年41，达到目标≥40",
		}},
		{"not a figure", "高于全市平均水平", assess.HigherIsBetter, half, zh, assess.Projection{
			Value: 40.22, Elapsed: 0.497, Status: assess.StatusNotApplicable,
			Method: "按序时进度线性推算：截至6月30日累计20，已过全年时间的49.73%，预计全年40.22",
			Reason: "目标为文字表述（高于全市平均水平），无法与数值比较",
		}},
		{"english", "≥45", assess.HigherIsBetter, half, en, assess.Projection{
			Value: 40.22, Elapsed: 0.497, Status: assess.StatusMissed, LikelyMiss: true,
			Method: "linear on time-proportional progress (序时进度): 20 by 30 June, 49.73% of the year, gives 40.22 for the year",
			Reason: "the projected year-end value 40.22 is below the target of at least 45",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := assess.Project(ingest.ParseExpr(tt.target), tt.pol, tt.points, 2024, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Project mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProjectRefuses(t *testing.T) {
	target := ingest.ParseExpr("≥40")
	good := []assess.Point{{Date: day(2024, time.June, 30), Value: 20}}
	nan := 0.0
	nan /= nan
	tests := []struct {
		name   string
		points []assess.Point
		opt    assess.ProjectOptions
		want   string
	}{
		{"no points", nil, assess.ProjectOptions{}, "没有2024年的累计数据，无法推算"},
		{"all after the clock", good, assess.ProjectOptions{AsOf: day(2024, time.June, 1)}, "没有2024年的累计数据，无法推算"},
		{"other year", []assess.Point{{Date: day(2023, time.June, 30), Value: 20}}, assess.ProjectOptions{}, "本年数据的日期2023-06-30不在2024年内"},
		{"out of order", []assess.Point{good[0], {Date: day(2024, time.March, 31), Value: 9}}, assess.ProjectOptions{}, "本年数据须按日期先后排列，2024-03-31重复或顺序颠倒"},
		{"not a number", []assess.Point{{Date: day(2024, time.June, 30), Value: nan}}, assess.ProjectOptions{}, "本年数据（2024-06-30）不是有效数值"},
		{"last year without its total", good, assess.ProjectOptions{LastYear: []assess.Point{{Date: day(2023, time.June, 30), Value: 18}}}, "上年数据须以全年数（2023年12月31日）结束"},
		{"growth without last year", good, assess.ProjectOptions{Growth: true}, "增长目标须给出上年全年数（大于0）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := assess.Project(target, assess.HigherIsBetter, tt.points, 2024, tt.opt)
			if duban.ErrorCode(err) != duban.CodeInvalid || duban.ErrorMessage(err) != tt.want {
				t.Errorf("Project: err %v, want invalid %q", err, tt.want)
			}
		})
	}
}
