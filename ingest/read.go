package ingest

import (
	"bytes"
	"path/filepath"
	"strconv"
	"strings"
)

// Extract reads one document in any supported format and interprets it. The
// format is told by the file's content (a zip holding word/ or xl/ parts) and then
// by its name; everything else is read as text.
func Extract(name string, data []byte, lim Limits) (*Extraction, error) {
	doc, err := Read(name, data, lim)
	if err != nil {
		return nil, err
	}
	return Interpret(doc)
}

// Read turns a file into a Doc, choosing the reader by content and name.
func Read(name string, data []byte, lim Limits) (*Doc, error) {
	if lim.MaxFileBytes > 0 && int64(len(data)) > lim.MaxFileBytes {
		return nil, &Error{File: name, Msg: "文件过大（上限 " + strconv.FormatInt(lim.MaxFileBytes>>20, 10) + " MB）"}
	}
	ext := strings.ToLower(filepath.Ext(name))
	isZip := bytes.HasPrefix(data, []byte("PK\x03\x04"))
	switch {
	case ext == ".docx" || isZip && bytes.Contains(data[:min(len(data), 4096)], []byte("word/")):
		return ReadDOCX(name, data, lim)
	case ext == ".xlsx" || isZip && bytes.Contains(data[:min(len(data), 4096)], []byte("xl/")):
		return ReadXLSX(name, data, lim)
	case ext == ".doc" || ext == ".wps" || ext == ".xls" || ext == ".ofd" || ext == ".pdf":
		return nil, &Error{File: name, Msg: "不支持 " + ext + " 格式；请另存为 .docx、.xlsx 或 .txt 后再导入"}
	case isZip:
		return nil, &Error{File: name, Msg: "压缩文件中没有 Word 或 Excel 文档内容"}
	}
	return ReadText(name, data, lim)
}
