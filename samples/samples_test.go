package samples

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestSamplesAreTheTestDocuments: the demo embeds the very documents the
// extraction's golden tests read from testdata/, so what the demo shows is
// what the tests check.
func TestSamplesAreTheTestDocuments(t *testing.T) {
	for _, name := range []string{PlanReport, Decomposition, WorkReport} {
		embedded, err := fs.ReadFile(Files, name)
		if err != nil {
			t.Fatal(err)
		}
		tested, err := os.ReadFile(filepath.Join("..", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(embedded, tested) {
			t.Errorf("samples/%s differs from testdata/%s", name, name)
		}
	}
}
