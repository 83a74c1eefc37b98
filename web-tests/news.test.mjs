// News on the public portal, in the browser: the list of articles, an
// article with its Open Graph tags and feed link, and the Atom feed — read
// without JavaScript and checked with axe at 390 and 1366 px; then the
// coordinator approves an article waiting in the demo, with confirmation,
// and it appears on the portal.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, checkA11y, signIn } from './harness.mjs';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

let browser;
const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await browser?.close();
});

async function look(page, label) {
  for (const vp of [PHONE, DESKTOP]) {
    await page.setViewportSize(vp);
    await checkA11y(page, `${label} at ${vp.width} px`);
  }
}

test('news list, article and feed, readable without JavaScript, axe-clean at phone and desktop width', async () => {
  const srv = await startServer({ env: { DANVAN_BASE_URL: 'https://danvan.example.vn' } });
  cleanups.push(() => srv.stop());
  browser ??= await launchBrowser();
  // Readable without JavaScript.
  const bare = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE, locale: 'vi-VN' });
  cleanups.push(() => bare.close());
  const bp = await bare.newPage();
  await bp.goto(srv.baseURL + '/tin-tuc');
  assert.equal(await bp.locator('ul.news-list > li h2 a').count(), 12);
  await bp.locator('ul.news-list > li h2 a').first().click();
  assert.ok((await bp.locator('article h1').textContent()).trim().length > 0);

  const ctx = await browser.newContext({ viewport: PHONE, locale: 'vi-VN' });
  cleanups.push(() => ctx.close());
  const page = await ctx.newPage();

  let res = await page.goto(srv.baseURL + '/tin-tuc');
  assert.equal(res.status(), 200);
  assert.equal(await page.getAttribute('html', 'lang'), 'vi');
  assert.match(await page.title(), /Tin tức dân vận/);
  assert.ok(await page.getAttribute('meta[name="description"]', 'content'));
  assert.equal(await page.getAttribute('link[rel="alternate"][type="application/atom+xml"]', 'href'), 'https://danvan.example.vn/tin-tuc/feed.atom');
  const items = page.locator('ul.news-list > li');
  assert.equal(await items.count(), 12);
  for (const img of await page.locator('ul.news-list img').all()) {
    assert.ok(await img.getAttribute('width'));
    assert.ok(await img.getAttribute('height'));
  }
  await look(page, 'news list');

  // Filter by topic with the form (a GET, no script).
  await page.selectOption('#n-topic', 'dialogues');
  await Promise.all([page.waitForURL(/topic=dialogues/), page.click('main form.filters button[type="submit"]')]);
  assert.ok(await items.count() >= 3);
  await look(page, 'news list of a topic');

  // The article.
  await Promise.all([page.waitForURL(/\/tin-tuc\/[a-z0-9-]+$/), items.first().locator('h2 a').click()]);
  const og = async (p) => page.getAttribute(`meta[property="${p}"]`, 'content');
  assert.equal(await og('og:type'), 'article');
  assert.equal(await og('og:url'), 'https://danvan.example.vn' + new URL(page.url()).pathname);
  assert.match(await og('og:image'), /^https:\/\/danvan\.example\.vn\/tin-tuc\/anh\/[0-9a-f]{32}\.jpg$/);
  assert.equal(await og('og:title'), (await page.locator('h1').textContent()).trim());
  assert.ok(await page.locator('article figure img[alt]').count() === 1);
  await look(page, 'news article');

  // The picture is cached for ever; the feed is Atom.
  const pic = await page.request.get(srv.baseURL + new URL(await og('og:image')).pathname);
  assert.equal(pic.headers()['cache-control'], 'public, max-age=31536000, immutable');
  const feed = await page.request.get(srv.baseURL + '/tin-tuc/feed.atom');
  assert.equal(feed.headers()['content-type'], 'application/atom+xml; charset=utf-8');
  const xml = await feed.text();
  assert.match(xml, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom" xml:lang="vi">/);
  assert.match(xml, /<updated>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00<\/updated>/);
  const again = await page.request.get(srv.baseURL + '/tin-tuc/feed.atom', { headers: { 'If-None-Match': feed.headers()['etag'] } });
  assert.equal(again.status(), 304);
  const sitemap = await (await page.request.get(srv.baseURL + '/sitemap.xml')).text();
  assert.match(sitemap, /<loc>https:\/\/danvan\.example\.vn\/tin-tuc\/[a-z0-9-]+<\/loc>/);
});

test('the coordinator approves an article waiting in the demo, with confirmation', async () => {
  const srv = await startServer();
  cleanups.push(() => srv.stop());
  browser ??= await launchBrowser();
  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'vi-VN' });
  cleanups.push(() => ctx.close());
  const page = await ctx.newPage();
  await signIn(page, srv.baseURL, 'dieuphoi');
  await page.goto(srv.baseURL + '/news/manage?status=submitted');
  await look(page, 'news manage list');
  const first = page.locator('ul.task-list a').first();
  const title = (await first.textContent()).trim();
  await Promise.all([page.waitForURL(/\/news\/manage\/\d+$/), first.click()]);
  await look(page, 'news article for the coordinator');
  await Promise.all([page.waitForURL(/\/approve$/), page.click('a[href$="/approve"]')]);
  await look(page, 'news approve confirmation');
  await Promise.all([page.waitForURL(/flash=news.done_approve/), page.click('main form button[type="submit"]')]);
  await page.goto(srv.baseURL + '/tin-tuc');
  assert.equal((await page.locator('ul.news-list h2 a').first().textContent()).trim(), title);
});
