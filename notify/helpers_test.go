package notify_test

import (
	"time"

	"duban"
	"duban/notify"
)

// testNow is the clock of every test.
var testNow = time.Date(2024, 3, 25, 1, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

// reminder is a typical message: a 催办 to a unit's users.
func reminder() notify.Message {
	task := int64(12)
	return notify.Message{
		Key:     "remind:before_due:task=12:cycle=3:2024-03-25",
		Kind:    duban.NotifyBeforeDue,
		OrgID:   1,
		TaskID:  &task,
		Title:   "关于报送2024年3月工作进展的提醒",
		Body:    "请于3月28日前报送“推进老旧小区改造”的进展情况。\n逾期将按规定通报。",
		Link:    "/tasks/12",
		At:      testNow,
		Emails:  []string{"zhang@example.gov.cn", "li@example.gov.cn"},
		Mobiles: []string{"13800000001"},
	}
}
