// herald serve's live reload in Chromium: an edit reloads the open page by itself; a broken
// edit shows the problems overlay (file and line) while the server keeps the last good page;
// the fix clears it.
// usage: node live.mjs SERVER_URL SITE_DIR
// Prints { reloaded, newTitle, overlay, served, cleared, consoleErrors, external }.
import fs from 'node:fs';
import path from 'node:path';
import { launch } from './lib.mjs';

const [server, site] = process.argv.slice(2);
const file = path.join(site, 'content/improvements/faster-refunds.md');
const original = fs.readFileSync(file, 'utf8');
const browser = await launch({ width: 1280, height: 900 });
const consoleErrors = [];
const out = {};
const write = (text) => fs.writeFileSync(file, text);
try {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(server + 'improvements/faster-refunds/', { waitUntil: 'load' });
  await page.waitForTimeout(500); // the live connection opens
  // A mark on this document's window: a reload gives a new window without it. (Counting 'load'
  // events raced: the new h1 can be seen before the new document's load event arrives.)
  await page.evaluate(() => { window.heraldTestMark = true; });

  const edited = original.replace(/^title = "(.*)"$/m, 'title = "Live edit works: $1"');
  write(edited);
  await page.waitForFunction(() => document.querySelector('h1')?.textContent.includes('Live edit works'), null, { timeout: 20000 });
  out.reloaded = await page.evaluate(() => window.heraldTestMark === undefined);
  out.newTitle = await page.textContent('h1');

  write(edited.replace(/^teams = \[/m, 'teams = ["Nobody", '));
  await page.waitForSelector('#herald-problems', { timeout: 20000 });
  out.overlay = await page.textContent('#herald-problems');
  const again = await fetch(server + 'improvements/faster-refunds/');
  const body = await again.text();
  out.served = { status: again.status, hasLastGood: body.includes('Live edit works') };
  // A page opened now shows the overlay too.
  const other = await browser.context.newPage();
  await other.goto(server, { waitUntil: 'load' });
  await other.waitForSelector('#herald-problems', { timeout: 10000 });
  out.overlayOnNewPage = true;
  await other.close();

  write(edited);
  await page.waitForFunction(() => !document.getElementById('herald-problems'), null, { timeout: 20000 });
  out.cleared = true;
} catch (e) {
  out.error = String(e);
} finally {
  write(original);
  await browser.close();
}
console.log(JSON.stringify({ ...out, consoleErrors, external: [...browser.external] }));
