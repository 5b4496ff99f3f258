// Package docx writes Word documents (.docx, WordprocessingML) laid out by the
// rules for official documents, GB/T 9704 (党政机关公文格式):
//
//   - A4 paper, margins 37 mm at the top (天头), 35 mm at the bottom, 28 mm at the
//     left (订口) and 26 mm at the right, so the type area (版心) is 156 × 225 mm;
//   - 22 lines of 28 characters to a page: body text in 仿宋_GB2312 三号, set
//     0.25 pt tighter, on a fixed line height of 28.95 pt, the first line of a
//     paragraph indented two characters;
//   - the title in 方正小标宋简体 二号, centred; headings numbered 一、（一）1. in
//     黑体, 楷体_GB2312 and bold 仿宋_GB2312, all 三号;
//   - page numbers "— 1 —" in 宋体 四号 under the type area, odd pages on the
//     right and even pages on the left, each one character in from the edge.
//
// A document is built in reading order and written in one go:
//
//	d := docx.New(docx.Options{Title: "督查通报", Creator: "区政府督查室", Created: now})
//	d.Title("关于2024年上半年重点工作推进情况的通报")
//	d.Heading(1, docx.Numbering(1, 1)+"总体情况")
//	d.Paragraph("上半年，全区各单位……")
//	d.Table(&docx.Table{…})
//	d.Signature("区政府督查室", "2024年7月10日")
//	_, err := d.WriteTo(w)
//
// Fonts are named, not embedded: the official fonts are proprietary and sit on
// the users' machines. Every run names its East Asian and Latin fonts, so a
// reader without them falls back to a font of the same script. Options.Fonts
// chooses other names; free (SIL OFL) stand-ins are "Noto Serif CJK SC" for
// 仿宋, 宋体 and the title, "Noto Sans CJK SC" for 黑体 (Debian fonts-noto-cjk;
// named "Noto Serif SC" and "Noto Sans SC" where installed from single-language
// files) and "LXGW WenKai" for 楷体 (Debian fonts-lxgw-wenkai).
//
// The output is deterministic: the same calls give the same bytes (the zip
// entries carry a fixed time and the creation time is a parameter, never the
// clock), so documents can be compared with golden files.
//
// The package uses only the standard library.
package docx
