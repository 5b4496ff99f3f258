package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"duban"
)

// codeBusy is the code of an upload refused because as many of its kind as
// allowed are being read (503, with Retry-After). It is the web layer's own.
const codeBusy duban.Code = "busy"

// The defaults of Config.UploadConcurrency and Config.UploadWait.
const (
	defaultUploadConcurrency = 2
	defaultUploadWait        = 5 * time.Second
)

// uploadKind names the uploads that share a gate.
type uploadKind int

const (
	uploadDocument uploadKind = iota // document import and its preview
	uploadLedger                     // edited ledgers read back
	uploadEvidence                   // evidence files
	numUploadKinds
)

// uploadGate lets a few uploads of one kind be read at a time: each reader
// works in bounded memory, and the gate bounds how many such amounts are held
// at once. A slot is a buffered channel's place.
type uploadGate struct {
	slots chan struct{}
	wait  time.Duration
}

func newUploadGate(n int, wait time.Duration) *uploadGate {
	return &uploadGate{slots: make(chan struct{}, n), wait: wait}
}

// enter takes a slot, waiting up to g.wait for one. The caller calls release
// when done with the upload. When no slot frees in time it returns a
// *duban.Error with codeBusy; when ctx ends, ctx's error.
func (g *uploadGate) enter(ctx context.Context) (release func(), err error) {
	select {
	case g.slots <- struct{}{}:
		return g.release, nil
	default:
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return g.release, nil
	case <-t.C:
		return nil, duban.Errorf(codeBusy, "服务器正在处理其他上传的文件，请稍后重试")
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (g *uploadGate) release() { <-g.slots }

// enterUpload takes a slot of the gate of kind for the request; see
// uploadGate.enter.
func (s *Server) enterUpload(r *http.Request, kind uploadKind) (release func(), err error) {
	return s.uploads[kind].enter(r.Context())
}

// retryAfter tells a client refused with codeBusy when to try again.
func (s *Server) retryAfter(w http.ResponseWriter, status int) {
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(s.cfg.UploadWait.Round(time.Second)/time.Second))))
	}
}
