import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:18181';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const pages = JSON.parse(process.argv[2]);
for (const [user, paths] of Object.entries(pages)) {
  for (const width of [390, 1366]) {
    const ctx = await browser.newContext({ locale: 'vi-VN', viewport: { width, height: 900 } });
    const p = await ctx.newPage();
    await p.goto(base + '/signin');
    await p.fill('input[name=username]', user); await p.fill('input[name=password]', 'danvan-demo-2026');
    await Promise.all([p.waitForNavigation(), p.click('main button[type=submit]')]);
    for (const path of paths) {
      await p.goto(base + path);
      const name = `${user}${path.replace(/[^a-z0-9]+/gi, '_')}-${width}.png`;
      await p.screenshot({ path: '/tmp/shots/' + name, fullPage: width === 390 ? false : false });
      console.log(name);
    }
    await ctx.close();
  }
}
await browser.close();
