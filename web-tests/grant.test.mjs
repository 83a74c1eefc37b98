// User and role administration: create a user (with field errors first),
// grant a role on a commune, revoke it after confirmation, read the audit
// log; a non-administrator is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, checkA11y, visit, clickAndWait, signIn } from './harness.mjs';

let server;
let browser;
let admin; // signed-in admin context (English)

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = await browser.newContext({ locale: 'en-US' });
  const page = await admin.newPage();
  await signIn(page, server.baseURL, 'admin', undefined, '/admin/users');
  assert.equal(new URL(page.url()).pathname, '/admin/users');
  await page.close();
});

after(async () => {
  await admin?.close();
  await browser?.close();
  await server?.stop();
});

const NEW_USER = 'nguyenvana';
let userPath; // /admin/users/{id}

test('admin creates a user: field errors first, then success', async () => {
  const page = await admin.newPage();
  const res = await visit(page, server.baseURL, '/admin/users');
  assert.equal(res.status(), 200);
  await checkA11y(page, '/admin/users');
  const listed = await page.locator('main table tbody td:first-child a').allTextContents();
  assert.ok(listed.includes('admin'), `users: ${listed.join(', ')}`);

  const form = page.locator('form[action="/admin/users"][method="post"]');
  await page.getByLabel('Username').fill(NEW_USER);
  await page.getByLabel('Full name').fill('Nguyễn Văn A');
  await page.getByLabel('Email').fill('vana@example.vn');
  await form.locator('input[name="password"]').fill('short');
  // The browser's own validation is not what we test here: submit straight to the server.
  await form.evaluate((f) => { f.noValidate = true; });
  let r = await clickAndWait(page, form.locator('button[type="submit"]'));
  assert.equal(r.status(), 422);
  await checkA11y(page, '/admin/users with field errors');
  await page.locator('.error-msg[role="alert"]').waitFor();
  // The message sits beside the password field and is tied to it.
  const pwErr = page.locator('#nu-password-err');
  assert.match(await pwErr.textContent(), /10/);
  assert.match(await page.locator('#nu-password').getAttribute('aria-describedby'), /\bnu-password-err\b/);
  assert.equal(await page.locator('#nu-username-err').count(), 0, 'the username was fine');
  // What was typed is kept (except the password).
  assert.equal(await page.inputValue('#nu-username'), NEW_USER);
  assert.equal(await page.inputValue('#nu-fullname'), 'Nguyễn Văn A');
  assert.equal(await page.inputValue('#nu-password'), '');

  await page.locator('#nu-password').fill('a-long-enough-password');
  r = await clickAndWait(page, form.locator('button[type="submit"]'));
  assert.equal(r.status(), 200);
  assert.match(new URL(page.url()).pathname, /^\/admin\/users\/\d+$/);
  userPath = new URL(page.url()).pathname;
  await page.locator('p.flash[role="status"]').waitFor();
  await page.getByRole('heading', { level: 1, name: /Nguyễn Văn A/ }).waitFor();
  await checkA11y(page, 'new user page');
  assert.equal(await page.locator('table#grants').count(), 0, 'no roles yet');

  // A duplicate user name is refused beside the field.
  await visit(page, server.baseURL, '/admin/users');
  await page.getByLabel('Username').fill(NEW_USER);
  await page.getByLabel('Full name').fill('Someone Else');
  await form.locator('input[name="password"]').fill('another-long-password');
  r = await clickAndWait(page, form.locator('button[type="submit"]'));
  assert.ok([409, 422].includes(r.status()), `duplicate user: ${r.status()}`);
  await checkA11y(page, 'duplicate user name');
  await page.close();
});

test('admin grants unit_officer on a commune, then revokes it after confirming', async () => {
  assert.ok(userPath, 'needs the user created by the previous test');
  const page = await admin.newPage();
  await visit(page, server.baseURL, userPath);
  await page.getByLabel('Role', { exact: true }).selectOption('unit_officer');
  const unitSelect = page.getByLabel('Unit', { exact: true });
  const option = unitSelect.locator('option', { hasText: 'Phường Hạc Thành' });
  const unitID = await option.getAttribute('value');
  await unitSelect.selectOption(unitID);
  let r = await clickAndWait(page, page.locator(`form[action="${userPath}/grants"] button[type="submit"]`));
  assert.equal(r.status(), 200);
  assert.equal(new URL(page.url()).pathname, userPath);
  await page.locator('p.flash[role="status"]').waitFor();
  await checkA11y(page, 'user page after grant');
  const rows = page.locator('table#grants tbody tr');
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().locator('td').nth(0).textContent(), /officer/i);
  assert.equal((await rows.first().locator('td').nth(1).textContent()).trim(), 'Phường Hạc Thành');

  // The unit page lists the grant too.
  await clickAndWait(page, rows.first().locator('td').nth(1).locator('a'));
  assert.equal(new URL(page.url()).pathname, `/units/${unitID}`);
  await checkA11y(page, 'unit page with grants');
  const grantUsers = await page.locator('section[aria-labelledby="grants-h"] td a').allTextContents();
  assert.ok(grantUsers.includes(NEW_USER), `grants on the unit: ${grantUsers.join(', ')}`);

  // Revoke: first a confirmation page, cancel goes back, then confirm.
  await visit(page, server.baseURL, userPath);
  await clickAndWait(page, rows.first().locator('a[href$="/revoke"]'));
  assert.match(new URL(page.url()).pathname, /^\/admin\/grants\/\d+\/revoke$/);
  await checkA11y(page, 'revoke confirmation');
  const confirmText = await page.locator('main p').first().textContent();
  assert.ok(confirmText.includes(NEW_USER) && confirmText.includes('Phường Hạc Thành'), confirmText);
  await clickAndWait(page, page.locator('main a', { hasText: 'Cancel' }));
  assert.equal(new URL(page.url()).pathname, userPath);
  assert.equal(await rows.count(), 1, 'cancel keeps the grant');

  await clickAndWait(page, rows.first().locator('a[href$="/revoke"]'));
  r = await clickAndWait(page, page.locator('main form button[type="submit"]'));
  assert.equal(r.status(), 200);
  assert.equal(new URL(page.url()).pathname, userPath);
  await page.locator('p.flash[role="status"]').waitFor();
  await checkA11y(page, 'user page after revoke');
  assert.equal(await page.locator('table#grants').count(), 0);
  await page.close();
});

test('the audit log shows the changes and that the chain is intact', async () => {
  const page = await admin.newPage();
  const res = await visit(page, server.baseURL, '/admin/audit');
  assert.equal(res.status(), 200);
  await checkA11y(page, '/admin/audit');
  // Verification of the whole chain runs on request.
  await clickAndWait(page, page.locator('main a[href="/admin/audit?verify=1"]'));
  assert.match(await page.locator('main p[role="status"]').textContent(), /intact/);
  // Each action is named in words, with its code beside it.
  const actions = await page.locator('table.audit tbody td:nth-child(4) code').allTextContents();
  for (const a of ['user.create', 'grant.add', 'grant.revoke']) {
    assert.ok(actions.includes(a), `${a} missing from ${actions.slice(0, 10).join(', ')}`);
  }
  // The newest entries come first and name the actor.
  const first = page.locator('table.audit tbody tr').first();
  assert.equal((await first.locator('td').nth(3).locator('code').textContent()).trim(), 'grant.revoke');
  assert.match(await first.locator('td').nth(3).textContent(), /Role revoked/);
  assert.match(await first.locator('td').nth(5).textContent(), /Role/, 'the changed fields are named in words');
  assert.match(await first.locator('td').nth(2).textContent(), /admin/);

  // Filter by action.
  await page.getByLabel('Action').fill('grant.');
  await clickAndWait(page, page.locator('form[action="/admin/audit"] button[type="submit"]'));
  assert.equal(new URL(page.url()).searchParams.get('action'), 'grant.');
  await checkA11y(page, '/admin/audit filtered');
  const filtered = await page.locator('table.audit tbody td:nth-child(4) code').allTextContents();
  assert.ok(filtered.length >= 2 && filtered.every((a) => a.startsWith('grant.')), filtered.join(', '));
  await page.close();
});

test('a non-administrator gets a 403 page on the admin pages', async () => {
  const context = await browser.newContext({ locale: 'vi-VN' });
  try {
    const page = await context.newPage();
    await signIn(page, server.baseURL, 'canbo', undefined, '/');
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(await page.locator('header a[href="/admin/users"]').count(), 0, 'no admin link for canbo');
    for (const p of ['/admin/users', '/admin/audit', userPath]) {
      const res = await visit(page, server.baseURL, p);
      assert.equal(res.status(), 403, `${p}: ${res.status()}`);
      await page.getByRole('heading', { level: 1, name: 'Không có quyền truy cập' }).waitFor();
      await checkA11y(page, `403 on ${p}`);
    }
  } finally {
    await context.close();
  }
});
