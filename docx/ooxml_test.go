package docx_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strings"
	"testing"
)

// node is an XML element read for a test: its local name, its attributes by
// local name, its children and its character data.
type node struct {
	Name string
	Attr map[string]string
	Kids []*node
	Text string
}

// parseXML parses data into a tree, failing the test if it is not well formed.
func parseXML(t *testing.T, name string, data []byte) *node {
	t.Helper()
	root, err := parseTree(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return root
}

// parseTree parses data strictly with encoding/xml into a tree.
func parseTree(data []byte) (*node, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var root *node
	var open []*node
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{Name: tok.Name.Local, Attr: map[string]string{}}
			for _, a := range tok.Attr {
				n.Attr[a.Name.Local] = a.Value
			}
			if len(open) == 0 {
				if root != nil {
					return nil, errors.New("two root elements")
				}
				root = n
			} else {
				parent := open[len(open)-1]
				parent.Kids = append(parent.Kids, n)
			}
			open = append(open, n)
		case xml.EndElement:
			open = open[:len(open)-1]
		case xml.CharData:
			if len(open) > 0 {
				open[len(open)-1].Text += string(tok)
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}

// all returns n and its descendants named name, in document order.
func (n *node) all(name string) []*node {
	var found []*node
	if n.Name == name {
		found = append(found, n)
	}
	for _, k := range n.Kids {
		found = append(found, k.all(name)...)
	}
	return found
}

// first returns the first of n and its descendants named name, or nil.
func (n *node) first(name string) *node {
	if all := n.all(name); len(all) > 0 {
		return all[0]
	}
	return nil
}

// child returns the first direct child named name, or nil.
func (n *node) child(name string) *node {
	for _, k := range n.Kids {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// text returns the text of the w:t elements under n, joined.
func (n *node) text() string {
	var b strings.Builder
	for _, t := range n.all("t") {
		b.WriteString(t.Text)
	}
	return b.String()
}

// unzip returns the files of a .docx by name, failing the test on a bad zip.
func unzip(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	files, err := unzipFiles(data)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// unzipFiles returns the files of a zip archive by name.
func unzipFiles(data []byte) (map[string][]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		files[f.Name] = b
	}
	return files, nil
}

// parts unzips a .docx and parses every part, failing the test on any that is
// not well-formed XML.
func parts(t *testing.T, data []byte) map[string]*node {
	t.Helper()
	trees := map[string]*node{}
	for name, b := range unzip(t, data) {
		trees[name] = parseXML(t, name, b)
	}
	return trees
}

// checkPackage checks that the parts named in [Content_Types].xml and in the
// relationships exist, and that every part has a content type.
func checkPackage(t *testing.T, trees map[string]*node) {
	t.Helper()
	types := trees["[Content_Types].xml"]
	if types == nil {
		t.Fatal("no [Content_Types].xml")
	}
	overrides := map[string]bool{}
	for _, o := range types.all("Override") {
		name := strings.TrimPrefix(o.Attr["PartName"], "/")
		overrides[name] = true
		if trees[name] == nil {
			t.Errorf("[Content_Types].xml names missing part %s", name)
		}
	}
	for name := range trees {
		if !overrides[name] && !strings.HasSuffix(name, ".rels") && name != "[Content_Types].xml" {
			t.Errorf("part %s has no content type", name)
		}
	}
	for name, tree := range trees {
		if !strings.HasSuffix(name, ".rels") {
			continue
		}
		// _rels/.rels points from the root, word/_rels/x.rels from word/.
		base := path.Dir(path.Dir(name))
		for _, r := range tree.all("Relationship") {
			target := path.Join(base, r.Attr["Target"])
			if trees[target] == nil {
				t.Errorf("%s: relationship %s points at missing %s", name, r.Attr["Id"], target)
			}
		}
	}
}
