// Error pages and security: translated 404/405, CSRF refusal, security
// headers, and no CSP refusals or script errors while using the site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, checkA11y, visit, clickAndWait, signIn, watchPage,
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

async function withContext(locale, fn) {
  const context = await browser.newContext({ locale });
  try {
    await fn(context, await context.newPage());
  } finally {
    await context.close();
  }
}

test('an unknown page gives a translated 404 in Vietnamese and English', async () => {
  await withContext('vi-VN', async (_, page) => {
    const res = await visit(page, server.baseURL, '/no-such-page');
    assert.equal(res.status(), 404);
    assert.equal(await page.getAttribute('html', 'lang'), 'vi');
    await page.getByRole('heading', { level: 1, name: 'Không tìm thấy trang' }).waitFor();
    assert.match(await page.title(), /^Không tìm thấy trang · /);
    assert.match(await page.locator('main').textContent(), /404/);
    await checkA11y(page, '404 (vi)');
    // The way home works.
    await clickAndWait(page, page.locator('main a[href="/"]'));
    assert.equal(new URL(page.url()).pathname, '/');
  });
  await withContext('en-US', async (_, page) => {
    const res = await visit(page, server.baseURL, '/no-such-page/deeper?x=1');
    assert.equal(res.status(), 404);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    await checkA11y(page, '404 (en)');
    // Switching language on the error page keeps you there, now in Japanese.
    await clickAndWait(page, page.locator('header form.langs button[value="ja"]'));
    assert.equal(new URL(page.url()).pathname, '/no-such-page/deeper');
    assert.equal(await page.getAttribute('html', 'lang'), 'ja');
    await checkA11y(page, '404 (ja)');
  });
});

test('a POST without a valid CSRF token gets a translated 403 page', async () => {
  await withContext('vi-VN', async (_, page) => {
    await visit(page, server.baseURL, '/signin');
    // Remove the token from the real form, then submit it with the right password.
    await page.locator('main form[action="/signin"] input[name="csrf"]').evaluate((el) => el.remove());
    await page.locator('#username').fill('admin');
    await page.locator('#password').fill('danvan-demo-2026');
    let res = await clickAndWait(page, page.locator('main form[action="/signin"] button[type="submit"]'));
    assert.equal(res.status(), 403);
    await page.getByRole('heading', { level: 1, name: 'Không có quyền truy cập' }).waitFor();
    assert.match(await page.locator('main').textContent(), /Biểu mẫu đã hết hạn/);
    await checkA11y(page, '403 CSRF (vi)');
    // Not signed in.
    await page.locator('header a[href="/signin"]').waitFor();

    // A wrong token on the language form is refused as well.
    await visit(page, server.baseURL, '/');
    await page.locator('header form.langs input[name="csrf"]').evaluate((el) => { el.value = 'forged'; });
    res = await clickAndWait(page, page.locator('header form.langs button[value="en"]'));
    assert.equal(res.status(), 403);
    assert.equal(await page.getAttribute('html', 'lang'), 'vi', 'the language did not change');
    await checkA11y(page, '403 CSRF on the language form');
  });

  // From another origin (no cookie, no token): refused, not a 500.
  const res = await fetch(`${server.baseURL}/admin/users`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept-Language': 'en' },
    body: 'username=x&full_name=x&password=xxxxxxxxxxxx',
    redirect: 'manual',
  });
  assert.ok([303, 403].includes(res.status), `POST /admin/users without session: ${res.status}`);
});

test('a method that is not allowed gives a translated page, not a 500', async () => {
  await withContext('en-US', async (_, page) => {
    await visit(page, server.baseURL, '/');
    // A form that posts somewhere only GET is served.
    await page.evaluate(() => {
      const f = document.createElement('form');
      f.method = 'post';
      f.action = '/no-such-page';
      const b = document.createElement('button');
      b.type = 'submit';
      b.id = 'probe';
      b.textContent = 'probe';
      f.append(b);
      document.querySelector('main').append(f);
    });
    const res = await clickAndWait(page, page.locator('#probe'));
    assert.ok(res.status() >= 400 && res.status() < 500, `status ${res.status()}`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await checkA11y(page, `${res.status()} page`);
  });
});

const mustHaveSecurityHeaders = (headers, what) => {
  const csp = headers['content-security-policy'];
  assert.ok(csp, `${what}: no Content-Security-Policy`);
  const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v]));
  const scriptSrc = directives['script-src'] || directives['default-src'];
  assert.ok(scriptSrc, `${what}: CSP without script-src or default-src: ${csp}`);
  assert.ok(!scriptSrc.includes("'unsafe-inline'"), `${what}: script-src allows inline script: ${csp}`);
  assert.ok(!scriptSrc.includes("'unsafe-eval'"), `${what}: script-src allows eval: ${csp}`);
  assert.ok(!scriptSrc.includes('*'), `${what}: script-src allows any origin: ${csp}`);
  assert.equal(headers['x-content-type-options'], 'nosniff', `${what}: X-Content-Type-Options`);
  assert.match(headers['x-frame-options'] || '', /^(DENY|SAMEORIGIN)$/i, `${what}: X-Frame-Options`);
};

test('security headers on pages, error pages and static files; no inline script', async () => {
  await withContext('vi-VN', async (_, page) => {
    for (const p of ['/', '/signin', '/units', '/no-such-page', '/units?at=bad']) {
      const res = await visit(page, server.baseURL, p);
      mustHaveSecurityHeaders(await res.allHeaders(), p);
      // Every script is a file from this site; no inline handlers.
      const inline = await page.evaluate(() => ({
        scripts: [...document.scripts].filter((s) => !s.src).length,
        handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
        styles: document.querySelectorAll('[style], style').length,
      }));
      assert.deepEqual(inline, { scripts: 0, handlers: 0, styles: 0 }, `inline code on ${p}`);
    }
    const css = await visit(page, server.baseURL, '/static/app.css');
    assert.equal(css.status(), 200);
    assert.equal((await css.allHeaders())['x-content-type-options'], 'nosniff');
  });
  // Cookies: the session cookie is HttpOnly and SameSite.
  await withContext('vi-VN', async (context, page) => {
    await signIn(page, server.baseURL, 'admin');
    const cookies = await context.cookies(server.baseURL);
    assert.ok(cookies.length > 0);
    for (const c of cookies) {
      assert.ok(c.httpOnly, `cookie ${c.name} is not HttpOnly`);
      assert.ok(['Lax', 'Strict'].includes(c.sameSite), `cookie ${c.name} SameSite=${c.sameSite}`);
    }
  });
});

test('browsing as admin raises no CSP refusal, script error or failed request', async () => {
  await withContext('vi-VN', async (_, page) => {
    const problems = watchPage(page);
    await signIn(page, server.baseURL, 'admin', undefined, '/');
    const pages = ['/', '/units?q=hac+thanh', '/units/1', '/admin/users', '/admin/audit', '/account', '/units'];
    for (const p of pages) {
      const res = await visit(page, server.baseURL, p);
      assert.equal(res.status(), 200, `${p}: ${res.status()}`);
      await checkA11y(page, `${p} (admin)`);
    }
    // On /units: htmx is loaded and does its live search without tripping the CSP.
    assert.equal(await page.evaluate(() => typeof window.htmx), 'object', 'htmx did not load');
    await page.locator('#q').fill('ba dinh');
    await page.locator('ul.results li > a', { hasText: 'Ba Đình' }).first().waitFor();
    assert.deepEqual(problems, []);
  });
});
