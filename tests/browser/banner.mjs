// Announcement banners on an intranet page, with the page clock set by the test.
// usage: node banner.mjs SITE_DIR BASE_PATH PAGE TIME [keep]   (keep: do not dismiss)
// Prints { before: [visible keys], afterDismiss, afterReload, later: [visible keys 2 days on] }.
import { serve, launch } from './lib.mjs';

const [dir, base, pagePath, time, mode] = process.argv.slice(2);
const server = await serve(dir, base);
const browser = await launch({ width: 1280, height: 800 });
const out = { consoleErrors: [] };
try {
  const page = await browser.context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') out.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => out.consoleErrors.push(e.message));
  const t = new Date(time).getTime();
  await page.clock.install({ time: t });
  await page.clock.pauseAt(t + 1000);
  const visible = () => page.evaluate(() => [...document.querySelectorAll('.announcement')].filter((e) => !e.hidden).map((e) => e.dataset.key));
  await page.goto(server.url + pagePath, { waitUntil: 'load' });
  await page.clock.runFor(100);
  out.before = await visible();
  const button = await page.$('.announcement:not([hidden]) .announcement__close');
  if (button && mode !== 'keep') await button.click();
  out.afterDismiss = await visible();
  await page.reload({ waitUntil: 'load' });
  await page.clock.runFor(100);
  out.afterReload = await visible();
  await page.clock.setSystemTime(t + 2 * 86400000);
  await page.clock.runFor(61000);
  out.later = await visible();
} finally {
  out.external = [...browser.external];
  await browser.close();
  await server.close();
}
console.log(JSON.stringify(out));
