package progress

import (
	"sync"
	"sync/atomic"

	"duban/assess"
)

// polarityOf is assess.PolarityOf, remembering what it has computed: the
// presets and the names' keys cost microseconds each, and the same subjects
// come back in every task of every night. An override is looked up the same
// way: by name, then the first override name (in sorted order) with the same
// key.
func polarityOf(name string, overrides map[string]assess.Polarity) assess.Polarity {
	if p, ok := overrides[name]; ok && validPolarity(p) {
		return p
	}
	if len(overrides) > 0 {
		key := nameKey(name)
		best, found := "", false
		for n, p := range overrides {
			if validPolarity(p) && (!found || n < best) && nameKey(n) == key {
				best, found = n, true
			}
		}
		if found {
			return overrides[best]
		}
	}
	if p, ok := presets.Load(name); ok {
		return p.(assess.Polarity)
	}
	p := assess.PolarityOf(name, nil)
	remember(&presets, name, p)
	return p
}

func validPolarity(p assess.Polarity) bool {
	return p == assess.HigherIsBetter || p == assess.LowerIsBetter
}

// The memories of polarityOf, by indicator name. They stop growing at
// maxRemembered names each, which a government's indicators never reach.
var (
	presets, keys sync.Map
	remembered    atomic.Int64
)

const maxRemembered = 1 << 15

func nameKey(name string) string {
	if k, ok := keys.Load(name); ok {
		return k.(string)
	}
	k := assess.NormalizeName(name)
	remember(&keys, name, k)
	return k
}

func remember(m *sync.Map, name string, v any) {
	if remembered.Load() < maxRemembered {
		if _, loaded := m.LoadOrStore(name, v); !loaded {
			remembered.Add(1)
		}
	}
}
