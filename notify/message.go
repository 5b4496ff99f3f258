package notify

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"duban"
)

// KindTest is the kind of the message Senders.Test sends.
const KindTest duban.NotificationKind = "test"

// Message is what a channel delivers: one notification in the words of its
// recipients, with the addresses a channel needs to reach or mention them.
type Message struct {
	// Key identifies the notification (Notification.Key); the JSON webhook
	// passes it on so a receiver can drop a message it has already seen.
	Key    string
	Kind   duban.NotificationKind
	OrgID  int64
	TaskID *int64
	// Title is one line: the e-mail subject, the robot card's title.
	Title string
	// Body is Chinese plain text, paragraphs separated by newlines. Robots
	// that speak markdown render it as markdown, so a few marks (**, #, >)
	// are allowed, but the text must read well without them.
	Body string
	// Link points to the page in duban. A relative link is made absolute
	// with Options.BaseURL; without one, robots and e-mail leave it out.
	Link string
	At   time.Time
	// Emails are the e-mail recipients. Mobiles are the mobile numbers the
	// robots mention (@) in the group; the e-mail channel ignores them.
	Emails  []string
	Mobiles []string
}

// NewMessage returns the message of a notification, without recipients: the
// caller adds the e-mail addresses and mobile numbers of the unit's users or
// of the leader.
func NewMessage(n *duban.Notification) Message {
	return Message{
		Key:    n.Key,
		Kind:   n.Kind,
		OrgID:  n.OrgID,
		TaskID: n.TaskID,
		Title:  n.Title,
		Body:   n.Body,
		Link:   n.Link,
		At:     n.At,
	}
}

// absoluteLink returns link made absolute against base, or "" when the result
// is not an http(s) URL with a host.
func absoluteLink(base, link string) string {
	link = strings.TrimSpace(link)
	if link == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	if !u.IsAbs() {
		if base == "" {
			return ""
		}
		b, err := url.Parse(base)
		if err != nil {
			return ""
		}
		u = b.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// truncate cuts s to at most limit bytes at a rune boundary, ending it with an
// ellipsis when it had to cut.
func truncate(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	const ellipsis = "…"
	if limit < len(ellipsis) {
		return ""
	}
	cut := limit - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ellipsis
}
