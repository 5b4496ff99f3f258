// Package draft drafts next year's task decomposition (重点工作目标任务分解) from
// a newly adopted government work report (政府工作报告), for the office to
// correct before it issues the notice.
//
// Drafting happens in two steps, both pure functions of their input: no
// database, no clock, no environment.
//
//   - Split finds the part of the report about the coming year (the 工作安排,
//     not the review of the last one) and cuts it into tasks the way
//     decomposition notices do: the main expected targets one by one, then
//     each section and sub-heading into one task per commitment, with the
//     report's own line kept as the task's line and its targets read by ingest.
//   - An Index of earlier decompositions (Suggest) proposes, for each task, the
//     leaders, lead units and responsible units of the earlier tasks that read
//     most like it: Chinese character bigrams weighted by rarity, unit names
//     resolved through aliases, each proposal with a score and the earlier
//     tasks behind it. A task unlike anything before gets no proposal, and a
//     warning says so.
//
// Make does both and returns a Draft, whose JSON form is the `duban extract
// --json` contract of a decomposition with two fields added to every task:
// basis and confidence (docs/EXTRACT.md, "duban draft").
package draft
