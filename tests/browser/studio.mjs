// herald's studio in Chromium, as an author uses it: fields found by their labels.
// usage: node studio.mjs ORIGIN SITE_URL MILESTONE_FILE
//   ORIGIN    http://127.0.0.1:PORT (the studio is at ORIGIN/_herald/)
//   SITE_URL  http://127.0.0.1:PORT/customers/
//   MILESTONE_FILE  a milestone (content-relative) whose second task the test marks done
// Prints one JSON line: { created, createdServed, previewTitle, previewLobby, badDate, edited,
// axe, consoleErrors, external, error }.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import { launch } from './lib.mjs';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const [origin, site, milestone] = process.argv.slice(2);
const studio = origin + '/_herald/';
const browser = await launch({ width: 1600, height: 1000 });
const consoleErrors = [];
const out = { axe: {} };

async function axe(page, name) {
  await page.evaluate(axeSource);
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  out.axe[name] = r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
}

async function until(what, check, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out: ' + what);
    await new Promise((r) => setTimeout(r, 200));
  }
}

try {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });

  // The list.
  await page.goto(studio, { waitUntil: 'load' });
  await page.waitForSelector('table.items tbody tr');
  out.listRows = await page.locator('table.items tbody tr').count();
  await page.getByLabel('Kind', { exact: true }).selectOption('milestone');
  out.milestoneRows = await page.locator('table.items tbody tr').count();
  await axe(page, 'list');

  // A new improvement, by labels.
  await page.goto(studio + 'new?kind=improvement', { waitUntil: 'load' });
  await page.waitForSelector('#item-form');
  const label = (text) => page.getByLabel(text, { exact: true });
  await label('Title').fill('Fewer customers call twice');
  await label('When did customers get this?').fill('2026-02-30');
  await until('the bad date is shown next to the date field', () => page.evaluate(() => {
    const p = document.getElementById('f-date-problem');
    return p && !p.hidden && p.textContent.includes('not a real date') && p.closest('.field').querySelector('#f-date') ? p.textContent : null;
  }));
  out.badDate = await page.textContent('#f-date-problem');
  await label('When did customers get this?').fill('2026-11-20');
  await page.getByRole('checkbox', { name: 'Billing', exact: true }).check();
  await label('What was measured').fill('Customers who call twice');
  await label('Before').fill('1 in 3');
  await label('After').fill('4 in 5');
  await label('What the customer said').fill('I only had to call once.');
  await label('Who said it').fill('Ana, customer since 2019');
  const body = label('The story (Markdown)');
  await body.fill('Customers told us they had to call again. Now the first call fixes it, as with ');
  await body.press('End');
  await page.waitForFunction(() => document.querySelectorAll('#link-to option').length > 1);
  await label('Link to other content').selectOption('improvements/bills-you-can-read.md');
  await page.getByRole('button', { name: 'Insert the link' }).click();
  await until('no problems', async () => (await page.textContent('#status')).startsWith('No problems'));
  // The previews run in a sandbox (an origin of their own), so they are read through
  // Playwright's frames; that they cannot reach the studio is checked too.
  const frameText = async (id, css) => {
    const el = await page.$('#' + id);
    const frame = el && await el.contentFrame();
    if (!frame) return null;
    try { return await frame.evaluate((c) => { const e = document.querySelector(c); return e ? e.textContent.replace(/\s+/g, ' ').trim() : null; }, css); } catch (e) { return null; }
  };
  out.previewTitle = await until('the page preview', () => frameText('frame-page', 'h1'));
  out.previewLobby = await until('the lobby preview', async () => {
    const t = await frameText('frame-lobby', '.slide.is-active');
    return t && t.includes('1 in 3') ? t : null;
  });
  out.previewIsolated = await (await (await page.$('#frame-page')).contentFrame()).evaluate(() => {
    try { return 'reached: ' + window.parent.document.title; } catch (e) { return 'isolated'; }
  });
  await axe(page, 'form');
  await page.getByRole('button', { name: 'Save and publish' }).click();
  await until('saved', async () => (await page.textContent('#status')).startsWith('Saved and published'));
  out.created = await page.evaluate(() => new URLSearchParams(location.search).get('file'));
  out.createdServed = await until('the page served', async () => {
    const r = await fetch(site + 'improvements/fewer-customers-call-twice/');
    const t = await r.text();
    return r.status === 200 && t.includes('Fewer customers call twice') && t.includes('1 in 3') ? r.status : null;
  }, 30000);

  // Every kind's form opens, with a labelled control for every key, and passes axe.
  out.kinds = {};
  for (const kind of ['milestone', 'recognition', 'announcement', 'page']) {
    await page.goto(studio + 'new?kind=' + kind, { waitUntil: 'load' });
    await page.waitForSelector('#item-form');
    await until(kind + ' checked', async () => (await page.textContent('#status')) !== 'Not saved yet.');
    out.kinds[kind] = await page.evaluate(() => {
      const controls = [...document.querySelectorAll('#item-form input, #item-form select, #item-form textarea')];
      const unlabelled = controls.filter((c) => !c.labels?.length && !c.getAttribute('aria-labelledby'));
      return { controls: controls.length, unlabelled: unlabelled.map((c) => c.id) };
    });
    await axe(page, 'new ' + kind);
  }

  // An existing milestone: the second task marked done from the table.
  await page.goto(studio + 'edit?file=' + encodeURIComponent(milestone), { waitUntil: 'load' });
  await page.waitForSelector('table.rows tbody tr');
  await page.getByRole('textbox', { name: 'Done on 2', exact: true }).fill('2026-11-20');
  await until('checked', async () => (await page.textContent('#status')).includes('No problems'));
  await page.getByRole('button', { name: 'Save and publish' }).click();
  await until('saved', async () => (await page.textContent('#status')).startsWith('Saved and published'));
  out.edited = true;
  await axe(page, 'edit');
} catch (e) {
  out.error = String(e && e.stack || e);
} finally {
  await browser.close();
}
console.log(JSON.stringify({ ...out, consoleErrors, external: [...browser.external] }));
