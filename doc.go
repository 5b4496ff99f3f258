// Package duban holds the domain of duban (督办): the ledger of a government's
// yearly promises, its organisations, units and people, the tasks and targets
// read from official documents, users and their roles, the audit log, and the
// contract of the stores that keep them.
//
// Glossary:
//   - 政府工作报告 work report; 计划报告 plan report; 任务分解 decomposition notice
//   - 牵头单位 lead unit; 责任单位 responsible (cooperating) unit; 责任领导 responsible leader
//   - 督查室 supervision office; 催办 reminder; 督办单 supervision notice; 销号 closure
//   - 一表一图一榜一报告 one ledger, one chart, one ranking, one report
//
// The package imports only the standard library; everything else imports it.
package duban
