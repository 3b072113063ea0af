// Lobby display scenarios in headless Chromium with the page's clock under the test's control.
// usage: node lobby.mjs SCENARIO SITE_DIR BASE_PATH PAGE [ARGS...]
// Each scenario prints one JSON object on its last line; the Rust tests assert on it.
// The page is expected to expose window.heraldLobby = { version(), current(), eligible() }.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch } from './lib.mjs';

const [scenario, dir, base, pagePath, ...rest] = process.argv.slice(2);
const out = { scenario, consoleErrors: [], pageErrors: [], external: [] };

/** Time in the page: the lobby's current slide id, and whether one slide is visibly on screen. */
async function state(page) {
  return page.evaluate(() => {
    const l = window.heraldLobby;
    const active = [...document.querySelectorAll('[data-slide].is-active')];
    // Any slide on screen counts, including the outgoing one of a cross-fade.
    const visible = [...document.querySelectorAll('[data-slide]')].filter((el) => {
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return s.display !== 'none' && s.visibility !== 'hidden' && Number(s.opacity) > 0.01 && r.width > 0 && r.height > 0;
    });
    return {
      current: l ? l.current() : null,
      version: l ? l.version() : null,
      eligible: l ? l.eligible() : [],
      active: active.map((e) => e.dataset.slide),
      visible: visible.length,
    };
  });
}

async function open(viewport, clockTime) {
  const server = await serve(dir, base);
  const browser = await launch(viewport);
  const page = await browser.context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') out.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => out.pageErrors.push(e.message));
  if (clockTime !== undefined) {
    await page.clock.install({ time: clockTime });
    // From here on, page time moves only when the test says so.
    await page.clock.pauseAt(clockTime + 1000);
  }
  await page.goto(server.url + pagePath, { waitUntil: 'load' });
  await page.clock.runFor(1500).catch(() => {});
  return { server, browser, page };
}

async function close(ctx) {
  out.external = [...ctx.browser.external];
  await ctx.browser.close();
  await ctx.server.close().catch(() => {});
}

/** Advances the page clock by `ms` in steps, sampling the state after each step. */
async function run(page, ms, step = 500) {
  const samples = [];
  for (let t = 0; t < ms; t += step) {
    await page.clock.runFor(step);
    samples.push({ t: t + step, ...(await state(page)) });
  }
  return samples;
}

const T = (s) => new Date(s).getTime();

const scenarios = {
  // Slides advance every slide_seconds; returns the sequence of (time, slide) changes.
  async rotation([start, seconds]) {
    const ctx = await open({ width: 1920, height: 1080 }, T(start));
    const first = await state(ctx.page);
    const samples = await run(ctx.page, Number(seconds) * 1000, 250);
    out.first = first;
    out.changes = [];
    let last = first.current;
    for (const s of samples) {
      if (s.current !== last) { out.changes.push([s.t, s.current]); last = s.current; }
    }
    out.minVisible = Math.min(...samples.map((s) => s.visible));
    await close(ctx);
  },

  // The eligible set now, and after moving the clock by N days.
  async eligibility([start, days, slideSeconds]) {
    const ctx = await open({ width: 1920, height: 1080 }, T(start));
    out.before = (await state(ctx.page)).eligible;
    await ctx.page.clock.setSystemTime(T(start) + Number(days) * 86400000);
    const samples = await run(ctx.page, (Number(slideSeconds) + 2) * 1000 * 3, 500);
    out.after = samples[samples.length - 1].eligible;
    out.shownAfter = [...new Set(samples.slice(-6).map((s) => s.current))];
    out.minVisible = Math.min(...samples.map((s) => s.visible));
    await close(ctx);
  },

  // The page, then a rebuild on disk (the Rust test passes the command), then the new item.
  async republish([start, waitSeconds, marker, ...cmd]) {
    const ctx = await open({ width: 1920, height: 1080 }, T(start));
    const before = await state(ctx.page);
    execFileSync(cmd[0], cmd.slice(1), { stdio: 'ignore' });
    const samples = [];
    let seenAt = null;
    for (let t = 0; t < Number(waitSeconds) * 1000; t += 250) {
      await ctx.page.clock.runFor(250);
      await ctx.page.waitForTimeout(5); // let real network I/O (fetch) complete
      const s = await state(ctx.page);
      samples.push(s);
      if (seenAt === null && s.current && s.current.includes(marker)) seenAt = t + 250;
      if (seenAt === null && s.active.some((a) => a.includes(marker))) seenAt = t + 250;
    }
    out.versionBefore = before.version;
    out.versionAfter = samples[samples.length - 1].version;
    out.eligibleAfter = samples[samples.length - 1].eligible;
    out.seenAtMs = seenAt;
    out.minVisible = Math.min(...samples.map((s) => s.visible));
    await close(ctx);
  },

  // The server goes away: the rotation goes on, nothing alarming on screen.
  async offline([start, seconds]) {
    const ctx = await open({ width: 1920, height: 1080 }, T(start));
    await ctx.server.close();
    ctx.server.close = async () => {};
    const samples = await run(ctx.page, Number(seconds) * 1000, 500);
    out.distinct = [...new Set(samples.map((s) => s.current))].length;
    out.minVisible = Math.min(...samples.map((s) => s.visible));
    out.bodyText = await ctx.page.evaluate(() => document.body.innerText);
    // Network failures are logged by the browser itself; they are not the page's errors.
    out.consoleErrors = out.consoleErrors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED|Failed to fetch/.test(e));
    await close(ctx);
  },

  // Hours of rotation at fake-clock speed: JS heap and DOM nodes before and after.
  async soak([start, hours]) {
    const ctx = await open({ width: 1920, height: 1080 }, T(start));
    const cdp = await ctx.browser.context.newCDPSession(ctx.page);
    await cdp.send('Performance.enable');
    const measure = async () => {
      await ctx.page.waitForLoadState('load').catch(() => {});
      await cdp.send('HeapProfiler.collectGarbage');
      const m = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
      return { heap: m.JSHeapUsedSize, nodes: m.Nodes, listeners: m.JSEventListeners };
    };
    const current = () => ctx.page.evaluate(() => window.heraldLobby && window.heraldLobby.current()).catch(() => null);
    const slideMs = await ctx.page.evaluate(() => JSON.parse(document.getElementById('herald-lobby-data').textContent).slide_seconds * 1000);
    await ctx.page.clock.runFor(60_000);
    // Samples are taken on the same slide each time: DOM size depends on which slide is up.
    const reference = await current();
    out.misaligned = [];
    const onReference = async () => {
      // Wait for the reference slide to come up afresh (leave it first if it is showing), in
      // steps of a second, so the sample is taken early in its time on screen.
      let i = 0;
      for (; i < 400 && (await current()) === reference; i++) await ctx.page.clock.runFor(1_000);
      for (; i < 2000 && (await current()) !== reference; i++) await ctx.page.clock.runFor(1_000);
      await ctx.page.clock.runFor(2_000);
      // The outgoing slide leaves the DOM when its CSS transition ends, which runs on real time.
      await ctx.page.waitForTimeout(1_500);
      const now = await current();
      if (now === reference) out.aligned = (out.aligned || 0) + 1;
      else out.misaligned.push({ steps: i, now, reference });
    };
    await onReference();
    out.start = await measure();
    out.hourly = [];
    const changes = new Set();
    for (let h = 0; h < Number(hours); h++) {
      // 55 samples 65 s apart (not a multiple of any slide cycle), then the rest of the hour.
      for (let m = 0; m < 55; m++) {
        await ctx.page.clock.runFor(65_000);
        // The page reloads itself every reload_hours; a sample taken during it is skipped.
        const cur = await ctx.page.evaluate(() => window.heraldLobby && window.heraldLobby.current()).catch(() => null);
        if (cur === null) { out.reloads = (out.reloads || 0) + 1; await ctx.page.waitForLoadState('load').catch(() => {}); }
        changes.add(cur);
      }
      await ctx.page.clock.runFor(3_600_000 - 55 * 65_000);
      await onReference();
      out.hourly.push(await measure());
    }
    out.end = out.hourly[out.hourly.length - 1];
    changes.delete(null);
    out.distinct = changes.size;
    await close(ctx);
  },

  // Each slide at a screen size: overflow inside the slide, a screenshot, and its QR code as PNG.
  async layout([start, width, height, shotDir]) {
    const ctx = await open({ width: Number(width), height: Number(height) }, T(start));
    fs.mkdirSync(shotDir, { recursive: true });
    const seen = new Map();
    const slideMs = await ctx.page.evaluate(() => {
      const d = JSON.parse(document.getElementById('herald-lobby-data').textContent);
      return d.slide_seconds * 1000;
    });
    const eligible = (await state(ctx.page)).eligible.length;
    for (let i = 0; i < 2 * Math.max(eligible, 1) + 2 && seen.size < Math.max(eligible, 1); i++) {
      const s = await state(ctx.page);
      let waited = 0;
      if (s.current && !seen.has(s.current)) {
        waited = 2000;
        await ctx.page.clock.runFor(2000); // let the slide settle after its transition
        await ctx.page.waitForTimeout(1200); // CSS transitions run on real time, not the fake clock
        const info = await ctx.page.evaluate(() => {
          const el = document.querySelector('[data-slide].is-active');
          const bad = [];
          const check = (e) => {
            if (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1) {
              const st = getComputedStyle(e);
              if (st.overflow !== 'visible' || e === el) bad.push(`${e.tagName}.${e.className}: ${e.scrollWidth}x${e.scrollHeight} in ${e.clientWidth}x${e.clientHeight}`);
            }
          };
          check(el);
          el.querySelectorAll('*').forEach((e) => { if (!(e instanceof SVGElement)) check(e); });
          // The slide's box may bleed past the edges (room for the burn-in shift); its text and
          // QR code must be on screen.
          const offscreen = [];
          el.querySelectorAll('*').forEach((e) => {
            const leafText = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
            if (!leafText && e.tagName.toLowerCase() !== 'svg') return;
            const r = e.getBoundingClientRect();
            if (r.width === 0 || r.height === 0) return;
            if (r.left < -1 || r.top < -1 || r.right > innerWidth + 1 || r.bottom > innerHeight + 1) {
              offscreen.push(`${e.tagName}.${e.className}: ${Math.round(r.left)},${Math.round(r.top)}-${Math.round(r.right)},${Math.round(r.bottom)}`);
            }
          });
          const inView = offscreen.length === 0;
          const docOverflow = document.documentElement.scrollWidth > innerWidth + 1 || document.documentElement.scrollHeight > innerHeight + 1;
          return { bad, inView, offscreen, docOverflow, hasQr: !!el.querySelector('svg path[stroke]'), text: el.innerText };
        });
        const file = path.join(shotDir, `${width}x${height}-${seen.size}.png`);
        await ctx.page.screenshot({ path: file });
        let qrFile = null;
        const qr = await ctx.page.$('[data-slide].is-active svg:has(path[stroke])');
        if (qr) {
          qrFile = path.join(shotDir, `${width}x${height}-${seen.size}-qr.png`);
          await qr.screenshot({ path: qrFile });
        }
        seen.set(s.current, { ...info, shot: file, qr: qrFile });
      }
      await ctx.page.clock.runFor(slideMs - waited);
    }
    out.slides = Object.fromEntries(seen);
    await close(ctx);
  },

  // The words on screen: for each slide that comes up, its key, its language and kicker, and the
  // clock's time, date and language beside it.
  async words([start, seconds]) {
    const ctx = await open({ width: 1920, height: 1080 }, T(start));
    const seen = [];
    let last = null;
    for (let t = 0; t < Number(seconds) * 1000; t += 500) {
      await ctx.page.clock.runFor(500);
      await ctx.page.waitForTimeout(5); // let real network I/O (fetch) complete
      const s = await ctx.page.evaluate(() => {
        const el = document.querySelector('[data-slide].is-active');
        const clock = document.querySelector('.lobby-bar__clock');
        const q = (sel) => { const e = el && el.querySelector(sel); return e ? e.textContent : ''; };
        const title = el && el.querySelector('.slide__title, .welcome__title');
        return {
          slide: el ? el.dataset.slide : '',
          lang: el ? el.lang : '',
          kicker: q('.slide__label'),
          title: title ? title.textContent : '',
          titleLang: title ? title.lang : '',
          text: el ? el.innerText : '',
          time: document.getElementById('lobby-time').textContent,
          date: document.getElementById('lobby-date').textContent,
          clockLang: clock ? clock.lang : '',
        };
      });
      if (s.slide !== last) { seen.push(s); last = s.slide; }
    }
    out.slides = seen;
    await close(ctx);
  },

  // Everything the page loads, in bytes.
  async weight([start]) {
    const server = await serve(dir, base);
    const browser = await launch({ width: 1920, height: 1080 });
    const page = await browser.context.newPage();
    const sizes = {};
    page.on('response', async (r) => {
      try { sizes[r.url()] = (await r.body()).length; } catch { /* redirects have no body */ }
    });
    await page.clock.install({ time: T(start) });
    await page.goto(server.url + pagePath, { waitUntil: 'load' });
    await page.clock.runFor(3000);
    await page.waitForTimeout(500);
    out.sizes = sizes;
    out.total = Object.values(sizes).reduce((a, b) => a + b, 0);
    out.eligible = (await state(page)).eligible.length;
    out.external = [...browser.external];
    await browser.close();
    await server.close();
  },
};

if (!scenarios[scenario]) {
  console.error(`unknown scenario ${scenario}; one of ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}
await scenarios[scenario](rest);
console.log(JSON.stringify(out));
