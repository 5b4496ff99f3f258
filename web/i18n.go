package web

import (
	"net/http"
)

// lang is the language of the pages: Chinese by default, English on request
// (?lang=en, remembered in a cookie). Every string of the pages comes from
// messages; what users typed and what documents say stays as written.
type lang string

const (
	langZH lang = "zh"
	langEN lang = "en"
)

// langCookie remembers the language chosen with ?lang=.
const langCookie = "duban_lang"

// requestLang returns the language of a request: ?lang= (which is then
// remembered), else the cookie, else Chinese.
func requestLang(w http.ResponseWriter, r *http.Request) lang {
	if q := r.URL.Query().Get("lang"); q == "en" || q == "zh" {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: q, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode})
		return lang(q)
	}
	if ck, err := r.Cookie(langCookie); err == nil && ck.Value == "en" {
		return langEN
	}
	return langZH
}

// HTML is the value of the lang attribute.
func (l lang) HTML() string {
	if l == langEN {
		return "en"
	}
	return "zh-CN"
}

// T returns the message of key; a key missing from the table is shown as
// itself (TestMessages finds those).
func (l lang) T(key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if l == langEN {
		return m.en
	}
	return m.zh
}

func (l lang) has(key string) bool {
	_, ok := messages[key]
	return ok
}

// message is one UI string in both languages.
type message struct{ zh, en string }

// messages is the one table of the pages' strings.
var messages = map[string]message{
	"app.name":     {"督办", "Duban"},
	"app.title":    {"重点工作督查督办系统", "Task Supervision System"},
	"app.skip":     {"跳到正文", "Skip to content"},
	"app.lang":     {"English", "中文"},
	"app.langname": {"Switch to English", "切换到中文"},
	"app.signout":  {"退出登录", "Sign out"},
	"app.signedin": {"当前用户", "Signed in as"},
	"app.footer":   {"督办 · 数据仅供内部工作使用", "Duban · for internal use only"},
	"app.menu":     {"主导航", "Main navigation"},
	"app.today":    {"今天", "Today"},

	"nav.dashboard":  {"一图总览", "Overview"},
	"nav.ledger":     {"任务台账", "Ledger"},
	"nav.portal":     {"我的任务", "My tasks"},
	"nav.inbox":      {"督查工作台", "Supervision"},
	"nav.ranking":    {"一榜排名", "Ranking"},
	"nav.indicators": {"指标评估", "Indicators"},
	"nav.import":     {"导入文件", "Import"},
	"nav.admin":      {"系统管理", "Admin"},

	"role.admin":      {"区政府办公室", "Government office"},
	"role.supervisor": {"督查室", "Supervision office"},
	"role.leader":     {"区领导", "Leader"},
	"role.reporter":   {"单位填报员", "Unit reporter"},
	"role.viewer":     {"只读用户", "Viewer"},

	"status.not_started": {"未启动", "Not started"},
	"status.on_track":    {"正常推进", "On track"},
	"status.behind":      {"滞后", "Behind"},
	"status.done":        {"已完成", "Done"},
	"status.closed":      {"已销号", "Closed"},

	"light.red":    {"红灯", "Red"},
	"light.yellow": {"黄灯", "Yellow"},
	"light.green":  {"绿灯", "Green"},
	"light.none":   {"未亮灯", "No light"},

	"report.draft":              {"草稿", "Draft"},
	"report.submitted":          {"待审核", "Submitted"},
	"report.returned":           {"已退回", "Returned"},
	"report.evidence_requested": {"需补充佐证", "Evidence requested"},
	"report.approved":           {"已通过", "Approved"},
	"report.none":               {"未填报", "Not reported"},

	"error.title":     {"出错了", "Something went wrong"},
	"error.not_found": {"页面不存在", "Not found"},
	"error.forbidden": {"无权访问", "Forbidden"},
	"error.internal":  {"系统内部错误，请稍后再试或联系管理员。", "Internal error. Please try again later or contact the administrator."},
	"error.back":      {"返回首页", "Back to the start"},
	"error.status":    {"状态码", "Status"},

	"form.errors":   {"表单有误，请按提示修改后重新提交。", "The form has errors: please correct the fields marked below."},
	"form.required": {"必填", "required"},
	"form.save":     {"保存", "Save"},
	"form.cancel":   {"取消", "Cancel"},
	"form.filter":   {"筛选", "Filter"},
	"form.reset":    {"清除筛选", "Clear filters"},
	"form.all":      {"全部", "All"},
	"form.none":     {"无", "None"},
	"form.optional": {"选填", "optional"},

	"login.title":    {"登录", "Sign in"},
	"login.heading":  {"重点工作督查督办系统", "Task Supervision System"},
	"login.intro":    {"请使用本单位分配的账号登录。", "Sign in with the account your office gave you."},
	"login.username": {"用户名", "User name"},
	"login.password": {"密码", "Password"},
	"login.submit":   {"登录", "Sign in"},
	"login.need":     {"请输入用户名", "Enter your user name"},
	"login.needpw":   {"请输入密码", "Enter your password"},
	"login.offline":  {"本系统在政务内网运行，不加载任何外部资源。", "This system runs on the government network and loads nothing from outside."},

	"ok.saved":        {"已保存。", "Saved."},
	"ok.submitted":    {"报告已提交，等待督查室审核。", "Report submitted for review."},
	"ok.reviewed":     {"审核意见已记录。", "Review recorded."},
	"ok.closed":       {"任务已销号。", "Task closed."},
	"ok.reopened":     {"任务已重新打开。", "Task reopened."},
	"ok.evidence":     {"佐证材料已上传。", "Evidence uploaded."},
	"ok.extension":    {"延期申请已提交。", "Extension requested."},
	"ok.decided":      {"延期申请已处理。", "Extension decided."},
	"ok.notice":       {"督办单已下发。", "Supervision notice issued."},
	"ok.responded":    {"督办单已反馈。", "Response sent."},
	"ok.noticeclosed": {"督办单已办结。", "Notice closed."},
	"ok.imported":     {"导入完成。", "Import complete."},
	"ok.created":      {"已创建。", "Created."},
	"ok.updated":      {"已更新。", "Updated."},
	"ok.deleted":      {"已删除。", "Deleted."},
	"ok.tested":       {"测试消息已发送。", "Test message sent."},

	"dash.title":     {"一图总览", "Overview"},
	"dash.heading":   {"%d 年重点工作推进总览", "Progress of the %d tasks"},
	"dash.year":      {"年度", "Year"},
	"dash.empty":     {"本年度尚无任务。请先导入任务分解文件。", "No tasks this year yet. Import a task decomposition first."},
	"dash.total":     {"任务总数", "Tasks"},
	"dash.donerate":  {"完成率", "Completion"},
	"dash.mine":      {"我分管的任务", "My portfolio"},
	"dash.bysection": {"各板块推进情况", "By section"},
	"dash.byunit":    {"牵头单位推进情况（任务最多的 15 个单位）", "By lead unit (the 15 with most tasks)"},
	"dash.byleader":  {"责任区领导分管任务", "By responsible leader"},
	"dash.lights":    {"红黄绿灯分布", "Lights"},
	"dash.lightnote": {"红灯：明显滞后或逾期；黄灯：稍有滞后或临近截止；绿灯：按序时推进。", "Red: well behind or overdue; yellow: slightly behind or due soon; green: on pace."},
	"dash.red":       {"红灯任务（逾期或明显滞后）", "Red: overdue or well behind"},
	"dash.yellow":    {"黄灯任务（预警）", "Yellow: at risk"},
	"dash.none":      {"暂无。", "None."},
	"dash.more":      {"还有 %d 项，查看全部", "%d more: see all"},
	"dash.unitsmore": {"另有 %d 个单位未列出，见任务台账。", "%d more units in the ledger."},
	"dash.table":     {"查看数据表", "Show the figures"},
	"dash.section":   {"板块", "Section"},
	"dash.unit":      {"牵头单位", "Lead unit"},
	"dash.leader":    {"责任区领导", "Leader"},
	"dash.trends":    {"主要指标：目标与完成", "Main indicators: targets and outcomes"},
	"dash.allind":    {"查看全部指标及评估", "All indicators and their evaluation"},

	"ind.target": {"目标", "Target"},
	"ind.actual": {"完成", "Outcome"},

	"ledger.title":      {"任务台账", "Ledger"},
	"ledger.heading":    {"%d 年重点工作任务台账", "Task ledger %d"},
	"ledger.search":     {"搜索", "Search"},
	"ledger.searchhint": {"任务内容、单位或备注中的词", "Words in a task, a unit or a note"},
	"ledger.section":    {"板块", "Section"},
	"ledger.leader":     {"责任区领导", "Leader"},
	"ledger.unit":       {"单位或单位组", "Unit or group"},
	"ledger.group":      {"（单位组）", " (group)"},
	"ledger.status":     {"状态", "Status"},
	"ledger.light":      {"灯色", "Light"},
	"ledger.count":      {"共 %d 项任务", "%d tasks"},
	"ledger.empty":      {"没有符合条件的任务。", "No task matches."},
	"ledger.no":         {"序号", "No."},
	"ledger.content":    {"任务内容", "Task"},
	"ledger.leaders":    {"责任区领导", "Leaders"},
	"ledger.leadunits":  {"牵头单位", "Lead units"},
	"ledger.respunits":  {"责任单位", "Responsible units"},
	"ledger.progress":   {"推进情况", "Progress"},
	"ledger.latest":     {"最新进展", "Latest report"},

	"task.crumbs":       {"位置", "Breadcrumbs"},
	"task.heading":      {"任务详情", "Task"},
	"task.content":      {"任务内容", "What was promised"},
	"task.note":         {"备注", "Note"},
	"task.deadline":     {"完成时限", "Deadline"},
	"task.yearend":      {"年底前", "By the end of the year"},
	"task.progress":     {"进度", "Progress"},
	"task.actual":       {"完成", "done"},
	"task.expected":     {"序时进度", "expected by now"},
	"task.closedat":     {"销号", "Closed"},
	"task.why":          {"亮灯依据", "Why this light"},
	"task.targets":      {"量化目标", "Targets"},
	"task.subject":      {"指标", "Measure"},
	"task.target":       {"目标", "Target"},
	"task.latestfig":    {"最新填报数", "Latest figure"},
	"task.reports":      {"进展报告", "Reports"},
	"task.writereport":  {"填报 %s 进展", "Report for %s"},
	"task.writecontrib": {"填写本单位 %s 配合情况", "Our part for %s"},
	"task.late":         {"逾期报送", "late"},
	"task.review":       {"审核", "Review"},
	"task.noreports":    {"尚无报告。", "No reports yet."},
	"task.reviewhead":   {"审核 %s 报告", "Review the report for %s"},
	"task.contribs":     {"责任单位配合情况（本期）", "Responsible units' parts (this cycle)"},
	"task.source":       {"原文出处", "Source text"},
	"task.line":         {"第 %d 行", "line %d"},
	"task.download":     {"下载原文件", "Download the document"},
	"task.history":      {"历次填报", "Cycle by cycle"},
	"task.due":          {"截止", "due"},
	"task.missing":      {"未报送", "missing"},
	"task.nocycles":     {"本年度尚未设置填报周期。", "No reporting cycles set for the year."},
	"task.evidence":     {"佐证材料", "Evidence"},
	"task.noevidence":   {"暂无佐证材料。", "No evidence yet."},
	"task.close":        {"销号", "Close the task"},
	"task.closesubmit":  {"确认销号", "Close"},
	"task.reopen":       {"重新打开", "Reopen"},
	"task.closereason":  {"理由", "Reason"},
	"task.needreason":   {"请填写理由", "Give a reason"},
	"task.notices":      {"督办单", "Supervision notices"},
	"task.extensions":   {"延期申请", "Extension requests"},
	"task.audit":        {"操作记录", "Audit trail"},

	"report.progress": {"进展情况", "Progress"},
	"report.problems": {"存在问题", "Problems"},
	"report.next":     {"下一步措施", "Next steps"},

	"review.decision":     {"审核结论", "Decision"},
	"review.approve":      {"通过", "Approve"},
	"review.return":       {"退回修改", "Return for changes"},
	"review.evidence":     {"要求补充佐证", "Ask for evidence"},
	"review.comment":      {"审核意见", "Comment"},
	"review.commenthint":  {"退回或要求佐证时必填，单位将看到此意见。", "Required when returning or asking for evidence; the unit sees it."},
	"review.quality":      {"报告质量评分（1–5）", "Quality of the report (1–5)"},
	"review.submit":       {"提交审核结论", "Record the decision"},
	"review.needdecision": {"请选择审核结论", "Choose a decision"},
	"review.needcomment":  {"退回或要求佐证时请填写意见", "Say what is missing"},
	"review.badquality":   {"评分应为 1 到 5", "The rating is 1 to 5"},
	"review.noreport":     {"没有待审核的报告", "No report waits for review"},

	"decision.approve":          {"通过", "approved"},
	"decision.return":           {"退回", "returned"},
	"decision.request_evidence": {"要求补充佐证", "evidence requested"},

	"notice.issue":     {"下发督办单", "Issue a supervision notice"},
	"notice.title":     {"标题", "Title"},
	"notice.body":      {"督办事项", "What must be done"},
	"notice.deadline":  {"反馈期限", "Answer by"},
	"notice.submit":    {"下发", "Issue"},
	"notice.needtitle": {"请填写标题", "Give a title"},
	"notice.needbody":  {"请填写督办事项", "Say what must be done"},
	"notice.response":  {"单位反馈", "Response"},
	"notice.open":      {"待反馈", "open"},
	"notice.responded": {"已反馈", "answered"},
	"notice.closed":    {"已办结", "closed"},

	"ext.request":     {"申请延期", "Ask for more time"},
	"ext.newdeadline": {"新的完成时限", "New deadline"},
	"ext.reason":      {"延期理由", "Reason"},
	"ext.submit":      {"提交申请", "Request"},
	"ext.future":      {"新的完成时限应晚于今天", "The new deadline must be after today"},
	"ext.needreason":  {"请说明延期理由", "Give a reason"},
	"ext.pending":     {"待审批", "pending"},
	"ext.approved":    {"已同意", "approved"},
	"ext.rejected":    {"未同意", "rejected"},

	"evidence.file":     {"上传佐证材料", "Upload evidence"},
	"evidence.hint":     {"PDF、图片、Word、Excel、PPT、OFD、ZIP 或文本文件", "PDF, image, Word, Excel, PowerPoint, OFD, ZIP or text"},
	"evidence.upload":   {"上传", "Upload"},
	"evidence.needfile": {"请选择要上传的文件", "Choose a file"},
	"evidence.toolarge": {"文件过大：不能超过 %s", "The file is too large: at most %s"},
	"evidence.empty":    {"文件为空", "The file is empty"},

	"form.baddate": {"请填写日期，如 2024-07-05", "Enter a date such as 2024-07-05"},

	"audit.task.create": {"创建任务", "created"},
	"audit.task.update": {"修改任务", "edited"},
	"audit.task.close":  {"销号", "closed"},
	"audit.task.reopen": {"重新打开", "reopened"},
}
