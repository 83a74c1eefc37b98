// Phone-first and keyboard: at 320 CSS px (WCAG 1.4.10 reflow) no page needs
// sideways scrolling, wide tables scroll in a keyboard-reachable region, and
// the skip link is the first tab stop and leads into <main>.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, checkA11y, visit, signIn } from './harness.mjs';

let server;
let browser;
let context;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 320, height: 640 } });
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

/** Elements (outside scroll regions) that stick out to the right of the viewport. */
function overflow(page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const out = [];
    for (const e of document.querySelectorAll('body *')) {
      if (e.closest('.scroll, .sr-only, .skip')) continue;
      const r = e.getBoundingClientRect();
      if (r.width > 0 && r.right > vw + 1) out.push(`${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + e.className : ''} (${Math.round(r.right)}px) "${(e.textContent || '').trim().slice(0, 30)}"`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, vw, out: out.slice(0, 5) };
  });
}

test('every page fits a 320 px wide screen', async () => {
  const page = await context.newPage();
  await signIn(page, server.baseURL, 'admin', undefined, '/');
  await visit(page, server.baseURL, '/admin/users');
  const firstUser = await page.locator('main table tbody a').first().getAttribute('href');
  await visit(page, server.baseURL, '/units?q=hac+thanh');
  const hacThanh = await page.locator('ul.results a').first().getAttribute('href');
  const pages = ['/', '/units', '/units?q=dong+son', '/units/1', hacThanh,
    '/admin/users', firstUser, '/admin/audit', '/account', '/no-such-page'];
  for (const p of pages) {
    await visit(page, server.baseURL, p);
    const o = await overflow(page);
    assert.ok(o.scrollWidth <= o.vw && o.out.length === 0, `${p} overflows ${o.vw}px: ${o.scrollWidth}px ${o.out.join('; ')}`);
    await checkA11y(page, `${p} at 320px`);
  }
  await page.close();
});

test('the sign-in page fits and works at 320 px', async () => {
  const fresh = await browser.newContext({ locale: 'ja-JP', viewport: { width: 320, height: 640 } });
  try {
    const page = await fresh.newPage();
    await visit(page, server.baseURL, '/signin');
    const o = await overflow(page);
    assert.ok(o.scrollWidth <= o.vw && o.out.length === 0, `/signin overflows: ${o.scrollWidth}px ${o.out.join('; ')}`);
    await checkA11y(page, '/signin at 320px (ja)');
  } finally {
    await fresh.close();
  }
});

test('the audit table is a focusable, named region, shown as cards on a phone', async () => {
  const page = await context.newPage();
  await visit(page, server.baseURL, '/admin/audit');
  const region = page.getByRole('region', { name: await page.locator('h1').textContent() });
  await region.focus();
  assert.equal(await region.evaluate((e) => e === document.activeElement), true);
  // Below 600 px each row is a card: nothing to scroll sideways, every cell names its column.
  const card = await region.evaluate((e) => {
    const td = e.querySelector('tbody td[data-label]');
    return { wide: e.scrollWidth > e.clientWidth, display: getComputedStyle(e.querySelector('tbody tr')).display, label: getComputedStyle(td, '::before').content };
  });
  assert.deepEqual(card, { wide: false, display: 'block', label: '"#"' });
  await page.close();
});

test('the skip link is the first tab stop and leads into main', async () => {
  const page = await context.newPage();
  await visit(page, server.baseURL, '/units');
  await page.keyboard.press('Tab');
  const skip = await page.evaluate(() => {
    const a = document.activeElement;
    const r = a.getBoundingClientRect();
    return { cls: a.className, href: a.getAttribute('href'), visible: r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.width > 0 };
  });
  assert.deepEqual(skip, { cls: 'skip', href: '#main', visible: true });
  await checkA11y(page, '/units with the skip link focused');
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.hash === '#main');
  await page.keyboard.press('Tab');
  const inMain = await page.evaluate(() => !!document.activeElement.closest('main'));
  assert.ok(inMain, 'after the skip link the next tab stop is inside main');
  await page.close();
});
