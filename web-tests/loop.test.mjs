// The loop the directive closes with, in the browser, on SQLite and on
// PostgreSQL: the coordinator assigns a task of 1470-CV/TU to Phường Hạc
// Thành → the ward's officer plans an activity and posts progress → fills
// the monthly report (an invalid value first), submits → the coordinator
// returns it with a comment → the officer corrects and resubmits → the
// coordinator accepts (the report locks) → the province's consolidated view
// shows the accepted figure → the report and the consolidated report download
// as DOCX in the Party document form. Every page visited is checked with axe.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, checkA11y, visit, signIn, clickAndWait, watchPage,
  postgresDatabase, unzipEntry, docxText,
} from './harness.mjs';

const WARD = 'Phường Hạc Thành';
const MARK = `kiểm thử ${Date.now().toString(36)}`; // makes this run's texts unique

let browser;
const cleanups = [];
after(async () => {
  if (pg) await pg; // registers the database's cleanup once it is up
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await browser?.close();
});

/** Run one named step; a failure says which step (LOOP_TIMING=1 prints durations). */
async function step(name, fn) {
  const t0 = Date.now();
  try {
    return await fn();
  } catch (err) {
    err.message = `[${name}] ${err.message}`;
    throw err;
  } finally {
    if (process.env.LOOP_TIMING) console.log(`step ${name}: ${Date.now() - t0} ms`);
  }
}

/** Check the page after a navigation: HTTP status, axe. */
async function look(page, res, label, status = 200) {
  if (res) assert.equal(res.status(), status, `${label}: HTTP ${res.status()} at ${page.url()}`);
  await checkA11y(page, label);
}

/** YYYY-MM-DD plus n days. */
function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Today in Vietnam, YYYY-MM-DD. */
const vnToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());

/** The monthly period open today: month N runs from the 15th of N-1 to the 14th of N. */
function currentMonthlyPeriod() {
  let [year, number, day] = vnToday().split('-').map(Number);
  if (day >= 15) number += 1;
  if (number === 13) { number = 1; year += 1; }
  return { year, number };
}

/** dd/mm/yyyy as the Vietnamese pages print dates. */
const viDate = (iso) => iso.split('-').reverse().join('/');

/**
 * Fill indicator cells of the report form and wait until the autosave
 * (htmx, on change) that carries all of them has been answered and swapped
 * in, so that the version the next click posts is the current one.
 */
async function fillReport(page, reportID, values) {
  const want = Object.entries(values);
  const saved = page.waitForResponse((r) => {
    if (!r.url().endsWith(`/reports/${reportID}/draft`) || r.request().method() !== 'POST') return false;
    const sent = new URLSearchParams(r.request().postData() || '');
    return want.every(([k, v]) => sent.get(k.startsWith('n-') ? `n.${k.slice(2)}` : `v.${k}`) === v);
  });
  for (const [k, v] of want) await page.locator(k.startsWith('n-') ? `#${k}` : `#v-${k.replace('.', '-')}`).fill(v);
  await page.locator('#report-form').getByRole('button', { name: 'Lưu', exact: true }).focus(); // leave the last field: change
  const res = await saved;
  assert.equal(res.status(), 200, `autosave answered ${res.status()}`);
  await page.waitForFunction(() => !document.querySelector('.htmx-request') && /\S/.test(document.querySelector('#save-status')?.textContent || ''));
  await assert.doesNotReject(page.locator('#save-status').filter({ hasText: 'Đã tự động lưu' }).waitFor({ timeout: 5_000 }), 'autosave message');
}

/** The consolidated citizen-receptions figure of a unit for a period (0 when no report counts). */
async function consolidatedFigure(page, baseURL, q, label) {
  const res = await visit(page, baseURL, `/reports/consolidated?${new URLSearchParams(q)}`);
  await look(page, res, label);
  const heading = await page.locator('main h2').first().innerText();
  const n = Number(/Số báo cáo được tổng hợp: (\d+)/.exec(await page.locator('main').innerText())?.[1]);
  assert.ok(Number.isInteger(n), `${label}: number of reports not shown`);
  if (n === 0) return { n, value: 0, heading };
  const row = page.locator('main table').first().getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Số buổi tiếp công dân', exact: true }) });
  const cell = (await row.locator('td').nth(1).innerText()).trim();
  const value = Number(cell.replace(/\./g, '').replace(',', '.'));
  assert.ok(Number.isFinite(value), `${label}: figure "${cell}"`);
  return { n, value, heading };
}

/** Download a DOCX with the page's cookies and check it is a Party document of the unit. */
async function checkDocx(page, href, mustContain, label) {
  const res = await page.request.get(href);
  assert.equal(res.status(), 200, `${label}: HTTP ${res.status()}`);
  assert.match(res.headers()['content-type'] || '', /application\/vnd\.openxmlformats-officedocument\.wordprocessingml\.document/, `${label}: content-type`);
  assert.match(res.headers()['content-disposition'] || '', /attachment/, `${label}: content-disposition`);
  const body = await res.body();
  assert.equal(body.subarray(0, 2).toString('latin1'), 'PK', `${label}: not a zip`);
  const xml = unzipEntry(body, 'word/document.xml');
  assert.ok(xml, `${label}: no word/document.xml`);
  const text = docxText(xml.toString('utf8'));
  assert.ok(text.includes('ĐẢNG CỘNG SẢN VIỆT NAM'), `${label}: no "ĐẢNG CỘNG SẢN VIỆT NAM" in the document text:\n${text.slice(0, 1500)}`);
  assert.ok(!text.includes('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'), `${label}: the State heading in a Party document:\n${text.slice(0, 1500)}`);
  // Unit names appear as written or, as the issuing body, in capitals (with every diacritic).
  for (const s of mustContain) {
    assert.ok(text.includes(s) || text.includes(s.toLocaleUpperCase('vi')), `${label}: "${s}" not in the document text:\n${text.slice(0, 1500)}`);
  }
  return text;
}

async function loop(server) {
  const base = server.baseURL;
  const coordCtx = await browser.newContext({ locale: 'vi-VN' });
  const unitCtx = await browser.newContext({ locale: 'vi-VN' });
  cleanups.push(() => coordCtx.close(), () => unitCtx.close());
  coordCtx.setDefaultTimeout(10_000);
  unitCtx.setDefaultTimeout(10_000);
  const cp = await coordCtx.newPage(); // dieuphoi: coordinator of the province
  const up = await unitCtx.newPage(); // canbo: officer of Phường Hạc Thành
  const problems = [{ who: 'dieuphoi', page: cp }, { who: 'canbo', page: up }].map(({ who, page }) => {
    const seen = watchPage(page);
    // Failed sub-resources are reported by URL below (the console line has none); /favicon.ico is absent by design.
    page.on('response', (r) => {
      if (r.status() >= 400 && r.request().resourceType() !== 'document' && !r.url().endsWith('/favicon.ico')) seen.push(`HTTP ${r.status()} ${r.url()}`);
    });
    return { who, seen };
  });

  await step('sign in', async () => {
    await look(cp, await signIn(cp, base, 'dieuphoi', undefined, '/programme'), 'dieuphoi /programme');
    await look(up, await signIn(up, base, 'canbo', undefined, '/programme'), 'canbo /programme');
  });

  // --- 1. The coordinator assigns a task of 1470-CV/TU to the ward.
  const ids = {};
  const due = {};
  await step('assign a task', async () => {
    assert.match(cp.url(), /\/programme$/);
    await look(cp, await clickAndWait(cp, cp.getByRole('link', { name: '1470-CV/TU' })), 'directive 1470-CV/TU');
    ids.directive = Number(/\/programme\/directives\/(\d+)/.exec(cp.url())[1]);
    const form = cp.locator('form[action$="/assignments"]');
    const task = form.getByLabel('Nhiệm vụ', { exact: true });
    // The last task of the directive (numbered 10).
    const opt = task.locator('option').last();
    ids.task = Number(await opt.getAttribute('value'));
    ids.taskLabel = (await opt.innerText()).trim();
    await task.selectOption(String(ids.task));
    const unit = form.getByLabel('Đơn vị', { exact: true });
    const wardOpt = unit.locator('option').filter({ hasText: WARD });
    assert.equal(await wardOpt.count(), 1, `one option for ${WARD}`);
    ids.ward = Number(await wardOpt.getAttribute('value'));
    await unit.selectOption(String(ids.ward));
    await form.getByLabel('Chủ trì').check();
    due.task = addDays(vnToday(), 75);
    await form.getByLabel('Hạn hoàn thành').fill(due.task);
    const res = await clickAndWait(cp, form.getByRole('button', { name: 'Giao nhiệm vụ' }));
    await look(cp, res, 'directive after assigning');
    await assert.doesNotReject(cp.locator('.flash').filter({ hasText: 'Đã giao nhiệm vụ.' }).waitFor({ timeout: 5_000 }), 'flash after assigning');
    const row = cp.locator('#tasks-h ~ div table tbody tr').filter({ has: cp.getByRole('rowheader', { name: 'Nhiệm vụ 10', exact: true }) });
    await assert.doesNotReject(row.getByRole('listitem').filter({ hasText: `${WARD} — Chủ trì, hạn ${viDate(due.task)}` }).first().waitFor({ timeout: 5_000 }),
      'the assignment is listed under task 10');
  });

  // --- 2. The officer plans an activity for it and reports progress.
  const act = {};
  await step('plan and progress', async () => {
    const nav = up.getByRole('navigation', { name: 'Kế hoạch của đơn vị tôi' });
    await look(up, await clickAndWait(up, nav.getByRole('link', { name: WARD })), 'canbo ward plan');
    assert.equal(up.url(), `${base}/programme/units/${ids.ward}`);
    const assigned = up.locator('section[aria-labelledby="asg-h"] tbody tr').filter({ hasText: viDate(due.task) });
    await assert.doesNotReject(assigned.filter({ hasText: 'Chủ trì' }).first().waitFor({ timeout: 5_000 }), 'the new assignment is in the plan');
    const form = up.locator(`form[action="/programme/units/${ids.ward}/activities"]`);
    await form.getByLabel('Nhiệm vụ', { exact: true }).selectOption(String(ids.task));
    act.title = `Đối thoại với Nhân dân về chỉnh trang đô thị (${MARK})`;
    await form.getByLabel('Tên hoạt động').fill(act.title);
    await form.getByLabel('Người phụ trách').fill('Phạm Thu Trang');
    const start = await form.getByLabel('Ngày bắt đầu').inputValue();
    assert.match(start, /^\d{4}-\d{2}-\d{2}$/, 'start date prefilled with today');
    await form.getByLabel('Hạn hoàn thành').fill(addDays(start, 60));
    await form.getByLabel('Chỉ tiêu', { exact: true }).fill('Số cuộc đối thoại');
    await form.getByLabel('Mục tiêu').fill('4');
    await look(up, await clickAndWait(up, form.getByRole('button', { name: 'Thêm hoạt động' })), 'plan after adding an activity');
    const article = up.getByRole('article', { name: new RegExp(act.title.replace(/[()]/g, '\\$&')) });
    await article.waitFor({ timeout: 5_000 });
    act.id = Number(/act-(\d+)/.exec(await article.getAttribute('id'))[1]);
    assert.equal(await article.locator('h3 .badge').innerText(), 'Chưa bắt đầu', 'a new activity has not started');

    await article.getByLabel('Tiến độ (%)').fill('40');
    await article.getByLabel('Ghi chú').fill(`Đã tổ chức 2 cuộc đối thoại tại khu phố (${MARK}).`);
    await article.getByLabel('Liên kết minh chứng').fill('https://thanhhoa.gov.vn/tin-tuc/doi-thoai-hac-thanh');
    await look(up, await clickAndWait(up, article.getByRole('button', { name: 'Cập nhật tiến độ' })), 'plan after progress');
    const after = up.locator(`#act-${act.id}`);
    assert.equal(await after.locator('h3 .badge').innerText(), 'Đúng tiến độ', 'derived status after 40 % on the first day');
    assert.equal(await after.getByRole('progressbar').getAttribute('value'), '40');
    await after.locator('details summary').click();
    await assert.doesNotReject(after.getByRole('listitem').filter({ hasText: MARK }).filter({ hasText: '40 %' }).waitFor({ timeout: 5_000 }), 'the update is listed');
    assert.equal(await after.locator('details a[href="https://thanhhoa.gov.vn/tin-tuc/doi-thoai-hac-thanh"]').count(), 1, 'the evidence link is listed');
    // The coordinator sees the ward's progress on the directive.
    await look(cp, await visit(cp, base, `/programme/directives/${ids.directive}`), 'directive with the ward progress');
    const unitRow = cp.locator('#units-h ~ div table tbody tr').filter({ has: cp.getByRole('link', { name: WARD, exact: true }) });
    await assert.doesNotReject(unitRow.first().waitFor({ timeout: 5_000 }), 'the ward is in the unit progress table');
  });

  // --- 3. The consolidated figure before the report counts.
  // The current monthly window (Decree 09/2019: the 15th to the 14th), by Vietnam's date.
  const period = { template: 0, type: 'monthly', ...currentMonthlyPeriod() };
  let before;
  await step('consolidated before', async () => {
    await look(cp, await visit(cp, base, '/reports/templates'), 'templates');
    period.template = Number(/\/reports\/templates\/(\d+)/.exec(await cp.getByRole('link', { name: 'BC-DV-THANG' }).getAttribute('href'))[1]);
    await look(cp, await visit(cp, base, '/programme'), 'programme');
    ids.province = Number(/(\d+)$/.exec(await cp.getByRole('navigation', { name: 'Kế hoạch của đơn vị tôi' }).getByRole('link').first().getAttribute('href'))[1]);
    before = await consolidatedFigure(cp, base, { ...period, unit: ids.province }, 'consolidated before');
  });

  // --- 4. The officer opens the current monthly report, a wrong value first.
  const rep = {};
  await step('fill and submit the report', async () => {
    await look(up, await visit(up, base, '/reports'), 'canbo /reports');
    const form = up.locator('form[action="/reports/open"]');
    await form.getByLabel('Đơn vị').selectOption({ label: WARD });
    await form.getByLabel('Mẫu báo cáo').selectOption(String(period.template));
    await form.getByLabel('Năm').selectOption(String(period.year));
    await form.getByLabel('Kỳ số').selectOption(String(period.number));
    await look(up, await clickAndWait(up, form.getByRole('button', { name: 'Mở', exact: true })), 'canbo report form');
    rep.id = Number(/\/reports\/(\d+)$/.exec(up.url())[1]);
    await assert.doesNotReject(up.locator('h1').filter({ hasText: `${WARD} — Tháng ${period.number}/${period.year}` }).waitFor({ timeout: 5_000 }), 'report heading');
    assert.equal(await up.locator('dl.facts .badge').first().innerText(), 'Nháp');

    await fillReport(up, rep.id, {
      citizen_receptions: 'ba buổi', // not a number
      dialogues: '2', cases_received: '9', cases_resolved_on_time: '8', trainings: '1',
      'participants.male': '20', 'participants.female': '25', participants: '45', satisfaction_pct: '88',
      'n-highlights': `Tổ chức đối thoại với Nhân dân về chỉnh trang đô thị (${MARK}).`,
    });
    await look(up, await clickAndWait(up, up.getByRole('button', { name: 'Gửi báo cáo' })), 'report kept as draft');
    await assert.doesNotReject(up.locator('.flash').filter({ hasText: 'giữ ở dạng nháp' }).waitFor({ timeout: 5_000 }), 'kept-as-draft message');
    assert.equal(await up.locator('dl.facts .badge').first().innerText(), 'Nháp', 'still a draft');
    const cell = up.locator('#v-citizen_receptions');
    assert.equal(await cell.inputValue(), 'ba buổi', 'what was typed is kept');
    assert.equal(await cell.getAttribute('aria-invalid'), 'true');
    assert.equal(await cell.getAttribute('aria-describedby'), 'v-citizen_receptions-err');
    assert.match(await up.locator('#v-citizen_receptions-err').innerText(), /^Phải là số/, 'the error is beside the field');
    assert.equal(await up.locator('[aria-invalid="true"]').count(), 1, 'only the wrong cell is marked');

    await fillReport(up, rep.id, { citizen_receptions: '3' });
    await look(up, await clickAndWait(up, up.getByRole('button', { name: 'Gửi báo cáo' })), 'report submitted');
    await assert.doesNotReject(up.locator('.flash').filter({ hasText: 'Đã gửi báo cáo.' }).waitFor({ timeout: 5_000 }), 'submitted message');
    assert.equal(await up.locator('dl.facts .badge').first().innerText(), 'Đã gửi, chờ xem xét');
    assert.equal(await up.getByRole('button', { name: 'Gửi báo cáo' }).count(), 0, 'no submit button once submitted');
  });

  // --- 5. The coordinator returns it with a comment.
  const comment = `Đề nghị rà soát lại số buổi tiếp công dân (${MARK}).`;
  await step('return with a comment', async () => {
    await look(cp, await visit(cp, base, '/reports?status=submitted'), 'dieuphoi submitted reports');
    const link = cp.locator(`main table a[href="/reports/${rep.id}"]`);
    await look(cp, await clickAndWait(cp, link), 'dieuphoi report to review');
    const review = cp.getByRole('region', { name: 'Xem xét' });
    await review.getByLabel('Ý kiến').fill(comment);
    await look(cp, await clickAndWait(cp, review.getByRole('button', { name: 'Trả lại' })), 'report returned');
    await assert.doesNotReject(cp.locator('.flash').filter({ hasText: 'Đã trả lại báo cáo cho đơn vị.' }).waitFor({ timeout: 5_000 }), 'returned message');
    assert.equal(await cp.locator('dl.facts .badge').first().innerText(), 'Bị trả lại');
  });

  // --- 6. The officer reads the comment, corrects, resubmits.
  await step('correct and resubmit', async () => {
    await look(up, await visit(up, base, `/reports/${rep.id}`), 'canbo returned report');
    assert.equal(await up.locator('dl.facts .badge').first().innerText(), 'Bị trả lại');
    await assert.doesNotReject(up.locator('dl.facts dd').filter({ hasText: comment }).waitFor({ timeout: 5_000 }), 'the comment is shown');
    assert.equal(await up.locator('#v-citizen_receptions').inputValue(), '3');
    await fillReport(up, rep.id, { citizen_receptions: '5' });
    await look(up, await clickAndWait(up, up.getByRole('button', { name: 'Gửi báo cáo' })), 'report resubmitted');
    assert.equal(await up.locator('dl.facts .badge').first().innerText(), 'Đã gửi, chờ xem xét');
  });

  // --- 7. The coordinator accepts it; it locks.
  await step('accept and lock', async () => {
    await look(cp, await visit(cp, base, `/reports/${rep.id}`), 'dieuphoi resubmitted report');
    assert.equal(await cp.locator('#v-citizen_receptions').inputValue(), '5', 'the reviewer sees the corrected value');
    const review = cp.getByRole('region', { name: 'Xem xét' });
    await look(cp, await clickAndWait(cp, review.getByRole('button', { name: 'Tiếp nhận' })), 'report accepted');
    await assert.doesNotReject(cp.locator('.flash').filter({ hasText: 'Đã tiếp nhận báo cáo.' }).waitFor({ timeout: 5_000 }), 'accepted message');
    assert.match(await cp.locator('dl.facts dd').first().innerText(), /Đã tiếp nhận — đã khóa/);
    assert.equal(await cp.getByRole('region', { name: 'Xem xét' }).count(), 0, 'no review form after accepting');
    // The unit can no longer edit it.
    await look(up, await visit(up, base, `/reports/${rep.id}`), 'canbo accepted report');
    assert.match(await up.locator('dl.facts dd').first().innerText(), /Đã tiếp nhận — đã khóa/);
    for (const name of ['Lưu', 'Gửi báo cáo']) {
      assert.equal(await up.getByRole('button', { name, exact: true }).count(), 0, `no "${name}" button on a locked report`);
    }
    assert.ok(await up.locator('#v-citizen_receptions').isDisabled(), 'the cells are read-only');
    assert.equal(await up.locator('form[action$="/attachments"], form[action$="/import"]').count(), 0, 'no upload forms on a locked report');
    // A forged save is refused: the report is locked (409, as in the API), whatever version is sent.
    const csrf = await up.locator('#report-form input[name="csrf"]').inputValue();
    for (const version of ['99', String(rep.version ?? 1)]) {
      const forged = await up.request.post(`${base}/reports/${rep.id}/draft`, { form: { csrf, version, 'v.citizen_receptions': '1' }, maxRedirects: 0 });
      assert.equal(forged.status(), 409, `saving a locked report is refused (version ${version})`);
    }
  });

  // --- 8. The consolidated view reflects the accepted figure.
  await step('consolidated after', async () => {
    const afterView = await consolidatedFigure(cp, base, { ...period, unit: ids.province }, 'consolidated after');
    assert.equal(afterView.n, before.n + 1, 'one more report counts');
    assert.equal(afterView.value, before.value + 5, `citizen receptions went from ${before.value} to ${before.value} + 5`);
    const child = cp.getByRole('row').filter({ has: cp.getByRole('rowheader', { name: WARD }) });
    assert.equal((await child.locator('td').last().innerText()).trim(), '5', 'the ward row shows its figure');
    // Drill down to the ward itself.
    await look(cp, await clickAndWait(cp, child.getByRole('link', { name: WARD })), 'consolidated ward');
    const ward = await consolidatedFigure(cp, base, { ...period, unit: ids.ward }, 'consolidated ward (direct)');
    assert.equal(ward.n, 1);
    assert.equal(ward.value, 5);
  });

  // --- 9. DOCX exports.
  await step('DOCX exports', async () => {
    await look(cp, await visit(cp, base, `/reports/${rep.id}`), 'dieuphoi accepted report');
    const href = await cp.getByRole('link', { name: 'Văn bản Word (DOCX)' }).getAttribute('href');
    assert.equal(href, `/reports/${rep.id}/export.docx`);
    const text = await checkDocx(cp, base + href, [WARD], 'report DOCX');
    assert.ok(text.toLowerCase().includes(`tháng ${period.number} năm ${period.year}`), 'report DOCX names the period');
    assert.match(text, /Số \d+-BC\//, 'report DOCX has its number without a colon');
    assert.match(text, /Số buổi tiếp công dân\nbuổi\n5\n/, 'report DOCX has the accepted figure');
    const q = new URLSearchParams({ template: period.template, unit: ids.province, type: period.type, year: period.year, number: period.number });
    await look(cp, await visit(cp, base, `/reports/consolidated?${q}`), 'consolidated for the export');
    const link = cp.locator('main a[href*="/reports/consolidated/export.docx"]');
    const chref = (await link.count()) > 0 ? await link.first().getAttribute('href') : `/reports/consolidated/export.docx?${q}`;
    const ctext = await checkDocx(cp, new URL(chref, base).href, ['Thanh Hóa', 'Ban Tuyên giáo và Dân vận'], 'consolidated DOCX');
    assert.ok(ctext.toLowerCase().includes(`tổng hợp công tác dân vận tháng ${period.number} năm ${period.year}`), 'consolidated DOCX names the period');
    assert.ok(ctext.includes(`Số báo cáo được tổng hợp: ${before.n + 1}.`), 'consolidated DOCX counts the accepted report');
    assert.ok(ctext.includes(`Số buổi tiếp công dân\nTổng\n${before.value + 5}\n`), `consolidated DOCX has the figure ${before.value + 5}`);
    // The unit officer may download its own report too.
    await checkDocx(up, `${base}/reports/${rep.id}/export.docx`, [WARD], 'report DOCX as canbo');
  });

  for (const { who, seen } of problems) {
    assert.deepEqual(seen.filter((x) => !x.startsWith('console: Failed to load resource')), [], `${who}: errors inside the pages`);
  }
  await coordCtx.close();
  await unitCtx.close();
}

// PostgreSQL (a throwaway cluster unless DANVAN_TEST_POSTGRES is set) starts
// while the SQLite loop runs.
let pg = null;
function startPostgres() {
  pg ??= postgresDatabase().then((db) => {
    cleanups.push(() => db.stop());
    return { db };
  }, (err) => ({ err }));
  return pg;
}

async function onSQLite() {
  const server = await startServer();
  cleanups.push(() => server.stop());
  try {
    await loop(server);
  } catch (err) {
    err.message += `\n--- server log (tail) ---\n${server.output().slice(-3000)}`;
    throw err;
  } finally {
    await server.stop();
  }
}

async function onPostgres() {
  const { db, err } = await startPostgres();
  if (err) throw err;
  const server = await startServer({ args: ['--db', db.url] });
  cleanups.push(() => server.stop());
  try {
    await loop(server);
  } catch (e) {
    e.message += `\n--- server log (tail) ---\n${server.output().slice(-3000)}`;
    throw e;
  } finally {
    await server.stop();
    await db.stop();
  }
}

// The two databases run side by side (each loop waits on its server and
// browser often enough that this is much quicker than one after the other).
test('the loop', { concurrency: 2 }, async (t) => {
  startPostgres();
  browser ??= await launchBrowser();
  await Promise.all([
    t.test('on SQLite', onSQLite),
    t.test('on PostgreSQL', onPostgres),
  ]);
});
