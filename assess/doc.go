// Package assess judges a government's indicators against their targets without a
// database: it evaluates a target expression against an outcome (met, missed,
// borderline, pending, not applicable, each with a reason an office worker can
// read), evaluates the indicator tables of an extracted document (the contract of
// `duban evaluate --json`), checks documents against each other for targets and
// outcomes stated differently, and projects year-end values from cumulative
// figures. Everything is a pure function of its arguments: no clock, no files, no
// store. docs/EVALUATE.md states the rules for users and integrators.
//
// Glossary:
//   - 完成情况 outcome; 计划目标, 预期目标 target; 指标 indicator
//   - 左右, 约 approximately, within the tolerance of Settings
//   - 预计 estimated (an outcome not yet final)
//   - 市计划 set by the city plan; 市下达任务 the task the city hands down
//   - 序时进度 time-proportional progress: the share of the year gone by
//   - 预期性 expected and 约束性 binding indicators
//
// The package imports only the standard library, duban (for its errors) and
// duban/ingest.
package assess
