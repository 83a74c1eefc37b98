// Accessibility sweep of the programme, reporting, consolidation, dashboard
// and follow-up pages with the demo data: every page is checked with axe-core
// (WCAG 2.1 A/AA) as the coordinator and, where the unit's own view differs,
// as the unit officer; two of them also at a phone viewport (375×740).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, checkA11y, visit, signIn, watchPage } from './harness.mjs';

let server;
let browser;
let coord; // dieuphoi's context
let officer; // canbo's context
let cp; // coordinator page
let op; // officer page
const ids = {};

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  coord = await browser.newContext({ locale: 'vi-VN' });
  officer = await browser.newContext({ locale: 'vi-VN' });
  cp = await coord.newPage();
  op = await officer.newPage();
  await signIn(cp, server.baseURL, 'dieuphoi');
  await signIn(op, server.baseURL, 'canbo');

  // Find the demo's ids through the pages themselves.
  const idOf = (href) => Number(/\/(\d+)(?:[/?#]|$)/.exec(href)[1]);
  await visit(cp, server.baseURL, '/programme');
  ids.directive = idOf(await cp.getByRole('link', { name: '1470-CV/TU' }).getAttribute('href'));
  await visit(cp, server.baseURL, '/units?q=hac+thanh');
  ids.ward = idOf(await cp.getByRole('link', { name: 'Phường Hạc Thành' }).first().getAttribute('href'));
  await visit(cp, server.baseURL, '/reports/templates');
  ids.template = idOf(await cp.getByRole('link', { name: 'BC-DV-THANG' }).getAttribute('href'));
  await visit(op, server.baseURL, '/reports?status=draft');
  ids.draft = idOf(await op.locator('main table tbody a').first().getAttribute('href'));
  await visit(op, server.baseURL, '/reports?status=accepted');
  ids.accepted = idOf(await op.locator('main table tbody a').first().getAttribute('href'));
  await visit(cp, server.baseURL, '/reports?status=submitted');
  ids.submitted = idOf(await cp.locator('main table tbody a').first().getAttribute('href'));
  await visit(cp, server.baseURL, '/inspections');
  ids.inspection = idOf(await cp.locator('main table tbody a[href^="/inspections/"]').first().getAttribute('href'));
  // The province: the coordinator's own plan link on /programme.
  await visit(cp, server.baseURL, '/programme');
  ids.province = idOf(await cp.getByRole('navigation', { name: /Kế hoạch của đơn vị tôi/ }).getByRole('link').first().getAttribute('href'));
  for (const [k, v] of Object.entries(ids)) assert.ok(Number.isInteger(v) && v > 0, `id of ${k}: ${v}`);
});

after(async () => {
  await coord?.close();
  await officer?.close();
  await browser?.close();
  await server?.stop();
});

/** Visit a page, expect 200 and no page errors, and check it with axe. */
async function sweep(page, pathname, label = pathname) {
  const problems = watchPage(page);
  const res = await visit(page, server.baseURL, pathname);
  assert.equal(res.status(), 200, `${label}: HTTP ${res.status()}`);
  await checkA11y(page, label);
  page.removeAllListeners('pageerror');
  page.removeAllListeners('console');
  page.removeAllListeners('requestfailed');
  assert.deepEqual(problems, [], `${label}: problems in the page`);
}

const coordPages = () => [
  '/programme',
  `/programme/directives/${ids.directive}`,
  `/programme/directives/${ids.directive}?text=ja`,
  `/programme/units/${ids.ward}`,
  `/programme/units/${ids.province}`,
  '/programme/directives/new',
  '/reports',
  '/reports?status=submitted',
  `/reports/${ids.submitted}`,
  `/reports/${ids.accepted}`,
  '/reports/templates',
  `/reports/templates/${ids.template}/edit`,
  '/reports/templates/new',
  '/reports/completeness',
  `/reports/completeness?template=${ids.template}&year=2026&number=10`,
  `/reports/consolidated?template=${ids.template}&unit=${ids.province}&type=monthly&year=2026&number=10`,
  `/reports/consolidated?template=${ids.template}&unit=${ids.province}&type=monthly&year=2025&number=3`,
  `/reports/consolidated?template=${ids.template}&unit=${ids.province}&type=monthly&year=2025&number=3&mapped=1`,
  '/dashboard',
  '/notifications',
  '/urges',
  '/inspections',
  `/inspections/${ids.inspection}`,
  '/inspections/new',
];

const officerPages = () => [
  '/programme',
  `/programme/units/${ids.ward}`,
  '/reports',
  `/reports/${ids.draft}`,
  `/reports/${ids.accepted}`,
  '/notifications',
  '/urges',
  `/inspections/${ids.inspection}`,
];

test('coordinator pages pass axe', async (t) => {
  for (const p of coordPages()) {
    await t.test(`dieuphoi ${p}`, () => sweep(cp, p, `dieuphoi ${p}`));
  }
});

test('unit officer pages pass axe', async (t) => {
  for (const p of officerPages()) {
    await t.test(`canbo ${p}`, () => sweep(op, p, `canbo ${p}`));
  }
});

test('phone viewport (375×740): a unit plan and a report form pass axe', async () => {
  const phone = await browser.newContext({ locale: 'vi-VN', viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  try {
    const page = await phone.newPage();
    await signIn(page, server.baseURL, 'canbo');
    for (const p of [`/programme/units/${ids.ward}`, `/reports/${ids.draft}`, `/reports/consolidated?template=${ids.template}&unit=${ids.ward}&type=monthly&year=2026&number=10`]) {
      await sweep(page, p, `phone ${p}`);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(wide <= 1, `phone ${p}: page scrolls sideways by ${wide}px`);
    }
  } finally {
    await phone.close();
  }
});

/** Submit a form with the browser's own checks off, so that the server's messages show. */
async function submitUnchecked(page, form, button) {
  await form.evaluate((f) => { f.noValidate = true; });
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  return res;
}

test('server-side form errors are shown accessibly', async (t) => {
  await t.test('assignment without a due date', async () => {
    await visit(cp, server.baseURL, `/programme/directives/${ids.directive}`);
    const form = cp.locator('form[action$="/assignments"]');
    await form.getByLabel('Đơn vị', { exact: true }).selectOption(String(ids.ward));
    const res = await submitUnchecked(cp, form, form.getByRole('button', { name: 'Giao nhiệm vụ' }));
    assert.equal(res.status(), 422);
    assert.equal(await cp.locator('#a-due').getAttribute('aria-invalid'), 'true');
    assert.ok(await cp.locator('#a-due-err').isVisible(), 'message beside the due date');
    await checkA11y(cp, 'directive with assignment errors');
  });
  await t.test('activity without a title, progress over 100 %', async () => {
    await visit(op, server.baseURL, `/programme/units/${ids.ward}`);
    const form = op.locator(`form[action="/programme/units/${ids.ward}/activities"]`);
    let res = await submitUnchecked(op, form, form.getByRole('button', { name: 'Thêm hoạt động' }));
    assert.equal(res.status(), 422);
    assert.equal(await op.locator('#n-title').getAttribute('aria-invalid'), 'true');
    await checkA11y(op, 'plan with activity errors');
    const article = op.locator('article.activity').first();
    assert.equal(await article.count(), 1, 'the demo ward has activities');
    const pform = article.locator('form');
    await pform.getByLabel('Tiến độ (%)').fill('150');
    res = await submitUnchecked(op, pform, pform.getByRole('button', { name: 'Cập nhật tiến độ' }));
    assert.equal(res.status(), 422);
    assert.equal(await op.locator('article.activity input[name="percent"][aria-invalid="true"]').count(), 1);
    await checkA11y(op, 'plan with progress errors');
  });
  await t.test('report template with a broken definition', async () => {
    await visit(cp, server.baseURL, '/reports/templates/new');
    const form = cp.locator('main form[method="post"]');
    // The raw JSON sits in a folded "advanced" section below the builder.
    await form.locator('details').filter({ has: cp.locator('textarea[name="definition"]') }).locator('summary').click();
    await form.locator('textarea[name="definition"]').fill('{"indicators": [{"code": "", "type": "bogus"}]}');
    const res = await submitUnchecked(cp, form, form.locator('button[type="submit"]').first());
    assert.equal(res.status(), 422);
    await checkA11y(cp, 'template form with errors');
  });
  await t.test('urge and inspection forms left empty', async () => {
    await visit(cp, server.baseURL, '/urges');
    let form = cp.locator('form[action="/urges"]');
    let res = await submitUnchecked(cp, form, form.locator('button[type="submit"]'));
    // From its own page the urge form comes back through the Referer with a
    // message (followup.go sends every invalid urge back to where it came from).
    if (res.status() === 422) assert.ok(await cp.locator('[aria-invalid="true"]').count() >= 1, 'the empty fields are marked');
    else assert.ok(await cp.locator('.flash, .error-msg').count() >= 1, 'a message says the urge was not sent');
    await checkA11y(cp, 'urge form with errors');
    await visit(cp, server.baseURL, '/inspections/new');
    form = cp.locator('form[action="/inspections"]');
    res = await submitUnchecked(cp, form, form.locator('button[type="submit"]'));
    assert.equal(res.status(), 422);
    assert.ok(await cp.locator('[aria-invalid="true"]').count() >= 1, 'the empty fields are marked');
    await checkA11y(cp, 'inspection form with errors');
    await visit(cp, server.baseURL, `/inspections/${ids.inspection}`);
    form = cp.locator(`form[action="/inspections/${ids.inspection}/recommendations"]`);
    res = await submitUnchecked(cp, form, form.locator('button[type="submit"]'));
    assert.equal(res.status(), 422);
    assert.ok(await cp.locator('[aria-invalid="true"]').count() >= 1, 'the empty fields are marked');
    await checkA11y(cp, 'recommendation form with errors');
  });
  await t.test('indicator import with errors', async () => {
    await visit(op, server.baseURL, `/reports/${ids.draft}`);
    const form = op.locator(`form[action="/reports/${ids.draft}/import"]`);
    await form.locator('input[type="file"]').setInputFiles({ name: 'chi-tieu.csv', mimeType: 'text/csv', buffer: Buffer.from('code,value\ncitizen_receptions,abc\nno_such_code,1\n') });
    const [res] = await Promise.all([op.waitForNavigation({ waitUntil: 'load' }), form.locator('button[type="submit"]').click()]);
    assert.equal(res.status(), 422);
    assert.ok(await op.locator('#import-errors li').count() >= 1, 'the import errors are listed');
    await checkA11y(op, 'report with import errors');
  });
});

test('phone viewport (375×740): no programme, report or follow-up page scrolls sideways', async () => {
  const phone = await browser.newContext({ locale: 'vi-VN', viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  try {
    const page = await phone.newPage();
    await signIn(page, server.baseURL, 'dieuphoi');
    const pages = ['/programme', `/programme/directives/${ids.directive}`, `/programme/units/${ids.ward}`, '/programme/directives/new',
      '/reports', `/reports/${ids.submitted}`, `/reports/${ids.accepted}`, '/reports/templates', `/reports/templates/${ids.template}/edit`,
      `/reports/completeness?template=${ids.template}&year=2026&number=10`,
      '/notifications', '/urges', '/inspections', `/inspections/${ids.inspection}`, '/inspections/new'];
    const bad = [];
    for (const p of pages) {
      await visit(page, server.baseURL, p);
      const o = await page.evaluate(() => {
        const vw = document.documentElement.clientWidth;
        const out = [];
        for (const e of document.querySelectorAll('body *')) {
          if (e.closest('.scroll, .sr-only, .skip')) continue;
          const r = e.getBoundingClientRect();
          if (r.width > 0 && r.right > vw + 1) out.push(`${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''} (${Math.round(r.right)}px)`);
        }
        return { wide: document.documentElement.scrollWidth - vw, out: out.slice(0, 4) };
      });
      if (o.wide > 1 || o.out.length) bad.push(`${p}: +${o.wide}px ${o.out.join(', ')}`);
    }
    assert.deepEqual(bad, [], 'pages that scroll sideways on a phone');
    // The wide tables scroll inside named, focusable regions that pass axe.
    await visit(page, server.baseURL, `/inspections/${ids.inspection}`);
    await checkA11y(page, `phone /inspections/${ids.inspection}`);
  } finally {
    await phone.close();
  }
});

test('English and Japanese pages pass axe (texts marked with their language)', async () => {
  const pages = {
    'en-US': [`/reports/${ids.submitted}`],
    'ja-JP': [`/programme/directives/${ids.directive}`, `/reports/consolidated?template=${ids.template}&unit=${ids.province}&type=monthly&year=2026&number=10`],
  };
  for (const [locale, paths] of Object.entries(pages)) {
    const ctx = await browser.newContext({ locale });
    try {
      const page = await ctx.newPage();
      await signIn(page, server.baseURL, 'dieuphoi');
      for (const p of paths) {
        await visit(page, server.baseURL, p);
        assert.equal(await page.locator('html').getAttribute('lang'), locale.slice(0, 2), `${p} in ${locale}`);
        await checkA11y(page, `${locale} ${p}`);
      }
    } finally {
      await ctx.close();
    }
  }
});
