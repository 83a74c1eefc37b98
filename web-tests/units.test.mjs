// Organisation browser: the tree today and before the July 2025 reform,
// diacritic-insensitive search, predecessor/successor links, bad dates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, checkA11y, visit, clickAndWait } from './harness.mjs';

let server;
let browser;
let context;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  context = await browser.newContext({ locale: 'vi-VN' });
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

/**
 * Reads the tree in the page: every unit's name, kind label and the names
 * of its ancestors in the tree, plus the nesting depth of <details>.
 */
function readTree(page) {
  return page.evaluate(() => {
    const out = [];
    for (const li of document.querySelectorAll('ul.tree li')) {
      const a = li.querySelector(':scope > a');
      const kind = li.querySelector(':scope > span.kind');
      const ancestors = [];
      for (let p = li.parentElement.closest('li'); p; p = p.parentElement.closest('li')) {
        ancestors.push(p.querySelector(':scope > a').textContent.trim());
      }
      out.push({ name: a.textContent.trim(), href: a.getAttribute('href'), kind: kind?.textContent.trim(), ancestors });
    }
    let maxDetails = 0;
    for (const d of document.querySelectorAll('ul.tree details')) {
      let n = 0;
      for (let e = d; e; e = e.parentElement?.closest('details')) n++;
      maxDetails = Math.max(maxDetails, n);
    }
    return { units: out, maxDetails };
  });
}

const COMMUNE_KINDS = new Set(['Xã', 'Phường', 'Đặc khu', 'Thị trấn']);
const DISTRICT_KINDS = new Set(['Huyện', 'Thị xã', 'Thành phố']);

test('today: the province with its 166 communes and wards in a nested tree', async () => {
  const page = await context.newPage();
  const res = await visit(page, server.baseURL, '/units');
  assert.equal(res.status(), 200);
  await checkA11y(page, '/units');
  const { units, maxDetails } = await readTree(page);
  assert.ok(maxDetails >= 2, `expected nested <details>, depth ${maxDetails}`);
  assert.equal(units[0].name, 'Tỉnh Thanh Hóa');
  assert.equal(units[0].kind, 'Tỉnh');
  // The count text matches what is in the tree.
  assert.equal((await page.locator('#results > p').first().textContent()).trim(), `${units.length} đơn vị`);
  const communes = units.filter((u) => COMMUNE_KINDS.has(u.kind));
  assert.equal(communes.length, 166, 'communes and wards today');
  assert.ok(communes.every((u) => u.ancestors.at(-1) === 'Tỉnh Thanh Hóa'));
  assert.equal(units.filter((u) => DISTRICT_KINDS.has(u.kind)).length, 0, 'no district level after 1 July 2025');
  // The province's <details> is open and says how many units are directly under it.
  const provinceSummary = page.locator('ul.tree > li > details > summary').first();
  assert.match(await provinceSummary.textContent(), /^\d+ đơn vị trực thuộc$/);
  assert.equal(await page.locator('ul.tree > li > details').first().getAttribute('open'), '');
  // The home page's count text agrees.
  await visit(page, server.baseURL, '/');
  await checkA11y(page, '/');
  const stats = await page.locator('ul.stats li').allTextContents();
  assert.ok(stats.some((s) => /^166\s/.test(s.trim())), `home stats: ${stats.join(' | ')}`);
  await page.close();
});

test('1 March 2025: 26 district-level units and 549 communes below them', async () => {
  const page = await context.newPage();
  await visit(page, server.baseURL, '/units');
  // Use the link under the search form rather than typing the URL.
  await clickAndWait(page, page.locator('main a[href="/units?at=2025-03-01"]'));
  assert.equal(new URL(page.url()).searchParams.get('at'), '2025-03-01');
  assert.equal(await page.inputValue('#at'), '2025-03-01');
  await checkA11y(page, '/units?at=2025-03-01');
  const { units } = await readTree(page);
  const districts = units.filter((u) => DISTRICT_KINDS.has(u.kind));
  assert.equal(districts.length, 26);
  const names = districts.map((u) => u.name);
  for (const n of ['Huyện Mường Lát', 'Thị xã Nghi Sơn', 'Thành phố Thanh Hóa', 'Thành phố Sầm Sơn']) {
    assert.ok(names.includes(n), `${n} missing`);
  }
  const districtNames = new Set(names);
  const communes = units.filter((u) => COMMUNE_KINDS.has(u.kind));
  assert.equal(communes.length, 549);
  for (const c of communes) {
    assert.ok(districtNames.has(c.ancestors[0]), `${c.name} is not inside a district (parent ${c.ancestors[0]})`);
  }
  // Links in the tree carry the date.
  assert.ok(communes.every((c) => c.href.endsWith('?at=2025-03-01')));
  // Opening a district's <details> shows its communes.
  const mlat = page.locator('ul.tree li', { has: page.locator(':scope > a', { hasText: 'Huyện Mường Lát' }) });
  await mlat.locator(':scope > details > summary').click();
  await mlat.locator(':scope > details > ul > li').first().waitFor({ state: 'visible' });
  await checkA11y(page, '/units?at=2025-03-01 with a district open');
  await page.close();
});

test('search matches with or without diacritics', async () => {
  const page = await context.newPage();
  await visit(page, server.baseURL, '/units');
  // Submitting the form (works without JavaScript).
  await page.locator('#q').fill('hac thanh');
  await clickAndWait(page, page.locator('form[role="search"] button[type="submit"]'));
  assert.equal(new URL(page.url()).searchParams.get('q'), 'hac thanh');
  await checkA11y(page, '/units?q=hac+thanh');
  let found = await page.locator('ul.results li > a').allTextContents();
  assert.ok(found.includes('Phường Hạc Thành'), `results: ${found.join(', ')}`);
  assert.match(await page.locator('#results > p').first().textContent(), /^Tìm thấy \d+ đơn vị$/);

  // Live search with htmx: typing replaces the results without a page load.
  await page.locator('#q').fill('dong son');
  await page.locator('ul.results li > a', { hasText: 'Đông Sơn' }).first().waitFor();
  await page.waitForURL((u) => u.searchParams.get('q') === 'dong son');
  await checkA11y(page, 'live search "dong son"');
  found = await page.locator('ul.results li > a').allTextContents();
  assert.ok(found.length > 0 && found.every((n) => n.includes('Đông Sơn')), `results: ${found.join(', ')}`);

  // Before the reform: two wards named Đông Sơn (Thanh Hóa city and Bỉm Sơn); case and đ fold.
  await visit(page, server.baseURL, '/units?q=%C4%90ONG+SON&at=2025-03-01');
  await checkA11y(page, '/units?q=ĐONG SON&at=2025-03-01');
  found = await page.locator('ul.results li > a').allTextContents();
  assert.ok(found.filter((n) => n === 'Phường Đông Sơn').length >= 2, `results: ${found.join(', ')}`);
  assert.ok(found.every((n) => n.includes('Đông Sơn')), `results: ${found.join(', ')}`);

  // Nothing found is said in words.
  await visit(page, server.baseURL, '/units?q=zzzz-khong-co');
  await page.locator('#results p.empty').waitFor();
  await checkA11y(page, 'search without results');
  await page.close();
});

test('a new commune links to its predecessors, an old one to its successors', async () => {
  const page = await context.newPage();
  await visit(page, server.baseURL, '/units?q=hac+thanh');
  await clickAndWait(page, page.locator('ul.results a', { hasText: 'Phường Hạc Thành' }));
  assert.match(new URL(page.url()).pathname, /^\/units\/\d+$/);
  const hacThanh = new URL(page.url()).pathname;
  await page.getByRole('heading', { level: 1, name: 'Phường Hạc Thành' }).waitFor();
  await checkA11y(page, 'Phường Hạc Thành');
  const preds = page.locator('section[aria-labelledby="pred-h"] li > a');
  const predNames = await preds.allTextContents();
  assert.ok(predNames.includes('Phường Lam Sơn'), `predecessors: ${predNames.join(', ')}`);
  assert.ok(predNames.length >= 5);
  assert.equal(await page.locator('section[aria-labelledby="succ-h"]').count(), 0);

  // Follow a predecessor: it is shown as of its last day and points back.
  const lamSon = new URL(await preds.filter({ hasText: 'Phường Lam Sơn' }).getAttribute('href'), server.baseURL).pathname;
  await clickAndWait(page, preds.filter({ hasText: 'Phường Lam Sơn' }));
  await page.getByRole('heading', { level: 1, name: 'Phường Lam Sơn' }).waitFor();
  assert.equal(new URL(page.url()).searchParams.get('at'), '2025-06-30');
  await checkA11y(page, 'Phường Lam Sơn (old)');
  const facts = await page.locator('dl.facts').textContent();
  assert.match(facts, /30\/06\/2025/, 'valid-to date shown in Vietnamese format');
  // Its ancestors at the time include Thành phố Thanh Hóa.
  const crumbs = await page.locator('nav.crumbs li').allTextContents();
  assert.ok(crumbs.some((c) => c.includes('Thành phố Thanh Hóa')), `crumbs: ${crumbs.join(' > ')}`);
  const succ = page.locator('section[aria-labelledby="succ-h"] li > a');
  assert.deepEqual(await succ.allTextContents(), ['Phường Hạc Thành']);
  await clickAndWait(page, succ.first());
  assert.equal(new URL(page.url()).pathname, hacThanh);
  await page.getByRole('heading', { level: 1, name: 'Phường Hạc Thành' }).waitFor();
  await checkA11y(page, 'Phường Hạc Thành via successor link');

  // The old ward is found by a search as of a date before the reform.
  await visit(page, server.baseURL, '/units?q=lam+son&at=2025-03-01');
  await checkA11y(page, '/units?q=lam+son&at=2025-03-01');
  await clickAndWait(page, page.locator(`ul.results a[href^="${lamSon}?"]`));
  await page.getByRole('heading', { level: 1, name: 'Phường Lam Sơn' }).waitFor();
  assert.equal(new URL(page.url()).searchParams.get('at'), '2025-03-01');
  await checkA11y(page, 'Phường Lam Sơn on 2025-03-01');
  await page.close();
});

test('a malformed date or kind gives a translated 400 page', async () => {
  const page = await context.newPage();
  let res = await visit(page, server.baseURL, '/units?at=2025-02-30');
  assert.equal(res.status(), 400);
  assert.equal(await page.getAttribute('html', 'lang'), 'vi');
  await page.getByRole('heading', { level: 1, name: 'Yêu cầu không hợp lệ' }).waitFor();
  assert.match(await page.locator('main').textContent(), /Ngày không hợp lệ/);
  await checkA11y(page, '400 bad date (vi)');

  res = await visit(page, server.baseURL, '/units/1?at=not-a-date');
  assert.equal(res.status(), 400);
  await checkA11y(page, '400 bad date on a unit page');

  res = await visit(page, server.baseURL, '/units?kind=castle');
  assert.equal(res.status(), 400);
  await checkA11y(page, '400 bad kind');

  res = await visit(page, server.baseURL, '/units/999999999');
  assert.equal(res.status(), 404);
  await checkA11y(page, '404 unknown unit');

  const en = await browser.newContext({ locale: 'en-US' });
  try {
    const p2 = await en.newPage();
    res = await visit(p2, server.baseURL, '/units?at=31-12-2024');
    assert.equal(res.status(), 400);
    assert.equal(await p2.getAttribute('html', 'lang'), 'en');
    await p2.getByRole('heading', { level: 1, name: 'Bad request' }).waitFor();
    assert.match(await p2.locator('main').textContent(), /Not a valid date/);
    await checkA11y(p2, '400 bad date (en)');
  } finally {
    await en.close();
  }
  await page.close();
});
