// Registration from the bot's own page in a real (headless) Chromium: open the set-up link,
// click "Register mentorbot on GitHub", let (the fake) GitHub send the browser back, and read
// the page that offers to install the App. Started by tests/integration/setup_test.cpp, which
// runs the bot and the fake GitHub and checks afterwards that the bot went live.
//
//   node setup.test.mjs SETUP_LINK OUTPUT_DIR
//
// Prints one `ok - …` / `not ok - …` line per check, then `N passed, N failed`; exits 1 on a failure.
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const [link, outArg] = process.argv.slice(2);
if (!link || !outArg) {
  console.error("usage: node setup.test.mjs SETUP_LINK OUTPUT_DIR");
  process.exit(2);
}
const outDir = path.resolve(outArg);
fs.mkdirSync(outDir, { recursive: true });

let passed = 0;
let failed = 0;
function check(ok, name, detail) {
  if (ok) passed++; else failed++;
  console.log(`${ok ? "ok" : "not ok"} - ${name}${detail ? ` (${detail})` : ""}`);
  return ok;
}

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
const timer = setTimeout(() => {
  console.log("not ok - the walk finished within 60 s");
  process.exit(1);
}, 60_000);
try {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });

  const start = await page.goto(link);
  check(start.status() === 200, "the set-up link opens the page", `status ${start.status()}`);
  check((await page.textContent("h1")) === "Register mentorbot on GitHub", "its heading says what it is for");
  const sheet = await page.evaluate(() => getComputedStyle(document.querySelector(".masthead")).backgroundColor);
  check(sheet === "rgb(20, 33, 61)", "its style sheet loads under its policy", sheet);
  await page.screenshot({ path: path.join(outDir, "setup.png"), fullPage: true });

  // The form goes to GitHub (the fake, through GHE_HOST); GitHub sends the browser back.
  await Promise.all([
    page.waitForURL(/\/setup\/callback\?code=/, { timeout: 20_000 }),
    page.getByRole("button", { name: "Register mentorbot on GitHub" }).click(),
  ]);
  await page.waitForSelector("h1");
  check((await page.textContent("h1")) === "mentorbot is registered", "GitHub's answer ends on the registered page",
        await page.textContent("h1"));
  const install = page.getByRole("link", { name: /^Install .* on your repositories$/ });
  const href = await install.getAttribute("href");
  check(/\/apps\/[a-z0-9-]+\/installations\/new$/.test(href ?? ""), "it links to installing the App", href);
  await page.screenshot({ path: path.join(outDir, "setup-done.png"), fullPage: true });
  check(problems.length === 0, "no script error and no policy violation in the browser", problems.join(" | "));
} catch (error) {
  check(false, "the walk through the set-up pages", String(error));
} finally {
  clearTimeout(timer);
  await browser.close();
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
