// The officer's loop on a phone (390 × 844): the unit officer opens a report
// from "Việc của tôi", fills it and submits → the coordinator finds it in
// "waiting for my review" and returns it with a comment → the officer sees
// it returned (with the comment) on the home page, corrects and resubmits →
// the coordinator accepts → the officer sees it accepted. Every page visited
// passes axe and no field or button sticks out of the screen. A second test
// runs axe on the main pages of every role at 390 and 1366 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, checkA11y, visit, signIn, clickAndWait } from './harness.mjs';

const PHONE = { width: 390, height: 844 };
const MARK = `điện thoại ${Date.now().toString(36)}`;

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

/** Form controls whose box reaches beyond the right edge of the viewport. */
function outside(page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const out = [];
    for (const e of document.querySelectorAll('input:not([type="hidden"]), select, textarea, button')) {
      if (e.closest('.scroll')) continue; // a table region that scrolls on purpose
      const r = e.getBoundingClientRect();
      if (r.width > 0 && r.right > vw + 0.5) out.push(`${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.name ? `[name=${e.name}]` : ''} right=${Math.round(r.right)}`);
    }
    return { vw, out };
  });
}

/** After a navigation: the status, axe, and nothing wider than the screen. */
async function look(page, res, label, status = 200) {
  if (res) assert.equal(res.status(), status, `${label}: HTTP ${res.status()} at ${page.url()}`);
  await checkA11y(page, label);
  const o = await outside(page);
  assert.deepEqual(o.out, [], `${label}: controls beyond the ${o.vw}px screen`);
}

/** Fill report cells and wait for the autosave that carries them (as loop.test.mjs). */
async function fillReport(page, reportID, values) {
  const want = Object.entries(values);
  const saved = page.waitForResponse((r) => {
    if (!r.url().endsWith(`/reports/${reportID}/draft`) || r.request().method() !== 'POST') return false;
    const sent = new URLSearchParams(r.request().postData() || '');
    return want.every(([k, v]) => sent.get(k.startsWith('n-') ? `n.${k.slice(2)}` : `v.${k}`) === v);
  });
  for (const [k, v] of want) await page.locator(k.startsWith('n-') ? `#${k}` : `#v-${k.replace('.', '-')}`).fill(v);
  await page.locator('#report-form').getByRole('button', { name: 'Lưu', exact: true }).focus();
  assert.equal((await saved).status(), 200, 'autosave');
  await page.waitForFunction(() => !document.querySelector('.htmx-request') && /\S/.test(document.querySelector('#save-status')?.textContent || ''));
}

const section = (page, name) => page.getByRole('region', { name });

test('the report loop on a phone', async () => {
  const unitCtx = await browser.newContext({ locale: 'vi-VN', viewport: PHONE });
  const coordCtx = await browser.newContext({ locale: 'vi-VN', viewport: PHONE });
  const up = await unitCtx.newPage();
  const cp = await coordCtx.newPage();
  const base = server.baseURL;
  try {
    // 1. The officer lands on "Việc của tôi"; the menu is folded.
    await look(up, await signIn(up, base, 'canbo'), 'canbo home');
    assert.equal(new URL(up.url()).pathname, '/');
    await up.locator('h1').filter({ hasText: 'Việc của tôi' }).waitFor();
    assert.equal(await up.locator('header nav').isVisible(), false, 'the menu is folded on a phone');
    const header = await up.locator('header.top').boundingBox();
    assert.ok(header.height <= 64, `the header is one line (${header.height}px)`);
    await up.locator('header summary').click();
    assert.ok(await up.locator('header nav').isVisible(), 'the menu unfolds');
    assert.ok(await up.locator('header form.langs').isVisible(), 'the language switch is in the menu');
    await checkA11y(up, 'canbo home, menu open');
    await up.locator('header summary').click();

    // 2. It opens the monthly report due from the home page, fills it, submits.
    const due = section(up, 'Báo cáo phải gửi').getByRole('listitem').filter({ hasText: 'Báo cáo tháng' }).first();
    assert.match(await due.innerText(), /hạn \d\d\/\d\d\/\d{4}, (còn \d+ ngày|hết hạn hôm nay|quá hạn \d+ ngày)/, 'the due date and the days left');
    await look(up, await clickAndWait(up, due.locator('a, button').first()), 'canbo report');
    const id = Number(/\/reports\/(\d+)$/.exec(up.url())[1]);
    await fillReport(up, id, {
      citizen_receptions: '3', dialogues: '2', cases_received: '9', cases_resolved_on_time: '8', trainings: '1',
      'participants.male': '20', 'participants.female': '25', participants: '45', satisfaction_pct: '88',
      'n-highlights': `Đối thoại với Nhân dân (${MARK}).`,
    });
    await look(up, await clickAndWait(up, up.getByRole('button', { name: 'Gửi báo cáo' })), 'canbo report submitted');
    assert.equal(await up.locator('dl.facts .badge').first().innerText(), 'Đã gửi, chờ xem xét');

    // 3. The coordinator finds it waiting for review and returns it.
    const comment = `Đề nghị rà soát số buổi tiếp công dân (${MARK}).`;
    await look(cp, await signIn(cp, base, 'dieuphoi'), 'dieuphoi home');
    const waiting = section(cp, 'Báo cáo chờ tôi xem xét').locator(`a[href="/reports/${id}"]`);
    await look(cp, await clickAndWait(cp, waiting), 'dieuphoi report to review');
    const review = cp.getByRole('region', { name: 'Xem xét' });
    await review.getByLabel('Ý kiến').fill(comment);
    await look(cp, await clickAndWait(cp, review.getByRole('button', { name: 'Trả lại' })), 'dieuphoi report returned');
    assert.equal(await cp.locator('dl.facts .badge').first().innerText(), 'Bị trả lại');

    // 4. The officer sees it returned, with the comment, and a notice; resubmits.
    await look(up, await visit(up, base, '/'), 'canbo home after return');
    const returned = section(up, 'Báo cáo bị trả lại').getByRole('listitem').filter({ has: up.locator(`a[href="/reports/${id}"]`) });
    assert.ok((await returned.innerText()).includes(comment), 'the reviewer comment is on the home page');
    assert.ok(await section(up, 'Thông báo chưa đọc').locator(`a[href="/reports/${id}"]`).count() > 0, 'the return notice is on the home page');
    await look(up, await clickAndWait(up, returned.locator(`a[href="/reports/${id}"]`)), 'canbo returned report');
    await fillReport(up, id, { citizen_receptions: '5' });
    await look(up, await clickAndWait(up, up.getByRole('button', { name: 'Gửi báo cáo' })), 'canbo report resubmitted');
    assert.equal(await up.locator('dl.facts .badge').first().innerText(), 'Đã gửi, chờ xem xét');

    // 5. The coordinator accepts it.
    await look(cp, await visit(cp, base, '/'), 'dieuphoi home again');
    await look(cp, await clickAndWait(cp, section(cp, 'Báo cáo chờ tôi xem xét').locator(`a[href="/reports/${id}"]`)), 'dieuphoi resubmitted report');
    await look(cp, await clickAndWait(cp, cp.getByRole('region', { name: 'Xem xét' }).getByRole('button', { name: 'Tiếp nhận' })), 'dieuphoi report accepted');

    // 6. The officer sees "accepted": in the notices and on the report.
    await look(up, await visit(up, base, '/'), 'canbo home after acceptance');
    const accepted = section(up, 'Thông báo chưa đọc').locator(`a[href="/reports/${id}"]`).filter({ hasText: 'Báo cáo đã được tiếp nhận' });
    assert.equal(await accepted.count(), 1, 'the acceptance notice is on the home page');
    assert.equal(await section(up, 'Báo cáo bị trả lại').locator(`a[href="/reports/${id}"]`).count(), 0, 'no longer returned');
    await look(up, await visit(up, base, '/notifications'), 'canbo notifications');
    await up.locator('ul.notifications li').filter({ hasText: 'Báo cáo đã được tiếp nhận' }).first().waitFor({ timeout: 5_000 });
    await look(up, await visit(up, base, `/reports/${id}`), 'canbo accepted report');
    assert.match(await up.locator('dl.facts dd').first().innerText(), /Đã tiếp nhận/);
  } finally {
    await unitCtx.close();
    await coordCtx.close();
  }
});

test('axe on the main pages of every role at 390 and 1366 px', async () => {
  const base = server.baseURL;
  const common = ['/', '/units', '/notifications', '/account'];
  const roles = {
    admin: [...common, '/dashboard', '/programme', '/reports', '/reports/templates', '/reports/completeness', '/reports/consolidated', '/urges', '/inspections', '/admin/users', '/admin/audit'],
    dieuphoi: [...common, '/dashboard', '/programme', '/reports', '/reports/templates', '/reports/completeness', '/reports/consolidated', '/urges', '/inspections'],
    lanhdao: ['/dashboard', '/units', '/notifications', '/account', '/programme', '/reports', '/inspections'],
    truongdonvi: [...common, '/programme', '/reports', '/urges', '/inspections'],
    canbo: [...common, '/programme', '/reports', '/urges', '/inspections'],
    congdan: common,
  };
  const problems = [];
  for (const viewport of [PHONE, { width: 1366, height: 900 }]) {
    for (const [user, pages] of Object.entries(roles)) {
      const ctx = await browser.newContext({ locale: 'vi-VN', viewport });
      const page = await ctx.newPage();
      await signIn(page, base, user);
      const extra = [];
      for (const p of pages) {
        const res = await visit(page, base, p);
        if (res.status() !== 200) problems.push(`${user} ${p} at ${viewport.width}px: HTTP ${res.status()}`);
        // A report, a unit and a user: the first link of the list.
        if (p === '/reports') extra.push(await page.locator('main table a[href^="/reports/"]').first().getAttribute('href').catch(() => null));
        if (p === '/admin/users') extra.push(await page.locator('main table a[href^="/admin/users/"]').first().getAttribute('href').catch(() => null));
        try { await checkA11y(page, `${user} ${p} at ${viewport.width}px`); } catch (err) { problems.push(err.message); }
        const o = await outside(page);
        if (o.out.length) problems.push(`${user} ${p} at ${viewport.width}px: ${o.out.join(', ')}`);
      }
      for (const p of [...extra.filter(Boolean), '/units/1']) {
        await visit(page, base, p);
        try { await checkA11y(page, `${user} ${p} at ${viewport.width}px`); } catch (err) { problems.push(err.message); }
      }
      await ctx.close();
    }
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});
