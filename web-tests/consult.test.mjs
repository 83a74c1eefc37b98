// Consultation on drafts, in the browser with JavaScript off: the public
// list and a draft's page (open, synthesised) at 390 and 1366 px with axe;
// a visitor comments on a clause through the <details> form; the drafter
// (truongdonvi, Phường Hạc Thành) sees it waiting with the contact,
// publishes it, and the public page then shows it without the contact;
// the synthesised draft offers its DOCX report.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, checkA11y, visit, signIn } from './harness.mjs';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };
const MARK = `góp ý thử ${Date.now().toString(36)}`;

let browser, server;
after(async () => {
  await browser?.close();
  await server?.stop();
});

// axe needs JavaScript: each page is checked again in a context with it on.
let axePage, noJSPage;
async function look(page, label) {
  const target = page === noJSPage ? axePage : page;
  if (target !== page) {
    const res = await target.goto(page.url());
    assert.equal(res.status(), 200, label);
  }
  for (const vp of [PHONE, DESKTOP]) {
    await target.setViewportSize(vp);
    await checkA11y(target, `${label} at ${vp.width} px`);
  }
}

test('consultations: public pages, commenting without JavaScript, moderation', async () => {
  server = await startServer();
  browser = await launchBrowser();
  const { baseURL } = server;
  const anon = await browser.newContext({ locale: 'vi-VN', javaScriptEnabled: false, viewport: PHONE });
  const page = await anon.newPage();
  noJSPage = page;
  axePage = await (await browser.newContext({ locale: 'vi-VN' })).newPage();

  let res = await visit(page, baseURL, '/gop-y');
  assert.equal(res.status(), 200);
  assert.equal(await page.getAttribute('html', 'lang'), 'vi');
  assert.ok(await page.locator('meta[name="description"]').count());
  await look(page, '/gop-y');

  // The synthesised draft resolution: answers and the DOCX report.
  await page.getByRole('link', { name: /Dự thảo Nghị quyết quy định chính sách hỗ trợ nhà ở/ }).click();
  await page.waitForLoadState();
  assert.ok(await page.getByText('Tiếp thu một phần').first().isVisible());
  const docx = page.getByRole('link', { name: /DOCX/ });
  assert.ok(await docx.count());
  const href = await docx.first().getAttribute('href');
  const dl = await page.request.get(baseURL + href);
  assert.equal(dl.status(), 200);
  assert.match(dl.headers()['content-type'], /wordprocessingml/);
  await look(page, 'synthesised draft');

  // The open plan: comment on a clause with the <details> form.
  await visit(page, baseURL, '/gop-y');
  await page.getByRole('link', { name: /Kế hoạch chỉnh trang đô thị/ }).click();
  await page.waitForLoadState();
  const planURL = page.url();
  await look(page, 'open draft');
  const clause = page.locator('article', { hasText: 'Lát lại vỉa hè' });
  await clause.locator('summary').click();
  await clause.getByLabel('Họ và tên (được công khai)').fill('Đặng Thị Thu');
  await clause.getByLabel('Số điện thoại hoặc thư điện tử (không bắt buộc)').fill('0912 000 111');
  await clause.getByLabel('Nội dung góp ý').fill(MARK);
  await Promise.all([page.waitForNavigation(), clause.getByRole('button', { name: 'Gửi góp ý' }).click()]);
  assert.match(await page.locator('.flash').innerText(), /Đã nhận ý kiến/);
  assert.equal(await page.getByText(MARK).count(), 0, 'a pending comment is not public');

  // The drafter publishes it.
  const staff = await browser.newContext({ locale: 'vi-VN', viewport: DESKTOP });
  const sp = await staff.newPage();
  await signIn(sp, baseURL, 'truongdonvi');
  const id = planURL.split('/').pop();
  await visit(sp, baseURL, `/consultations/${id}`);
  const item = sp.locator('li', { hasText: MARK });
  assert.ok(await item.getByText('0912 000 111').isVisible());
  await look(sp, 'drafter page');
  await Promise.all([sp.waitForNavigation(), item.getByRole('button', { name: 'Công khai ý kiến' }).click()]);

  await page.goto(planURL);
  assert.ok(await page.getByText(MARK).isVisible());
  assert.equal(await page.getByText('0912 000 111').count(), 0, 'the contact is never public');
  await anon.close();
  await staff.close();
});
