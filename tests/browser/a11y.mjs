// axe-core on pages of a built herald site, at phone and desktop widths.
// usage: node a11y.mjs SITE_DIR BASE_PATH WIDTHS PAGE...   (pages relative to the base, "" = home)
// Prints one JSON object: { results: [{ page, width, status, violations: [...] }], external, consoleErrors }.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { serve, launch } from './lib.mjs';

const [dir, base, widthsArg, ...pages] = process.argv.slice(2);
const widths = widthsArg.split(',').map(Number);
const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const server = await serve(dir, base);
const browser = await launch();
const results = [];
const consoleErrors = [];
try {
  const page = await browser.context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`); });
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  for (const width of widths) {
    await page.setViewportSize({ width, height: width < 800 ? 844 : 1080 });
    for (const p of pages) {
      const resp = await page.goto(server.url + p, { waitUntil: 'load' });
      await page.evaluate(axeSource);
      const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
      results.push({
        page: p, width, status: resp ? resp.status() : 0, overflow,
        violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })),
      });
    }
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify({ results, external: [...browser.external], consoleErrors }));
