package identity

import "testing"

func TestSealer(t *testing.T) {
	a, err := NewSealer("a secret of sixteen+ bytes")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewSealer("another secret, also long")
	sealed := a.Seal("refresh-token-1")
	if sealed == "" || sealed == "refresh-token-1" {
		t.Fatalf("Seal = %q", sealed)
	}
	if a.Seal("refresh-token-1") == sealed {
		t.Error("two seals of one value are equal: the nonce is not random")
	}
	if got, err := a.Open(sealed); err != nil || got != "refresh-token-1" {
		t.Errorf("Open = %q, %v", got, err)
	}
	if _, err := b.Open(sealed); err == nil {
		t.Error("another key opened the value")
	}
	if _, err := a.Open(sealed[:len(sealed)-2] + "xx"); err == nil {
		t.Error("a changed value opened")
	}
	if _, err := a.Open("!"); err == nil {
		t.Error("a malformed value opened")
	}
	if got, err := a.Open(""); got != "" || err != nil || a.Seal("") != "" {
		t.Error(`"" does not stay ""`)
	}
	if _, err := NewSealer("short"); err == nil {
		t.Error("a short secret was accepted")
	}
}
