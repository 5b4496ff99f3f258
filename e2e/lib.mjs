// Helpers of the browser tests: build duban, start `duban demo` on a free
// port in a temporary folder, read the address and the demo accounts it
// prints, and drive Debian's Chromium through playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// The browser: Debian's Chromium, never a downloaded one.
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN'];

export const desktop = { width: 1366, height: 900 };
export const phone = { width: 390, height: 844 };

// startDemo builds the binary and starts the demo; it resolves once the
// server prints its address, with the accounts of the table it printed.
// options.addr is the address to listen on (default a free port chosen by
// the server); options.env adds to the environment (DUBAN_CONFIG).
export async function startDemo(options = {}) {
  const work = mkdtempSync(join(tmpdir(), 'duban-e2e-'));
  const bin = join(work, 'duban');
  execFileSync('go', ['build', '-o', bin, './cmd/duban'], { cwd: root, stdio: 'inherit' });
  const data = join(work, 'data');
  const proc = spawn(bin, ['demo', '--data', data, '--addr', options.addr || '127.0.0.1:0'],
    { cwd: work, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(options.env || {}) } });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => { err += d; if (err.length > 1 << 20) { err = err.slice(-(1 << 19)); } });
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('duban demo did not start in 120 s:\n' + out + err)), 120000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving on (http:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`duban demo exited with ${code}:\n${out}${err}`)); });
  });
  const accounts = {};
  let inTable = false;
  for (const line of out.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols[0] === 'user' && cols[1] === 'password') { inTable = true; continue; }
    if (inTable && cols.length >= 3 && /^[a-z0-9_]+$/.test(cols[0])) {
      accounts[cols[0]] = { user: cols[0], password: cols[1], role: cols[2] };
    } else if (inTable && line.trim() === '') {
      inTable = false;
    }
  }
  return {
    base, accounts, work, bin, data,
    db: 'sqlite://' + join(data, 'duban.db'),
    log: () => err,
    // cli runs another duban command on the same database.
    cli: (...args) => execFileSync(bin, [args[0], args[1], '--database', 'sqlite://' + join(data, 'duban.db'), ...args.slice(2)], { encoding: 'utf8' }),
    stop: async () => {
      if (proc.exitCode === null) {
        const done = new Promise((r) => proc.on('exit', r));
        proc.kill('SIGTERM');
        await done;
      }
      rmSync(work, { recursive: true, force: true });
    },
  };
}

// launch starts Chromium with a fresh profile of its own.
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'duban-chromium-'));
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true, env: { ...process.env, HOME: profile } });
  const close = browser.close.bind(browser);
  browser.close = async () => { await close(); rmSync(profile, { recursive: true, force: true }); };
  return browser;
}

// signIn opens a new context (its own cookies) signed in as an account, and
// returns the page and a record of console errors.
export async function signIn(browser, demo, account, viewport = desktop, options = {}) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN', ...options });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A form with errors answers 400 or 409 by design; the browser logs it.
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 40[09]/.test(m.text())) { errors.push(m.text()); } });
  await page.goto(demo.base + '/login');
  await page.getByLabel('用户名').fill(account.user);
  await page.getByLabel('密码').fill(account.password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login') && !u.pathname.startsWith('/signin')), page.getByRole('button', { name: '登录' }).click()]);
  return { ctx, page, errors };
}

// shots is where screenshots go: SCREENSHOT_DIR or a temporary folder.
export const shots = process.env.SCREENSHOT_DIR || join(tmpdir(), 'duban-e2e-shots');
mkdirSync(shots, { recursive: true });

// shoot writes a screenshot of the page as it is, after its charts drew.
export async function shoot(page, name) {
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(600); // chart animations
  const file = join(shots, name + '.png');
  await page.screenshot({ path: file });
  return file;
}

// publish copies chosen screenshots into docs/screenshots when
// UPDATE_SCREENSHOTS=1.
export function publish(names) {
  if (process.env.UPDATE_SCREENSHOTS !== '1') { return; }
  const dest = join(root, 'docs', 'screenshots');
  mkdirSync(dest, { recursive: true });
  for (const n of names) {
    const f = join(shots, n + '.png');
    if (existsSync(f)) { copyFileSync(f, join(dest, n + '.png')); }
  }
}

// checkLabels fails when a visible form control has no label.
export async function unlabelled(page) {
  return page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden' && el.offsetParent !== null)
    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
    .map((el) => el.name || el.id));
}
