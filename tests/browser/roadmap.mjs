// The roadmap's team filter with JavaScript: a click filters in place, with no page load, and the
// address becomes the team's own page; Back restores every milestone.
// usage: node roadmap.mjs SITE_DIR BASE_PATH TEAM_SLUG
// Prints { before, after, url, navigated, back, consoleErrors, external }.
import { serve, launch } from './lib.mjs';

const [dir, base, team] = process.argv.slice(2);
const server = await serve(dir, base);
const browser = await launch();
const consoleErrors = [];
let out = {};
try {
  const page = await browser.context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(server.url + 'roadmap/', { waitUntil: 'load' });
  const visible = () => page.evaluate(() => [...document.querySelectorAll('.timeline-row[data-milestone]')]
    .filter((el) => el.getClientRects().length > 0).map((el) => el.dataset.milestone));
  const before = await visible();
  await page.evaluate(() => { window.__sameDocument = true; });
  await page.click(`nav.team-filter a[href$="roadmap/team/${team}/"]`);
  await page.waitForTimeout(300);
  const after = await visible();
  const navigated = await page.evaluate(() => window.__sameDocument !== true);
  const url = page.url();
  const current = await page.evaluate(() => document.querySelector('nav.team-filter [aria-current="page"]')?.getAttribute('href'));
  await page.goBack();
  await page.waitForTimeout(300);
  const back = await visible();
  out = { before, after, url, navigated, current, back };
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify({ ...out, consoleErrors, external: [...browser.external] }));
