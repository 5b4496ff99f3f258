package ranking

import "duban/calendar"

// Result is the ranking of an organisation at the end of a day.
type Result struct {
	AsOf calendar.Date `json:"as_of"`
	// Max is the highest score the rules give: the weights plus the bonus
	// cap (105 with DefaultRules).
	Max float64 `json:"max"`
	// Rules are the rules in words, to show beside the ranking.
	Rules []Line `json:"rules"`
	// Units and Leaders are ranked, rank 1 first, then those not assessed
	// (未参评) by name.
	Units   []Entry `json:"units"`
	Leaders []Entry `json:"leaders"`
}

// Line is a sentence in Chinese (Text) and in English (TextEN).
type Line struct {
	Text   string `json:"text"`
	TextEN string `json:"text_en"`
}

// Entry is the score of a unit or of a leader's portfolio.
type Entry struct {
	// ID is the unit's or the person's, 0 for a name matched to neither.
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Rated is false for a unit or leader not assessed (未参评): then Rank,
	// the points and Parts are zero, and Reason says why.
	Rated  bool   `json:"rated"`
	Reason string `json:"reason"`
	// ReasonEN is Reason in English.
	ReasonEN string `json:"reason_en"`
	// Rank is the place, from 1; ties are broken as the package
	// documentation says, and TieBreak says how when the score equals the
	// one above.
	Rank     int     `json:"rank"`
	TieBreak *Line   `json:"tie_break"`
	Score    float64 `json:"score"`
	// Base is the sum of the four weighted parts, Deducted what the
	// deductions took off after their caps (0 or more), Bonus what was
	// added; Score is Base − Deducted + Bonus, raised to 0 if below.
	Base     float64 `json:"base"`
	Deducted float64 `json:"deducted"`
	Bonus    float64 `json:"bonus"`
	// Parts say how the score was made; their points add up to Score. The
	// four weighted parts are always there, deductions and bonus when they
	// apply.
	Parts []Part `json:"parts"`
	// TaskIDs are the tasks the unit leads or the leader has in charge,
	// counted or not yet.
	TaskIDs []int64 `json:"task_ids"`
}

// PartKind names a part of a score.
type PartKind string

// The parts of a score, in the order Entry.Parts lists them.
const (
	PartTimeliness    PartKind = "timeliness"     // 按时报送
	PartCompletion    PartKind = "completion"     // 任务完成
	PartQuality       PartKind = "quality"        // 报告质量
	PartNotice        PartKind = "notice"         // 督办响应
	PartReturned      PartKind = "returned"       // 退回报告扣分
	PartBeyondGrace   PartKind = "beyond_grace"   // 超期未报扣分
	PartNoticeOverdue PartKind = "notice_overdue" // 督办单逾期扣分
	PartPastDeadline  PartKind = "past_deadline"  // 逾期未完成扣分
	PartDeductionCap  PartKind = "deduction_cap"  // 扣分超过总上限的部分不扣
	PartEarlyClosure  PartKind = "early_closure"  // 提前销号加分
	PartFloor         PartKind = "floor"          // 总分不低于0分
)

// Part is one part of a score. Points is what it adds (negative for a
// deduction). Max is the full weight of a weighted part, the cap of a
// deduction or bonus (0: none). Count and Of count what the part judged:
//
//	timeliness      reports on time, of reports judged
//	completion      tasks closed, done or on schedule, of tasks counted
//	quality         ratings (Of 0)
//	notice          notices answered in time, of notices judged
//	deductions      items deducted for (Of 0)
//	early_closure   tasks closed early (Of 0)
type Part struct {
	Kind   PartKind `json:"kind"`
	Points float64  `json:"points"`
	Max    float64  `json:"max"`
	Count  int      `json:"count"`
	Of     int      `json:"of"`
	Text   string   `json:"text"`
	TextEN string   `json:"text_en"`
}

// Snapshot is the ranking at the end of a day, without the words: what a
// chart of the year needs.
type Snapshot struct {
	Day     calendar.Date `json:"day"`
	Units   []Standing    `json:"units"`
	Leaders []Standing    `json:"leaders"`
}

// Standing is an Entry's numbers on a day. Rank 0 is not assessed.
type Standing struct {
	ID         int64   `json:"id"`
	Name       string  `json:"name"`
	Rank       int     `json:"rank"`
	Score      float64 `json:"score"`
	Timeliness float64 `json:"timeliness"`
	Completion float64 `json:"completion"`
	Quality    float64 `json:"quality"`
	Notice     float64 `json:"notice"`
	Deducted   float64 `json:"deducted"`
	Bonus      float64 `json:"bonus"`
}
