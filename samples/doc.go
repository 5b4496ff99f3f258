// Package samples holds the public documents bundled with duban for its demo:
// the 2021 plan report (国民经济和社会发展计划执行情况及计划草案的报告), the 2024
// task decomposition (政府工作报告重点工作目标任务分解) and the 2021 government
// work report (政府工作报告) of 渝中区, Chongqing, as plain text.
package samples

import "embed"

// Files holds the sample documents at its root, by their file names.
//
//go:embed *.txt
var Files embed.FS

// The sample documents, by what they are.
const (
	PlanReport    = "001_9361f94df469906e.txt" // 2021 plan execution report and 2022 plan
	Decomposition = "002_df832bfe8d5b9f39.txt" // 2024 task decomposition
	WorkReport    = "003_01cb3e3d49b1f6f6.txt" // 2021 government work report
)
