// The public portal in the browser, without JavaScript: the home's four
// blocks by the motto and the communes by former district, a commune's page
// reached by its link, the disclosures with their overdue marks and the
// filter form, and the officers' disclosure page. Each page is checked
// with axe at 390 and 1366 px, has its description and Open Graph tags,
// and loads no script of its own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, checkA11y, visit, signIn, clickAndWait, watchPage } from './harness.mjs';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

let server;
let browser;
before(async () => {
  server = await startServer({ env: { DANVAN_BASE_URL: 'https://danvan.example.vn' } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function look(page, res, label) {
  assert.equal(res.status(), 200, `${label}: HTTP ${res.status()}`);
  for (const vp of [PHONE, DESKTOP]) {
    await page.setViewportSize(vp);
    await checkA11y(page, `${label} at ${vp.width} px`);
    // Nothing wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `${label} overflows by ${overflow} px at ${vp.width} px`);
  }
}

async function metaOf(page) {
  return page.evaluate(() => ({
    description: document.querySelector('meta[name="description"]')?.content,
    ogTitle: document.querySelector('meta[property="og:title"]')?.content,
    ogURL: document.querySelector('meta[property="og:url"]')?.content,
    lang: document.documentElement.lang,
  }));
}

test('the portal home, a commune and the disclosures', async () => {
  const context = await browser.newContext({ locale: 'vi-VN' });
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    let res = await visit(page, server.baseURL, '/');
    for (const name of ['Dân biết', 'Dân bàn', 'Dân kiểm tra, giám sát', 'Dân thụ hưởng']) {
      await page.getByRole('heading', { level: 2, name }).waitFor();
    }
    const m = await metaOf(page);
    assert.equal(m.lang, 'vi');
    assert.ok(m.description && m.description.length > 50, 'home description');
    assert.equal(m.ogURL, 'https://danvan.example.vn/');
    for (const href of ['/gop-y', '/bang-diem', '/cases/track', '/cong-khai?overdue=1', '/dan-van-kheo', '/lich-tiep-cong-dan']) {
      assert.ok(await page.locator(`main a[href="${href}"]`).count() > 0, `home links ${href}`);
    }
    const overdue = Number((await page.locator('.portal-block ul.stats li strong').nth(3).textContent()).replace(/\D/g, ''));
    assert.ok(overdue > 0, 'the demo has overdue disclosures');
    await look(page, res, '/');

    // A commune by its link in the list by former district.
    await page.locator('details.district summary').first().click();
    const link = page.locator('details.district ul.commune-list a').first();
    const name = (await link.textContent()).trim();
    res = await clickAndWait(page, link);
    await page.getByRole('heading', { level: 1, name }).waitFor();
    assert.match((await metaOf(page)).ogTitle, new RegExp(name));
    await look(page, res, `/xa (${name})`);

    // The disclosures, then only the overdue through the form.
    res = await visit(page, server.baseURL, '/cong-khai');
    assert.ok(await page.locator('.disclosure-list > li').count() > 50, 'demo disclosures listed');
    await look(page, res, '/cong-khai');
    await page.locator('#dp-overdue').check();
    res = await clickAndWait(page, page.locator('main form.filters button[type="submit"]'));
    const items = await page.locator('.disclosure-list > li').count();
    assert.equal(items, overdue, 'overdue list agrees with the home count');
    assert.equal(await page.locator('.disclosure-list > li .badge.s-late').count(), items);
    await look(page, res, '/cong-khai?overdue=1');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the public pages read without JavaScript', async () => {
  // axe needs scripts, so this context only reads the pages.
  const context = await browser.newContext({ locale: 'vi-VN', javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await visit(page, server.baseURL, '/');
    assert.equal(await page.locator('main h2', { hasText: 'Dân biết' }).count(), 1);
    const href = await page.locator('details.district ul.commune-list a').first().getAttribute('href');
    const res = await visit(page, server.baseURL, href);
    assert.equal(res.status(), 200);
    assert.ok(await page.locator('main h2').count() >= 4, 'commune sections');
    await visit(page, server.baseURL, '/cong-khai?overdue=1');
    assert.ok(await page.locator('.disclosure-list > li').count() > 0, 'overdue disclosures listed');
  } finally {
    await context.close();
  }
});

test('a commune officer records a disclosure from the officers page', async () => {
  const context = await browser.newContext({ locale: 'vi-VN' });
  try {
    const page = await context.newPage();
    await signIn(page, server.baseURL, 'canbo');
    let res = await visit(page, server.baseURL, '/disclosures');
    await look(page, res, '/disclosures');
    await page.locator('#ds-title').fill('Danh sách hộ được hỗ trợ sửa nhà năm 2026');
    await page.locator('#ds-category').selectOption('beneficiaries');
    await page.locator('#ds-decided_on').fill('2025-01-02');
    res = await clickAndWait(page, page.locator('main form[action="/disclosures"] button[type="submit"]'));
    await page.locator('.flash').waitFor();
    assert.ok(await page.locator('.disclosure-list li', { hasText: 'Danh sách hộ được hỗ trợ sửa nhà năm 2026' }).count() === 1);
    await look(page, res, '/disclosures after saving');
  } finally {
    await context.close();
  }
});
