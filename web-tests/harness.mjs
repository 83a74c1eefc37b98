// Shared helpers for the browser tests (node --test + playwright-core + axe-core).
//
//   const srv = await startServer();        // { baseURL, stop(), dataDir, output() }
//   const browser = await launchBrowser();  // playwright-core Browser (system chromium)
//   await checkA11y(page, 'home page');     // throws on any WCAG 2.1 A/AA violation
//
// Environment:
//   DANVAN_BIN  path of the danvan binary (default ../bin/danvan relative to this directory)
//   CHROMIUM    chromium executable (default /usr/bin/chromium)

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Resolve the danvan binary: $DANVAN_BIN, else ../bin/danvan (relative to web-tests/). */
export function danvanBin() {
  const bin = process.env.DANVAN_BIN || '../bin/danvan';
  return path.isAbsolute(bin) ? bin : path.resolve(here, bin);
}

/** Ask the kernel for a free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Start `danvan demo` on a free port with a fresh data directory and wait until
 * GET /readyz answers 200 (60 s timeout).
 * Returns { baseURL, dataDir, output(), stop() }. stop() is idempotent.
 */
export async function startServer({ args = [], env = {}, timeoutMs = 60_000 } = {}) {
  const bin = danvanBin();
  if (!existsSync(bin)) {
    throw new Error(`danvan binary not found at ${bin} (set DANVAN_BIN or run \`make build\`)`);
  }
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'danvan-webtest-'));
  const baseURL = `http://127.0.0.1:${port}`;

  const child = spawn(bin, ['demo', '--addr', `127.0.0.1:${port}`, '--data', dataDir, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk) => {
    log += chunk.toString();
    if (log.length > 200_000) log = log.slice(-100_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
    child.on('error', (err) => {
      exited = { code: null, signal: null, error: err };
      resolve(exited);
    });
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (!exited) {
      child.kill('SIGTERM');
      const t = setTimeout(() => { if (!exited) child.kill('SIGKILL'); }, 10_000);
      await exitPromise;
      clearTimeout(t);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  let lastErr = '';
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`danvan exited before becoming ready (${JSON.stringify(exited)}):\n${log}`);
    }
    try {
      const res = await fetch(`${baseURL}/readyz`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
      lastErr = `status ${res.status}`;
    } catch (err) {
      lastErr = String(err?.cause?.code || err?.message || err);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`danvan not ready after ${timeoutMs} ms (last: ${lastErr}):\n${log}`);
    }
    await sleep(200);
  }

  return { baseURL, dataDir, port, output: () => log, stop };
}

/** Launch the system chromium through playwright-core (headless). */
export async function launchBrowser(options = {}) {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`chromium not found at ${executablePath} (set CHROMIUM or apt-get install chromium)`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    ...options,
  });
}

const axePath = require.resolve('axe-core/axe.min.js');
let axeSrc = null;
function axeSource() {
  if (axeSrc === null) axeSrc = readFileSync(axePath, 'utf8');
  return axeSrc;
}

/**
 * Run axe-core (WCAG 2.0/2.1 A and AA) against the current page.
 * Throws an Error listing every violation (id, impact, help, target nodes).
 * Returns the axe results when clean.
 */
export async function checkA11y(page, label = page.url()) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  // Inject axe through the DevTools protocol (page.evaluate), not a <script> tag:
  // the app's CSP (script-src 'self') rightly blocks inline scripts.
  if (!hasAxe) await page.evaluate(axeSource());
  const results = await page.evaluate(() =>
    window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      // Only violations are reported in full (passes/incomplete keep one node
      // each): the same verdict, much faster on the large organisation tree.
      resultTypes: ['violations'],
    }),
  );
  if (results.violations.length > 0) {
    const lines = [`accessibility violations on ${label} (${results.violations.length}):`];
    for (const v of results.violations) {
      lines.push(`- [${v.impact ?? 'n/a'}] ${v.id}: ${v.help} (${v.helpUrl})`);
      for (const n of v.nodes.slice(0, 10)) {
        lines.push(`    at ${JSON.stringify(n.target)}: ${(n.failureSummary || '').replace(/\s+/g, ' ').trim()}`);
      }
      if (v.nodes.length > 10) lines.push(`    … and ${v.nodes.length - 10} more nodes`);
    }
    throw new Error(lines.join('\n'));
  }
  return results;
}

// ---------------------------------------------------------------------------
// Helpers shared by the flow tests (additions).

/** The demo accounts' password (also shown on the sign-in page in demo mode). */
export const DEMO_PASSWORD = 'danvan-demo-2026';

/**
 * Click something that submits a form or follows a link, and wait until the
 * resulting page has loaded. Returns the main-frame response (may be null).
 */
export async function clickAndWait(page, locator) {
  const [res] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    locator.click(),
  ]);
  return res;
}

/** Go to a path (relative to baseURL) and return the response. */
export async function visit(page, baseURL, pathname) {
  const res = await page.goto(new URL(pathname, baseURL).href, { waitUntil: 'load' });
  if (!res) throw new Error(`no response for ${pathname}`);
  return res;
}

/**
 * Sign in through the form at /signin?next=… and wait for the redirect.
 * Returns the response of the page we land on.
 */
export async function signIn(page, baseURL, username, password = DEMO_PASSWORD, next = '/') {
  await visit(page, baseURL, `/signin?next=${encodeURIComponent(next)}`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  return clickAndWait(page, page.locator('main form[action="/signin"] button[type="submit"]'));
}

/** Sign out with the button in the header. */
export async function signOut(page) {
  return clickAndWait(page, page.locator('header form[action="/signout"] button'));
}

/**
 * Record what goes wrong inside a page: uncaught errors, console errors
 * (CSP refusals show up there) and failed same-origin requests.
 * Returns a live array of strings.
 */
export function watchPage(page) {
  const problems = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('requestfailed', (req) => {
    const f = req.failure()?.errorText || '';
    if (f !== 'net::ERR_ABORTED') problems.push(`requestfailed: ${req.url()} ${f}`);
  });
  return problems;
}
