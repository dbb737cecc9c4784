// Opens fivecase's HTML in the system chromium (puppeteer-core, no browser
// downloaded) and prints one JSON object on stdout: axe-core's violations at
// WCAG 2.2 AA, the page's scrollWidth at 320 CSS pixels, and the text of
// every numbered table's cells as the DOM has them. Writes full-page
// screenshots (desktop and narrow) and a print to PDF into OUTDIR for a
// person to look at. Run by tests/it/formats.rs:
//   node tests/browser/check.mjs FILE.html OUTDIR
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const [html, outdir] = process.argv.slice(2);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage();
  // The file asks for nothing outside itself: any request but the file is recorded.
  const requests = [];
  await page.setRequestInterception(true);
  page.on("request", (r) => {
    if (!r.url().startsWith("file://")) requests.push(r.url());
    r.continue();
  });
  const url = "file://" + path.resolve(html);
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(url, { waitUntil: "load" });
  await page.screenshot({ path: path.join(outdir, "desktop.png"), fullPage: true });

  await page.addScriptTag({ content: axeSource });
  const axe = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
  });

  const tables = await page.evaluate(() =>
    [...document.querySelectorAll("table[id^=table-]")].map((t) => ({
      id: t.id,
      caption: t.caption ? t.caption.textContent : "",
      head: [...t.tHead.rows[0].cells].map((c) => c.textContent),
      rows: [...t.tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent)),
      titled: [...t.tBodies[0].querySelectorAll("td.num")].every((c) => c.title.length > 0),
    })),
  );

  await page.setViewport({ width: 320, height: 640 });
  await page.goto(url, { waitUntil: "load" });
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  await page.screenshot({ path: path.join(outdir, "narrow.png"), fullPage: true });
  await page.pdf({ path: path.join(outdir, "print.pdf"), preferCSSPageSize: true, printBackground: true });

  process.stdout.write(JSON.stringify({ axe, scrollWidth, tables, requests }));
} finally {
  await browser.close();
}
