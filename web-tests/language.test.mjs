// Language switch: Vietnamese by default, English and Japanese through the
// header buttons, remembered in a cookie and, when signed in, in the account.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, checkA11y, visit, clickAndWait, signIn, signOut,
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

const lang = (page) => page.getAttribute('html', 'lang');
const langButton = (page, code) => page.locator(`header form.langs button[value="${code}"]`);

async function switchTo(page, code) {
  const res = await clickAndWait(page, langButton(page, code));
  assert.equal(res.status(), 200);
  assert.equal(await lang(page), code);
  assert.equal(await langButton(page, code).getAttribute('aria-current'), 'true');
}

test('Vietnamese by default, then English and Japanese via the buttons, kept across pages', async () => {
  // A browser language danvan does not speak falls back to Vietnamese.
  const context = await browser.newContext({ locale: 'fr-FR' });
  try {
    const page = await context.newPage();
    await visit(page, server.baseURL, '/signin');
    assert.equal(await lang(page), 'vi');
    await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
    await checkA11y(page, '/signin (vi)');

    await switchTo(page, 'en');
    // The switch returns to the page we were on.
    assert.equal(new URL(page.url()).pathname, '/signin');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await checkA11y(page, '/signin (en)');

    // The choice persists on other pages (cookie).
    await visit(page, server.baseURL, '/');
    assert.equal(await lang(page), 'en');
    await page.locator('header a[href="/signin"]', { hasText: 'Sign in' }).waitFor();
    await checkA11y(page, '/ (en)');

    await switchTo(page, 'ja');
    assert.equal(new URL(page.url()).pathname, '/');
    await page.locator('header a[href="/signin"]', { hasText: 'ログイン' }).waitFor();
    await checkA11y(page, '/ (ja)');
    await visit(page, server.baseURL, '/units/1');
    assert.equal(await lang(page), 'ja');
    await checkA11y(page, '/units/1 (ja)');
    await visit(page, server.baseURL, '/signin');
    await page.getByRole('heading', { level: 1, name: 'ログイン' }).waitFor();
    await checkA11y(page, '/signin (ja)');

    const cookies = await context.cookies(server.baseURL);
    assert.ok(cookies.some((c) => c.value === 'ja' && c.httpOnly), `no HttpOnly language cookie: ${JSON.stringify(cookies)}`);

    await switchTo(page, 'vi');
    await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
  } finally {
    await context.close();
  }
});

test('Accept-Language is used when nothing was chosen', async () => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  try {
    const page = await context.newPage();
    await visit(page, server.baseURL, '/');
    assert.equal(await lang(page), 'ja');
    await checkA11y(page, '/ (ja from Accept-Language)');
  } finally {
    await context.close();
  }
});

test('a signed-in choice is remembered in the account', async () => {
  const first = await browser.newContext({ locale: 'vi-VN' });
  try {
    const page = await first.newPage();
    await signIn(page, server.baseURL, 'dieuphoi', undefined, '/account');
    assert.equal(new URL(page.url()).pathname, '/account');
    assert.equal(await lang(page), 'vi');
    await checkA11y(page, '/account signed in (vi)');
    await switchTo(page, 'en');
    await page.locator('header form[action="/signout"] button', { hasText: 'Sign out' }).waitFor();
    await checkA11y(page, '/account signed in (en)');
    await signOut(page);
  } finally {
    await first.close();
  }

  // A fresh browser (no cookies) that asks for Vietnamese: after signing in, English again.
  const second = await browser.newContext({ locale: 'vi-VN' });
  try {
    const page = await second.newPage();
    await visit(page, server.baseURL, '/signin');
    assert.equal(await lang(page), 'vi');
    await signIn(page, server.baseURL, 'dieuphoi', undefined, '/');
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(await lang(page), 'en');
    await page.locator('header form[action="/signout"] button', { hasText: 'Sign out' }).waitFor();
    await checkA11y(page, '/ signed in, language from the account');
  } finally {
    await second.close();
  }
});
