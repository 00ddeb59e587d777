// Drives Chromium (headless, through playwright-core) over a site written by `connector-gen docs`,
// served from 127.0.0.1 by this script, and prints what it found as one JSON object.
//
//   node check_site.mjs PLAYWRIGHT_CORE_DIR CHROMIUM SITE_DIR OUT_DIR CHECKS_JSON
//
// CHECKS_JSON: {"crawl": true|false (default true), "searches": [{"query": "...", "rows": N, "ops": N}], "hostile": "slug/index.html",
//               "screenshots": {"connector": "slug/index.html", "index": "index.html"}}
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import os from "node:os";

const [pwDir, chromiumPath, siteDir, outDir, checksJson] = process.argv.slice(2);
const { chromium } = await import(path.join(pwDir, "index.mjs"));
const checks = JSON.parse(checksJson);
const root = path.resolve(siteDir);

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".png": "image/png", ".json": "application/json" };
const served = [];
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://127.0.0.1");
  let file = path.join(root, decodeURIComponent(url.pathname));
  if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) { file = path.join(file, "index.html"); }
  if (!fs.existsSync(file)) { served.push({ path: url.pathname, status: 404 }); res.writeHead(404).end("not found"); return; }
  served.push({ path: url.pathname, status: 200 });
  res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
  res.end(fs.readFileSync(file));
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}/`;

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "connector-docs-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: chromiumPath,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const result = { base, pages: 0, links: 0, anchors: 0, external: [], broken: [], missingAnchors: [], consoleErrors: [], dialogs: [], requestsOutside: [], overflow: [], searches: [], hostile: null, screenshots: [] };
context.on("request", (r) => { if (!r.url().startsWith(base) && !r.url().startsWith("data:")) { result.requestsOutside.push(r.url()); } });
const page = context.pages()[0] || await context.newPage();
page.on("console", (m) => { if (m.type() === "error") { result.consoleErrors.push(`${page.url()}: ${m.text()}`); } });
page.on("pageerror", (e) => result.consoleErrors.push(`${page.url()}: ${e.message}`));
page.on("dialog", async (d) => { result.dialogs.push(d.message()); await d.dismiss(); });

// Crawl every internal page from the index: every link, stylesheet, script and image, and every
// anchor checked on the page it points into.
const ids = new Map();      // page path -> Set of ids
const wanted = [];          // [from, page path, fragment]
const queue = ["/index.html"], seen = new Set(queue);
while (checks.crawl !== false && queue.length) {
  const p = queue.shift();
  const resp = await page.goto(base + p.slice(1), { waitUntil: "load" });
  result.pages++;
  if (!resp || resp.status() !== 200) { result.broken.push({ from: "(crawl)", to: p, status: resp ? resp.status() : 0 }); continue; }
  const found = await page.evaluate(() => ({
    ids: Array.from(document.querySelectorAll("[id]"), (e) => e.id),
    refs: Array.from(document.querySelectorAll("a[href], link[href], script[src], img[src]"), (e) => e.getAttribute("href") ?? e.getAttribute("src")),
    overflow: document.documentElement.scrollWidth > window.innerWidth,
  }));
  ids.set(p, new Set(found.ids));
  for (const ref of found.refs) {
    const u = new URL(ref, base + p.slice(1));
    if (u.origin !== new URL(base).origin) { result.external.push(u.href); continue; }
    result.links++;
    const target = u.pathname.endsWith("/") ? u.pathname + "index.html" : u.pathname;
    if (u.hash) { wanted.push([p, target, decodeURIComponent(u.hash.slice(1))]); }
    if (target.endsWith(".html")) {
      if (!seen.has(target)) { seen.add(target); queue.push(target); }
    } else {
      const r = await page.request.get(base + target.slice(1));
      if (r.status() !== 200) { result.broken.push({ from: p, to: target, status: r.status() }); }
    }
  }
}
for (const [from, target, frag] of wanted) {
  result.anchors++;
  const set = ids.get(target);
  if (!set) { result.broken.push({ from, to: target, status: "not crawled" }); continue; }
  if (!set.has(frag)) { result.missingAnchors.push({ from, to: target, id: frag }); }
}
for (const s of served) { if (s.status !== 200) { result.broken.push({ from: "(server)", to: s.path, status: s.status }); } }

// The search narrows the index as one types, keystroke by keystroke.
for (const s of checks.searches || []) {
  await page.goto(base + "index.html", { waitUntil: "load" });
  const counts = [];
  const visible = () => page.evaluate(() => ({
    rows: Array.from(document.querySelectorAll("#connectors > li")).filter((li) => !li.hidden).length,
    ops: Array.from(document.querySelectorAll("#connectors .ops > li")).filter((li) => !li.hidden && !li.parentElement.hidden).length,
    count: document.getElementById("count").textContent,
  }));
  const start = await visible();
  await page.click("#q");
  for (const ch of s.query) {
    await page.keyboard.type(ch);
    counts.push((await visible()).rows);
  }
  const end = await visible();
  result.searches.push({ query: s.query, before: start.rows, counts, rows: end.rows, ops: end.ops, count: end.count });
}

// The hostile page: nothing it holds ran, its markup shows as text. It is opened in a context
// that ignores the Content-Security-Policy, so that escaping alone is what is tested.
if (checks.hostile) {
  const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), "connector-docs-chromium-"));
  const open = await chromium.launchPersistentContext(dir2, {
    executablePath: chromiumPath, headless: true, bypassCSP: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const hp = open.pages()[0] || await open.newPage();
  const dialogs = [];
  hp.on("dialog", async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  await hp.goto(base + checks.hostile, { waitUntil: "load" });
  await hp.waitForTimeout(300);
  // Hover and click what could carry a handler.
  for (const sel of ["h1", "td", "a"]) {
    const el = await hp.$(sel);
    if (el) { await el.hover().catch(() => {}); }
  }
  result.hostile = await hp.evaluate(() => ({
    pwned: typeof window.__pwned !== "undefined",
    scripts: Array.from(document.scripts, (s) => s.getAttribute("src")),
    styles: document.querySelectorAll("style").length,
    inlineHandlers: Array.from(document.querySelectorAll("*")).filter((e) => Array.from(e.attributes).some((a) => a.name.startsWith("on"))).length,
    javascriptLinks: Array.from(document.querySelectorAll("[href], [src]")).filter((e) => /^\s*(javascript|data|vbscript):/i.test(e.getAttribute("href") ?? e.getAttribute("src"))).length,
    injected: document.querySelectorAll("main iframe, main object, main embed, main form, main svg, main img, main b, main i, main u, main style, main script").length,
    text: document.body.innerText,
  }));
  result.hostile.dialogs = dialogs;
  await open.close();
  fs.rmSync(dir2, { recursive: true, force: true });
}

// A phone's width: no page scrolls sideways.
await page.setViewportSize({ width: 375, height: 800 });
for (const p of seen) {
  await page.goto(base + p.slice(1), { waitUntil: "load" });
  const o = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  if (o.scroll > o.inner) { result.overflow.push({ page: p, ...o }); }
}

// Full-page screenshots for people to look at.
await page.setViewportSize({ width: 1280, height: 900 });
fs.mkdirSync(outDir, { recursive: true });
for (const [name, p] of Object.entries(checks.screenshots || {})) {
  await page.goto(base + p, { waitUntil: "load" });
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  result.screenshots.push(file);
}
await page.setViewportSize({ width: 375, height: 800 });
if (checks.screenshots && checks.screenshots.connector) {
  await page.goto(base + checks.screenshots.connector, { waitUntil: "load" });
  const file = path.join(outDir, "connector-phone.png");
  await page.screenshot({ path: file, fullPage: true });
  result.screenshots.push(file);
}

await context.close();
server.close();
fs.rmSync(userDataDir, { recursive: true, force: true });
console.log(JSON.stringify(result));
