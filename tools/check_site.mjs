// Open every page of the built book in headless Chromium, as a reader would.
//
//   node tools/check_site.mjs [--site _build/html] [--out _build/screenshots] [--chromium /usr/bin/chromium]
//
// Serves the site on 127.0.0.1 and fails (exit 1) on console errors, failed requests,
// requests to any other host, broken images, serious/critical axe-core violations, or a page
// whose main column scrolls sideways (wider than the window) at laptop or phone width.
// Saves a full-page screenshot of each page at laptop and phone width in --out.

import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { extname, join, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";

import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const { values: args } = parseArgs({
  options: {
    site: { type: "string", default: "_build/html" },
    out: { type: "string", default: "_build/screenshots" },
    chromium: { type: "string", default: process.env.CHROMIUM || "/usr/bin/chromium" },
  },
});

// The flags are those of the print-to-PDF step: no network of Chromium's own, a fresh profile.
const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const VIEWPORTS = [
  { name: "laptop", width: 1366, height: 768, isMobile: false },
  { name: "phone", width: 390, height: 844, isMobile: true },
];
const BLOCKING_IMPACTS = new Set(["serious", "critical"]);
// Folders of assets and downloads, not pages a reader opens.
const NOT_PAGES = new Set(["_static", "_sources", "_downloads", "_images"]);
const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".csv": "text/csv; charset=utf-8",
  ".ipynb": "application/json",
  ".md": "text/markdown; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".inv": "application/octet-stream",
};

function listPages(root, folder = root) {
  const pages = [];
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) {
      if (!NOT_PAGES.has(name)) pages.push(...listPages(root, path));
    } else if (name.endsWith(".html")) {
      pages.push(relative(root, path).split(sep).join("/"));
    }
  }
  return pages;
}

function serve(root) {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://127.0.0.1").pathname);
    let file = resolve(root, "." + path);
    if (!file.startsWith(root)) {
      response.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      const body = readFileSync(file);
      response.writeHead(200, { "Content-Type": MIME[extname(file).toLowerCase()] || "application/octet-stream" });
      response.end(body);
    } catch {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    }
  });
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(server)));
}

async function checkPage(context, origin, page, viewport, outDir) {
  const problems = [];
  const tab = await context.newPage();
  await tab.setViewportSize({ width: viewport.width, height: viewport.height });
  await tab.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    problems.push(`request to another host: ${url}`);
    return route.abort("blockedbyclient");
  });
  tab.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  tab.on("pageerror", (error) => problems.push(`script error: ${error.message}`));
  tab.on("requestfailed", (request) => {
    if (request.url().startsWith(origin)) problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  tab.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });

  await tab.goto(`${origin}/${page}`, { waitUntil: "load" });
  await tab.waitForLoadState("networkidle").catch(() => {});
  const broken = await tab.evaluate(() =>
    [...document.images].filter((img) => img.complete && img.naturalWidth === 0).map((img) => img.currentSrc || img.src)
  );
  for (const src of broken) problems.push(`broken image: ${src}`);
  // A table or figure may scroll inside its own box; the page and its main column may not.
  // The viewport's own width: on a phone a too-wide page widens the layout (window.innerWidth).
  const overflow = await tab.evaluate((width) => {
    const page = document.scrollingElement;
    const main = document.querySelector(".bd-main") || document.querySelector("main") || document.body;
    const limit = Math.min(width, main.getBoundingClientRect().right) + 1;
    const wide = [];
    if (page.scrollWidth > width + 1 || main.scrollWidth > main.clientWidth + 1) {
      for (const element of main.querySelectorAll("*")) {
        const box = element.getBoundingClientRect();
        if (box.width > 0 && box.right > limit && !element.closest("[tabindex], .numbered-table-body, .highlight, .output")) {
          wide.push(`${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""}${element.classList.length ? "." + [...element.classList].join(".") : ""} (${Math.round(box.right)}px)`);
        }
      }
      return { page: page.scrollWidth, main: main.scrollWidth, width, wide: wide.slice(0, 3) };
    }
    return null;
  }, viewport.width);
  if (overflow) {
    problems.push(`main column scrolls sideways: page ${overflow.page}px, main ${overflow.main}px, window ${overflow.width}px; widest: ${overflow.wide.join("; ") || "?"}`);
  }
  const shot = join(outDir, `${page.replace(/\.html$/, "").replaceAll("/", "__")}-${viewport.name}.png`);
  await tab.screenshot({ path: shot, fullPage: true });

  let violations = [];
  if (viewport.name === "laptop") {
    await tab.evaluate(AXE_SOURCE);
    const results = await tab.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    violations = results.violations.filter((v) => BLOCKING_IMPACTS.has(v.impact));
    for (const v of violations) {
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ");
      problems.push(`axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} element(s), e.g. ${where})`);
    }
  }
  await tab.close();
  return { page, viewport: viewport.name, screenshot: shot, problems };
}

async function main() {
  const root = resolve(args.site);
  const outDir = resolve(args.out);
  const pages = listPages(root);
  if (pages.length === 0) throw new Error(`${root}: no HTML pages; build the book first (make book)`);
  mkdirSync(outDir, { recursive: true });

  const server = await serve(root);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const profile = mkdtempSync(join(tmpdir(), "diplotext-chromium-"));
  const results = [];
  try {
    for (const viewport of VIEWPORTS) {
      const context = await chromium.launchPersistentContext(profile + "-" + viewport.name, {
        executablePath: args.chromium,
        headless: true,
        args: CHROMIUM_FLAGS,
        isMobile: viewport.isMobile,
        hasTouch: viewport.isMobile,
        viewport: { width: viewport.width, height: viewport.height },
        serviceWorkers: "block",
      });
      try {
        for (const page of pages) {
          const result = await checkPage(context, origin, page, viewport, outDir);
          results.push(result);
          const status = result.problems.length ? "FAIL" : "ok  ";
          console.log(`${status} ${viewport.name.padEnd(6)} ${page}`);
          for (const problem of result.problems) console.log(`       ${problem}`);
        }
      } finally {
        await context.close();
        rmSync(profile + "-" + viewport.name, { recursive: true, force: true });
      }
    }
  } finally {
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }

  writeFileSync(join(outDir, "report.json"), JSON.stringify(results, null, 2) + "\n");
  const failed = results.filter((r) => r.problems.length).length;
  console.log(`checked ${pages.length} pages at ${VIEWPORTS.length} widths; screenshots in ${relative(process.cwd(), outDir)}`);
  console.log(failed ? `${failed} of ${results.length} page checks failed` : `all ${results.length} page checks passed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((error) => {
  console.error(`error: ${error.message}`);
  process.exitCode = 2;
});
