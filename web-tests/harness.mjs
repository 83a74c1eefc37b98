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
import zlib from 'node:zlib';
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

// ---------------------------------------------------------------------------
// PostgreSQL for the browser tests (additions).

import { execFile } from 'node:child_process';

function runFile(cmd, args, timeout = 120_000) {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/**
 * A fresh, empty PostgreSQL database for one `danvan demo`:
 * a new database inside $DANVAN_TEST_POSTGRES when that is set, else a
 * throwaway cluster from scripts/pg-throwaway.sh (its "danvan_test").
 * Returns { url, stop() }; stop() drops the database or stops the cluster.
 * Throws when neither is possible (the tests never skip silently).
 */
export async function postgresDatabase() {
  const script = path.resolve(here, '../scripts/pg-throwaway.sh');
  const ext = process.env.DANVAN_TEST_POSTGRES;
  if (ext) {
    const found = await runFile('bash', [script, 'find']);
    const psql = found.code === 0 && found.stdout.trim() ? path.join(found.stdout.trim(), 'psql') : 'psql';
    const name = `danvan_web_${process.pid}_${Date.now().toString(36)}`;
    const made = await runFile(psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', ext, '-c', `CREATE DATABASE ${name}`]);
    if (made.code !== 0) throw new Error(`could not create database ${name} in $DANVAN_TEST_POSTGRES: ${made.stderr}`);
    const u = new URL(ext);
    u.pathname = `/${name}`;
    let stopped = false;
    return {
      url: u.href,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await runFile(psql, ['-X', '-q', '-d', ext, '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
      },
    };
  }
  const started = await runFile('bash', [script, 'start']);
  if (started.code !== 0) {
    throw new Error(`could not start a throwaway PostgreSQL (pg-throwaway.sh exit ${started.code}; set DANVAN_TEST_POSTGRES): ${started.stderr}`);
  }
  const vars = {};
  for (const line of started.stdout.split('\n')) {
    const m = /^(\w+)=(.*)$/.exec(line.trim());
    if (m) vars[m[1]] = m[2].replace(/^'(.*)'$/, '$1').replace(/\\(.)/g, '$1');
  }
  if (!vars.DANVAN_TEST_POSTGRES || !vars.PG_THROWAWAY_DIR) throw new Error(`unexpected pg-throwaway.sh output: ${started.stdout}`);
  let stopped = false;
  return {
    url: vars.DANVAN_TEST_POSTGRES,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await runFile('bash', [script, 'stop', vars.PG_THROWAWAY_DIR]);
    },
  };
}

/**
 * Read one member of a ZIP archive (stored or deflated) from a Buffer,
 * through the central directory. Returns a Buffer, or null if absent.
 */
export function unzipEntry(buf, name) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('not a zip: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('zip: bad central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nlen = buf.readUInt16LE(p + 28);
    const xlen = buf.readUInt16LE(p + 30);
    const clen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const entry = buf.subarray(p + 46, p + 46 + nlen).toString('utf8');
    if (entry === name) {
      if (buf.readUInt32LE(local) !== 0x04034b50) throw new Error('zip: bad local header');
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + csize);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return zlib.inflateRawSync(data);
      throw new Error(`zip: unsupported method ${method} for ${name}`);
    }
    p += 46 + nlen + xlen + clen;
  }
  return null;
}

/** The text of a WordprocessingML document.xml: one line per paragraph. */
export function docxText(xml) {
  const decode = (s) => s
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  return xml.split(/<\/w:p>/).map((para) => {
    let out = '';
    for (const m of para.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:tab\/>|<w:br\/>/g)) out += m[1] !== undefined ? decode(m[1]) : ' ';
    return out;
  }).filter((s) => s.trim() !== '').join('\n');
}
