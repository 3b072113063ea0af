// A page as it prints: print media at the printable width of A4 and of US Letter (12 mm
// margins), a full-page screenshot of each, a PDF of each, and every table's geometry.
// usage: node print.mjs SITE_DIR BASE_PATH PAGE OUT_DIR
// Prints { sizes: [{ size, width, screenshot, pdfPages, overflow, tables: [...], rowsBreakInside }] }.
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch } from './lib.mjs';

const [dir, base, pagePath, outDir] = process.argv.slice(2);
const MM = 96 / 25.4;
const SIZES = [
  { size: 'A4', format: 'A4', width: Math.floor((210 - 24) * MM) },
  { size: 'Letter', format: 'Letter', width: Math.floor((8.5 * 25.4 - 24) * MM) },
];

fs.mkdirSync(outDir, { recursive: true });
const server = await serve(dir, base);
const browser = await launch();
const sizes = [];
try {
  const page = await browser.context.newPage();
  for (const s of SIZES) {
    await page.setViewportSize({ width: s.width, height: 1000 });
    await page.emulateMedia({ media: 'print' });
    await page.goto(server.url + pagePath, { waitUntil: 'load' });
    const geometry = await page.evaluate(() => {
      const clippers = (el) => {
        const out = [];
        for (let a = el.parentElement; a; a = a.parentElement) {
          const cs = getComputedStyle(a);
          if (cs.overflowX !== 'visible' && a.scrollWidth > a.clientWidth + 1) out.push(a.tagName + (a.className ? '.' + a.className : ''));
        }
        return out;
      };
      const tables = [...document.querySelectorAll('table')].filter((t) => t.getClientRects().length > 0).map((t) => {
        const r = t.getBoundingClientRect();
        const cells = [...t.querySelectorAll('th, td')];
        return {
          id: t.id || t.className || t.tagName,
          left: r.left, right: r.right, rows: t.rows.length,
          clippedBy: clippers(t),
          overflowingCells: cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent.trim().slice(0, 40)),
          cellsOutside: cells.filter((c) => c.getBoundingClientRect().right > window.innerWidth + 0.5).length,
        };
      });
      const rowsBreakInside = [...new Set([...document.querySelectorAll('tr')].map((tr) => getComputedStyle(tr).breakInside))];
      return { tables, rowsBreakInside, overflow: document.documentElement.scrollWidth > window.innerWidth + 1 };
    });
    const screenshot = path.join(outDir, `print-${s.size}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    const pdf = await page.pdf({ format: s.format, preferCSSPageSize: true });
    const pdfPages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    fs.writeFileSync(path.join(outDir, `print-${s.size}.pdf`), pdf);
    sizes.push({ size: s.size, width: s.width, screenshot, pdfPages, ...geometry });
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify({ sizes }));
