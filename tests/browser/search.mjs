// The /search/ page in headless Chromium: types each query into the page's search box (the
// header's, marked data-search-input) as a person would, and reports what the page shows.
// usage: node search.mjs SITE_DIR BASE_PATH QUERY...
// Prints one JSON object:
//   { queries: [{ query, status, results: [{ href, title, kind, meta, snippet, marks }], url,
//                 ms, requests: [{ url, bytes }] }],
//     direct: { query, value, status, results }      (the page opened at search/?q=FIRST)
//     nojs: { message, hidden }                      (the no-JavaScript text, before/after)
//     stems: { checked, mismatches: [...] }          (the script's stemmer on every form of the index)
//     a11y: [{ scheme, violations: [...] }]          (axe on the results, light and dark)
//     consoleErrors, external }
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { serve, launch } from './lib.mjs';

const [dir, base, ...queries] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const server = await serve(dir, base);
const browser = await launch({ width: 1280, height: 900 });
const consoleErrors = [];
const out = { queries: [] };

async function results(page) {
  return page.evaluate(() => [...document.querySelectorAll('[data-search-results] > li')].map((li) => ({
    href: li.querySelector('a')?.getAttribute('href'),
    title: li.querySelector('a')?.textContent,
    kind: li.querySelector('.search-result__kind')?.textContent,
    meta: li.querySelector('.search-result__meta')?.textContent,
    snippet: li.querySelector('.search-result__snippet')?.textContent ?? '',
    marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
  })));
}

async function settled(page) {
  // The search has run when the page says it is done (or failed) and the debounce has passed.
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-search]')?.getAttribute('data-search-state');
    return s === 'done' || s === 'error' || s === 'idle';
  }, null, { timeout: 15000 });
}

try {
  // Without JavaScript: the page says search needs it.
  const plain = await browser.context.newPage();
  await plain.route('**/*.js*', (route) => route.abort());
  await plain.goto(server.url + 'search/', { waitUntil: 'load' });
  out.nojs = {
    message: await plain.evaluate(() => document.querySelector('[data-search-nojs]')?.textContent ?? ''),
    visible: await plain.evaluate(() => { const el = document.querySelector('[data-search-nojs]'); return !!el && el.getClientRects().length > 0; }),
  };
  await plain.close();

  const page = await browser.context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  let requests = [];
  page.on('requestfinished', async (req) => {
    const url = req.url();
    if (!url.includes('/search/') || url.endsWith('/search/') || url.includes('/search/?')) return;
    const sizes = await req.sizes().catch(() => null);
    requests.push({ url: url.slice(server.url.length), bytes: sizes ? sizes.responseBodySize : 0 });
  });
  await page.goto(server.url + 'search/', { waitUntil: 'load' });
  await settled(page);
  out.nojs.hiddenWithScript = await page.evaluate(() => { const el = document.querySelector('[data-search-nojs]'); return !el || el.getClientRects().length === 0; });
  out.initialStatus = await page.evaluate(() => document.querySelector('[data-search-status]')?.textContent ?? '');
  const box = page.locator('[data-search-input]');
  for (const query of queries) {
    await box.fill('');
    await page.waitForTimeout(200);
    await settled(page);
    requests = [];
    const t0 = Date.now();
    await box.pressSequentially(query, { delay: 40 });
    await page.waitForTimeout(150);
    await page.waitForFunction((q) => new URL(location.href).searchParams.get('q') === q.trim(), query, { timeout: 15000 });
    await settled(page);
    const ms = Date.now() - t0;
    await page.waitForTimeout(100);
    out.queries.push({
      query,
      status: await page.evaluate(() => document.querySelector('[data-search-status]')?.textContent ?? ''),
      live: await page.evaluate(() => document.querySelector('[data-search-status]')?.getAttribute('aria-live')),
      results: await results(page),
      url: page.url(),
      title: await page.title(),
      ms,
      requests: [...requests],
      searchMs: await page.evaluate(() => Number(document.querySelector('[data-search]')?.getAttribute('data-search-ms'))),
    });
  }

  // axe on a page of results, in the light and the dark theme.
  out.a11y = [];
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate(axeSource);
    const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    out.a11y.push({
      scheme,
      violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })),
    });
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // The script's stemmer against the index's own forms (word → term, stemmed by the build).
  out.stems = await page.evaluate(async () => {
    const root = document.querySelector('[data-search]');
    const dirUrl = root.getAttribute('data-search-index');
    const m = await (await fetch(dirUrl + 'index.json')).json();
    let checked = 0;
    const mismatches = [];
    if (m.stemmer !== 'english') return { checked, mismatches, stemmer: m.stemmer };
    for (const [, name] of m.shards) {
      const shard = await (await fetch(dirUrl + 't/' + name + '.json')).json();
      for (const [form, term] of Object.entries(shard.f)) {
        checked++;
        const got = window.heraldSearch.stem(form);
        if (got !== term) mismatches.push({ form, term, got });
      }
    }
    return { checked, mismatches, stemmer: m.stemmer };
  });

  // Opened with ?q=: the box is filled in and the results are there without typing.
  if (queries.length) {
    const direct = await browser.context.newPage();
    direct.on('pageerror', (e) => consoleErrors.push(e.message));
    await direct.goto(server.url + 'search/?q=' + encodeURIComponent(queries[0]), { waitUntil: 'load' });
    await settled(direct);
    out.direct = {
      query: queries[0],
      value: await direct.locator('[data-search-input]').inputValue(),
      status: await direct.evaluate(() => document.querySelector('[data-search-status]')?.textContent ?? ''),
      results: await results(direct),
    };
    await direct.close();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify({ ...out, consoleErrors, external: [...browser.external] }));
