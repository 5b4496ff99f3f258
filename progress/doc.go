// Package progress derives where a task stands from its reports — its status,
// its green–yellow–red light (红黄绿灯) with the rules behind it in words — and
// the reminders (催办) its reporting calls for. It also reads the 完成时限 of a
// task as decompositions write it (ParseDeadline).
//
// Everything is a pure function of its arguments: no clock, no files, no store.
// Status is never typed by hand: Derive computes it.
//
// # The rules of the light
//
// Derive checks the rules below as of Today. The light is the worst light among
// the rules that hold. Result.Rules lists them worst first, in Chinese and in
// English; the green ones only when nothing is red or yellow.
//
//	rule                when                                                    light   makes the task
//	------------------  ------------------------------------------------------  ------  --------------
//	closed              the task is closed (销号): no other rule is checked     none    closed
//	done                the latest approved report says 100%, or every          green   done
//	                    quantitative target's latest approved figure meets it
//	                    (see below): no other rule is checked
//	deadline_passed     Today is after the deadline in force                    red     behind
//	report_missing      the latest cycle whose due date is past has no report   red     behind
//	                    and its grace window is over
//	report_returned     that cycle's report was returned and is not             red     behind
//	                    resubmitted by the end of its grace window
//	progress, target    the latest progress lags 序时进度 by more than RedGap   red     behind
//	                    points (default 20)
//	deadline_passed     after the deadline, but the latest report says 100%     yellow  —
//	                    and waits for approval
//	report_overdue      that cycle's report is missing, within its grace        yellow  —
//	report_returned     that cycle's report was returned, within its grace;     yellow  —
//	                    or the next cycle's, before its due date
//	evidence_requested  the office asked for evidence on that cycle's report    yellow  —
//	                    or the next cycle's
//	report_due_soon     the next cycle is due within DueSoonDays (default 3     yellow  —
//	                    calendar days, today included) and its report is not in
//	progress, target    the latest progress lags 序时进度 by more than          yellow  behind
//	                    YellowGap points (default 10); a rate short of target
//	reported            the latest cycle past its due date has its report       green   —
//	progress, target    progress within YellowGap of 序时进度, or ahead of it   green   —
//	not_started         nothing of the above: nothing to judge yet              none    —
//
// The status is, in this order: closed; done; behind when a rule of the last
// column says so; not_started when no report has been submitted yet or the
// latest says 0%; on_track otherwise. So a report due soon or a few days late
// keeps a task on track with a yellow light, while a task that lags 序时进度
// is behind even with a yellow light.
//
// Only the latest cycle whose due date has passed is checked for its report:
// once a later report is in, an earlier missing one counts for timeliness
// (the ranking), not for the light. A report is in when it is submitted,
// approved or waiting for evidence; a draft is not; a returned one must be
// resubmitted. A report that was submitted late but is in turns nothing
// yellow.
//
// Examples of rules:
//   - 3月报告已逾期8天未报送（截止3月28日）
//   - 3月报告已逾期4天未报送（截止3月28日，宽限至4月2日）
//   - 截至6月25日累计完成20%，低于序时进度48.4%超过20个百分点
//   - 新增首店品牌截至9月25日累计22个，为目标50个的44%，低于序时进度73.5%超过20个百分点
//   - 已超过完成时限（6月30日）10天，尚未完成
//   - 已于2024年7月1日销号
//
// # Deadline and 序时进度
//
// The deadline in force is the new deadline of the approved extension decided
// last, else the 完成时限 as ParseDeadline reads it, else 31 December of the
// task's year. 序时进度 (time-proportional progress) at a day is the share of the
// days from 1 January of the task's year to the deadline, both included, that
// have gone by at the end of that day: 48.4% on 25 June for a deadline at the
// year end, 47.8% on 27 March for a deadline on 30 June.
//
// Progress is judged at the day the latest report's figures stand at: the end
// of the period its cycle covers, or the day it was submitted if that is
// earlier (Result.AsOf). The latest report is the one of the latest period
// among those submitted, approved or waiting for evidence.
//
// # Progress and targets
//
// The percent of the latest report (Report.Percent, 0 to 100) is compared with
// 序时进度: the gap in percentage points gives the light. Each quantitative
// target of the task is compared with its latest figure, from the latest
// report that gives one:
//
//	target                                      compared with              the light
//	------------------------------------------  -------------------------  ------------------------------
//	to reach, of an amount that accumulates:    the target × 序时进度      share of the target reached,
//	count, cumulative, and a level that adds                               against 序时进度, by the gaps
//	up (亿元, 个, 天); 新增50个, 达到1500亿元
//	not to exceed, of an amount that            the target × 序时进度      share of the limit used,
//	accumulates (事故死亡人数10人以内)                                     against 序时进度, by the gaps;
//	                                                                       red once beyond the limit
//	a growth rate, rate, share, or a level      the target itself: a rate  met: green; missed: yellow,
//	that is a state (增长7.5%, 失业率5.5%左右,  to date is comparable      red when off by more than
//	PM2.5浓度35微克/立方米, 人均预期寿命81岁)   with the year's target     RedGap % of the target
//
// A level is a state, not an amount that adds up, when its unit is a
// percentage, has a "/" (微克/立方米, 吨标准煤/万元) or is 岁, 年, 分, 级, 倍, 星
// or 个百分点, or when its subject speaks of 浓度, 强度, 指数, 平均, 均值, 密度,
// 寿命, 年限, 占比, 比重, 比例, 系数, 排名 or 率. A stock such as 常住人口 counts
// as adding up, which judges it leniently.
//
// A target is not to be exceeded when it is ≤ or ＜ whatever the polarity, or a
// bare, approximate or exact figure of an indicator that is better lower
// (assess.PolarityOf with Input.Polarity: 失业率, 能耗, 事故, 违法建筑…); otherwise
// it is to be reached (≥, ＞ strictly). 左右 has no tolerance band here. Targets
// without a figure, and ranks, 同步, 市计划 and qualitative targets, are not
// compared.
//
// For done, an amount to reach is met as soon as its figure reaches it; a rate,
// a share or a limit is met only by the figure of a report whose period reaches
// the deadline (the December or fourth-quarter report for the year end).
// Figures for done come from approved reports only.
//
// Result.Actual is the latest report's percent, else the mean share of their
// targets reached by the figures of that report (targets to reach, each counted
// up to 100%).
//
// # Reminders
//
// Reminders lists the 催办 that should exist for one task and one cycle as of
// Today; see its documentation. Their keys make them idempotent.
//
// Glossary:
//   - 序时进度 time-proportional progress; 完成时限 deadline; 延期 extension
//   - 红黄绿灯 the lights; 销号 closure; 佐证材料 evidence; 退回 returned
//   - 催办 reminder; 逾期 overdue; 宽限期 grace window; 提级督办 escalation
//
// The package imports only the standard library, duban, duban/calendar and
// duban/assess.
package progress
