import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, checkA11y } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('home page is Vietnamese and accessible', async () => {
  // Ask for Vietnamese explicitly so the check does not depend on chromium's default locale.
  const context = await browser.newContext({ locale: 'vi-VN' });
  try {
    const page = await context.newPage();
    const res = await page.goto(`${server.baseURL}/`);
    assert.ok(res, 'no response for /');
    assert.equal(res.status(), 200, `GET / returned ${res.status()}`);
    assert.equal(await page.getAttribute('html', 'lang'), 'vi');
    await checkA11y(page, '/');
  } finally {
    await context.close();
  }
});
