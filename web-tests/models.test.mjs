// "Dân vận khéo" in the browser: the public gallery with its filters and
// pagination, a model's public page (photos with srcset, figures,
// recognition, replications, meta tags), the gallery read without JavaScript, and the
// officers' model page of Phường Hạc Thành; every page checked with axe at
// 390 and 1366 px.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, checkA11y, visit, signIn } from './harness.mjs';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

let browser;
let server;
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function look(page, res, label) {
  assert.equal(res.status(), 200, `${label}: HTTP ${res.status()} at ${page.url()}`);
  for (const vp of [PHONE, DESKTOP]) {
    await page.setViewportSize(vp);
    await checkA11y(page, `${label} at ${vp.width} px`);
  }
}

test('the public gallery (also without JavaScript) and a model page', async () => {
  server = await startServer();
  browser = await launchBrowser();
  // Without JavaScript the pages read the same: the gallery, a model.
  const noJS = await browser.newContext({ javaScriptEnabled: false, locale: 'vi-VN' });
  const bare = await noJS.newPage();
  await visit(bare, server.baseURL, '/dan-van-kheo');
  assert.ok(await bare.locator('.gallery-card').count() >= 12, 'gallery without JavaScript');
  await noJS.close();

  const ctx = await browser.newContext({ locale: 'vi-VN' });
  const page = await ctx.newPage();
  let res = await visit(page, server.baseURL, '/dan-van-kheo');
  await look(page, res, 'gallery');
  assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
  assert.ok((await page.locator('meta[name="description"]').getAttribute('content')).length > 40, 'gallery description');
  assert.ok((await page.locator('meta[property="og:image"]').getAttribute('content')).startsWith('http'), 'og:image absolute');
  const cards = page.locator('.gallery-card');
  assert.ok(await cards.count() >= 12, 'a page of models');
  for (const img of await page.locator('.gallery-card img').all()) {
    assert.ok(await img.getAttribute('width') && await img.getAttribute('height'), 'image dimensions');
  }
  assert.ok(await page.locator('nav.pager a[rel="next"]').count() === 1, 'pagination');

  // Filters by submitting the form (GET, no script).
  await page.selectOption('#g-field', 'defence_security');
  await page.selectOption('#g-level', 'province');
  await Promise.all([page.waitForNavigation(), page.locator('form.filters button').click()]);
  assert.match(page.url(), /field=defence_security/);
  const filtered = await page.locator('.gallery-card').count();
  assert.ok(filtered >= 1 && filtered < 12, `filtered: ${filtered}`);
  for (const badge of await page.locator('.gallery-card .badge').allTextContents()) {
    assert.match(badge, /Cấp tỉnh/);
  }
  await look(page, await visit(page, server.baseURL, '/dan-van-kheo?year=2022&page=1'), 'gallery 2022');

  // A model's page.
  await visit(page, server.baseURL, '/dan-van-kheo?field=economy');
  const href = await page.locator('.gallery-card h2 a').first().getAttribute('href');
  res = await visit(page, server.baseURL, href);
  await look(page, res, 'model page');
  assert.equal(await page.locator('meta[property="og:type"]').getAttribute('content'), 'article');
  const photo = page.locator('.photos img').first();
  assert.match(await photo.getAttribute('srcset'), /\/480 480w, .*\/1600 960w/);
  assert.ok(await page.locator('.stats .stat').count() >= 1, 'figures');
  assert.match(await page.locator('main').innerText(), /Được công nhận/);

  // The picture's caching headers.
  const src = await photo.getAttribute('src');
  const pic = await page.request.get(new URL(src, server.baseURL).href);
  assert.equal(pic.status(), 200);
  assert.equal(pic.headers()['cache-control'], 'public, max-age=31536000, immutable');
  assert.ok(pic.headers()['etag']);
  await ctx.close();
});

test("the officers' model pages", async () => {
  const ctx = await browser.newContext({ locale: 'vi-VN' });
  const page = await ctx.newPage();
  await signIn(page, server.baseURL, 'canbo');
  let res = await visit(page, server.baseURL, '/models');
  await look(page, res, 'models list');
  const link = page.locator('table a', { hasText: 'Tổ công nghệ số' });
  const href = await link.getAttribute('href');
  res = await visit(page, server.baseURL, href);
  await look(page, res, 'model under evaluation');
  res = await visit(page, server.baseURL, '/models/new');
  await look(page, res, 'register form');
  res = await visit(page, server.baseURL, '/models/criteria?year=2023&field=economy');
  await look(page, res, 'criteria');
  await ctx.close();
});
