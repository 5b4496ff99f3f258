package draft

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"duban/ingest"
)

// A task of this year reads much like a task of last year, and is mostly
// given to the same leader and units. The Index compares texts by their
// Chinese character bigrams weighted by rarity (tf-idf, cosine): "绿色金融"
// says more than "推进". A unit is proposed by the earlier tasks most like the
// new one (their similarity, squared, summed), by how like the new task are all
// the tasks the unit led (the centroid of its tasks), and by its own name
// written in the task ("金融" in 区金融办).

// Tuning of the proposals, measured by leave-one-out on the decompositions of
// testdata (docs/EXTRACT-QUALITY.md, "Drafting").
var (
	// minSimilarity is the least similarity of an earlier task that counts as
	// a basis: below it the texts share only the words every task uses.
	minSimilarity = 0.12
	// neighbours is the number of most similar earlier tasks that vote.
	neighbours = 8
	// centroidWeight weighs the likeness of a unit's tasks as a whole.
	centroidWeight = 0.6
	// nameWeight weighs a unit's name written in the task.
	nameWeight = 0.15
	// groupWeight weighs the units of the tasks under a like heading:
	// the same sub-group (or section) of an earlier decomposition.
	groupWeight = 0.08
	// basisShown is the number of earlier tasks a suggestion shows as basis.
	basisShown = 3
)

// Basis is an earlier task behind a suggestion, with its similarity (0–1).
type Basis struct {
	Source string  `json:"source"`
	Number int     `json:"number"`
	Line   int     `json:"line"`
	Score  float64 `json:"score"`

	Section string `json:"-"`
	Content string `json:"-"`
}

// Candidate is a proposed leader or unit with its score: the evidence for it,
// not a probability.
type Candidate struct {
	Name  string  `json:"name"`
	Score float64 `json:"score"`
}

// Suggestion is what the Index proposes for one task: candidates best first,
// the earlier tasks behind them, and a confidence (0–1) in the first lead unit.
// Empty lists and a zero confidence mean no guess.
type Suggestion struct {
	Leaders          []Candidate
	LeadUnits        []Candidate
	ResponsibleUnits []Candidate
	// How many of each the earlier task most like this one had: the number
	// a draft proposes.
	LeaderCount, LeadCount, ResponsibleCount int
	Basis                                    []Basis
	Confidence                               float64
}

// Index holds earlier decompositions' tasks for suggestions. It is read-only
// after NewIndex and safe for concurrent use.
type Index struct {
	entries  []entry
	idf      map[term]float64
	postings map[term][]posting
	units    *unitNames
	// centroids of the tasks each lead unit led, as postings by term.
	centroids map[term][]posting
	leadUnits []string
	known     map[string]bool   // every unit named in the history
	cores     map[string][]rune // unit → the core of its name ("金融" of 区金融办)
	// sections are the section and sub-group headings of the history, each
	// with the lead units of its tasks.
	sections []groupEntry
}

type entry struct {
	source                string
	task                  ingest.Task
	norm                  float64
	leaders, leads, resps []string
}

type posting struct {
	i int // entry, or unit in leadUnits for centroids
	w float64
}

// NewIndex indexes the tasks of earlier decompositions. aliases maps other
// names of a unit to the name to use (区政服办 → 区政务服务办); unit names of
// the history are also merged where one is the other written short (same
// rule as the reader's). Extractions that are not decompositions add what
// tasks they have, usually none.
func NewIndex(history []*ingest.Extraction, aliases map[string]string) *Index {
	ix := &Index{idf: map[term]float64{}, postings: map[term][]posting{}, centroids: map[term][]posting{}, cores: map[string][]rune{}}
	var all []string
	for _, x := range history {
		for _, t := range x.Tasks {
			all = append(all, t.LeadUnits...)
			all = append(all, t.ResponsibleUnits...)
		}
	}
	ix.units = newUnitNames(all, aliases)
	var vecs []map[term]float64
	df := map[term]int{}
	for _, x := range history {
		for _, t := range x.Tasks {
			tf := bigrams(taskText(t))
			if len(tf) == 0 {
				continue
			}
			for g := range tf {
				df[g]++
			}
			vecs = append(vecs, tf)
			ix.entries = append(ix.entries, entry{
				source:  x.Source,
				task:    t,
				leaders: canonicalPeople(t.Leaders),
				leads:   ix.units.canonical(t.LeadUnits),
				resps:   ix.units.canonical(t.ResponsibleUnits),
			})
		}
	}
	n := float64(len(ix.entries))
	for g, d := range df {
		ix.idf[g] = math.Log(1 + n/float64(d))
	}
	sums := map[string]map[term]float64{}
	for i, tf := range vecs {
		v := ix.weigh(tf)
		for g, w := range v {
			ix.postings[g] = append(ix.postings[g], posting{i, w})
		}
		for _, u := range ix.entries[i].leads {
			if sums[u] == nil {
				sums[u] = map[term]float64{}
			}
			for g, w := range v {
				sums[u][g] += w
			}
		}
	}
	for u := range sums {
		ix.leadUnits = append(ix.leadUnits, u)
	}
	sort.Strings(ix.leadUnits)
	for k, u := range ix.leadUnits {
		s := normalize(sums[u])
		for g, w := range s {
			ix.centroids[g] = append(ix.centroids[g], posting{k, w})
		}
	}
	ix.known = map[string]bool{}
	for _, e := range ix.entries {
		for _, u := range slices.Concat(e.leads, e.resps) {
			ix.known[u] = true
			if _, ok := ix.cores[u]; !ok {
				if c := unitCore(u); c != "" {
					ix.cores[u] = []rune(c)
				}
			}
		}
	}
	ix.indexGroups()
	return ix
}

// Len returns the number of earlier tasks indexed.
func (ix *Index) Len() int { return len(ix.entries) }

// weigh turns term counts into a unit-length tf-idf vector.
func (ix *Index) weigh(tf map[term]float64) map[term]float64 {
	v := make(map[term]float64, len(tf))
	for g, c := range tf {
		if idf := ix.idf[g]; idf > 0 {
			v[g] = (1 + math.Log(c)) * idf
		}
	}
	return normalize(v)
}

// Suggest proposes leaders and units for a task from the earlier tasks most
// like it. A task like none of them gets an empty Suggestion.
func (ix *Index) Suggest(t ingest.Task) Suggestion {
	var sug Suggestion
	tf := bigrams(taskText(t))
	q := ix.weigh(tf)
	if len(q) == 0 || len(ix.entries) == 0 {
		return sug
	}
	sims := map[int]float64{}
	for g, w := range q {
		for _, p := range ix.postings[g] {
			sims[p.i] += w * p.w
		}
	}
	type hit struct {
		i   int
		sim float64
	}
	var hits []hit
	for i, s := range sims {
		if s >= minSimilarity {
			hits = append(hits, hit{i, s})
		}
	}
	sort.Slice(hits, func(a, b int) bool {
		if hits[a].sim != hits[b].sim {
			return hits[a].sim > hits[b].sim
		}
		return hits[a].i < hits[b].i
	})
	if len(hits) > neighbours {
		hits = hits[:neighbours]
	}
	content := []rune(normText(t.Content))
	named := map[string]float64{}
	for u, core := range ix.cores {
		// Only a name sharing two characters in a row with the task can
		// be written in it.
		shares := false
		for i := 1; i < len(core) && !shares; i++ {
			_, shares = tf[term(core[i-1])<<32|term(core[i])]
		}
		if !shares {
			continue
		}
		if n := commonRun(core, content); n >= 3 || n >= 2 && n == len(core) {
			named[u] = nameWeight * math.Min(1, float64(n)/6)
		}
	}
	group := ix.groupVotes(t)
	if len(hits) == 0 && len(named) == 0 && len(group) == 0 {
		return sug
	}
	leaders, leads, resps := map[string]float64{}, map[string]float64{}, map[string]float64{}
	for _, h := range hits {
		e := ix.entries[h.i]
		w := h.sim * h.sim
		for _, p := range e.leaders {
			leaders[p] += w
		}
		for _, u := range e.leads {
			leads[u] += w
		}
		for _, u := range e.resps {
			resps[u] += w
		}
	}
	if len(hits) > 0 {
		cs := map[int]float64{}
		for g, w := range q {
			for _, p := range ix.centroids[g] {
				cs[p.i] += w * p.w
			}
		}
		for k, s := range cs {
			if s >= minSimilarity {
				leads[ix.leadUnits[k]] += centroidWeight * s * s
			}
		}
	}
	for u, w := range named {
		if slices.Contains(ix.leadUnits, u) {
			leads[u] += w
		} else {
			resps[u] += w / 2
		}
	}
	for u, w := range group {
		leads[u] += w
	}
	sug.Leaders = ranked(leaders)
	sug.LeadUnits = ranked(leads)
	sug.ResponsibleUnits = ranked(resps)
	for _, c := range sug.LeadUnits {
		delete(resps, c.Name)
	}
	if len(hits) > 0 {
		best := ix.entries[hits[0].i]
		sug.LeaderCount, sug.LeadCount, sug.ResponsibleCount = len(best.leaders), len(best.leads), len(best.resps)
	}
	sug.LeadCount = max(sug.LeadCount, 1)
	for k, h := range hits {
		if k == basisShown {
			break
		}
		e := ix.entries[h.i]
		sug.Basis = append(sug.Basis, Basis{Source: e.source, Number: e.task.Number, Line: e.task.Line, Score: round3(h.sim),
			Section: e.task.Section, Content: e.task.Content})
	}
	if len(sug.LeadUnits) > 0 {
		total := 0.0
		for _, c := range sug.LeadUnits {
			total += c.Score
		}
		top := 0.0
		if len(hits) > 0 {
			top = hits[0].sim
		}
		sug.Confidence = round3(sug.LeadUnits[0].Score / total * math.Min(1, 0.3+top))
	}
	return sug
}

// ranked returns the candidates best first, ties by name.
func ranked(scores map[string]float64) []Candidate {
	out := make([]Candidate, 0, len(scores))
	for n, s := range scores {
		out = append(out, Candidate{n, round3(s)})
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Score != out[b].Score {
			return out[a].Score > out[b].Score
		}
		return out[a].Name < out[b].Name
	})
	return out
}

// pick returns the names a draft proposes: at most n of the candidates, each
// scoring at least half the first.
func pick(cs []Candidate, n int) []string {
	out := []string{}
	for _, c := range cs {
		if len(out) == n || len(cs) > 0 && c.Score < cs[0].Score/2 {
			break
		}
		out = append(out, c.Name)
	}
	return out
}

// taskText is what a task is compared by: its sub-heading and content.
func taskText(t ingest.Task) string {
	if t.Subsection != nil {
		return *t.Subsection + "。" + t.Content
	}
	return t.Content
}

// term is a bigram: two characters in one number.
type term uint64

// bigrams counts the bigrams of the Chinese characters and letters of s;
// digits and punctuation end a run, since figures change from year to year.
func bigrams(s string) map[term]float64 {
	out := map[term]float64{}
	var prev rune
	for _, r := range s {
		if !isHan(r) && !unicode.IsLetter(r) {
			prev = 0
			continue
		}
		if prev != 0 {
			out[term(prev)<<32|term(r)]++
		}
		prev = r
	}
	return out
}

func normalize(v map[term]float64) map[term]float64 {
	s := 0.0
	for _, w := range v {
		s += w * w
	}
	if s == 0 {
		return v
	}
	s = math.Sqrt(s)
	for g := range v {
		v[g] /= s
	}
	return v
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

// normText removes white space, so "陈  平" is 陈平 and "增长 6%" is 增长6%.
func normText(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func canonicalPeople(names []string) []string {
	out := []string{}
	for _, n := range names {
		if n = normText(n); n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// unitCore is the part of a unit's name that says what it does: without the
// level of government and the kind of body ("金融" of 区金融办, "商务" of
// 区商务委). Cores shorter than two characters say nothing.
func unitCore(u string) string {
	c := u
	for _, p := range adminPrefixes {
		if strings.HasPrefix(c, p) {
			c = c[len(p):]
			break
		}
	}
	for _, s := range []string{"管理委员会", "委员会", "管委会", "办公室", "服务中心", "中心", "分局", "支队", "公司", "集团", "街道", "局", "委", "办", "厅"} {
		if strings.HasSuffix(c, s) {
			c = strings.TrimSuffix(c, s)
			break
		}
	}
	if utf8.RuneCountInString(c) < 2 || strings.Contains(c, "各") {
		return ""
	}
	return c
}

// groupEntry is a heading of the history with the lead units of its tasks.
type groupEntry struct {
	vec   map[term]float64
	leads map[string]float64 // unit → share of the heading's tasks it led
	sub   bool
}

func (ix *Index) indexGroups() {
	type acc struct {
		text  string
		sub   bool
		n     int
		leads map[string]float64
	}
	byKey := map[string]*acc{}
	var keys []string
	for _, e := range ix.entries {
		heads := []struct {
			key, text string
			sub       bool
		}{{e.source + "\x00" + e.task.Section, e.task.Section, false}}
		if e.task.Subsection != nil {
			heads = append(heads, struct {
				key, text string
				sub       bool
			}{e.source + "\x00" + e.task.Section + "\x00" + *e.task.Subsection, *e.task.Subsection, true})
		}
		for _, h := range heads {
			a := byKey[h.key]
			if a == nil {
				a = &acc{text: h.text, sub: h.sub, leads: map[string]float64{}}
				byKey[h.key] = a
				keys = append(keys, h.key)
			}
			a.n++
			for _, u := range e.leads {
				a.leads[u]++
			}
		}
	}
	for _, k := range keys {
		a := byKey[k]
		for u := range a.leads {
			a.leads[u] /= float64(a.n)
		}
		ix.sections = append(ix.sections, groupEntry{vec: normalize(bigrams(stripOrdinal(a.text))), leads: a.leads, sub: a.sub})
	}
}

// groupVotes returns the votes for lead units of the headings like the
// task's section and sub-group.
func (ix *Index) groupVotes(t ingest.Task) map[string]float64 {
	out := map[string]float64{}
	qs := []struct {
		vec map[term]float64
		sub bool
	}{{normalize(bigrams(stripOrdinal(t.Section))), false}}
	if t.Subsection != nil {
		qs = append(qs, struct {
			vec map[term]float64
			sub bool
		}{normalize(bigrams(*t.Subsection)), true})
	}
	for _, q := range qs {
		if len(q.vec) == 0 {
			continue
		}
		for _, g := range ix.sections {
			if g.sub != q.sub {
				continue
			}
			s := 0.0
			for b, w := range q.vec {
				s += w * g.vec[b]
			}
			if s < 0.5 {
				continue
			}
			for u, share := range g.leads {
				out[u] += groupWeight * s * share
			}
		}
	}
	return out
}

// stripOrdinal removes the "一、" of a section heading.
func stripOrdinal(s string) string {
	if o := sectionOrdinal(s); o != "" {
		return s[len(o):]
	}
	return s
}

// commonRun returns the length of the longest run of characters that a and
// b share.
func commonRun(a, b []rune) int {
	best := 0
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
				best = max(best, cur[j+1])
			} else {
				cur[j+1] = 0
			}
		}
		prev, cur = cur, prev
	}
	return best
}
