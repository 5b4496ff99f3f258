// Browser tests of duban's pages on the demo: every role signs in, seed 002
// goes through the import wizard, a real document of another layout is
// corrected in it (a unit name that becomes an alias, a paragraph taken as a
// task), a report goes round the loop (submit,
// return, resubmit, approve, close), a unit's reporter never sees another
// unit's task, and screenshots of the main pages are written at desktop and
// phone widths.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startDemo, launch, signIn, shoot, publish, unlabelled, desktop, phone, root } from '../lib.mjs';

let demo;
let browser;

before(async () => {
  demo = await startDemo();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

// taskIDs lists the tasks a ledger page links to.
async function taskIDs(page) {
  return page.evaluate(() => [...new Set([...document.querySelectorAll('a[href^="/tasks/"]')]
    .map((a) => a.getAttribute('href').match(/^\/tasks\/(\d+)$/)).filter(Boolean).map((m) => Number(m[1])))]);
}

test('each role signs in and sees the pages of its role', async () => {
  const homes = {
    admin: ['/dashboard', ['一图总览', '任务台账', '督查工作台', '一榜排名', '指标评估', '导入文件', '系统管理']],
    duchashi: ['/dashboard', ['一图总览', '任务台账', '督查工作台', '一榜排名', '指标评估']],
    leader: ['/dashboard', ['一图总览', '任务台账', '一榜排名', '指标评估']],
    viewer: ['/dashboard', ['一图总览', '任务台账', '一榜排名', '指标评估']],
    city: ['/dashboard', ['一图总览', '任务台账', '督查工作台', '一榜排名', '指标评估']],
    fagaiwei: ['/portal', ['我的任务', '任务台账', '一图总览']],
    jiefangbei: ['/portal', ['我的任务', '任务台账', '一图总览']],
  };
  for (const [user, [home, nav]] of Object.entries(homes)) {
    const account = demo.accounts[user];
    assert.ok(account, `the demo printed no account ${user}`);
    const { ctx, page, errors } = await signIn(browser, demo, account);
    assert.equal(new URL(page.url()).pathname, home, `${user} lands on ${home}`);
    const links = await page.locator('nav.nav a').allTextContents();
    assert.deepEqual(links, nav, `${user}'s navigation`);
    for (const text of nav) {
      await page.locator('nav.nav a', { hasText: text }).click();
      await page.waitForLoadState('networkidle');
      assert.equal(await page.locator('h1').count() > 0, true);
      assert.deepEqual(await unlabelled(page), [], `unlabelled inputs on ${page.url()} for ${user}`);
      assert.doesNotMatch(await page.title(), /出错了/, `${user} at ${page.url()}`);
    }
    assert.deepEqual(errors, [], `browser errors for ${user}`);
    if (user === 'fagaiwei') {
      const inbox = await page.goto(demo.base + '/inbox');
      assert.equal(inbox.status(), 403, 'a unit has no inbox');
      assert.match(await page.locator('h1').innerText(), /无权访问/);
    }
    await ctx.close();
  }
});

test('a unit reporter never sees another unit\'s task', async () => {
  const office = await signIn(browser, demo, demo.accounts.duchashi);
  await office.page.goto(demo.base + '/tasks');
  const all = await taskIDs(office.page);
  const street = await signIn(browser, demo, demo.accounts.jiefangbei);
  await street.page.goto(demo.base + '/tasks');
  const mine = await taskIDs(street.page);
  assert.ok(mine.length > 0 && mine.length < all.length, `jiefangbei sees ${mine.length} of ${all.length}`);
  const other = all.find((id) => !mine.includes(id));
  const resp = await street.page.goto(demo.base + `/tasks/${other}`);
  assert.equal(resp.status(), 404, 'another unit\'s task is not found');
  const api = await street.page.request.get(demo.base + `/api/v1/tasks/${other}`);
  assert.equal(api.status(), 404);
  // The ledger's search, the dashboard and the portal stay inside the unit too.
  for (const path of ['/dashboard', '/portal', '/tasks?q=%E5%A2%9E%E9%95%BF']) {
    await street.page.goto(demo.base + path);
    for (const id of await taskIDs(street.page)) {
      assert.ok(mine.includes(id), `task ${id} on ${path} is not jiefangbei's`);
    }
  }
  await office.ctx.close();
  await street.ctx.close();
});

test('seed 002 goes through the import wizard into a new district', async () => {
  demo.cli('org', 'add', '测试区');
  const out = demo.cli('user', 'add', '--org', '测试区', '--role', 'admin', 'tester');
  const password = out.match(/password: (\S+)/)[1];
  const { ctx, page, errors } = await signIn(browser, demo, { user: 'tester', password });
  await page.goto(demo.base + '/import');
  await page.locator('#f-file').setInputFiles(join(root, 'testdata', '002_df832bfe8d5b9f39.txt'));
  await page.getByRole('button', { name: '上传并预览' }).click();
  await page.waitForURL('**/import/preview');
  await page.getByRole('heading', { name: '单位名称核对' }).waitFor();
  assert.match(await page.locator('body').innerText(), /区政服办[\s\S]*采用建议：并入“区政务服务办”/);
  assert.ok(await page.locator('.warn-list li').count() > 0, 'warnings with their lines');
  // Another district's document: the issuer is named, and the import asks
  // for an acknowledgement.
  assert.match(await page.locator('.mismatch').innerText(), /渝中区[\s\S]*测试区/);
  assert.deepEqual(await unlabelled(page), []);
  await shoot(page, 'import-preview-desktop');
  // Proposals start unticked. Tick one: the wizard previews again before
  // anything is written.
  assert.equal(await page.locator('input[name="merge"]:checked').count(), 0, 'no merge starts ticked');
  await page.locator('input[name="merge"]').first().check();
  await page.getByRole('button', { name: '确认导入' }).click();
  await page.getByText('已按修改重新预览').waitFor();
  await page.locator('input[name="merge"]').nth(1).check();
  await page.getByRole('button', { name: '按修改重新预览' }).first().click();
  await page.getByText('已按修改重新预览').waitFor();
  // Without the acknowledgement the import is refused, with the reason.
  await page.getByRole('button', { name: '确认导入' }).click();
  await page.locator('#refusal').getByText('请明确确认').waitFor();
  await page.getByLabel('我已核对，仍将此文件导入测试区的台账').check();
  await page.getByRole('button', { name: '确认导入' }).click();
  await page.getByRole('heading', { name: '导入完成' }).waitFor();
  assert.match(await page.locator('body').innerText(), /新建任务 194 项/);
  await page.getByRole('link', { name: '查看任务台账' }).click();
  await page.getByText('共 194 项任务').waitFor();
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a document of another layout: a unit corrected into an alias, a paragraph taken as a task, the alias known next time', async () => {
  // 包头市's 2011 decomposition: numbered items with their units in
  // brackets, 市经信委 written short, and the notice's request for plans by
  // 20 April, which no rule takes for a task.
  const file = join(root, 'testdata', 'real', 'city_baotou_2011_decomposition.txt');
  demo.cli('org', 'add', '包头市');
  const out = demo.cli('user', 'add', '--org', '包头市', '--role', 'admin', 'baotou');
  const password = out.match(/password: (\S+)/)[1];
  const { ctx, page, errors } = await signIn(browser, demo, { user: 'baotou', password }, phone);
  const unit = await page.request.post(demo.base + '/api/v1/units', { data: { name: '市经济和信息化委员会' } });
  assert.equal(unit.status(), 201, await unit.text());

  await page.goto(demo.base + '/import');
  await page.locator('#f-file').setInputFiles(file);
  await page.getByRole('button', { name: '上传并预览' }).click();
  await page.waitForURL('**/import/preview');
  await page.getByRole('heading', { name: '任务（3 项）' }).waitFor();
  const body = await page.locator('main').innerText();
  assert.match(body, /包头市人民政府/, 'the issuer is named');
  assert.match(body, /2011年/, 'the year is not this year: warned');
  assert.deepEqual(await unlabelled(page), []);
  // Every field of a task is there to correct, on a phone too.
  const first = page.locator('details.task-edit').first();
  await first.locator('summary').click();
  assert.equal(await first.getByLabel('牵头单位').inputValue(), '市经信委');
  assert.match(await first.getByLabel('任务内容').inputValue(), /^调整优化工业经济结构/);
  await shoot(page, 'import-corrections-phone');

  // 市经信委 is 市经济和信息化委员会: nothing proposes it, the office says so.
  await page.getByLabel('“市经信委”是哪个单位的另一名称').fill('市经济和信息化委员会');
  // The notice's request for plans is a task to follow.
  const unread = page.locator('section', { has: page.getByRole('heading', { name: /未识别的段落/ }) });
  await unread.locator('summary').click();
  await unread.locator('label.check', { hasText: '4月20日前报市政府督查室' }).locator('input').check();
  await page.getByRole('button', { name: '按修改重新预览' }).first().click();
  await page.getByText('已按修改重新预览').waitFor();
  await page.getByRole('heading', { name: '任务（4 项）' }).waitFor();
  assert.match(await page.locator('main').innerText(), /将记为“市经济和信息化委员会”的别名/);
  const added = page.locator('details.task-edit', { has: page.locator('.badge', { hasText: '补充的任务' }) });
  assert.match(await added.getByLabel('任务内容').inputValue(), /抓紧制定落实重点工作的实施方案/);
  await added.getByLabel('牵头单位').fill('市政府督查室');
  await added.getByLabel('完成时限').fill('4月20日前');
  await page.getByLabel('我已核对，仍将此文件导入包头市的台账').check();
  // The fields changed: the wizard shows them once more before writing.
  await page.getByRole('button', { name: '确认导入' }).click();
  await page.getByText('已按修改重新预览').waitFor();
  assert.equal(await added.getByLabel('牵头单位').inputValue(), '市政府督查室');
  await page.getByRole('button', { name: '确认导入' }).click();
  await page.getByRole('heading', { name: '导入完成' }).waitFor();
  assert.match(await page.locator('body').innerText(), /新建任务 4 项/);
  await page.goto(demo.base + '/tasks');
  const ledger = await page.locator('main').innerText();
  assert.match(ledger, /共 4 项任务/);
  assert.match(ledger, /抓紧制定落实重点工作的实施方案/);
  assert.doesNotMatch(ledger, /市经信委/, 'the tasks are held by 市经济和信息化委员会');

  // The same document again: 市经信委 is known by its learned alias, and
  // nothing is asked about it.
  await page.goto(demo.base + '/import');
  await page.locator('#f-file').setInputFiles(file);
  await page.getByRole('button', { name: '上传并预览' }).click();
  await page.waitForURL('**/import/preview');
  await page.getByText('这个文件已经导入过').waitFor();
  assert.equal(await page.getByLabel('“市经信委”是哪个单位的另一名称').count(), 0, '市经信委 is asked about again');
  const known = page.locator('section', { has: page.getByRole('heading', { name: /已识别的单位名称/ }) });
  await known.locator('summary').click();
  assert.match(await known.innerText(), /市经信委[\s\S]*已记住的别名，即“市经济和信息化委员会”/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the office sets the year\'s reporting cycles when the demo has none', async () => {
  const { ctx, page, errors } = await signIn(browser, demo, demo.accounts.admin);
  await page.goto(demo.base + '/admin?tab=cycles');
  if (await page.getByText('本年度尚未设置填报周期').count() > 0) {
    await page.getByLabel('填报频次').selectOption('monthly');
    await page.getByLabel('每月截止日').fill('28');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存。').waitFor();
  }
  assert.ok(await page.locator('table tbody tr').count() >= 12, 'twelve monthly cycles');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a report goes round the loop: submit, return, resubmit, approve, close', async () => {
  // The first task a unit leads whose report for the cycle under way is
  // still to write (not started, a draft, or sent back).
  let unit;
  let href;
  for (const user of ['fagaiwei', 'jiefangbei']) {
    unit = await signIn(browser, demo, demo.accounts[user]);
    const rows = unit.page.locator('table tbody tr').filter({ hasText: '牵头' })
      .filter({ has: unit.page.locator('.badge', { hasText: /^(未填报|草稿|已退回)$/ }) });
    if (await rows.count() > 0) {
      href = await rows.first().locator('a.button').getAttribute('href');
      break;
    }
    await unit.ctx.close();
  }
  assert.ok(href, 'a report to write');
  const p = unit.page;
  await p.goto(demo.base + href);
  const reportURL = p.url();
  const taskID = reportURL.match(/\/tasks\/(\d+)\//)[1];
  await p.getByLabel('进展情况').fill('已完成年度目标的八成，重点项目全部开工。');
  await p.getByLabel('存在问题').fill('个别项目资金到位较慢。');
  await p.getByText('草稿已自动保存').waitFor({ timeout: 15000 });
  await shoot(p, 'report-form-desktop');
  await p.getByLabel('完成进度（%）').fill('150');
  await p.getByRole('button', { name: '提交报告' }).click();
  await p.getByText('请填写 0 到 100 的整数').waitFor();
  assert.equal(await p.getByLabel('存在问题').inputValue(), '个别项目资金到位较慢。', 'what was typed is kept');
  await p.getByLabel('完成进度（%）').fill('80');
  await p.getByRole('button', { name: '提交报告' }).click();
  await p.waitForURL('**/portal?ok=submitted');

  const office = await signIn(browser, demo, demo.accounts.duchashi);
  const o = office.page;
  await o.goto(demo.base + '/inbox');
  assert.ok(await o.locator('#review a.button').count() > 0, 'the inbox lists reports to review');
  const review = o.locator(`a.button[href="/tasks/${taskID}#review"]`);
  if (await review.count() > 0) {
    await review.click();
  } else {
    await o.goto(demo.base + `/tasks/${taskID}#review`);
  }
  await o.getByLabel('审核结论').selectOption('return');
  await o.getByRole('button', { name: '提交审核结论' }).click();
  await o.getByText('退回或要求佐证时请填写意见').waitFor();
  await o.getByLabel('审核意见').fill('请补充投资完成额。');
  await o.getByRole('button', { name: '提交审核结论' }).click();
  await o.getByText('审核意见已记录。').waitFor();

  await p.goto(demo.base + '/portal');
  await p.getByText('请补充投资完成额。').first().waitFor();
  await p.goto(reportURL);
  await p.getByLabel('进展情况').fill('已完成年度目标的八成，完成投资 12.5 亿元，重点项目全部开工。');
  await p.getByRole('button', { name: '提交报告' }).click();
  await p.waitForURL('**/portal?ok=submitted');

  await o.goto(demo.base + `/tasks/${taskID}`);
  await o.getByLabel('审核结论').selectOption('approve');
  await o.getByRole('button', { name: '提交审核结论' }).click();
  await o.getByText('审核意见已记录。').waitFor();
  await o.locator('#f-evidence').setInputFiles({ name: '完成情况.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await o.getByRole('button', { name: '上传', exact: true }).click();
  await o.getByText('佐证材料已上传。').waitFor();
  await o.getByLabel('理由').fill('经核实已完成，佐证材料齐全。');
  await o.getByRole('button', { name: '确认销号' }).click();
  await o.getByText('任务已销号。').waitFor();
  assert.match(await o.locator('.pagehead').innerText(), /已销号/);
  await shoot(o, 'task-desktop');
  assert.deepEqual([...unit.errors, ...office.errors], []);
  await unit.ctx.close();
  await office.ctx.close();
});

test('the ledger filters as one types, and the city sees its districts', async () => {
  const { ctx, page, errors } = await signIn(browser, demo, demo.accounts.duchashi);
  await page.goto(demo.base + '/tasks');
  const all = await page.locator('#ledger strong').first().innerText();
  await page.getByLabel('搜索').fill('消费');
  await page.waitForURL(/q=/);
  await page.waitForFunction((before) => document.querySelector('#ledger strong').innerText !== before, all);
  assert.ok(await page.locator('table.ledger tbody tr').count() > 0);
  const city = await signIn(browser, demo, demo.accounts.city);
  await city.page.getByRole('heading', { name: '各区县汇总' }).waitFor();
  assert.match(await city.page.locator('body').innerText(), /渝中区[\s\S]*江北区[\s\S]*南岸区/);
  assert.deepEqual([...errors, ...city.errors], []);
  await city.ctx.close();
  await ctx.close();
});

test('pages work without JavaScript and in English', async () => {
  const { ctx, page } = await signIn(browser, demo, demo.accounts.leader, desktop, { javaScriptEnabled: false });
  await page.goto(demo.base + '/tasks');
  await page.getByLabel('灯色').selectOption('red');
  await page.getByRole('button', { name: '筛选' }).click();
  await page.waitForURL(/light=red/);
  const lights = await page.locator('table.ledger .light').allTextContents();
  assert.ok(lights.every((l) => l.includes('红灯')), 'the filter applied without JavaScript');
  await page.goto(demo.base + '/dashboard?lang=en');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.getByRole('link', { name: 'Ledger', exact: true }).click();
  await page.getByRole('heading', { name: /Task ledger/ }).waitFor();
  await ctx.close();
});

test('the keyboard reaches the content first, and focus is visible', async () => {
  const { ctx, page } = await signIn(browser, demo, demo.accounts.duchashi);
  await page.goto(demo.base + '/dashboard');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none');
  await ctx.close();
});

test('a unit downloads its sheet from the portal and uploads it back', async () => {
  const { ctx, page, errors } = await signIn(browser, demo, demo.accounts.fagaiwei, desktop, { acceptDownloads: true });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /导出本单位填报表/ }).click()]);
  assert.match(download.suggestedFilename(), /台账\.xlsx$/);
  const file = await download.path();
  const [list] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /任务清单/ }).click()]);
  assert.match(list.suggestedFilename(), /\.docx$/);
  await page.getByRole('link', { name: '上传修改后的台账' }).click();
  assert.match(await page.locator('h1').innerText(), /导入修改后的台账/);
  assert.deepEqual(await unlabelled(page), []);
  await page.locator('#f-file').setInputFiles(file);
  await Promise.all([page.waitForURL('**/ledger/edits/preview'), page.getByRole('button', { name: '上传并核对' }).click()]);
  // The file as exported changes nothing.
  assert.match(await page.locator('main').innerText(), /没有需要写入的修改/);
  await shoot(page, 'ledger-edits-desktop');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('screenshots of the main pages at desktop and phone widths', async () => {
  const pages = [
    ['duchashi', 'dashboard', '/dashboard'],
    ['duchashi', 'ledger', '/tasks'],
    ['duchashi', 'inbox', '/inbox'],
    ['duchashi', 'indicators', '/indicators'],
    ['leader', 'ranking', '/ranking'],
    ['fagaiwei', 'portal', '/portal'],
  ];
  for (const [name, vp] of [['desktop', desktop], ['phone', phone]]) {
    const sessions = {};
    for (const [user, shot, path] of pages) {
      sessions[user] ??= await signIn(browser, demo, demo.accounts[user], vp);
      const { page } = sessions[user];
      await page.goto(demo.base + path);
      await shoot(page, `${shot}-${name}`);
    }
    // The task page and the report form of the unit's first task.
    const { page } = sessions.fagaiwei;
    await page.goto(demo.base + '/portal');
    const href = await page.locator('table a.button').first().getAttribute('href');
    await page.goto(demo.base + href);
    await shoot(page, `report-form-${name}`);
    await page.goto(demo.base + href.replace(/\/report\/\d+$/, ''));
    await shoot(page, `task-${name}`);
    for (const s of Object.values(sessions)) {
      assert.deepEqual(s.errors, []);
      await s.ctx.close();
    }
  }
  publish(['dashboard-desktop', 'dashboard-phone', 'ledger-desktop', 'ledger-phone', 'task-desktop', 'task-phone',
    'report-form-desktop', 'report-form-phone', 'inbox-desktop', 'inbox-phone', 'ranking-desktop',
    'portal-phone', 'indicators-desktop', 'import-preview-desktop', 'import-corrections-phone', 'ledger-edits-desktop']);
});
