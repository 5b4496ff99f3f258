package importer

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"duban"
	"duban/ingest"
)

// placeEnds are the characters a place name ends with: 重庆市, 渝中区, 云溪县,
// 宁夏回族自治区, 海西州, 阿拉善盟.
const placeEnds = "省市县区州旗盟"

var leadingYearRE = regexp.MustCompile(`^\s*(?:19|20)\d\d\s*年`)

// places returns the place names a government's name or a document's title
// starts with, from the largest: 重庆市渝中区人民政府办公室 gives 重庆市 and
// 渝中区. A place name is a few Chinese characters and the one that ends it,
// so 区人民政府办公室 names no place. A leading year (2021年重庆市…) is
// passed over.
func places(s string) []string {
	s = leadingYearRE.ReplaceAllString(s, "")
	s = strings.TrimPrefix(strings.Map(dropSpace, s), "中共")
	var out []string
	var name []rune
	for _, r := range s {
		if strings.ContainsRune(placeEnds, r) {
			p := string(name) + string(r)
			if len(name) == 0 || strings.Contains(p, "政府") || strings.Contains(p, "人民") || strings.Contains(p, "关于") {
				break
			}
			out = append(out, p)
			name = name[:0]
			continue
		}
		if !unicode.Is(unicode.Han, r) || len(name) == 8 {
			break
		}
		name = append(name, r)
	}
	return out
}

// samePlace reports whether two place names name the same place, one
// perhaps with more of the name (重庆市渝中区, 渝中区).
func samePlace(a, b string) bool {
	return a == b || strings.HasSuffix(a, b) || strings.HasSuffix(b, a)
}

// issuerMismatch compares the place the document's issuer (or, without one,
// its title) names last — the government that issued it — with the
// organisation's. An issuer that names no place (区人民政府办公室) is no
// mismatch.
func issuerMismatch(x *ingest.Extraction, org string) *Mismatch {
	issuer := x.Title
	if x.Issuer != nil && *x.Issuer != "" {
		issuer = *x.Issuer
	}
	doc := places(issuer)
	if len(doc) == 0 {
		return nil
	}
	place := doc[len(doc)-1]
	own := org
	if ps := places(org); len(ps) > 0 {
		own = ps[len(ps)-1]
	} else if strings.HasPrefix(place, own) {
		return nil // 渝中 for 渝中区
	}
	if samePlace(place, own) {
		return nil
	}
	return &Mismatch{Kind: MismatchIssuer, Document: place, Ledger: org,
		Message: fmt.Sprintf("发文机关“%s”属于%s，不是本单位（%s）：确认导入后，其任务将记入%s的台账", issuer, place, org, org)}
}

// currentYear is the year of the service's clock.
func (s *Service) currentYear() int {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	loc := s.Location
	if loc == nil {
		loc = time.Local
	}
	return now().In(loc).Year()
}

// ledgerYears lists the years the organisation holds tasks of. Tasks come
// only from imports, so only the years of its documents are asked about;
// the document's own year is known from st.
func (s *Service) ledgerYears(ctx context.Context, a duban.Actor, orgID int64, docs []*duban.Document, year int, st *ledgerState) ([]int, error) {
	var years []int
	if len(st.tasks) > 0 {
		years = append(years, year)
	}
	for _, d := range docs {
		if d.Year == year || slices.Contains(years, d.Year) || d.Year == 0 {
			continue
		}
		y := d.Year
		_, total, err := s.Store.FindTasks(ctx, a, duban.TaskFilter{OrgID: orgID, Year: &y, Limit: 1})
		if err != nil {
			return nil, fmt.Errorf("load years: %w", err)
		}
		if total > 0 {
			years = append(years, y)
		}
	}
	return years, nil
}

// yearMismatch says when a document's year is neither the current year nor
// one the ledger holds tasks of, and what confirming does to the year the
// pages show by default.
func yearMismatch(year, current int, years []int, createsTasks bool) *Mismatch {
	if year == current || slices.Contains(years, year) {
		return nil
	}
	before := duban.DefaultYear(years, current)
	after := before
	if createsTasks {
		after = duban.DefaultYear(append(slices.Clone(years), year), current)
	}
	m := &Mismatch{Kind: MismatchYear, Document: strconv.Itoa(year), Ledger: strconv.Itoa(before), DefaultYear: &after}
	held := "台账中没有该年度的任务"
	if len(years) > 0 {
		held = "台账中也没有该年度的任务"
	}
	effect := fmt.Sprintf("各页面仍默认显示%d年", before)
	if after != before {
		effect = fmt.Sprintf("各页面默认显示的年度将由%d年变为%d年", before, after)
	}
	m.Message = fmt.Sprintf("文件所属年度为%d年，不是本年度（%d年），%s：确认导入后，%s", year, current, held, effect)
	return m
}
