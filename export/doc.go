// Package export writes the files that offices hand on to leaders and the
// people's congress — the ledger (一表) as an Excel workbook and the reports
// (一报告) as Word documents — and reads an edited ledger back.
//
// Everything is a pure function of its arguments: domain values in, a file
// out to an io.Writer. There is no database and no clock; the time of an
// export is a parameter, and its location is the organisation's time zone.
//
//   - Ledger writes the ledger in the decomposition's column order (序号,
//     任务内容, 责任区领导, 牵头单位, 责任单位) followed by 完成时限, status,
//     light, the rules that lit it, the latest progress, percentage, targets
//     with their figures and the date of the report; one sheet, or one per
//     section, lead unit or organisation.
//   - An editable ledger (LedgerInput.Editable) can be filled in offline by a
//     unit or the office and read back: ParseLedger returns each row's values
//     with the IDs and versions it was exported with, DiffLedger compares them
//     with the store's current rows and flags conflicts with changes made in
//     the meantime. Applying the confirmed changes is the caller's, through
//     the store, naming the exported versions.
//   - TargetsReport, Bulletin and UnitTasks write the year's 主要目标完成情况表,
//     a supervision bulletin (督查通报) and a unit's task list as .docx with
//     duban/docx, laid out by GB/T 9704.
//
// Glossary:
//   - 一表一报告 the ledger and the report; 台账 ledger; 督查通报 supervision bulletin
//   - 序号 number; 完成时限 deadline; 亮灯原因 the rules that lit a light
//   - 进展情况 progress; 存在问题 problems; 下一步措施 next steps; 完成进度 percent complete
//   - 赛马比拼 the ranking of units; 督办事项 open supervision notices
//
// # Fonts
//
// The documents name the fonts of GB/T 9704 (docx.DefaultFonts): 方正小标宋简体
// for titles, 黑体 for level-1 headings and table headers, 楷体_GB2312 for
// level-2 headings and 仿宋_GB2312 for the text; the ledger uses 方正小标宋简体,
// 黑体 and 宋体. Government machines have them; they are proprietary and are
// never embedded. A server that converts documents, or a reader's machine
// without them, can install free fonts (SIL Open Font License) that stand in
// for them under fontconfig aliases:
//
//   - Noto Serif CJK SC for 方正小标宋简体, 仿宋_GB2312 and 宋体, and Noto Sans
//     CJK SC for 黑体: Debian and Ubuntu package fonts-noto-cjk (the
//     single-language files name them Noto Serif SC and Noto Sans SC);
//   - LXGW WenKai (霞鹜文楷) for 楷体_GB2312: Debian package fonts-lxgw-wenkai.
//
// The aliases are a fontconfig file such as
//
//	<alias binding="same"><family>仿宋_GB2312</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
//
// one for each official name; the package's tests use exactly that to turn
// the documents into PDF with LibreOffice.
//
// The package imports duban, duban/docx, duban/assess, duban/ingest (for the
// indicator tables of TargetsFromExtraction) and github.com/xuri/excelize/v2.
package export
