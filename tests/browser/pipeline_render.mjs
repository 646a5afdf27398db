// How long /pipeline takes to render in headless Chromium (navigation start to the load event,
// as the page itself measures it), beside /healthz on the same server as the baseline.
//   tests/browser/node.sh pipeline_render.mjs BASE_URL QUERY [RUNS]
// Prints the medians in ms and the ratio, then PIPELINE_RENDER_JSON.
import { chromium } from "playwright-core";

const [base, query = "", runsArg = "20"] = process.argv.slice(2);
if (!base) {
  console.error("usage: pipeline_render.mjs BASE_URL QUERY [RUNS]");
  process.exit(2);
}
const runs = Number(runsArg);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  async function median(url) {
    const times = [];
    for (let i = 0; i < runs; i++) {
      await page.goto(url, { waitUntil: "load" });
      times.push(await page.evaluate(() => performance.getEntriesByType("navigation")[0].loadEventEnd));
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  }
  const healthz = await median(`${base}/healthz`);
  const pipeline = await median(`${base}/pipeline${query}`);
  const rows = await page.locator("#waiting li").count();
  console.log(`/healthz   ${healthz.toFixed(1)} ms`);
  console.log(`/pipeline  ${pipeline.toFixed(1)} ms (${rows} waiting pull requests listed), ${(pipeline / healthz).toFixed(1)} x /healthz`);
  console.log(`PIPELINE_RENDER_JSON ${JSON.stringify({ runs, healthz_ms: healthz, pipeline_ms: pipeline, waiting_rows: rows })}`);
} finally {
  await browser.close();
}
