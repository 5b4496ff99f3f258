package sqlite

import (
	"testing"
	"time"
)

func TestReadyClosed(t *testing.T) {
	s := mustOpen(t)
	if err := s.Ready(t.Context()); err != nil {
		t.Fatalf("Ready() = %v, want nil", err)
	}
	s.Close()
	if err := s.Ready(t.Context()); err == nil {
		t.Error("Ready() of a closed store = nil, want an error")
	}
}

func TestWriteQueueStats(t *testing.T) {
	s := mustOpen(t)
	before := s.WriteQueueStats()
	// Failed sign-ins are written through the group-committing writer.
	now := time.Now()
	if _, err := s.RecordLoginFailure(t.Context(), "someone", now, now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	after := s.WriteQueueStats()
	if after.Writes <= before.Writes || after.Batches <= before.Batches {
		t.Errorf("WriteQueueStats() after a write = %+v, before %+v: want more writes and batches", after, before)
	}
	if got := s.DBStats(); got["write"].MaxOpenConnections != 1 || got["read"].MaxOpenConnections < 1 {
		t.Errorf("DBStats() = %+v, want a write pool of one and a read pool", got)
	}
}
