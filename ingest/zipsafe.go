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

// maxCells bounds the paragraphs and table cells a reader produces, so that a
// part of tiny cells cannot turn into a huge Doc. A district's decomposition has
// about a thousand.
const maxCells = 1_000_000

// ooxmlPackage is an opened .docx or .xlsx: a zip whose parts are read under
// Limits, each part at most once.
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

// has reports whether the package holds part.
func (p *ooxmlPackage) has(part string) bool {
	_, ok := p.parts[strings.ToLower(part)]
	return ok
}

// read returns the decompressed bytes of part, and false if there is no such
// part. It fails before decompressing anything when the part declares more than
// the limits allow (archive/zip never returns more than the declared size), so a
// zip bomb costs neither time nor memory.
func (p *ooxmlPackage) read(part string) ([]byte, bool, error) {
	f, ok := p.parts[strings.ToLower(part)]
	if !ok {
		return nil, false, nil
	}
	limit := min(p.lim.MaxUnpackedBytes, p.lim.MaxUnpackedBytes-p.unpacked)
	if f.UncompressedSize64 > uint64(limit) {
		return nil, true, p.bomb(part)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, true, p.broken(part, err)
	}
	defer rc.Close()
	// Grow as data arrives rather than trusting the declared size for the
	// allocation: a small file must not make us reserve a large buffer.
	buf := bytes.NewBuffer(make([]byte, 0, min(f.UncompressedSize64, 1<<20)))
	n, err := buf.ReadFrom(io.LimitReader(rc, limit+1))
	p.unpacked += n
	if err != nil {
		return nil, true, p.broken(part, err)
	}
	if n > limit {
		return nil, true, p.bomb(part)
	}
	return buf.Bytes(), true, nil
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
	data, ok, err := p.read(relsPart)
	if err != nil || !ok {
		return nil, err
	}
	var rels []relationship
	s := newXMLScanner(data)
	for {
		tok, err := s.next()
		if err != nil {
			return nil, p.fail(0, "不是有效的 %s 文件（%s：%v）", p.kind, relsPart, err)
		}
		if tok == tokEOF {
			return rels, nil
		}
		if tok != tokStart || s.ns != nsPR || string(s.local) != "Relationship" {
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
// 600 KB, so it alone would take 15 ms. xmlScanner reads the same XML about
// twenty times faster by not allocating per token: names, attributes and text
// are slices of the part's bytes, decoded only when a reader asks. It checks
// what a reader relies on (tags nest and match, attributes are quoted, entities
// are known, text is UTF-8 without control characters) and refuses DTDs, which
// OOXML forbids; it does not validate names character by character.

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

// namespaces maps namespace names to xmlNS, for transitional and strict OOXML.
var namespaces = map[string]xmlNS{
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

type xmlAttr struct {
	prefix, local, value []byte // value as written, entities not decoded
}

type nsBinding struct {
	prefix []byte
	ns     xmlNS
	depth  int
}

// xmlScanner returns the tokens of one XML document. After next, ns and local
// name the element of a tokStart or tokEnd, attrs hold a tokStart's attributes
// and text a tokText's raw bytes.
type xmlScanner struct {
	data []byte
	pos  int

	ns    xmlNS
	local []byte
	attrs []xmlAttr
	text  []byte
	cdata bool

	open       [][]byte // qualified names of the open elements
	bindings   []nsBinding
	pendingEnd bool // the last start tag closed itself
	rooted     bool // the root element has started

	// A one-entry cache of prefix resolution: nearly every element of a part
	// has the same prefix.
	cachePrefix []byte
	cacheNS     xmlNS
	cacheOK     bool
}

func newXMLScanner(data []byte) *xmlScanner {
	s := &xmlScanner{}
	s.reset(data)
	return s
}

func (s *xmlScanner) reset(data []byte) {
	*s = xmlScanner{data: data, open: s.open[:0], bindings: s.bindings[:0], attrs: s.attrs[:0]}
	s.data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
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
	return &xmlSyntaxError{offset: s.pos, msg: fmt.Sprintf(format, args...)}
}

// is reports whether the current element is local in namespace ns.
func (s *xmlScanner) is(ns xmlNS, local string) bool {
	return s.ns == ns && string(s.local) == local
}

// next returns the next token. At the end of a well-formed document it returns
// tokEOF and nil; any error is an *xmlSyntaxError.
func (s *xmlScanner) next() (tokenKind, error) {
	if s.pendingEnd {
		s.pendingEnd = false
		s.pop()
		return tokEnd, nil
	}
	for {
		if s.pos >= len(s.data) {
			if len(s.open) > 0 {
				return tokEOF, s.errorf("文件在 <%s> 结束之前中断", s.open[len(s.open)-1])
			}
			if !s.rooted {
				return tokEOF, s.errorf("没有根元素")
			}
			return tokEOF, nil
		}
		if s.data[s.pos] != '<' {
			end := bytes.IndexByte(s.data[s.pos:], '<')
			if end < 0 {
				end = len(s.data)
			} else {
				end += s.pos
			}
			text := s.data[s.pos:end]
			if len(s.open) == 0 {
				if len(bytes.TrimLeft(text, " \t\r\n")) > 0 {
					return tokEOF, s.errorf("根元素之外有文本")
				}
				s.pos = end
				continue
			}
			s.pos = end
			s.text, s.cdata = text, false
			return tokText, nil
		}
		if s.pos+1 >= len(s.data) {
			return tokEOF, s.errorf("文件在标签中间中断")
		}
		switch s.data[s.pos+1] {
		case '/':
			return s.endTag()
		case '?':
			if err := s.procInst(); err != nil {
				return tokEOF, err
			}
		case '!':
			rest := s.data[s.pos:]
			switch {
			case bytes.HasPrefix(rest, []byte("<!--")):
				end := bytes.Index(rest[4:], []byte("-->"))
				if end < 0 {
					return tokEOF, s.errorf("注释没有结束")
				}
				s.pos += 4 + end + 3
			case bytes.HasPrefix(rest, []byte("<![CDATA[")):
				end := bytes.Index(rest[9:], []byte("]]>"))
				if end < 0 {
					return tokEOF, s.errorf("CDATA 没有结束")
				}
				if len(s.open) == 0 {
					return tokEOF, s.errorf("根元素之外有 CDATA")
				}
				s.text, s.cdata = rest[9:9+end], true
				s.pos += 9 + end + 3
				return tokText, nil
			case bytes.HasPrefix(rest, []byte("<!DOCTYPE")):
				return tokEOF, s.errorf("含有 DTD（<!DOCTYPE>），Office 文件不使用 DTD")
			default:
				return tokEOF, s.errorf("无法识别的 <! 标记")
			}
		default:
			return s.startTag()
		}
	}
}

// procInst skips a processing instruction. The XML declaration may name only
// UTF-8: Office writes nothing else, and a UTF-16 part would read as garbage.
func (s *xmlScanner) procInst() error {
	rest := s.data[s.pos:]
	end := bytes.Index(rest, []byte("?>"))
	if end < 0 {
		return s.errorf("处理指令没有结束")
	}
	pi := rest[2:end]
	if bytes.HasPrefix(pi, []byte("xml")) && (len(pi) == 3 || isXMLSpace(pi[3])) {
		if i := bytes.Index(pi, []byte("encoding")); i >= 0 {
			enc := pi[i+len("encoding"):]
			enc = bytes.TrimLeft(enc, " \t\r\n=")
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

func isXMLSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r'
}

// startTag reads "<name attr="v" ...>" or "<name .../>" at s.pos.
func (s *xmlScanner) startTag() (tokenKind, error) {
	if len(s.open) == 0 && s.rooted {
		return tokEOF, s.errorf("有多个根元素")
	}
	d := s.data
	i := s.pos + 1
	start := i
	for i < len(d) && xmlClass[d[i]]&(classNameEnd|classBad) == 0 {
		i++
	}
	qname := d[start:i]
	if len(qname) == 0 {
		return tokEOF, s.errorf("标签名为空")
	}
	if i < len(d) && (d[i] == '=' || xmlClass[d[i]]&classBad != 0) {
		return tokEOF, s.errorf("标签名中有非法字符")
	}
	s.attrs = s.attrs[:0]
	selfClose := false
	for {
		for i < len(d) && xmlClass[d[i]]&classSpace != 0 {
			i++
		}
		if i >= len(d) {
			return tokEOF, s.errorf("标签 <%s> 没有结束", qname)
		}
		if d[i] == '>' {
			i++
			break
		}
		if d[i] == '/' {
			if i+1 >= len(d) || d[i+1] != '>' {
				return tokEOF, s.errorf("标签 <%s> 中的 / 后面应是 >", qname)
			}
			selfClose = true
			i += 2
			break
		}
		if len(s.attrs) >= maxXMLAttrs {
			return tokEOF, s.errorf("标签 <%s> 的属性过多", qname)
		}
		nameStart := i
		for i < len(d) && xmlClass[d[i]]&(classNameEnd|classBad) == 0 {
			i++
		}
		name := d[nameStart:i]
		if i < len(d) && xmlClass[d[i]]&classBad != 0 {
			return tokEOF, s.errorf("标签 <%s> 的属性名中有非法字符", qname)
		}
		for i < len(d) && xmlClass[d[i]]&classSpace != 0 {
			i++
		}
		if len(name) == 0 || i >= len(d) || d[i] != '=' {
			return tokEOF, s.errorf("标签 <%s> 的属性 %s 没有值", qname, name)
		}
		i++
		for i < len(d) && xmlClass[d[i]]&classSpace != 0 {
			i++
		}
		if i >= len(d) || (d[i] != '"' && d[i] != '\'') {
			return tokEOF, s.errorf("标签 <%s> 的属性 %s 的值没有引号", qname, name)
		}
		q := d[i]
		end := bytes.IndexByte(d[i+1:], q)
		if end < 0 {
			return tokEOF, s.errorf("标签 <%s> 的属性 %s 的值没有结束", qname, name)
		}
		value := d[i+1 : i+1+end]
		if bytes.IndexByte(value, '<') >= 0 {
			return tokEOF, s.errorf("标签 <%s> 的属性 %s 的值中有 <", qname, name)
		}
		i += 1 + end + 1
		prefix, local := splitQName(name)
		s.attrs = append(s.attrs, xmlAttr{prefix: prefix, local: local, value: value})
	}
	if len(s.open) >= maxXMLDepth {
		return tokEOF, s.errorf("元素嵌套超过 %d 层", maxXMLDepth)
	}
	s.pos = i
	s.open = append(s.open, qname)
	s.rooted = true
	for _, a := range s.attrs {
		var prefix []byte
		switch {
		case len(a.prefix) == 0 && string(a.local) == "xmlns":
			prefix = []byte{}
		case string(a.prefix) == "xmlns":
			prefix = a.local
		default:
			continue
		}
		s.bindings = append(s.bindings, nsBinding{prefix: prefix, ns: namespaces[string(a.value)], depth: len(s.open)})
		s.cacheOK = false
	}
	prefix, local := splitQName(qname)
	s.ns, s.local = s.resolve(prefix), local
	s.pendingEnd = selfClose
	return tokStart, nil
}

// endTag reads "</name>" at s.pos.
func (s *xmlScanner) endTag() (tokenKind, error) {
	d := s.data
	end := bytes.IndexByte(d[s.pos:], '>')
	if end < 0 {
		return tokEOF, s.errorf("结束标签没有结束")
	}
	qname := d[s.pos+2 : s.pos+end]
	for len(qname) > 0 && xmlClass[qname[len(qname)-1]]&classSpace != 0 {
		qname = qname[:len(qname)-1]
	}
	if len(s.open) == 0 {
		return tokEOF, s.errorf("多余的结束标签 </%s>", qname)
	}
	if top := s.open[len(s.open)-1]; !bytes.Equal(qname, top) {
		return tokEOF, s.errorf("结束标签 </%s> 与开始标签 <%s> 不匹配", qname, top)
	}
	s.pos += end + 1
	prefix, local := splitQName(qname)
	s.ns, s.local = s.resolve(prefix), local
	s.pop()
	return tokEnd, nil
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

func splitQName(name []byte) (prefix, local []byte) {
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		return name[:i], name[i+1:]
	}
	return nil, name
}

// resolve returns the namespace bound to prefix ("" for the default one).
func (s *xmlScanner) resolve(prefix []byte) xmlNS {
	if s.cacheOK && bytes.Equal(prefix, s.cachePrefix) {
		return s.cacheNS
	}
	ns := nsNone
	for i := len(s.bindings) - 1; i >= 0; i-- {
		if bytes.Equal(s.bindings[i].prefix, prefix) {
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
	for _, a := range s.attrs {
		if string(a.local) != local {
			continue
		}
		var ans xmlNS
		if len(a.prefix) > 0 {
			if string(a.prefix) == "xmlns" {
				continue
			}
			ans = s.resolve(a.prefix)
		}
		if ans == ns || (ns == nsW && len(a.prefix) == 0) {
			if bytes.IndexByte(a.value, '&') < 0 && bytes.IndexByte(a.value, '\r') < 0 && utf8.Valid(a.value) {
				return string(a.value), true
			}
			v, err := appendXMLText(nil, a.value, false)
			if err != nil {
				return "", false
			}
			return string(v), true
		}
	}
	return "", false
}

// appendText appends the decoded text of the current tokText to dst.
func (s *xmlScanner) appendText(dst []byte) ([]byte, error) {
	out, err := appendXMLText(dst, s.text, s.cdata)
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
		i := bytes.IndexByte(d[s.pos:], '<')
		if i < 0 {
			s.pos = len(d)
			return s.errorf("文件在 <%s> 结束之前中断", s.open[len(s.open)-1])
		}
		s.pos += i
		if s.pos+1 >= len(d) {
			return s.errorf("文件在标签中间中断")
		}
		switch d[s.pos+1] {
		case '/':
			if _, err := s.endTag(); err != nil {
				return err
			}
			if len(s.open) == base {
				return nil
			}
		case '?':
			if err := s.procInst(); err != nil {
				return err
			}
		case '!':
			tok, err := s.next()
			if err != nil {
				return err
			}
			if tok != tokText {
				// next read a comment and then the tag after it; nothing
				// but a start or end tag can follow.
				if tok == tokEnd && len(s.open) == base {
					return nil
				}
				if tok == tokStart && s.pendingEnd {
					s.pendingEnd = false
					s.pop()
				}
			}
		default:
			if err := s.skipStartTag(); err != nil {
				return err
			}
		}
	}
}

// skipStartTag passes over the start tag at s.pos, opening it unless it closes
// itself, without reading its attributes.
func (s *xmlScanner) skipStartTag() error {
	d := s.data
	i := s.pos + 1
	for i < len(d) && xmlClass[d[i]]&classNameEnd == 0 {
		i++
	}
	qname := d[s.pos+1 : i]
	if len(qname) == 0 {
		return s.errorf("标签名为空")
	}
	// Find the closing '>', jumping over quoted attribute values, which may
	// hold '>'.
	for {
		for i < len(d) && d[i] != '>' && d[i] != '"' && d[i] != '\'' {
			if d[i] == '<' {
				return s.errorf("标签 <%s> 没有结束", qname)
			}
			i++
		}
		if i >= len(d) {
			return s.errorf("标签 <%s> 没有结束", qname)
		}
		if d[i] == '>' {
			break
		}
		end := bytes.IndexByte(d[i+1:], d[i])
		if end < 0 {
			return s.errorf("标签 <%s> 的属性值没有结束", qname)
		}
		i += end + 2
	}
	selfClose := d[i-1] == '/'
	s.pos = i + 1
	if !selfClose {
		if len(s.open) >= maxXMLDepth {
			return s.errorf("元素嵌套超过 %d 层", maxXMLDepth)
		}
		s.open = append(s.open, qname)
	}
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
		t[c] |= classBad
	}
	return t
}()

const (
	classSpace   = 1 << iota // XML white space
	classNameEnd             // ends a tag or attribute name
	classBad                 // cannot appear in a name
)

// appendXMLText decodes raw character data: entity and character references
// (unless cdata), and line ends ("\r\n" and "\r" become "\n"). It refuses text
// that is not UTF-8 or holds control characters XML does not allow.
func appendXMLText(dst, raw []byte, cdata bool) ([]byte, error) {
	for _, b := range raw {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
			return dst, fmt.Errorf("文本中有非法的控制字符 0x%02X", b)
		}
	}
	if !utf8.Valid(raw) {
		return dst, errors.New("文本不是有效的 UTF-8")
	}
	for len(raw) > 0 {
		i := bytes.IndexAny(raw, "&\r")
		if cdata {
			i = bytes.IndexByte(raw, '\r')
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
			r, ok := charRef(ref)
			if !ok {
				return dst, fmt.Errorf("未知的实体引用 &%s;", ref)
			}
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst, nil
}

// charRef decodes the body of a character reference: "#65" or "#x41".
func charRef(ref []byte) (rune, bool) {
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
