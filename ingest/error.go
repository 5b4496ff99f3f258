package ingest

import "fmt"

// Error is a problem with a document that stops it from being read. It names the
// file and, where it applies, the line (or .docx paragraph, or .xlsx row).
type Error struct {
	File string
	Line int
	Msg  string // in Chinese, shown as is
}

func (e *Error) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	case e.File != "":
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// Limits bound what a reader accepts, so that no input can take unbounded memory.
type Limits struct {
	// MaxFileBytes is the largest file accepted.
	MaxFileBytes int64
	// MaxUnpackedBytes bounds what is decompressed from one .docx or .xlsx part,
	// and from all parts together.
	MaxUnpackedBytes int64
	// MaxLineBytes is the longest text line accepted.
	MaxLineBytes int
	// MaxCells bounds the paragraphs and table cells a .docx or .xlsx reader
	// produces, a cell counted once per grid column it spans (a merge of
	// A1:XFD1 is 16,384): what a file may make the readers and Interpret
	// hold. Zero takes DefaultLimits.MaxCells.
	MaxCells int
	// MaxTextBytes bounds the text a reader keeps from one file, a shared
	// string of an .xlsx counted again in each cell that shows it: what a file
	// may make Interpret read. Zero takes DefaultLimits.MaxTextBytes.
	MaxTextBytes int
}

// DefaultLimits are generous for real government documents (a decomposition is
// about 50 KB of text and a thousand cells) and small enough for a server.
var DefaultLimits = Limits{
	MaxFileBytes:     64 << 20,
	MaxUnpackedBytes: 256 << 20,
	MaxLineBytes:     1 << 20,
	MaxCells:         400_000,
	MaxTextBytes:     32 << 20,
}

// maxText returns lim.MaxTextBytes, or DefaultLimits' when it is zero.
func (lim Limits) maxText() int {
	if lim.MaxTextBytes > 0 {
		return lim.MaxTextBytes
	}
	return DefaultLimits.MaxTextBytes
}

// tooMuchText is the message of a file over Limits.MaxTextBytes.
func tooMuchText(lim Limits) string {
	return fmt.Sprintf("文件中的文字过多（超过 %s），请分成几个文件导入", sizeText(int64(lim.maxText())))
}
