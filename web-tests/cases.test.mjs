// The citizen loop of a case, in the browser, on SQLite and on PostgreSQL:
// a citizen submits feedback on the public form from a phone → gets the
// tracking code and the private link → the handler of Phường Hạc Thành signs
// in on a desktop, attaches a file, looks at the sender's details (an audited read), accepts
// and transfers the case to Phường Hàm Rồng → a handler of that ward accepts
// and resolves it → the citizen opens the private link, sees "Đã giải quyết"
// and rates the handling → the handler sees the rating. A handler also
// records a case received by phone and gets the link to hand over. The
// public form, the tracking page, the handlers' list, the case page and the
// record form are checked with axe at 390 and 1366 px.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  startServer, launchBrowser, checkA11y, visit, signIn, clickAndWait, watchPage,
  postgresDatabase, danvanBin, DEMO_PASSWORD,
} from './harness.mjs';

const HOME = 'Phường Hạc Thành';
const OTHER = { code: '14758', name: 'Phường Hàm Rồng' };
const MARK = `kiểm thử ${Date.now().toString(36)}`; // makes this run's texts unique
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

let browser;
const cleanups = [];
after(async () => {
  if (pg) await pg;
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await browser?.close();
});

/** Run one named step; a failure says which step. */
async function step(name, fn) {
  try {
    return await fn();
  } catch (err) {
    err.message = `[${name}] ${err.message}`;
    throw err;
  }
}

/** Check the status of a navigation, then axe at both widths. */
async function look(page, res, label, status = 200) {
  if (res) assert.equal(res.status(), status, `${label}: HTTP ${res.status()} at ${page.url()}`);
  const size = page.viewportSize();
  for (const vp of [PHONE, DESKTOP]) {
    await page.setViewportSize(vp);
    await checkA11y(page, `${label} at ${vp.width} px`);
  }
  await page.setViewportSize(size);
}

/** Run the danvan CLI against the server's database (password on stdin). */
function cli(server, args, input = '') {
  return new Promise((resolve, reject) => {
    const where = server.db ? ['--db', server.db] : ['--data', server.dataDir];
    const child = execFile(danvanBin(), [...args, ...where], { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`danvan ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
    child.stdin.end(input);
  });
}

/** The flash banner after a step. */
async function flash(page, text, label) {
  await assert.doesNotReject(page.locator('.flash').filter({ hasText: text }).waitFor({ timeout: 5_000 }), `${label}: banner "${text}"`);
}

async function loop(server) {
  const { baseURL } = server;
  // A second case handler, in another ward.
  const other = `xuly${Date.now().toString(36)}`;
  await step('second handler', async () => {
    await cli(server, ['user', 'add', other, '--name', 'Lê Thị Hoa'], `${DEMO_PASSWORD}\n`);
    await cli(server, ['user', 'grant', other, 'case_handler', OTHER.code]);
  });

  const citizenCtx = await browser.newContext({ locale: 'vi-VN', viewport: PHONE, isMobile: true, hasTouch: true });
  const handlerCtx = await browser.newContext({ locale: 'vi-VN', viewport: DESKTOP });
  const otherCtx = await browser.newContext({ locale: 'vi-VN', viewport: DESKTOP });
  cleanups.push(() => citizenCtx.close(), () => handlerCtx.close(), () => otherCtx.close());
  const citizen = await citizenCtx.newPage();
  const handler = await handlerCtx.newPage();
  const second = await otherCtx.newPage();
  const problems = [...[citizen, handler, second].map(watchPage)];

  const title = `Đèn đường hỏng ${MARK}`;
  let code = '';
  let ownLink = '';
  await step('citizen submits on a phone', async () => {
    const res = await visit(citizen, baseURL, '/cases/new');
    await look(citizen, res, 'public form');
    const place = citizen.locator('#case-place-unit-id');
    await place.selectOption({ label: HOME });
    await citizen.locator('#case-title').fill(title);
    await citizen.locator('#case-description').fill(`Đèn đường ngõ 5 hỏng đã hai tuần. ${MARK}`);
    await citizen.locator('#case-identity-name').fill('Nguyễn Thị Lan');
    await citizen.locator('#case-identity-phone').fill('0912345678');
    await citizen.locator('#case-identity-address').fill('Ngõ 5, phường Hạc Thành');
    const sent = await clickAndWait(citizen, citizen.locator('main form[action="/cases/new"] button[type="submit"]:not([name])'));
    assert.equal(sent.status(), 200, `submit: HTTP ${sent.status()}`);
    await flash(citizen, 'Hãy lưu lại mã tra cứu', 'submitted');
    code = (await citizen.locator('#case-h .code').innerText()).trim();
    assert.match(code, /^TH-\d{4}-[0-9A-Z]+$/, `tracking code "${code}"`);
    ownLink = citizen.url().replace(/&flash=[^&]*/, '');
    assert.match(ownLink, /secret=/, 'the private link');
    await look(citizen, null, 'private page');
    const pub = await visit(citizen, baseURL, `/cases/track?code=${code.toLowerCase()}`);
    await look(citizen, pub, 'public tracking page');
    assert.ok(!(await citizen.locator('main').innerText()).includes('Nguyễn Thị Lan'), 'the public page shows the name');
  });

  let casePath = '';
  await step('handler accepts and transfers on a desktop', async () => {
    await signIn(handler, baseURL, 'xulydon', DEMO_PASSWORD, '/cases');
    const res = await visit(handler, baseURL, '/cases');
    await look(handler, res, 'handlers list');
    assert.ok(await handler.locator('header nav a[href="/cases"]').count() > 0, 'menu entry');
    const link = handler.getByRole('link', { name: code, exact: true });
    const detail = await clickAndWait(handler, link);
    casePath = new URL(handler.url()).pathname;
    await look(handler, detail, 'case page');
    assert.ok((await handler.locator('main').innerText()).includes(title), 'case title');

    await handler.locator('#files').setInputFiles({ name: 'bien-ban.txt', mimeType: 'text/plain', buffer: Buffer.from(`Biên bản kiểm tra hiện trường. ${MARK}\n`) });
    await clickAndWait(handler, handler.locator(`form[action="${casePath}/files"] button[type="submit"]`));
    await flash(handler, 'Đã đính kèm tệp vào vụ việc.', 'attached');
    assert.ok((await handler.locator('main').innerText()).includes('bien-ban.txt'), 'file listed');
    await look(handler, null, 'case page with a file');

    const ident = await clickAndWait(handler, handler.getByRole('button', { name: 'Xem thông tin người gửi' }));
    await look(handler, ident, 'case page with the identity');
    const main = await handler.locator('main').innerText();
    assert.ok(main.includes('Nguyễn Thị Lan') && main.includes('0912345678'), 'identity shown');
    assert.ok(main.includes('đã được ghi vào nhật ký kiểm tra'), 'audit notice');

    await visit(handler, baseURL, casePath);
    await handler.locator('#accept-public_note').fill('Đã giao tổ dân phố kiểm tra.');
    await clickAndWait(handler, handler.locator('#accept button[type="submit"]'));
    await flash(handler, 'Đã thụ lý vụ việc.', 'accepted');

    await handler.locator('#transfer > summary').click(); // the step's form opens
    const option = handler.locator('#transfer-to_unit_id option').filter({ hasText: OTHER.name });
    const value = await option.first().getAttribute('value');
    await handler.locator('#transfer-to_unit_id').selectOption(value);
    await handler.locator('#transfer-public_note').fill(`Thuộc địa bàn ${OTHER.name}.`);
    await clickAndWait(handler, handler.locator('#transfer button[type="submit"]'));
    await flash(handler, 'Đã chuyển đơn sang đơn vị khác.', 'transferred');
    assert.ok((await handler.locator('main').innerText()).includes('Đã chuyển đơn'), 'status after the transfer');
  });

  await step('handler records a case received by phone', async () => {
    const res = await visit(handler, baseURL, '/cases/record');
    await look(handler, res, 'record form');
    await handler.locator('#case-channel').selectOption('phone');
    await handler.locator('#case-place-unit-id').selectOption({ label: HOME });
    await handler.locator('#case-title').fill(`Phản ánh qua điện thoại ${MARK}`);
    await handler.locator('#case-description').fill('Ông Hùng gọi điện phản ánh rác thải tồn đọng ở chợ.');
    await handler.locator('#case-identity-name').fill('Trần Văn Hùng');
    const done = await clickAndWait(handler, handler.locator('main form[action="/cases/record"] button[type="submit"]'));
    await look(handler, done, 'recorded case');
    const recorded = (await handler.locator('#done-h ~ dl .code').innerText()).trim();
    assert.match(recorded, /^TH-\d{4}-[0-9A-Z]+$/, `recorded code "${recorded}"`);
    const link = await handler.locator('#done-h ~ dl a').getAttribute('href');
    assert.ok(link.startsWith(`${baseURL}/cases/track/${recorded}?secret=`), `private link ${link}`);
  });

  await step('the other ward accepts and resolves', async () => {
    await signIn(second, baseURL, other, DEMO_PASSWORD, '/cases');
    const res = await visit(second, baseURL, '/cases');
    assert.equal(res.status(), 200);
    await clickAndWait(second, second.getByRole('link', { name: code, exact: true }));
    await clickAndWait(second, second.locator('#accept button[type="submit"]'));
    await flash(second, 'Đã thụ lý vụ việc.', 'accepted by the other ward');
    await second.locator('#resolve-public_note').fill('Đã thay bóng đèn ngõ 5.');
    await clickAndWait(second, second.locator('#resolve button[type="submit"]'));
    await flash(second, 'Đã ghi nhận kết quả giải quyết.', 'resolved');
  });

  await step('the citizen sees the result and rates it', async () => {
    const res = await visit(citizen, baseURL, new URL(ownLink).pathname + new URL(ownLink).search);
    assert.equal(res.status(), 200);
    const main = await citizen.locator('main').innerText();
    assert.match(main, /đã giải quyết/i, 'status resolved');
    assert.ok(main.includes('Đã thay bóng đèn ngõ 5.'), 'the answer');
    await look(citizen, null, 'private page when resolved');
    await citizen.locator('#rate-rating').selectOption('5');
    await citizen.locator('#rate-comment').fill('Cảm ơn phường.');
    await clickAndWait(citizen, citizen.locator('form[action$="/rating"] button[type="submit"]'));
    await flash(citizen, 'Cảm ơn bạn đã đánh giá', 'rated');
    assert.ok((await citizen.locator('main').innerText()).includes('Bạn đã đánh giá: 5/5.'), 'rating shown');
  });

  await step('the handler sees the rating', async () => {
    const res = await visit(second, baseURL, casePath);
    await look(second, res, 'resolved case page');
    assert.ok((await second.locator('main').innerText()).includes('5 — Rất hài lòng'), 'rating on the case page');
  });

  assert.deepEqual(problems.flat(), [], 'page errors');
}

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
  server.db = db.url;
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

test('the citizen loop of a case', { concurrency: 2 }, async (t) => {
  startPostgres();
  browser ??= await launchBrowser();
  await Promise.all([
    t.test('on SQLite', onSQLite),
    t.test('on PostgreSQL', onPostgres),
  ]);
});
