package synth

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"duban/store/internal/check"
)

func TestPlan(t *testing.T) {
	p := Plan(7, 2024, 194, 1)
	if diff := cmp.Diff(p, Plan(7, 2024, 194, 1)); diff != "" {
		t.Errorf("the same arguments gave another plan:\n%s", diff)
	}
	if err := check.Plan(p); err != nil {
		t.Fatalf("plan does not pass the stores' checks: %v", err)
	}
	if len(p.Tasks) != 194 || len(p.NewPeople) != 15 {
		t.Errorf("plan has %d tasks and %d people", len(p.Tasks), len(p.NewPeople))
	}
	units := map[string]bool{}
	for _, u := range p.NewUnits {
		units[u.Name] = true
		for _, a := range u.Aliases {
			units[a] = true
		}
	}
	for _, pt := range p.Tasks {
		for _, n := range append(pt.LeadUnitNames, pt.ResponsibleUnitNames...) {
			if !units[n] {
				t.Fatalf("task %s %d names unknown unit %q", pt.Section, pt.Number, n)
			}
		}
	}
	if string(Plan(7, 2024, 194, 2).Document.Content) == string(p.Document.Content) {
		t.Error("another seed gave the same document")
	}
}
