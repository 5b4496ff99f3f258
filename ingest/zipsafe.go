package ingest

// This file is the OOXML package layer shared by ReadDOCX and ReadXLSX: the zip
// container opened and read under Limits, package relationships, and a small
// XML scanner for the parts.

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"
)

// maxZipEntries bounds the entries of a .docx or .xlsx. Real files hold tens of
// parts (a few hundred with many images or sheets).
const maxZipEntries = 10000

// maxDocCells bounds the strings, styles and merged ranges a reader keeps, so
// that a part of tiny elements cannot turn into a huge Doc; Limits.MaxCells
// bounds the cells it produces.
const maxDocCells = 1_000_000

// maxElements bounds the paragraphs of a .docx and the cells of an .xlsx
// read, empty ones included, which cost time though they are not kept.
func maxElements(lim Limits) int { return 8 * lim.MaxCells }

// maxGridColumns bounds the grid columns one cell of a .docx table may span:
// Word makes tables of at most 63 columns.
const maxGridColumns = 1000

// ooxmlPackage is an opened .docx or .xlsx: a zip whose parts are read under
// Limits.
type ooxmlPackage struct {
	name     string // the file name, for errors
	kind     string // ".docx" or ".xlsx", for messages
	lim      Limits
	parts    map[string]*zip.File // by lower-case part name
	unpacked int64                // bytes decompressed so far, all parts
}

// ooxmlLimits fills the zero fields of lim from DefaultLimits.
func ooxmlLimits(lim Limits) Limits {
	if lim.MaxFileBytes <= 0 {
		lim.MaxFileBytes = DefaultLimits.MaxFileBytes
	}
	if lim.MaxUnpackedBytes <= 0 {
		lim.MaxUnpackedBytes = DefaultLimits.MaxUnpackedBytes
	}
	if lim.MaxLineBytes <= 0 {
		lim.MaxLineBytes = DefaultLimits.MaxLineBytes
	}
	if lim.MaxCells <= 0 {
		lim.MaxCells = DefaultLimits.MaxCells
	}
	lim.MaxTextBytes = lim.maxText()
	return lim
}

var (
	zipMagic = []byte("PK\x03\x04")
	// cfbMagic starts an OLE compound file: a legacy .doc/.xls, or an OOXML file
	// encrypted with a password, which Office stores inside such a container.
	cfbMagic = []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
	// encryptedPackage is the UTF-16LE name of the stream that holds an
	// encrypted OOXML package.
	encryptedPackage = []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")
	centralHeader    = []byte("PK\x01\x02")
)

// openPackage opens data as an OOXML zip. kind is ".docx" or ".xlsx". It rejects
// what is not a zip (saying so when it is a legacy or encrypted Office file),
// a truncated zip, encrypted entries and too many entries. Errors are *Error.
func openPackage(name string, data []byte, lim Limits, kind string) (*ooxmlPackage, error) {
	lim = ooxmlLimits(lim)
	p := &ooxmlPackage{name: name, kind: kind, lim: lim}
	switch {
	case len(data) == 0:
		return nil, p.fail(0, "文件为空")
	case int64(len(data)) > lim.MaxFileBytes:
		return nil, p.fail(0, "文件过大（%s），上限为 %s", sizeText(int64(len(data))), sizeText(lim.MaxFileBytes))
	case bytes.HasPrefix(data, cfbMagic):
		if bytes.Contains(data, encryptedPackage) {
			return nil, p.fail(0, "文件设有打开密码（已加密），请在 Office 或 WPS 中取消密码后重新导入")
		}
		return nil, p.fail(0, "这是旧版 Word/Excel 文件（.doc/.xls），请另存为 %s 后重新导入", kind)
	}
	// archive/zip reads every central directory header it finds, whatever the
	// end record says, so count the headers before letting it allocate them.
	if n := bytes.Count(data, centralHeader); n > maxZipEntries {
		return nil, p.fail(0, "不是有效的 %s 文件（zip 中的条目过多：%d 个，上限为 %d 个）", kind, n, maxZipEntries)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		// Names are only looked up, never written to disk, so odd paths are harmless.
		if bytes.HasPrefix(data, zipMagic) {
			return nil, p.fail(0, "不是有效的 %s 文件（zip 结构损坏，文件可能不完整）", kind)
		}
		return nil, p.fail(0, "不是有效的 %s 文件（zip 结构损坏）", kind)
	}
	if len(zr.File) > maxZipEntries {
		return nil, p.fail(0, "不是有效的 %s 文件（zip 中的条目过多：%d 个，上限为 %d 个）", kind, len(zr.File), maxZipEntries)
	}
	p.parts = make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		if f.Flags&0x1 != 0 {
			return nil, p.fail(0, "文件内容已加密，请在 Office 或 WPS 中取消密码后重新导入")
		}
		// Part names are case-insensitive (ECMA-376 Part 2, 6.2.2.3).
		key := strings.ToLower(f.Name)
		if _, dup := p.parts[key]; dup {
			return nil, p.fail(0, "不是有效的 %s 文件（zip 中有重复的部件 %s）", kind, f.Name)
		}
		p.parts[key] = f
	}
	return p, nil
}

// fail returns an *Error for the package's file.
func (p *ooxmlPackage) fail(line int, format string, args ...any) *Error {
	return &Error{File: p.name, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// Parts are read whole when they declare at most wholePartBytes (archive/zip
// never returns more than the declared size); larger ones stream through a
// window of xmlWindowBytes, so that no part ever sits whole in memory.
const (
	wholePartBytes = 4 << 20
	xmlWindowBytes = 512 << 10
)

// scan starts s on part, and reports false if there is no such part. It
// fails before decompressing anything when the part declares more than the
// limits allow, so a zip bomb costs neither time nor memory; what a part
// decompresses is counted against Limits.MaxUnpackedBytes as s reads it.
func (p *ooxmlPackage) scan(part string, s *xmlScanner) (bool, error) {
	f, ok := p.parts[strings.ToLower(part)]
	if !ok {
		return false, nil
	}
	limit := min(p.lim.MaxUnpackedBytes, p.lim.MaxUnpackedBytes-p.unpacked)
	if f.UncompressedSize64 > uint64(limit) {
		return true, p.bomb(part)
	}
	rc, err := f.Open()
	if err != nil {
		return true, p.broken(part, err)
	}
	r := &partReader{p: p, part: part, rc: rc, limit: limit}
	if f.UncompressedSize64 > wholePartBytes {
		return true, s.stream(r, xmlWindowBytes)
	}
	data, err := r.readAll(f.UncompressedSize64)
	if err != nil {
		return true, err
	}
	s.reset(data)
	return true, nil
}

// partReader reads one part, counting what it decompresses against the
// package's limit. Its errors are *Error.
type partReader struct {
	p     *ooxmlPackage
	part  string
	rc    io.ReadCloser
	limit int64 // bytes the part may decompress
	n     int64 // bytes decompressed
}

func (r *partReader) Read(b []byte) (int, error) {
	n, err := r.rc.Read(b)
	r.n += int64(n)
	r.p.unpacked += int64(n)
	switch {
	case r.n > r.limit:
		r.rc.Close()
		return n, r.p.bomb(r.part)
	case err == io.EOF:
		r.rc.Close()
		return n, io.EOF
	case err != nil:
		r.rc.Close()
		return n, r.p.broken(r.part, err)
	}
	return n, nil
}

// readAll returns the whole part, which declares size bytes.
func (r *partReader) readAll(size uint64) ([]byte, error) {
	// One byte more than declared, to see the end without growing.
	buf := make([]byte, 0, size+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func (p *ooxmlPackage) bomb(part string) *Error {
	if p.unpacked > 0 {
		return p.fail(0, "文件解压后的内容超过 %s（读到 %s 时），文件异常，可能是压缩炸弹", sizeText(p.lim.MaxUnpackedBytes), part)
	}
	return p.fail(0, "%s 解压后超过 %s，文件异常，可能是压缩炸弹", part, sizeText(p.lim.MaxUnpackedBytes))
}

func (p *ooxmlPackage) broken(part string, err error) *Error {
	if errors.Is(err, zip.ErrAlgorithm) {
		return p.fail(0, "不是有效的 %s 文件（%s 使用了不支持的压缩方式）", p.kind, part)
	}
	return p.fail(0, "不是有效的 %s 文件（%s 已损坏，文件可能不完整）", p.kind, part)
}

// sizeText writes n bytes for a message: "256 MB", "64 KB", "100 字节".
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d 字节", n)
}

// relationship is one <Relationship> of a .rels part, its target resolved to a
// part name.
type relationship struct {
	id, typ, target string
}

// relationships reads the relationships of source ("" for the package itself):
// word/document.xml → word/_rels/document.xml.rels. A missing .rels part means
// no relationships. External targets (hyperlinks) are left out.
func (p *ooxmlPackage) relationships(source string) ([]relationship, error) {
	dir, file := path.Split(source)
	relsPart := dir + "_rels/" + file + ".rels"
	var s xmlScanner
	ok, err := p.scan(relsPart, &s)
	if err != nil || !ok {
		return nil, err
	}
	var rels []relationship
	for {
		tok, err := s.next()
		if e, ok := err.(*Error); ok {
			return nil, e
		}
		if err != nil {
			return nil, p.fail(0, "不是有效的 %s 文件（%s：%v）", p.kind, relsPart, err)
		}
		if tok == tokEOF {
			return rels, nil
		}
		if tok != tokStart || !s.is(nsPR, "Relationship") {
			continue
		}
		mode, _ := s.attr(nsNone, "TargetMode")
		if mode == "External" {
			continue
		}
		id, _ := s.attr(nsNone, "Id")
		typ, _ := s.attr(nsNone, "Type")
		target, _ := s.attr(nsNone, "Target")
		if target == "" {
			continue
		}
		if strings.HasPrefix(target, "/") {
			target = strings.TrimPrefix(path.Clean(target), "/")
		} else {
			target = path.Join(dir, target)
		}
		rels = append(rels, relationship{id: id, typ: typ, target: target})
	}
}

// relTarget returns the target of the first relationship whose type ends in
// suffix ("/officeDocument"), which covers both the transitional and the strict
// namespaces, or fallback.
func relTarget(rels []relationship, suffix, fallback string) string {
	for _, r := range rels {
		if strings.HasSuffix(r.typ, suffix) {
			return r.target
		}
	}
	return fallback
}

// ---------------------------------------------------------------------------
// XML scanning
//
// encoding/xml reads about 40 MB/s; a decomposition's word/document.xml is over
// 600 KB, so it alone would take 15 ms. xmlScanner reads the same XML more than
// ten times faster because it does not allocate per token: names, attributes
// and text are offsets into the part's bytes, decoded only when a reader asks,
// and the properties nobody reads are skipped tag by tag without being parsed.
// It checks what a reader relies on (tags nest and match, attributes are
// quoted, entities are known, text is UTF-8 without control characters) and
// refuses DTDs, which OOXML forbids; it does not validate names character by
// character.

// xmlNS is a namespace the readers know, or nsNone.
type xmlNS uint8

const (
	nsNone xmlNS = iota // no namespace, or one the readers ignore
	nsW                 // WordprocessingML
	nsS                 // SpreadsheetML
	nsR                 // relationships referenced from a part (r:id)
	nsPR                // package relationships (.rels parts)
	nsMC                // markup compatibility
)

// xmlNamespaces maps namespace names to xmlNS, for transitional and strict OOXML.
var xmlNamespaces = map[string]xmlNS{
	"http://schemas.openxmlformats.org/wordprocessingml/2006/main":        nsW,
	"http://purl.oclc.org/ooxml/wordprocessingml/main":                    nsW,
	"http://schemas.openxmlformats.org/spreadsheetml/2006/main":           nsS,
	"http://purl.oclc.org/ooxml/spreadsheetml/main":                       nsS,
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships": nsR,
	"http://purl.oclc.org/ooxml/officeDocument/relationships":             nsR,
	"http://schemas.openxmlformats.org/package/2006/relationships":        nsPR,
	"http://schemas.openxmlformats.org/markup-compatibility/2006":         nsMC,
}

// maxXMLDepth and maxXMLAttrs bound what one part can make the scanner hold.
// Word nests a few dozen elements deep; tables inside tables add a few each.
const (
	maxXMLDepth = 5000
	maxXMLAttrs = 1000
)

type tokenKind uint8

const (
	tokEOF   tokenKind = iota
	tokStart           // a start tag; a self-closing tag yields tokStart then tokEnd
	tokEnd
	tokText // character data or CDATA
)

// xmlSpan is a part of a scanner's data, as offsets: the scanner's state then
// holds no pointers, which spares the garbage collector's write barriers.
type xmlSpan struct {
	start, end int
}

// openElem is an open element: its qualified name, and the offset of the
// colon after its prefix (-1 if none).
type openElem struct {
	xmlSpan
	colon int
}

type xmlAttr struct {
	prefix, local xmlSpan
	value         xmlSpan // as written, entities not decoded
}

type nsBinding struct {
	prefix xmlSpan
	ns     xmlNS
	depth  int
}

// xmlScanner returns the tokens of one XML document. After next, ns and
// local name the element of a tokStart or tokEnd, attrs hold a tokStart's
// attributes and text a tokText's raw bytes.
type xmlScanner struct {
	data []byte
	pos  int

	ns        xmlNS
	local     xmlSpan
	attrText  xmlSpan   // a start tag's attributes, as written
	attrs     []xmlAttr // parsed from attrText once attrsRead
	attrsRead bool
	text      xmlSpan
	cdata     bool

	open       []openElem // the open elements, innermost last
	bindings   []nsBinding
	pendingEnd bool // the last start tag closed itself
	rooted     bool // the root element has started

	// A one-entry cache of prefix resolution: nearly every element of a part
	// has the same prefix.
	cachePrefix xmlSpan
	cacheNS     xmlNS
	cacheOK     bool

	// A part read through a window: data is buf[:n], src reads what follows
	// (nil once all of the part is in data), data[:names] holds the names of
	// the open elements and the prefixes of the bindings, copied there when
	// the window moves on, and offset is where data[0] is in the part.
	src     io.Reader
	buf     []byte
	names   int
	offset  int
	scratch []byte
}

// maxXMLTokenBytes bounds a tag, comment, CDATA section or processing
// instruction of a part read through a window (text is handed out in pieces),
// and maxXMLNameBytes the names of the elements open at once. A part read
// whole is at most wholePartBytes.
const (
	maxXMLTokenBytes = wholePartBytes
	maxXMLNameBytes  = 1 << 20
)

// errShort is returned by the token readers when the token runs past the end
// of data and more of the part is to come: the token is read again once the
// window holds more.
var errShort = errors.New("xml: token runs past the window")

func newXMLScanner(data []byte) *xmlScanner {
	s := &xmlScanner{}
	s.reset(data)
	return s
}

// reset starts reading data, keeping the buffers of the last document.
func (s *xmlScanner) reset(data []byte) {
	*s = xmlScanner{
		data:     bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")),
		open:     s.open[:0],
		bindings: s.bindings[:0],
		attrs:    s.attrs[:0],
		scratch:  s.scratch[:0],
	}
}

// stream starts reading the document src returns, through a window of about
// window bytes. Errors of src are returned as they are.
func (s *xmlScanner) stream(src io.Reader, window int) error {
	s.reset(nil)
	s.src, s.buf = src, make([]byte, 0, window)
	for len(s.data) < 3 && s.src != nil {
		if _, err := s.more(); err != nil {
			return err
		}
	}
	if bytes.HasPrefix(s.data, []byte("\xef\xbb\xbf")) {
		s.pos, s.offset = 3, -3
	}
	return nil
}

// more reads more of the part into data, keeping data[s.pos:] and the names
// of open elements and bindings, and reports false when all of the part was
// already there. It grows the window when a token fills it, up to
// maxXMLTokenBytes.
func (s *xmlScanner) more() (bool, error) {
	if s.src == nil {
		return false, nil
	}
	if s.pos > s.names {
		// Copy the names still in use to the front of the window, then what
		// is left to read after them.
		names := s.scratch[:0]
		for i := range s.open {
			e := &s.open[i]
			start := len(names)
			names = append(names, s.data[e.start:e.end]...)
			if e.colon >= 0 {
				e.colon += start - e.start
			}
			e.xmlSpan = xmlSpan{start, len(names)}
		}
		for i := range s.bindings {
			b := &s.bindings[i]
			start := len(names)
			names = append(names, s.data[b.prefix.start:b.prefix.end]...)
			b.prefix = xmlSpan{start, len(names)}
		}
		if len(names) > maxXMLNameBytes {
			return false, s.errorf("元素名合计过长（超过 %s）", sizeText(maxXMLNameBytes))
		}
		rest := s.data[s.pos:]
		if need := len(names) + len(rest) + xmlWindowBytes/4; need > cap(s.buf) {
			buf := make([]byte, 0, need+cap(s.buf)/2)
			s.buf = buf
		}
		buf := s.buf[:len(names)+len(rest)]
		copy(buf[len(names):], rest)
		copy(buf, names)
		s.offset += s.pos - len(names)
		s.data, s.pos, s.names, s.scratch = buf, len(names), len(names), names
		s.cacheOK = false
		s.attrs, s.attrsRead, s.attrText = s.attrs[:0], false, xmlSpan{}
	} else if len(s.data) == cap(s.buf) {
		if len(s.data)-s.names >= maxXMLTokenBytes {
			return false, s.errorf("标签、注释或 CDATA 过长（超过 %s）", sizeText(maxXMLTokenBytes))
		}
		buf := make([]byte, len(s.data), 2*cap(s.buf))
		copy(buf, s.data)
		s.buf, s.data = buf, buf
	}
	n, err := io.ReadFull(s.src, s.buf[len(s.data):cap(s.buf)])
	s.data = s.buf[:len(s.data)+n]
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		s.src = nil
	} else if err != nil {
		return false, err
	}
	return true, nil
}

// short returns errShort when more of the part is to come, else the syntax
// error format describes.
func (s *xmlScanner) short(format string, args ...any) error {
	if s.src != nil {
		return errShort
	}
	return s.errorf(format, args...)
}

// refill reads more of the part after a token reader returned errShort. Any
// other error is returned as is.
func (s *xmlScanner) refill(err error) error {
	if err != errShort {
		return err
	}
	_, err = s.more()
	return err
}

// textEnd returns where the text at s.pos may be cut when it fills the
// window: not inside a character, a reference or a "\r\n". It returns s.pos
// when there is no such place.
func (s *xmlScanner) textEnd() int {
	d := s.data
	cut := len(d) - 16
	if cut <= s.pos {
		return s.pos
	}
	for cut > s.pos && !utf8.RuneStart(d[cut]) {
		cut--
	}
	// A reference is at most 12 bytes ("&#x10FFFF;").
	from := max(s.pos, cut-13)
	if i := bytes.LastIndexByte(d[from:cut], '&'); i >= 0 {
		cut = from + i
	}
	if cut > s.pos && d[cut-1] == '\r' {
		cut--
	}
	return max(cut, s.pos)
}

func (s *xmlScanner) bytes(sp xmlSpan) []byte {
	return s.data[sp.start:sp.end]
}

// localName returns the local name of the current element.
func (s *xmlScanner) localName() []byte {
	return s.data[s.local.start:s.local.end]
}

// is reports whether the current element is local in namespace ns.
func (s *xmlScanner) is(ns xmlNS, local string) bool {
	return s.ns == ns && string(s.data[s.local.start:s.local.end]) == local
}

// top returns the qualified name of the innermost open element.
func (s *xmlScanner) top() []byte {
	return s.bytes(s.open[len(s.open)-1].xmlSpan)
}

// xmlSyntaxError is a place in a part where the XML is not well-formed.
type xmlSyntaxError struct {
	offset int
	msg    string
}

func (e *xmlSyntaxError) Error() string {
	return fmt.Sprintf("XML 格式错误（第 %d 字节）：%s", e.offset, e.msg)
}

func (s *xmlScanner) errorf(format string, args ...any) error {
	return &xmlSyntaxError{offset: s.offset + s.pos, msg: fmt.Sprintf(format, args...)}
}

// next returns the next token. At the end of a well-formed document it returns
// tokEOF and nil; any error is an *xmlSyntaxError.
func (s *xmlScanner) next() (tokenKind, error) {
	if s.pendingEnd {
		s.pendingEnd = false
		s.pop()
		return tokEnd, nil
	}
	d := s.data
	for {
		if s.pos >= len(d) {
			if ok, err := s.more(); err != nil {
				return tokEOF, err
			} else if ok {
				d = s.data
				continue
			}
			if len(s.open) > 0 {
				return tokEOF, s.errorf("文件在 <%s> 结束之前中断", s.top())
			}
			if !s.rooted {
				return tokEOF, s.errorf("没有根元素")
			}
			return tokEOF, nil
		}
		if d[s.pos] != '<' {
			end := bytes.IndexByte(d[s.pos:], '<')
			switch {
			case end >= 0:
				end += s.pos
			case s.src == nil:
				end = len(d)
			case s.pos > s.names || len(d) < cap(s.buf):
				if _, err := s.more(); err != nil {
					return tokEOF, err
				}
				d = s.data
				continue
			default:
				// Text fills the window: hand it out in pieces.
				if end = s.textEnd(); end == s.pos {
					if _, err := s.more(); err != nil {
						return tokEOF, err
					}
					d = s.data
					continue
				}
			}
			if len(s.open) == 0 {
				if len(bytes.TrimLeft(d[s.pos:end], " \t\r\n")) > 0 {
					return tokEOF, s.errorf("根元素之外有文本")
				}
				s.pos = end
				continue
			}
			s.text, s.cdata = xmlSpan{s.pos, end}, false
			s.pos = end
			return tokText, nil
		}
		if s.pos+1 >= len(d) {
			if err := s.refill(s.short("文件在标签中间中断")); err != nil {
				return tokEOF, err
			}
			d = s.data
			continue
		}
		switch d[s.pos+1] {
		case '/':
			tok, err := s.endTag()
			if err == errShort {
				if err := s.refill(err); err != nil {
					return tokEOF, err
				}
				d = s.data
				continue
			}
			return tok, err
		case '?':
			if err := s.procInst(); err != nil {
				if err := s.refill(err); err != nil {
					return tokEOF, err
				}
				d = s.data
			}
		case '!':
			text, ok, err := s.markup()
			if err != nil {
				if err := s.refill(err); err != nil {
					return tokEOF, err
				}
				d = s.data
				continue
			}
			if ok {
				if len(s.open) == 0 {
					return tokEOF, s.errorf("根元素之外有 CDATA")
				}
				s.text, s.cdata = text, true
				return tokText, nil
			}
		default:
			tok, err := s.startTag()
			if err == errShort {
				if err := s.refill(err); err != nil {
					return tokEOF, err
				}
				d = s.data
				continue
			}
			return tok, err
		}
	}
}

// markup passes over the "<!" markup at s.pos: a comment, or a CDATA section,
// whose text it returns with true. DTDs are refused.
func (s *xmlScanner) markup() (xmlSpan, bool, error) {
	rest := s.data[s.pos:]
	if len(rest) < len("<![CDATA[") && s.src != nil {
		return xmlSpan{}, false, errShort
	}
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		end := bytes.Index(rest[4:], []byte("-->"))
		if end < 0 {
			return xmlSpan{}, false, s.short("注释没有结束")
		}
		s.pos += 4 + end + 3
		return xmlSpan{}, false, nil
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		end := bytes.Index(rest[9:], []byte("]]>"))
		if end < 0 {
			return xmlSpan{}, false, s.short("CDATA 没有结束")
		}
		text := xmlSpan{s.pos + 9, s.pos + 9 + end}
		s.pos += 9 + end + 3
		return text, true, nil
	case bytes.HasPrefix(rest, []byte("<!DOCTYPE")):
		return xmlSpan{}, false, s.errorf("含有 DTD（<!DOCTYPE>），Office 文件不使用 DTD")
	}
	return xmlSpan{}, false, s.errorf("无法识别的 <! 标记")
}

// procInst skips a processing instruction. The XML declaration may name only
// UTF-8: Office writes nothing else, and a UTF-16 part would read as garbage.
func (s *xmlScanner) procInst() error {
	rest := s.data[s.pos:]
	end := bytes.Index(rest[2:], []byte("?>"))
	if end < 0 {
		return s.short("处理指令没有结束")
	}
	end += 2
	pi := rest[2:end]
	if bytes.HasPrefix(pi, []byte("xml")) && (len(pi) == 3 || xmlClass[pi[3]]&classSpace != 0) {
		if i := bytes.Index(pi, []byte("encoding")); i >= 0 {
			enc := bytes.TrimLeft(pi[i+len("encoding"):], " \t\r\n=")
			if len(enc) > 0 && (enc[0] == '"' || enc[0] == '\'') {
				if j := bytes.IndexByte(enc[1:], enc[0]); j >= 0 {
					name := strings.ToLower(string(enc[1 : 1+j]))
					if name != "utf-8" && name != "utf8" {
						return s.errorf("不支持的字符编码 %s，只支持 UTF-8", enc[1:1+j])
					}
				}
			}
		}
	}
	s.pos += end + 2
	return nil
}

// startTag reads "<name attr="v" ...>" or "<name .../>" at s.pos. Its
// attributes are parsed only when asked for, or when they declare a namespace.
func (s *xmlScanner) startTag() (tokenKind, error) {
	if len(s.open) == 0 && s.rooted {
		return tokEOF, s.errorf("有多个根元素")
	}
	d := s.data
	start := s.pos + 1
	i, colon := s.scanName(start)
	qname := xmlSpan{start, i}
	if i == start {
		return tokEOF, s.errorf("标签名为空")
	}
	if i < len(d) && (d[i] == '=' || xmlClass[d[i]]&classBad != 0) {
		return tokEOF, s.errorf("标签名中有非法字符")
	}
	end, err := s.tagEnd(i, qname)
	if err != nil {
		return tokEOF, err
	}
	selfClose := d[end-1] == '/' && end-1 >= i
	s.attrText = xmlSpan{i, end}
	if selfClose {
		s.attrText.end--
	}
	s.attrs, s.attrsRead = s.attrs[:0], false
	if len(s.open) >= maxXMLDepth {
		return tokEOF, s.errorf("元素嵌套超过 %d 层", maxXMLDepth)
	}
	s.pos = end + 1
	s.open = append(s.open, openElem{qname, colon})
	s.rooted = true
	if s.attrText.end-s.attrText.start > 6 && bytes.Contains(s.bytes(s.attrText), []byte("xmlns")) {
		if err := s.readAttrs(); err != nil {
			return tokEOF, err
		}
		for _, a := range s.attrs {
			var prefix xmlSpan
			switch {
			case a.prefix.start == a.prefix.end && string(s.bytes(a.local)) == "xmlns":
				prefix = xmlSpan{a.local.start, a.local.start} // the default namespace
			case string(s.bytes(a.prefix)) == "xmlns":
				prefix = a.local
			default:
				continue
			}
			s.bindings = append(s.bindings, nsBinding{prefix: prefix, ns: xmlNamespaces[string(s.bytes(a.value))], depth: len(s.open)})
			s.cacheOK = false
		}
	}
	s.setName(start, colon, qname.end)
	s.pendingEnd = selfClose
	return tokStart, nil
}

// tagEnd returns the offset of the '>' that ends the tag whose name ends at
// i, jumping over quoted attribute values, which may hold '>'.
func (s *xmlScanner) tagEnd(i int, qname xmlSpan) (int, error) {
	d := s.data
	for {
		for i < len(d) && xmlClass[d[i]]&classTagStop == 0 {
			i++
		}
		if i >= len(d) {
			return 0, s.short("标签 <%s> 没有结束", s.bytes(qname))
		}
		if d[i] == '<' {
			return 0, s.errorf("标签 <%s> 没有结束", s.bytes(qname))
		}
		if d[i] == '>' {
			return i, nil
		}
		// Attribute values are short: a loop beats IndexByte's call.
		q := d[i]
		i++
		for i < len(d) && d[i] != q {
			i++
		}
		if i >= len(d) {
			return 0, s.short("标签 <%s> 的属性值没有结束", s.bytes(qname))
		}
		i++
	}
}

// readAttrs parses the attributes of the current start tag into s.attrs.
func (s *xmlScanner) readAttrs() error {
	if s.attrsRead {
		return nil
	}
	s.attrsRead = true
	d := s.data[:s.attrText.end]
	top := s.open[len(s.open)-1].xmlSpan
	i := s.attrText.start
	for {
		for i < len(d) && xmlClass[d[i]]&classSpace != 0 {
			i++
		}
		if i >= len(d) {
			return nil
		}
		if len(s.attrs) >= maxXMLAttrs {
			return s.errorf("标签 <%s> 的属性过多", s.bytes(top))
		}
		nameStart := i
		var acolon int
		i, acolon = s.scanName(i)
		name := xmlSpan{nameStart, i}
		if i < len(d) && (d[i] == '/' || xmlClass[d[i]]&classBad != 0) {
			return s.errorf("标签 <%s> 中有非法字符", s.bytes(top))
		}
		for i < len(d) && xmlClass[d[i]]&classSpace != 0 {
			i++
		}
		if i == nameStart || i >= len(d) || d[i] != '=' {
			return s.errorf("标签 <%s> 的属性 %s 没有值", s.bytes(top), s.bytes(name))
		}
		i++
		for i < len(d) && xmlClass[d[i]]&classSpace != 0 {
			i++
		}
		if i >= len(d) || (d[i] != '"' && d[i] != '\'') {
			return s.errorf("标签 <%s> 的属性 %s 的值没有引号", s.bytes(top), s.bytes(name))
		}
		q := d[i]
		i++
		vstart := i
		for i < len(d) && d[i] != q {
			if d[i] == '<' {
				return s.errorf("标签 <%s> 的属性 %s 的值中有 <", s.bytes(top), s.bytes(name))
			}
			i++
		}
		if i >= len(d) {
			return s.errorf("标签 <%s> 的属性 %s 的值没有结束", s.bytes(top), s.bytes(name))
		}
		a := xmlAttr{local: name, value: xmlSpan{vstart, i}}
		if acolon >= 0 {
			a.prefix, a.local = xmlSpan{nameStart, acolon}, xmlSpan{acolon + 1, name.end}
		} else {
			a.prefix = xmlSpan{nameStart, nameStart}
		}
		s.attrs = append(s.attrs, a)
		i++
	}
}

// scanName scans a name from i. It returns where the name ends and where its
// first colon is (-1 if none).
func (s *xmlScanner) scanName(i int) (end, colon int) {
	d := s.data
	start := i
	colon = -1
	for i < len(d) {
		c := xmlClass[d[i]]
		if c == 0 {
			i++
			continue
		}
		if c&(classNameEnd|classBad) != 0 {
			break
		}
		if colon < 0 { // classColon
			colon = i
		}
		i++
	}
	if colon == start || colon == i-1 {
		colon = -1 // ":x" and "x:" have no prefix, as for encoding/xml
	}
	return i, colon
}

// setName sets ns and local from the qualified name start:end, whose colon is
// at colon (-1 if none).
func (s *xmlScanner) setName(start, colon, end int) {
	if colon < 0 {
		s.local = xmlSpan{start, end}
		s.ns = s.resolve(xmlSpan{start, start})
		return
	}
	s.local = xmlSpan{colon + 1, end}
	s.ns = s.resolve(xmlSpan{start, colon})
}

// endTag reads "</name>" at s.pos.
func (s *xmlScanner) endTag() (tokenKind, error) {
	e, err := s.closeTag()
	if err != nil {
		return tokEOF, err
	}
	s.setName(e.start, e.colon, e.end)
	s.pop()
	return tokEnd, nil
}

// closeTag reads the end tag at s.pos, checks that it closes the innermost
// open element, and returns that element; the caller pops it.
func (s *xmlScanner) closeTag() (openElem, error) {
	d := s.data
	if len(s.open) == 0 {
		return openElem{}, s.errorf("多余的结束标签")
	}
	top := s.open[len(s.open)-1]
	j := s.pos + 2 + (top.end - top.start)
	if j >= len(d) && s.src != nil {
		return openElem{}, errShort
	}
	if j > len(d) || !s.equal(xmlSpan{s.pos + 2, j}, top.xmlSpan) {
		return openElem{}, s.errorf("结束标签与开始标签 <%s> 不匹配", s.top())
	}
	for j < len(d) && xmlClass[d[j]]&classSpace != 0 {
		j++
	}
	if j >= len(d) && s.src != nil {
		return openElem{}, errShort
	}
	if j >= len(d) || d[j] != '>' {
		return openElem{}, s.errorf("结束标签与开始标签 <%s> 不匹配", s.top())
	}
	s.pos = j + 1
	return top, nil
}

// pop closes the innermost element and the namespace bindings it declared.
func (s *xmlScanner) pop() {
	depth := len(s.open)
	s.open = s.open[:depth-1]
	n := len(s.bindings)
	for n > 0 && s.bindings[n-1].depth >= depth {
		n--
	}
	if n != len(s.bindings) {
		s.bindings = s.bindings[:n]
		s.cacheOK = false
	}
}

// equal reports whether a and b hold the same bytes. Names are short: a loop
// beats a call to memequal.
func (s *xmlScanner) equal(a, b xmlSpan) bool {
	n := a.end - a.start
	if n != b.end-b.start {
		return false
	}
	x, y := s.data[a.start:a.end], s.data[b.start:b.start+n]
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

// resolve returns the namespace bound to prefix (empty for the default one).
func (s *xmlScanner) resolve(prefix xmlSpan) xmlNS {
	if s.cacheOK && s.equal(prefix, s.cachePrefix) {
		return s.cacheNS
	}
	ns := nsNone
	for i := len(s.bindings) - 1; i >= 0; i-- {
		if s.equal(s.bindings[i].prefix, prefix) {
			ns = s.bindings[i].ns
			break
		}
	}
	s.cachePrefix, s.cacheNS, s.cacheOK = prefix, ns, true
	return ns
}

// attr returns the decoded value of the current start tag's attribute local in
// namespace ns. Unprefixed attributes have no namespace; for ns nsW an
// unprefixed attribute is accepted too, as some writers drop the w: prefix.
func (s *xmlScanner) attr(ns xmlNS, local string) (string, bool) {
	if err := s.readAttrs(); err != nil {
		return "", false
	}
	for _, a := range s.attrs {
		if string(s.bytes(a.local)) != local {
			continue
		}
		unprefixed := a.prefix.start == a.prefix.end
		var ans xmlNS
		if !unprefixed {
			if string(s.bytes(a.prefix)) == "xmlns" {
				continue
			}
			ans = s.resolve(a.prefix)
		}
		if ans != ns && !(ns == nsW && unprefixed) {
			continue
		}
		raw := s.bytes(a.value)
		if bytes.IndexByte(raw, '&') < 0 && bytes.IndexByte(raw, '\r') < 0 && utf8.Valid(raw) {
			return string(raw), true
		}
		v, err := appendXMLText(nil, raw, false)
		if err != nil {
			return "", false
		}
		return string(v), true
	}
	return "", false
}

// appendText appends the decoded text of the current tokText to dst.
func (s *xmlScanner) appendText(dst []byte) ([]byte, error) {
	out, err := appendXMLText(dst, s.bytes(s.text), s.cdata)
	if err != nil {
		return dst, s.errorf("%v", err)
	}
	return out, nil
}

// skip consumes the rest of the element whose start tag was just read. It is
// the scanner's fast path, as most of a part is properties nobody reads: inside
// the element it checks only that tags nest and match, and neither decodes
// attributes nor validates text.
func (s *xmlScanner) skip() error {
	if s.pendingEnd {
		s.pendingEnd = false
		s.pop()
		return nil
	}
	base := len(s.open) - 1 // the depth once the element is closed
	if base < 0 {
		return s.errorf("没有要跳过的元素")
	}
	d := s.data
	for {
		if s.pos >= len(d) || d[s.pos] != '<' {
			i := bytes.IndexByte(d[s.pos:], '<')
			if i < 0 {
				s.pos = len(d)
				if ok, err := s.more(); err != nil {
					return err
				} else if ok {
					d = s.data
					continue
				}
				return s.errorf("文件在 <%s> 结束之前中断", s.top())
			}
			s.pos += i
		}
		var err error
		switch {
		case s.pos+1 >= len(d):
			err = s.short("文件在标签中间中断")
		case d[s.pos+1] == '/':
			if _, err = s.closeTag(); err == nil {
				s.pop()
				if len(s.open) == base {
					return nil
				}
			}
		case d[s.pos+1] == '?':
			err = s.procInst()
		case d[s.pos+1] == '!':
			// A comment, or CDATA, which is skipped with the element.
			_, _, err = s.markup()
		default:
			err = s.skipStartTag()
		}
		if err != nil {
			if err := s.refill(err); err != nil {
				return err
			}
			d = s.data
		}
	}
}

// skipStartTag passes over the start tag at s.pos, opening it unless it closes
// itself, without reading its attributes.
func (s *xmlScanner) skipStartTag() error {
	d := s.data
	start := s.pos + 1
	i := start
	for i < len(d) && xmlClass[d[i]]&(classNameEnd|classBad) == 0 {
		i++
	}
	qname := xmlSpan{start, i}
	if i == start {
		return s.errorf("标签名为空")
	}
	i, err := s.tagEnd(i, qname)
	if err != nil {
		return err
	}
	if d[i-1] != '/' || i-1 < qname.end {
		if len(s.open) >= maxXMLDepth {
			return s.errorf("元素嵌套超过 %d 层", maxXMLDepth)
		}
		s.open = append(s.open, openElem{qname, -1}) // never resolved
	}
	s.pos = i + 1
	return nil
}

// xmlClass classifies bytes for the tag scanners.
var xmlClass = func() (t [256]uint8) {
	for _, c := range []byte(" \t\r\n") {
		t[c] |= classSpace | classNameEnd
	}
	for _, c := range []byte("/>=") {
		t[c] |= classNameEnd
	}
	for _, c := range []byte("<\"'") {
		t[c] |= classBad | classTagStop
	}
	t['>'] |= classTagStop
	t[':'] |= classColon
	return t
}()

const (
	classSpace   = 1 << iota // XML white space
	classNameEnd             // ends a tag or attribute name
	classBad                 // cannot appear in a name
	classTagStop             // ends a scan for the end of a tag: < > " '
	classColon               // separates a prefix from a local name
)

// appendXMLText decodes raw character data: entity and character references
// (unless cdata), and line ends ("\r\n" and "\r" become "\n"). It refuses text
// that is not UTF-8 or holds control characters XML does not allow.
func appendXMLText(dst, raw []byte, cdata bool) ([]byte, error) {
	plain := true // no reference and no carriage return to rewrite
	for _, b := range raw {
		if b >= 0x20 {
			if b == '&' && !cdata {
				plain = false
			}
			continue
		}
		switch b {
		case '\r':
			plain = false
		case '\t', '\n':
		default:
			return dst, fmt.Errorf("文本中有非法的控制字符 0x%02X", b)
		}
	}
	if !utf8.Valid(raw) {
		return dst, errors.New("文本不是有效的 UTF-8")
	}
	if plain {
		return append(dst, raw...), nil
	}
	for len(raw) > 0 {
		i := -1
		for j, b := range raw {
			if b == '\r' || (b == '&' && !cdata) {
				i = j
				break
			}
		}
		if i < 0 {
			return append(dst, raw...), nil
		}
		dst = append(dst, raw[:i]...)
		raw = raw[i:]
		if raw[0] == '\r' {
			dst = append(dst, '\n')
			raw = raw[1:]
			if len(raw) > 0 && raw[0] == '\n' {
				raw = raw[1:]
			}
			continue
		}
		end := bytes.IndexByte(raw, ';')
		if end < 0 || end > 12 {
			return dst, errors.New("& 后面不是有效的实体引用")
		}
		ref := raw[1:end]
		raw = raw[end+1:]
		switch string(ref) {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			r, ok := xmlCharRef(ref)
			if !ok {
				return dst, fmt.Errorf("未知的实体引用 &%s;", ref)
			}
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst, nil
}

// xmlCharRef decodes the body of a character reference: "#65" or "#x41".
func xmlCharRef(ref []byte) (rune, bool) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	base, digits := 10, ref[1:]
	if digits[0] == 'x' {
		base, digits = 16, digits[1:]
	}
	if len(digits) == 0 {
		return 0, false
	}
	var r rune
	for _, c := range digits {
		var v rune
		switch {
		case c >= '0' && c <= '9':
			v = rune(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			v = rune(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			v = rune(c-'A') + 10
		default:
			return 0, false
		}
		r = r*rune(base) + v
		if r > utf8.MaxRune {
			return 0, false
		}
	}
	// The characters XML allows (XML 1.0, section 2.2).
	ok := r == 0x9 || r == 0xA || r == 0xD ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= utf8.MaxRune)
	return r, ok
}
