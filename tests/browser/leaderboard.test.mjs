// The live leaderboard in a real (headless) Chromium, against a real `mentorbot serve`:
// a sprint with a hostile name, signed merge webhooks, and a hostile contributor whose coin must
// show up on the open page within two seconds, as plain text, without a reload.
//
//   node leaderboard.test.mjs MENTORBOT_BINARY OUTPUT_DIR
//
// Prints one `ok - …` / `not ok - …` line per check and a closing `N passed, N failed`.
import crypto from "node:crypto";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "..", "..");
const FIXTURE = path.join(REPO, "tests/fixtures/github-webhooks/pull_request/closed.merged.json");
const OPENED = path.join(REPO, "tests/fixtures/github-webhooks/pull_request/opened.json");
const CHROMIUM = "/usr/bin/chromium";
const REPO_NAME = "Codertocat/Hello-World";
const GLOBAL_TIMEOUT_MS = 60_000;
const LIVE_BUDGET_MS = 2_000;

const HOSTILE_SPRINT = '<img src=x onerror="window.__pwned=1">Sprint <script>window.__pwned=2</script>';
const HOSTILE_LOGIN = "<img src=x onerror=window.__pwned=3>";
const HOSTILE_TITLE = "<script>window.__pwned=4</script> @everyone";
const HOSTILE_AVATAR = "javascript:window.__pwned=5";
const OCTOCAT_AVATAR = "https://avatars.githubusercontent.com/u/583231?v=4";
const BROKEN_AVATAR = "https://avatars.githubusercontent.com/u/404404404?v=4";

const [binaryArg, outArg] = process.argv.slice(2);
if (!binaryArg || !outArg) {
  console.error("usage: node leaderboard.test.mjs MENTORBOT_BINARY OUTPUT_DIR");
  process.exit(2);
}
const binary = path.resolve(binaryArg);
const outDir = path.resolve(outArg);
fs.mkdirSync(outDir, { recursive: true });

let passed = 0;
let failed = 0;
function check(ok, name, detail) {
  if (ok) passed++; else failed++;
  console.log(`${ok ? "ok" : "not ok"} - ${name}${detail ? ` (${detail})` : ""}`);
  return ok;
}

// ---- what gets cleaned up, whatever happens ----------------------------------------------------
let bot = null;
let browser = null;
let workDir = null;
let finishing = false;

async function stopBot() {
  if (!bot || bot.exitCode !== null || bot.signalCode !== null) return;
  const exited = new Promise((resolve) => bot.once("exit", resolve));
  bot.kill("SIGTERM");
  const timer = setTimeout(() => bot.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

async function finish(code) {
  if (finishing) return;
  finishing = true;
  clearTimeout(globalTimer);
  await Promise.race([
    Promise.allSettled([browser ? browser.close() : null, stopBot()]),
    new Promise((resolve) => setTimeout(resolve, 8_000)),
  ]);
  if (bot && bot.exitCode === null && bot.signalCode === null) bot.kill("SIGKILL");
  if (workDir && failed === 0) fs.rmSync(workDir, { recursive: true, force: true });
  else if (workDir) console.log(`# kept ${workDir} for a look`);
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(code || (failed > 0 ? 1 : 0));
}

const globalTimer = setTimeout(() => {
  check(false, `the whole test finishes within ${GLOBAL_TIMEOUT_MS / 1000} s`);
  finish(1);
}, GLOBAL_TIMEOUT_MS);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => { check(false, `interrupted by ${signal}`); finish(1); });
}

// ---- helpers -----------------------------------------------------------------------------------
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const isoSeconds = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function tail(file, lines = 20) {
  try { return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n"); } catch { return ""; }
}

// A small round picture so the screenshot shows a loaded avatar next to the placeholders.
const OCTOCAT_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96">
<rect width="96" height="96" fill="#24292f"/><circle cx="48" cy="54" r="28" fill="#f6f8fa"/>
<path d="M22 40 L26 14 L42 28 Z M74 40 L70 14 L54 28 Z" fill="#f6f8fa"/>
<circle cx="38" cy="54" r="5" fill="#24292f"/><circle cx="58" cy="54" r="5" fill="#24292f"/></svg>`;

// Avatars never leave the machine: one answers with a picture, every other one fails, which is
// how the page's fallback to the initial-letter placeholder gets exercised.
async function routeAvatars(context) {
  await context.route(/^https:\/\//, (route) => {
    if (route.request().url() === OCTOCAT_AVATAR) {
      return route.fulfill({ status: 200, contentType: "image/svg+xml", body: OCTOCAT_SVG });
    }
    return route.abort("connectionrefused");
  });
}

// A contributor's row on the board, found by the exact login text inside it.
function rowOf(page, login) {
  return page.getByRole("listitem").filter({ has: page.getByText(login, { exact: true }) });
}

// Records what the page must never do: reload, run user text, open a dialog, break its own CSP.
async function watchPage(page, log) {
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on("dialog", (dialog) => { log.dialogs.push(dialog.message()); dialog.dismiss().catch(() => {}); });
  page.on("pageerror", (error) => log.errors.push(String(error)));
}

// ---- the test ----------------------------------------------------------------------------------
async function main() {
  const fixture = JSON.parse(fs.readFileSync(FIXTURE, "utf8"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const secret = crypto.randomBytes(16).toString("hex");
  const token = crypto.randomBytes(16).toString("hex");
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "mentorbot-browser-"));
  const logFile = path.join(outDir, "mentorbot.log");
  const logFd = fs.openSync(logFile, "w");

  // No GitHub credentials reach the bot: dry-run, every write logged instead of sent.
  const env = { ...process.env };
  for (const name of ["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "GHE_HOST", "GHE_PROTOCOL", "WEBHOOK_PATH"]) delete env[name];
  Object.assign(env, {
    PORT: String(port),
    HOST: "127.0.0.1",
    WEBHOOK_SECRET: secret,
    MENTORBOT_DATA_DIR: workDir,
    MENTORBOT_DATABASE: `sqlite:${path.join(workDir, "mentorbot.db")}`,
    MENTORBOT_ADMIN_TOKEN: token,
    MENTORBOT_DRY_RUN: "1",
    MENTORBOT_TEMPLATES: path.join(REPO, "templates"),  // the page under test is this checkout's
    MENTORBOT_RULES: path.join(REPO, "rules"),
    LOG_FORMAT: "json",
  });
  bot = spawn(binary, ["serve"], { cwd: REPO, env, stdio: ["ignore", logFd, logFd] });
  fs.closeSync(logFd);
  let spawnError = null;
  bot.on("error", (error) => { spawnError = error; });

  // Ready when /readyz answers 200.
  let ready = false;
  for (const start = Date.now(); Date.now() - start < 20_000 && !spawnError && bot.exitCode === null;) {
    try { ready = (await fetch(`${base}/readyz`)).status === 200; } catch { /* not listening yet */ }
    if (ready) break;
    await sleep(100);
  }
  if (!check(ready, "mentorbot answers 200 on /readyz",
    ready ? "" : spawnError ? String(spawnError) : `exit ${bot.exitCode}; log tail:\n${tail(logFile)}`)) return;

  // A sprint whose name is an attack: it must come back as the heading's literal text.
  const now = Date.now();
  const slug = `browser-${crypto.randomBytes(4).toString("hex")}`;
  const created = await fetch(`${base}/api/sprints`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({
      name: HOSTILE_SPRINT, slug,
      starts_at: isoSeconds(now - 3_600_000), ends_at: isoSeconds(now + 3_600_000),
      repos: [REPO_NAME],
    }),
  });
  const createdBody = await created.text();
  if (!check(created.status === 201, "admin API creates the sprint",
    created.status === 201 ? "" : `HTTP ${created.status} ${createdBody.slice(0, 200)}`)) return;

  async function deliver(event, payload) {
    const body = JSON.stringify(payload);
    const res = await fetch(`${base}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": crypto.randomUUID(),
        "X-Hub-Signature-256": `sha256=${crypto.createHmac("sha256", secret).update(body).digest("hex")}`,
      },
      body,
    });
    await res.text();
    return res.status;
  }

  let number = 100;
  async function merge(login, avatarUrl, title) {
    const payload = structuredClone(fixture);
    const [owner, name] = REPO_NAME.split("/");
    const mergedAt = isoSeconds(Date.now() - 60_000);
    number += 1;
    for (const repo of [payload.repository, payload.pull_request.base.repo]) {
      repo.full_name = REPO_NAME;
      repo.name = name;
      repo.owner.login = owner;
    }
    payload.number = number;
    Object.assign(payload.pull_request, { number, title, merged: true, merged_at: mergedAt, closed_at: mergedAt,
      author_association: "FIRST_TIME_CONTRIBUTOR" });  // everyone here is new, so the "new here" marks and retention show
    Object.assign(payload.pull_request.user, { login, avatar_url: avatarUrl, type: "User" });
    Object.assign(payload.sender, { login: owner, type: "User" });  // a maintainer pressed the button
    return deliver("pull_request", payload);
  }

  // The repository's history, on this machine: who is new is read from it (no github.com here).
  const history = path.join(workDir, "history");
  const git = (...args) => execFileSync("git", ["-C", history, ...args], {
    env: { ...process.env, GIT_AUTHOR_NAME: "Octo Cat", GIT_AUTHOR_EMAIL: "octo@example.org",
      GIT_COMMITTER_NAME: "Octo Cat", GIT_COMMITTER_EMAIL: "octo@example.org" },
    stdio: "ignore",
  });
  fs.mkdirSync(history);
  git("init", "-q", "-b", "master");
  fs.writeFileSync(path.join(history, "README.md"), "hello\n");
  git("add", "README.md");
  git("commit", "-q", "-m", "The first commit");

  // A newcomer opens a pull request ten minutes ago (in the sprint), nobody answers yet.
  async function open(login, title) {
    const payload = JSON.parse(fs.readFileSync(OPENED, "utf8"));
    const [owner, name] = REPO_NAME.split("/");
    number += 1;
    for (const repo of [payload.repository, payload.pull_request.base.repo]) {
      repo.full_name = REPO_NAME;
      repo.name = name;
      repo.owner.login = owner;
      repo.clone_url = history;
      repo.default_branch = "master";
    }
    payload.number = number;
    const at = isoSeconds(Date.now() - 600_000);
    Object.assign(payload.pull_request, { number, title, draft: false, created_at: at, updated_at: at,
      author_association: "FIRST_TIME_CONTRIBUTOR" });
    Object.assign(payload.pull_request.user, { login, type: "User" });
    Object.assign(payload.sender, { login, type: "User" });
    return deliver("pull_request", payload);
  }

  const statuses = [
    await merge("octocat", OCTOCAT_AVATAR, "Add a friendly README"),
    await merge("octocat", OCTOCAT_AVATAR, "Fix a typo in the install guide"),
    await merge("mona", BROKEN_AVATAR, "Explain how to run the tests"),
  ];
  check(statuses.every((s) => s === 202), "signed merge webhooks are accepted with 202", statuses.join(", "));

  // Awards are made after the 202; wait for the board to have them before the page opens.
  let board = null;
  for (const start = Date.now(); Date.now() - start < 10_000; await sleep(100)) {
    const res = await fetch(`${base}/api/leaderboard?sprint=${encodeURIComponent(slug)}`);
    board = res.ok ? await res.json() : null;
    if (board && board.entries.some((e) => e.login === "octocat" && e.coins === 2) && board.entries.some((e) => e.login === "mona")) break;
  }
  const octocatCounted = Boolean(board && board.entries.some((e) => e.login === "octocat" && e.coins === 2));
  if (!check(octocatCounted, "the sprint's board in the API has octocat with 2 coins",
    octocatCounted ? "" : JSON.stringify(board).slice(0, 300))) return;

  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  await routeAvatars(context);
  const page = await context.newPage();
  const log = { dialogs: [], errors: [] };
  await watchPage(page, log);

  const streamOpen = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/events", { timeout: 10_000 });
  const response = await page.goto(`${base}/sprints/${encodeURIComponent(slug)}`);
  await streamOpen;
  const csp = (response && response.headers()["content-security-policy"]) || "";
  check(["default-src 'none'", "script-src 'self'", "style-src 'self'"].every((d) => csp.includes(d)),
    "the page is served with its Content-Security-Policy", csp || "no header");

  const heading = page.getByRole("heading", { level: 1 });
  await page.waitForFunction((name) => document.querySelector("h1")?.textContent === name, HOSTILE_SPRINT, { timeout: 5_000 })
    .catch(() => {});
  check(await heading.textContent() === HOSTILE_SPRINT, "the heading shows the hostile sprint name as literal text",
    JSON.stringify(await heading.textContent()));

  const octocat = rowOf(page, "octocat");
  await octocat.waitFor({ state: "visible", timeout: 5_000 }).catch(() => {});
  check(await octocat.isVisible(), "octocat's entry is on the page");
  const octocatText = (await octocat.textContent().catch(() => "")) || "";
  check(/2 merged PRs/.test(octocatText), "octocat's entry counts 2 merged PRs", octocatText.trim());
  const octocatImage = await octocat.locator("img").evaluate((img) => img.complete && img.naturalWidth > 0).catch(() => false);
  check(octocatImage, "octocat's https avatar is shown");
  const mona = rowOf(page, "mona");
  await mona.locator("img").waitFor({ state: "detached", timeout: 3_000 }).catch(() => {});
  check(await mona.locator("img").count() === 0 && await mona.locator(".avatar--placeholder").textContent() === "M",
    "a broken avatar falls back to the initial-letter placeholder");

  // The page must update in place: this marker is gone if it reloads. The observer notes the
  // moment the new row enters the list, more precisely than polling from here could.
  await page.evaluate((login) => {
    window.__sameDocument = "still here";
    const observer = new MutationObserver(() => {
      if ([...document.querySelectorAll("li")].some((li) => li.textContent.includes(login))) {
        window.__rowAt = Date.now();
        observer.disconnect();
      }
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  }, HOSTILE_LOGIN);

  const status = await merge(HOSTILE_LOGIN, HOSTILE_AVATAR, HOSTILE_TITLE);
  const accepted = Date.now();
  check(status === 202, "the hostile merge webhook is accepted with 202", String(status));
  const hostile = rowOf(page, HOSTILE_LOGIN);
  const shown = await hostile.waitFor({ state: "visible", timeout: 5_000 }).then(() => true, () => false);
  const rowAt = await page.evaluate(() => window.__rowAt);
  const elapsed = (typeof rowAt === "number" ? rowAt : Date.now()) - accepted;
  check(shown && elapsed <= LIVE_BUDGET_MS, `the new entry is visible within ${LIVE_BUDGET_MS} ms of the 202`,
    shown ? `${elapsed} ms` : "never appeared");
  check(await page.evaluate(() => window.__sameDocument) === "still here", "the page updated without reloading");

  const banner = page.getByRole("status").filter({ hasText: "earned a challenge coin" });
  const bannerShown = await banner.waitFor({ state: "visible", timeout: 2_000 }).then(() => true, () => false);
  const bannerText = bannerShown ? await banner.innerText() : "";
  check(bannerShown && bannerText.includes(HOSTILE_LOGIN) && bannerText.includes(HOSTILE_TITLE),
    "the celebration banner names the contributor and the pull request, as text", JSON.stringify(bannerText));

  check(await hostile.locator("img").count() === 0, "a javascript: avatar URL is never used as an image");

  const dom = await page.evaluate(() => ({
    pwned: typeof window.__pwned,
    scripts: [...document.querySelectorAll("script")].map((s) => s.getAttribute("src") || `inline: ${s.textContent}`),
    handlers: [...document.querySelectorAll("*")].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
    xImages: [...document.querySelectorAll("img")].filter((i) => i.getAttribute("src") === "x").length,
    jsUrls: [...document.querySelectorAll("[src], [href]")]
      .filter((e) => /^\s*javascript:/i.test(e.getAttribute("src") || e.getAttribute("href") || "")).length,
    text: document.body.innerText,
    csp: window.__cspViolations,
  }));
  check(dom.pwned === "undefined", "no user text ran as script (window.__pwned is undefined)", dom.pwned);
  check(log.dialogs.length === 0, "no dialog opened", log.dialogs.join(" | "));
  check(dom.scripts.length === 1 && dom.scripts[0] === "/assets/leaderboard.js",
    "the only <script> is the page's own", dom.scripts.join(", "));
  check(dom.handlers === 0 && dom.xImages === 0 && dom.jsUrls === 0,
    "no element with an on… handler, no <img src=x>, no javascript: URL was created from user text",
    `handlers ${dom.handlers}, img src=x ${dom.xImages}, javascript: ${dom.jsUrls}`);
  check([HOSTILE_SPRINT, HOSTILE_LOGIN, HOSTILE_TITLE].every((s) => dom.text.includes(s)),
    "the hostile strings are on the page as plain text");
  check(dom.csp.length === 0, "the page keeps to its Content-Security-Policy", dom.csp.join(" | "));
  check(log.errors.length === 0, "no JavaScript error on the page", log.errors.join(" | "));

  // The coin badges are images a browser draws: octocat's with its count. What cannot be a
  // GitHub login (the hostile one) has no badge at all (404), so nothing to draw.
  const badges = await page.evaluate(async (logins) => Promise.all(logins.map(async (login) => {
    const img = new Image();
    img.src = `/badges/${encodeURIComponent(login)}.svg`;
    try {
      await img.decode();
      return img.naturalWidth;
    } catch {
      return 0;
    }
  })), ["octocat", HOSTILE_LOGIN]);
  check(badges[0] === 120 && badges[1] === 0, "octocat's coin badge is a valid SVG image; a hostile login has none",
    badges.join(", "));
  check(await page.evaluate(() => String(window.__pwned)) === "undefined", "drawing the badges ran nothing");

  // Mid-celebration: the banner in, the coins in the air.
  await sleep(700);
  const shot = path.join(outDir, "leaderboard.png");
  await page.screenshot({ path: shot, fullPage: true });
  check(fs.statSync(shot).size > 0, `screenshot saved to ${shot}`);

  await checkPipeline(browser, base, slug, open);

  // The same news for someone who asked for no motion: a still banner and a still highlight.
  const calm = await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion: "reduce" });
  await routeAvatars(calm);
  const calmPage = await calm.newPage();
  const calmLog = { dialogs: [], errors: [] };
  await watchPage(calmPage, calmLog);
  const calmStream = calmPage.waitForResponse((r) => new URL(r.url()).pathname === "/api/events", { timeout: 10_000 });
  await calmPage.goto(`${base}/sprints/${encodeURIComponent(slug)}`);
  await calmStream;
  await calmPage.getByRole("listitem").first().waitFor({ timeout: 5_000 });
  check(await merge("mona", BROKEN_AVATAR, "Document the release checklist") === 202, "a second merge for mona is accepted");
  const calmBanner = calmPage.getByRole("status").filter({ hasText: "earned a challenge coin" });
  const calmShown = await calmBanner.waitFor({ state: "visible", timeout: 3_000 }).then(() => true, () => false);
  await rowOf(calmPage, "mona").filter({ hasText: "2 merged PRs" }).waitFor({ timeout: 3_000 }).catch(() => {});
  const moving = await calmPage.evaluate(() => document.getAnimations().filter((a) => a.playState === "running").length);
  check(calmShown && moving === 0, "with prefers-reduced-motion the celebration is shown without animation",
    `banner ${calmShown ? "shown" : "missing"}, ${moving} running animations`);
  check(calmLog.errors.length === 0, "no JavaScript error on the reduced-motion page", calmLog.errors.join(" | "));
  const calmShot = path.join(outDir, "leaderboard-reduced-motion.png");
  await calmPage.screenshot({ path: calmShot, fullPage: true });
  check(fs.statSync(calmShot).size > 0, `screenshot saved to ${calmShot}`);
}

// The newcomer pipeline: the sprint screen's panel of pull requests waiting for a first reply,
// and the /pipeline page, both showing what /api/pipeline says, hostile titles as text.
async function checkPipeline(browserIn, base, slug, open) {
  const opened = [await open("first-newbie", "Make the README friendlier"), await open("second-newbie", HOSTILE_TITLE)];
  check(opened.every((s) => s === 202), "two newcomers' opened pull requests are accepted with 202", opened.join(", "));
  let api = null;
  for (const start = Date.now(); Date.now() - start < 10_000; await sleep(100)) {
    const res = await fetch(`${base}/api/pipeline?sprint=${encodeURIComponent(slug)}`);
    api = res.ok ? await res.json() : null;
    if (api && api.waiting.length === 2) break;
  }
  if (!check(api && api.waiting.length === 2, "/api/pipeline lists both as waiting for a first reply",
    JSON.stringify(api).slice(0, 300))) return;

  const context = await browserIn.newContext({ viewport: { width: 1920, height: 1080 } });
  await routeAvatars(context);
  const screen = await context.newPage();
  const log = { dialogs: [], errors: [] };
  await watchPage(screen, log);
  await screen.goto(`${base}/sprints/${encodeURIComponent(slug)}`);
  const panel = screen.getByRole("complementary", { name: "Waiting for a first reply" });
  await panel.waitFor({ state: "visible", timeout: 5_000 }).catch(() => {});
  const items = await panel.getByRole("listitem").allInnerTexts().catch(() => []);
  check(items.length === api.waiting.length, "the sprint screen's panel lists as many as the API",
    `${items.length} shown, ${api.waiting.length} in the API`);
  check(items.length === 2 && items[0].includes(api.waiting[0].title) && items[1].includes(HOSTILE_TITLE),
    "oldest first, the hostile title as literal text", JSON.stringify(items));
  const href = await panel.getByRole("link").first().getAttribute("href").catch(() => "");
  check(href === `https://github.com/${api.waiting[0].repo}/pull/${api.waiting[0].number}`,
    "each one links to its pull request on GitHub", href);
  await screen.screenshot({ path: path.join(outDir, "leaderboard-waiting.png"), fullPage: true });

  const page = await context.newPage();
  const pageLog = { dialogs: [], errors: [] };
  await watchPage(page, pageLog);
  const response = await page.goto(`${base}/pipeline?sprint=${encodeURIComponent(slug)}`);
  const csp = (response && response.headers()["content-security-policy"]) || "";
  check(response && response.status() === 200 && csp.includes("default-src 'none'"),
    "/pipeline answers 200 with its Content-Security-Policy", csp);
  const text = async (id) => (await page.locator(`#${id}`).textContent().catch(() => null));
  check(await text("stage-opened") === String(api.stages.opened) && await text("stage-responded") === String(api.stages.responded),
    "the page's stages are the API's", `${await text("stage-opened")}/${await text("stage-responded")} vs ${api.stages.opened}/${api.stages.responded}`);
  check(await page.locator("#waiting li").count() === api.waiting.length, "the page's waiting list is the API's");
  check(await page.locator("svg.funnel rect").count() === 4 && await page.locator("svg.histogram rect").count() === 7,
    "the funnel and the histogram are drawn (server-made SVG)");
  const dom = await page.evaluate(() => ({
    pwned: typeof window.__pwned,
    scripts: document.querySelectorAll("script").length,
    text: document.body.innerText,
    csp: window.__cspViolations,
  }));
  check(dom.pwned === "undefined" && dom.scripts === 0 && dom.text.includes(HOSTILE_TITLE),
    "the page runs no script and shows the hostile title as text", `${dom.pwned}, ${dom.scripts} scripts`);
  check(dom.csp.length === 0 && pageLog.errors.length === 0 && log.errors.length === 0,
    "no CSP violation and no JavaScript error on either page", [...dom.csp, ...pageLog.errors, ...log.errors].join(" | "));
  const shot = path.join(outDir, "pipeline.png");
  await page.screenshot({ path: shot, fullPage: true });
  check(fs.statSync(shot).size > 0, `screenshot saved to ${shot}`);
  await page.emulateMedia({ media: "print" });
  await page.screenshot({ path: path.join(outDir, "pipeline-print.png"), fullPage: true });
  await context.close();
}

main().then(
  () => finish(),
  (error) => { check(false, `the test ran to its end: ${error && error.stack ? error.stack.split("\n").slice(0, 3).join(" ") : error}`); finish(1); },
);
