// Every page of the public site, as an anonymous visitor, on a phone and a
// desktop: HTTP 200, axe-clean, nothing wider than the screen, a title,
// Vietnamese first.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, checkA11y, visit } from './harness.mjs';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

const LISTS = [
  '/', '/cases/new', '/cases/track', '/bang-diem', '/lich-tiep-cong-dan', '/cong-khai', '/gop-y',
  '/dan-van-kheo', '/tin-tuc', '/units', '/signin',
];

let browser;
let server;
after(async () => {
  await browser?.close();
  await server?.stop();
});

// firstLink is the first link of page whose path starts with prefix and
// continues with something.
async function firstLink(page, prefix) {
  const hrefs = await page.locator(`main a[href^="${prefix}"]`).evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const href = hrefs.find((h) => h.length > prefix.length && !h.includes('?'));
  assert.ok(href, `no link ${prefix}… on ${page.url()}`);
  return href;
}

test('every public page reads on a phone and a desktop, axe-clean', { timeout: 600_000 }, async () => {
  server = await startServer();
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'vi-VN' });
  const page = await context.newPage();
  const pages = [...LISTS];
  await visit(page, server.baseURL, '/dan-van-kheo');
  pages.push(await firstLink(page, '/dan-van-kheo/'));
  await visit(page, server.baseURL, '/gop-y');
  pages.push(await firstLink(page, '/gop-y/'));
  await visit(page, server.baseURL, '/tin-tuc');
  pages.push(await firstLink(page, '/tin-tuc/'));
  await visit(page, server.baseURL, '/');
  pages.push(await page.locator('a[href^="/xa/"]').first().getAttribute('href'));

  for (const p of pages) {
    const res = await visit(page, server.baseURL, p);
    assert.equal(res.status(), 200, `${p}: HTTP ${res.status()}`);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'vi', `${p}: lang`);
    assert.ok((await page.title()).trim().length > 0, `${p}: title`);
    for (const vp of [PHONE, DESKTOP]) {
      await page.setViewportSize(vp);
      const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(over <= 1, `${p} at ${vp.width} px scrolls sideways by ${over} px`);
      await checkA11y(page, `${p} at ${vp.width} px`);
    }
  }
  await context.close();
});
