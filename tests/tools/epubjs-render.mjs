// Renders one chapter of an EPUB in a real reading engine (epub.js) inside headless Chromium.
// usage (from the project folder, after `npm ci`): node tests/tools/epubjs-render.mjs book.epub out.png [chapter-href]
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
const [,, epubPath, outPng, href = 'chap_1.xhtml'] = process.argv;
const nm = path.resolve('node_modules');
const files = {
  '/jszip.min.js': [path.join(nm, 'jszip/dist/jszip.min.js'), 'application/javascript'],
  '/epub.min.js': [path.join(nm, 'epubjs/dist/epub.min.js'), 'application/javascript'],
  '/book.epub': [path.resolve(epubPath), 'application/epub+zip'],
};
const html = `<!doctype html><html><head><meta charset="utf-8">
<script src="/jszip.min.js"></script><script src="/epub.min.js"></script></head>
<body style="margin:0"><div id="viewer" style="width:600px;height:800px"></div></body></html>`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
});
const page = await browser.newPage({ viewport: { width: 600, height: 800 } });
const errors = [];
const dialogs = [];
const foreignRequests = [];
page.on('dialog', d => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
page.on('request', r => { if (!r.url().startsWith('http://book.test/') && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) foreignRequests.push(r.url()); });
page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
page.on('pageerror', e => errors.push('pageerror: ' + e.message));
await page.route('http://book.test/**', async route => {
  const p = new URL(route.request().url()).pathname;
  if (p === '/') return route.fulfill({ body: html, contentType: 'text/html' });
  const f = files[p];
  if (!f) return route.fulfill({ status: 404, body: 'not found' });
  return route.fulfill({ body: fs.readFileSync(f[0]), contentType: f[1] });
});
await page.goto('http://book.test/');
const info = await page.evaluate(async (href) => {
  const book = ePub('/book.epub');            // fetched as binary, unzipped by JSZip
  const rendition = book.renderTo('viewer', { width: 600, height: 800, spread: 'none' });
  await book.ready;
  await rendition.display(href);
  const meta = await book.loaded.metadata;
  const nav = await book.loaded.navigation;
  const contents = rendition.getContents()[0];
  return {
    title: meta.title, language: meta.language, creator: meta.creator,
    spine: book.spine.spineItems.map(s => s.href),
    toc: nav.toc.map(t => `${t.label.trim()} -> ${t.href}`),
    renderedH1: contents && contents.document.querySelector('h1')?.textContent,
    renderedLocation: rendition.currentLocation()?.start?.href,
  };
}, href);
await page.waitForTimeout(300);
await page.screenshot({ path: outPng });
console.log(JSON.stringify({ ...info, consoleErrors: errors, dialogs, foreignRequests }, null, 1));
await browser.close();
