// Package calendar holds the days of reporting: civil dates, an organisation's
// working calendar (工作日, 节假日 and the weekend days worked in exchange, 调休)
// and the reporting cycles (填报周期) a schedule opens in a year, with their due
// dates moved off days off and their grace windows (宽限期).
//
// Everything is a pure function of its arguments: no clock, no files, no store.
// Dates are civil dates in the organisation's time zone; the caller turns an
// instant into a Date with DateOf after converting it to that zone.
//
// Glossary:
//   - 填报周期 reporting cycle; 月报 monthly, 季报 quarterly, 半年报 semiannual
//   - 截止日期 due date; 宽限期 grace window; 顺延 moved after a day off
//   - 法定节假日 public holiday; 调休 a weekend day worked in exchange for one
//
// The package imports only the standard library and duban.
package calendar
