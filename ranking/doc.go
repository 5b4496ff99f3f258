// Package ranking scores the units and the leaders' portfolios of an
// organisation on its supervision record and ranks them (赛马比拼, the 一榜 of
// 一表一图一榜一报告): how timely their reports were, how far their tasks are,
// how the office rated their reports and how they answered its supervision
// notices, less deductions for returned reports and overdue items, plus a
// bonus for tasks closed early. Every score comes with a line per part that
// says how it was made, in Chinese and in English, and the rules themselves can
// be shown beside the ranking (Rules.Lines). History gives the ranking at the
// end of chosen days of the year, from what was known on each of them.
//
// Everything is a pure function of its arguments: no clock, no files, no store.
//
// # The parts of a score
//
// A score is the sum of four parts, each out of its weight, less the
// deductions, plus the bonus. With DefaultRules:
//
//	part                     weight  how it is made
//	-----------------------  ------  -----------------------------------------------------------
//	timeliness 按时报送          30  each report a task owes for a cycle whose due date has
//	                                 passed counts 1 when submitted by the due date, LateCredit
//	                                 (0.5) when submitted within the grace window, 0 when
//	                                 submitted after it or not at all; weight × credits ÷
//	                                 reports judged. A report not in while its grace window is
//	                                 still open is not judged yet.
//	completion 任务完成          40  each task counted scores its completion rate, at most 100%:
//	                                 1 when closed (销号) or done (its latest report says 100%,
//	                                 or Task.Status is done); else the percent of its latest
//	                                 report ÷ 序时进度 at the day that report stands at, or ÷ 100
//	                                 once the deadline has passed; 1 when its reports give no
//	                                 percent; 0 when nothing was reported; weight × the mean.
//	quality 报告质量             20  the mean of the office's 1–5 ratings (Review.Quality), on
//	                                 returns too, ÷ 5 × weight; with no rating at all the mean
//	                                 counts as Unrated (3, 合格).
//	notice 督办响应              10  each supervision notice (督办单) due counts 1 when answered
//	                                 by its deadline, LateCredit (0.5) when answered later, 0
//	                                 when unanswered; weight × credits ÷ notices judged. A
//	                                 notice answered or closed is judged; an open one once its
//	                                 deadline has passed.
//
//	deduction 扣分               each  at most
//	-------------------------  ------  -------
//	returned 退回报告               1        5  per review that returned a report
//	beyond_grace 超期未报           2       10  per report submitted after its grace window, or
//	                                            not at all once it is over
//	notice_overdue 督办逾期         2       10  per notice answered after its deadline, or not
//	                                            at all once it has passed
//	past_deadline 逾期未完成        3       15  per task past its deadline, neither closed nor
//	                                            done
//	all deductions                          30  DeductionCap; and no score goes below 0
//
//	bonus 加分                   each  at most
//	-------------------------  ------  -------
//	early_closure 提前销号          1        5  per task closed at least DaysAhead (30) days
//	                                            before its deadline
//
// So the scale is 100 points with up to 5 more for early closures (Result.Max
// is 105). An office changes any of it; a cap of 0 means the deduction has no
// cap of its own, a weight of 0 leaves the part out. A part with nothing to
// judge yet (no report past its grace window, no notice due) scores its full
// weight: nothing has been missed.
//
// A part's line reads, for example:
//   - 按时报送11/12期，得27.5分（满分30分）
//   - 参评任务8项：已销号2项，达到序时进度4项，落后序时进度2项；平均完成率87.5%，得35分（满分40分）
//   - 质量评分10次，平均4.2分，得16.8分（满分20分）
//   - 退回报告2次，每次扣1分，扣2分
//
// Each Part of an Entry has its points (negative for a deduction), and the
// points of the parts add up to the Score: the overall cap of the deductions
// and the floor at 0 are parts of their own when they apply. Points are
// rounded to hundredths, part by part.
//
// # Days
//
// A score is the standing at the end of Input.AsOf: every submission, review,
// response and closure made on that day or before counts, in the organisation's
// time zone (Input.Location), and a due date, grace end or deadline on that day
// or before has passed. For a live ranking pass yesterday (数据截至昨日), so
// that nobody is marked late for a day that is not over.
//
// A task counts (参评) once a cycle's due date has passed while it was open,
// its deadline has passed, or it is closed. A closed task owes no report for a
// cycle due on the day of its closure or later. A task's 序时进度 at a day is
// the share of the days from 1 January of its year to its deadline, both
// included, gone by at the end of that day; a report stands at the end of the
// period its cycle covers, or at the day it was submitted if that is earlier,
// as in package progress. Task.Deadline is the deadline in force (progress
// works it out from the 完成时限 and the approved extensions); the zero Date
// means 31 December of the task's year.
//
// A report's progress counts for completion while it is in: submitted,
// approved or waiting for evidence, not returned. Its percent is the one it has
// now: Input keeps no earlier submission.
//
// # Who answers for a task
//
// A task counts in full for each of its lead units (牵头单位): units named
// together lead together (共同牵头), and the one report a task makes for a cycle
// counts for all of them. A lead unit that is a group (各街道) with members in
// Input.Groups stands for its members, each of whom answers for the whole
// task (a member that is a group stands for its own members, each group
// once); a group without members counts as a unit of its own, so that its
// tasks are not lost from the ranking, and is otherwise not listed. Responsible units (责任单位) are not scored
// here. A supervision notice counts for the unit it was issued to when that
// unit leads the task, else for all the task's lead units.
//
// A leader's portfolio (分管) is the tasks that name the leader among their
// leaders (责任区领导), whichever unit leads them; a task with several leaders
// counts in full for each. Its parts are made the same way as a unit's.
//
// Units and leaders with no task counted yet are listed after the ranked ones
// as 未参评, with the reason (no task at all, or nothing due yet), and no rank.
//
// # Ties
//
// Ranks run from 1 without gaps or shared places, so that a ranking is always
// an order. Equal scores are ordered by the completion part, then by the
// timeliness part, both higher first, then by name (in Unicode order, which
// is not pinyin order) and by ID; Entry.TieBreak says which of these decided.
//
// # History
//
// History scores the organisation at the end of each of the given days, from
// what was known then: reports submitted by then, reviews made by then,
// notices issued and answered by then, tasks closed by then. Task.Status,
// which is known only as of Input.AsOf, counts only on days from Input.AsOf
// on. The cycles' grace ends are good days to chart, since on them each cycle
// is complete.
//
// Glossary:
//   - 赛马比拼 the contest of units; 一榜 the ranking; 年度考核 annual assessment
//   - 按时报送 timely reporting; 宽限期 grace window; 超期未报 missing beyond grace
//   - 任务完成 completion; 序时进度 time-proportional progress; 销号 closure
//   - 报告质量 report quality; 退回 returned; 督办单 supervision notice
//   - 扣分 deduction; 加分 bonus; 未参评 not assessed; 分管领导 the leader in charge
//
// The package imports only the standard library, duban and duban/calendar.
package ranking
