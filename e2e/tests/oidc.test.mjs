// Browser test of sign-in through 统一身份认证: the demo with an identity
// section naming the test OpenID Connect provider (scripts/testidp, zitadel's
// example provider). A member of the provider's 督查室 group clicks
// 统一身份认证登录 on the sign-in page, signs in on the provider's form and
// lands on duban's overview as a supervisor, at a desktop's and a phone's
// width; a person no rule matches is told that their request awaits
// approval.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, startDemo, launch, shoot, desktop, phone } from '../lib.mjs';

let demo;
let browser;
let idp;
let issuer;
let work;

// freePort asks the system for a port nobody listens on.
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'duban-e2e-oidc-'));
  // duban's port comes first: the provider must know duban's callback.
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const bin = join(work, 'testidp');
  execFileSync('go', ['build', '-o', bin, './scripts/testidp'], { cwd: root, stdio: 'inherit' });
  idp = spawn(bin, ['-redirect', base + '/auth/oidc/callback'], { stdio: ['ignore', 'pipe', 'pipe'] });
  idp.stderr.resume();
  issuer = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('testidp did not start:\n' + out)), 60000);
    idp.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/issuer (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    idp.on('exit', (code) => { clearTimeout(timer); reject(new Error(`testidp exited with ${code}:\n${out}`)); });
  });
  const config = join(work, 'duban.json');
  writeFileSync(config, JSON.stringify({
    identity: {
      oidc: {
        issuer, client_id: 'duban', client_secret: 'duban-secret', redirect_url: base + '/auth/oidc/callback',
        claims: { unit: 'department' },
      },
      rules: [{ group: '督查室', org: '渝中区', role: 'supervisor' }],
      approval_org: '渝中区',
      secret_key: 'the e2e sealing key, long enough',
    },
  }));
  demo = await startDemo({ addr: `127.0.0.1:${port}`, env: { DUBAN_CONFIG: config } });
  assert.equal(demo.base, base);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await demo?.stop();
  if (idp && idp.exitCode === null) {
    const done = new Promise((r) => idp.on('exit', r));
    idp.kill('SIGTERM');
    await done;
  }
  if (work) { rmSync(work, { recursive: true, force: true }); }
});

// signInAtProvider clicks 统一身份认证登录 on duban's sign-in page and signs
// in on the provider's form; it resolves once the browser is back at duban.
async function signInAtProvider(page, user) {
  await page.goto(demo.base + '/login');
  const button = page.getByRole('link', { name: '统一身份认证登录' });
  assert.equal(await button.count(), 1, 'the sign-in page has the 统一身份认证 button');
  await button.click();
  await page.waitForURL((u) => u.href.startsWith(issuer));
  await page.locator('#username').fill(user);
  await page.locator('#password').fill('Ceshi-2026');
  await Promise.all([page.waitForURL((u) => u.href.startsWith(demo.base)), page.getByRole('button', { name: 'Login' }).click()]);
  await page.waitForLoadState('networkidle');
}

for (const [name, viewport] of [['desktop', desktop], ['phone', phone]]) {
  test(`a member of 督查室 signs in through 统一身份认证 (${name})`, async () => {
    const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(demo.base + '/login');
    assert.ok(await page.locator('input[name="password"]').isVisible(), 'the local form stays beside the button');
    await shoot(page, `oidc-login-${name}`);

    await signInAtProvider(page, 'zhangwei');
    assert.equal(new URL(page.url()).pathname, '/dashboard', 'a supervisor lands on the overview');
    assert.match(await page.locator('header a.who').innerText(), /张伟/);
    const me = await (await ctx.request.get(demo.base + '/api/v1/me')).json();
    assert.equal(me.user.role, 'supervisor');
    assert.equal(me.user.source, 'oidc');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= viewport.width + 1, `the page fits the ${name}'s width (${width}px)`);
    await shoot(page, `oidc-dashboard-${name}`);
    assert.deepEqual(errors, [], 'browser errors');
    await ctx.close();
  });
}

test('a person no rule matches is told their request awaits approval', async () => {
  const ctx = await browser.newContext({ viewport: phone, locale: 'zh-CN' });
  const page = await ctx.newPage();
  await signInAtProvider(page, 'lina');
  assert.equal(new URL(page.url()).pathname, '/auth/oidc/callback');
  const text = await page.locator('main').innerText();
  assert.match(text, /等待管理员审批/);
  assert.match(text, /李娜/);
  await shoot(page, 'oidc-pending-phone');
  const me = await ctx.request.get(demo.base + '/api/v1/me');
  assert.equal(me.status(), 401, 'not signed in');
  await ctx.close();
});
