// Shared helpers for herald's browser checks: a loopback static server that mounts a built site
// under its base path (as a real intranet server would), and Debian's Chromium launched through
// playwright-core with the flags that keep it off the network.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.xml': 'application/xml', '.txt': 'text/plain',
  '.woff2': 'font/woff2', '.ico': 'image/x-icon',
};

/** Serves `root` at `http://127.0.0.1:PORT{base}`; resolves to { url, close }. */
export function serve(root, base = '/') {
  const realRoot = fs.realpathSync(root);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let rel = decodeURIComponent(url.pathname);
    if (!rel.startsWith(base)) return notFound(res, realRoot);
    rel = rel.slice(base.length);
    let file = path.join(realRoot, rel);
    if (!file.startsWith(realRoot)) return notFound(res, realRoot);
    try {
      if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      const body = fs.readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      notFound(res, realRoot);
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}${base}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

function notFound(res, root) {
  let body = 'not found';
  try { body = fs.readFileSync(path.join(root, '404.html')); } catch { /* plain text */ }
  res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
  res.end(body);
}

export const CHROMIUM = process.env.HERALD_CHROMIUM || '/usr/bin/chromium';

/** A fresh Chromium with its own profile; every non-loopback request is aborted and recorded. */
export async function launch(viewport = { width: 1920, height: 1080 }) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const external = new Set();
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') return route.continue();
    if (route.request().url().startsWith('data:')) return route.continue();
    external.add(route.request().url());
    return route.abort();
  });
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, external, close };
}
