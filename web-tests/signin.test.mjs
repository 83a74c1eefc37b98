// Sign-in flow: demo accounts shown, uniform failure message, redirect to
// `next`, sign-out, lockout after repeated failures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, checkA11y, visit, clickAndWait, signIn, signOut, DEMO_PASSWORD,
} from './harness.mjs';

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

// Every context asks for Vietnamese explicitly so the texts do not depend on chromium's locale.
async function withPage(fn) {
  const context = await browser.newContext({ locale: 'vi-VN' });
  try {
    await fn(await context.newPage());
  } finally {
    await context.close();
  }
}

const FAILED_VI = 'Tên đăng nhập hoặc mật khẩu không đúng.';

async function errorText(page) {
  return (await page.locator('#signin-error').textContent()).trim();
}

test('sign-in page lists the demo accounts and the demo password', async () => {
  await withPage(async (page) => {
    const res = await visit(page, server.baseURL, '/signin');
    assert.equal(res.status(), 200);
    await checkA11y(page, '/signin');
    assert.equal(await page.locator('h1').textContent(), 'Đăng nhập');
    const demo = page.locator('aside.demo');
    await demo.waitFor();
    const names = await demo.locator('tbody tr td:first-child code').allTextContents();
    for (const u of ['admin', 'dieuphoi', 'lanhdao', 'truongdonvi', 'canbo', 'xulydon', 'thanhtra', 'daibieu', 'congdan']) {
      assert.ok(names.includes(u), `demo account ${u} not listed (got ${names.join(', ')})`);
    }
    assert.equal((await demo.locator('p code').textContent()).trim(), DEMO_PASSWORD);
  });
});

test('wrong password and unknown user get the same message and HTTP 401', async () => {
  await withPage(async (page) => {
    const unknown = await signIn(page, server.baseURL, 'nobody-here', 'whatever-password');
    assert.equal(unknown.status(), 401);
    await checkA11y(page, 'sign-in failed (unknown user)');
    const msgUnknown = await errorText(page);
    assert.equal(msgUnknown, FAILED_VI);
    // The username is kept, the password is not.
    assert.equal(await page.inputValue('#username'), 'nobody-here');
    assert.equal(await page.inputValue('#password'), '');

    const wrong = await signIn(page, server.baseURL, 'lanhdao', 'not-the-password');
    assert.equal(wrong.status(), 401);
    await checkA11y(page, 'sign-in failed (wrong password)');
    const msgWrong = await errorText(page);
    assert.equal(msgWrong, msgUnknown, 'wrong password must not be distinguishable from unknown user');
    assert.ok(!/mật khẩu sai|không tồn tại/i.test(await page.locator('main').textContent()), 'no hint which part was wrong');
  });
});

test('admin signs in with the demo password read from the page, lands on next, and signs out', async () => {
  await withPage(async (page) => {
    await visit(page, server.baseURL, '/signin?next=%2Fadmin%2Faudit');
    const password = (await page.locator('aside.demo p code').textContent()).trim();
    await page.locator('#username').fill('admin');
    await page.locator('#password').fill(password);
    const res = await clickAndWait(page, page.locator('main form[action="/signin"] button[type="submit"]'));
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/admin/audit');
    await checkA11y(page, '/admin/audit after sign-in');
    // Signed in: the header shows the account and the admin links.
    await page.locator('header a[href="/account"]', { hasText: 'admin' }).waitFor();
    await page.locator('header a[href="/admin/users"]').waitFor();

    // An off-site next is ignored.
    await signOut(page);
    const off = await signIn(page, server.baseURL, 'admin', password, '//evil.example/x');
    assert.equal(off.status(), 200);
    assert.equal(new URL(page.url()).origin, server.baseURL);
    assert.equal(new URL(page.url()).pathname, '/');

    const out = await signOut(page);
    assert.equal(out.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/');
    await checkA11y(page, '/ after sign-out');
    await page.locator('header a[href="/signin"]').waitFor();
    assert.equal(await page.locator('header form[action="/signout"]').count(), 0);
    // The old session no longer opens admin pages: they send us to sign in.
    await visit(page, server.baseURL, '/admin/users');
    assert.equal(new URL(page.url()).pathname, '/signin');
    assert.equal(new URL(page.url()).searchParams.get('next'), '/admin/users');
    await checkA11y(page, '/signin?next=/admin/users');
  });
});

test('five failures lock the account, even for the right password', async () => {
  await withPage(async (page) => {
    const user = 'thanhtra';
    let res;
    for (let i = 1; i <= 4; i++) {
      res = await signIn(page, server.baseURL, user, `wrong-password-${i}`);
      assert.equal(res.status(), 401, `attempt ${i}`);
      assert.equal(await errorText(page), FAILED_VI);
    }
    res = await signIn(page, server.baseURL, user, 'wrong-password-5');
    assert.equal(res.status(), 429);
    const locked = await errorText(page);
    assert.match(locked, /tạm khoá/);
    assert.match(locked, /15 phút/);
    await checkA11y(page, 'sign-in locked');
    // The correct password does not get in while locked.
    res = await signIn(page, server.baseURL, user, DEMO_PASSWORD);
    assert.equal(res.status(), 429);
    assert.match(await errorText(page), /tạm khoá/);
    assert.equal(new URL(page.url()).pathname, '/signin');
  });
});
