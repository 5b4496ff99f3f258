// Browser test of 我的账号 on the demo: a unit's reporter follows the link on
// their name, creates an API token (shown once, then listed), revokes it,
// and changes their password, at a phone's width; the old password then
// fails and the new one signs in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo, launch, signIn, shoot, unlabelled, phone } from '../lib.mjs';

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

test('a user manages their tokens and password on 我的账号', async () => {
  const account = demo.accounts.fagaiwei;
  assert.ok(account, 'the demo printed no account fagaiwei');
  const { ctx, page, errors } = await signIn(browser, demo, account, phone);

  await page.locator('header a.who').click();
  await page.waitForLoadState('networkidle');
  assert.equal(new URL(page.url()).pathname, '/account');
  assert.match(await page.locator('h1').innerText(), /我的账号/);
  assert.deepEqual(await unlabelled(page), [], 'unlabelled inputs on /account');

  await page.fill('#f-token-name', '周报脚本');
  await page.selectOption('#f-token-days', '30');
  await page.locator('form[action="/account/tokens"] button[type=submit]').click();
  await page.waitForLoadState('networkidle');
  const secret = (await page.locator('#new-token').innerText()).trim();
  assert.match(secret, /^dbn_/);
  const me = await ctx.request.get(demo.base + '/api/v1/me', { headers: { Authorization: 'Bearer ' + secret } });
  assert.equal(me.status(), 200, 'the new token works');
  await shoot(page, 'account-phone');

  await page.goto(demo.base + '/account');
  assert.equal(await page.locator('#new-token').count(), 0, 'the secret is shown once');
  const row = page.locator('tr', { hasText: '周报脚本' });
  assert.match(await row.innerText(), /有效/);
  await row.locator('button', { hasText: '撤销' }).click();
  await page.waitForLoadState('networkidle');
  assert.match(await page.locator('.flash').innerText(), /令牌已撤销/);
  assert.equal(await page.locator('tr', { hasText: '周报脚本' }).count(), 0);
  const revoked = await ctx.request.get(demo.base + '/api/v1/me', { headers: { Authorization: 'Bearer ' + secret } });
  assert.equal(revoked.status(), 401, 'the revoked token is refused');

  const newPassword = 'e2e-新密码-2468';
  await page.fill('#f-current_password', account.password);
  await page.fill('#f-new_password', newPassword);
  await page.fill('#f-confirm_password', newPassword);
  await page.locator('form[action="/account/password"] button[type=submit]').click();
  await page.waitForLoadState('networkidle');
  assert.match(await page.locator('.flash').innerText(), /密码已修改/);
  assert.deepEqual(errors, [], 'browser errors');
  await ctx.close();

  const old = await fetch(demo.base + '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: account.user, password: account.password }) });
  assert.equal(old.status, 401, 'the old password fails');
  const fresh = await fetch(demo.base + '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: account.user, password: newPassword }) });
  assert.equal(fresh.status, 201, 'the new password signs in');
});
