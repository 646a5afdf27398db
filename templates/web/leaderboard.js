// The live sprint leaderboard, made for a projector.
// Every piece of user text (logins, titles, reasons, sprint and repo names) goes into the page
// through textContent or a safe attribute; nothing here builds HTML from strings.
"use strict";

(() => {
  const SHOWN_MAX = 30;            // more rows than that are unreadable from the back of a room
  const CELEBRATION_MS = 6000;
  const FRESH_MS = 60000;          // how long a row stays highlighted after its coin
  const REFRESH_MS = 60000;        // catches a sprint starting or ending on "/"
  const RECONNECT_MS = 5000;
  const NEWS_MS = 30 * 60000;      // awards older than this are caught up on, not celebrated

  const $ = (id) => document.getElementById(id);
  const ui = {
    title: $("title"), dates: $("dates"), retention: $("retention"), status: $("status"),
    board: $("board"), more: $("more"), connection: $("connection"),
    celebration: $("celebration"), who: $("celebration-who"), what: $("celebration-what"),
    isNew: $("celebration-new"), burst: $("burst"),
    waiting: $("waiting"), waitingList: $("waiting-list"), waitingMore: $("waiting-more"),
  };
  const WAITING_SHOWN = 8;
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  const match = /^\/sprints\/([^/]+)\/?$/.exec(location.pathname);
  const requested = match ? safeDecode(match[1]) : null;
  // The sprint on screen: the requested one until the server says otherwise; null = all-time.
  let shownSlug = requested;
  let missing = false;
  const fresh = new Map();         // login → time its highlight ends
  const seenEvents = new Set();

  function safeDecode(s) {
    try { return decodeURIComponent(s); } catch { return s; }
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function plural(n, one, many) {
    return n === 1 ? one : many;
  }

  // A pull request title can be a paragraph; the banner has room for a line or two.
  function short(text, max) {
    const chars = Array.from(String(text));
    return chars.length <= max ? chars.join("") : chars.slice(0, max - 1).join("") + "…";
  }

  // ---- the board --------------------------------------------------------------------------

  let loading = null;
  let loadAgain = false;

  // Coalesces a burst of coin events into at most one request in flight and one queued.
  function refresh() {
    if (loading) { loadAgain = true; return; }
    loading = load().finally(() => {
      loading = null;
      if (loadAgain) { loadAgain = false; refresh(); }
    });
  }

  async function load() {
    const url = requested === null
      ? "/api/leaderboard"
      : "/api/leaderboard?sprint=" + encodeURIComponent(requested);
    let res;
    let data;
    try {
      res = await fetch(url, { cache: "no-store", headers: { Accept: "application/json" } });
      if (res.status === 404) { renderMissing(); return; }
      if (!res.ok) throw new Error("HTTP " + res.status);
      data = await res.json();
    } catch {
      // Keep whatever the room already sees (the next coin or the minute tick catches up);
      // only a page with nothing on it yet says so and tries again soon.
      if (ui.board.hidden && !missing) {
        ui.status.classList.remove("status--empty");
        ui.status.textContent = "mentorbot can't be reached right now. Trying again…";
        setTimeout(refresh, RECONNECT_MS);
      }
      return;
    }
    render(data);
  }

  function render(data) {
    missing = false;
    const sprint = data && data.sprint ? data.sprint : null;
    shownSlug = sprint ? String(sprint.slug) : null;
    const title = sprint ? String(sprint.name) : "All-time challenge coins";
    ui.title.textContent = title;
    document.title = title + " · mentorbot";
    ui.dates.hidden = !sprint;
    if (sprint) ui.dates.textContent = dateRange(sprint.starts_at, sprint.ends_at);
    const entries = Array.isArray(data && data.entries) ? data.entries : [];
    renderEntries(entries);
    // An empty board already says it all; retention comes with the first coin.
    if (entries.length) renderRetention(data && data.retention, sprint);
    else ui.retention.hidden = true;
  }

  function renderMissing() {
    missing = true;
    ui.title.textContent = "Sprint not found";
    document.title = "Sprint not found · mentorbot";
    ui.dates.hidden = true;
    ui.retention.hidden = true;
    ui.board.hidden = true;
    ui.more.hidden = true;
    ui.status.hidden = false;
    ui.status.classList.remove("status--empty");
    ui.status.replaceChildren(
      `mentorbot knows no sprint called “${requested}”. `,
      Object.assign(el("a", "", "Show the current leaderboard"), { href: "/" }),
    );
  }

  function dateRange(start, end) {
    const a = new Date(start);
    const b = new Date(end);
    if (Number.isNaN(a.getTime()) || Number.isNaN(b.getTime())) return `${start} – ${end}`;
    // The room's local time: that is what the clock on the wall says.
    const fmt = new Intl.DateTimeFormat(undefined, {
      weekday: "short", day: "numeric", month: "short", hour: "numeric", minute: "2-digit",
    });
    return fmt.formatRange(a, b);
  }

  function renderRetention(r, sprint) {
    const n = r && Number.isInteger(r.first_timers) ? r.first_timers : null;
    if (n === null) { ui.retention.hidden = true; return; }
    const back = Number.isInteger(r.returned) ? r.returned : 0;
    let text;
    if (n === 0) {
      text = sprint
        ? "No first-timer has had a pull request merged in this sprint yet."
        : "No first-timer has had a pull request merged yet.";
    } else if (back === 0) {
      text = n === 1
        ? "1 first-timer got a pull request merged. A second one from them would be lovely to see."
        : `${n} first-timers got a pull request merged. None has come back for a second one yet.`;
    } else {
      text = `${back} of ${n} ${plural(n, "first-timer", "first-timers")} came back for a second merged pull request.`;
    }
    ui.retention.textContent = text;
    ui.retention.hidden = false;
  }

  function renderEntries(entries) {
    const rows = [];
    let rank = 0;
    let previous = null;
    const now = Date.now();
    // Loaded pictures move to the new rows instead of being fetched and decoded again.
    const loaded = new Map();
    for (const img of ui.board.querySelectorAll("img.avatar")) loaded.set(img.src, img);
    for (const [login, until] of fresh) if (until <= now) fresh.delete(login);
    entries.slice(0, SHOWN_MAX).forEach((entry, i) => {
      // Equal coins share a rank (1, 2, 2, 4): nobody is "behind" someone with the same count.
      if (entry.coins !== previous) { rank = i + 1; previous = entry.coins; }
      rows.push(row(entry, rank, (fresh.get(entry.login) || 0) > now, loaded));
    });
    ui.board.replaceChildren(...rows);
    ui.status.classList.toggle("status--empty", rows.length === 0);
    // Past a screenful, two columns on a wide screen keep everyone visible without scrolling.
    ui.board.classList.toggle("board--many", rows.length > 8);
    ui.board.hidden = rows.length === 0;
    ui.status.hidden = rows.length !== 0;
    if (rows.length === 0) {
      ui.status.textContent = "No coins yet. The first merged pull request will appear here. It could be yours!";
    }
    const hidden = entries.length - rows.length;
    ui.more.hidden = hidden <= 0;
    if (hidden > 0) {
      ui.more.textContent = `…and ${hidden} more ${plural(hidden, "contributor", "contributors")} with coins.`;
    }
  }

  function row(entry, rank, isFresh, loaded) {
    const login = String(entry.login);
    const coins = Number(entry.coins) || 0;
    const prs = Number(entry.merged_prs) || 0;
    const li = el("li", "entry");
    li.dataset.login = login;
    if (rank <= 3) li.classList.add("entry--top" + rank);
    if (isFresh) li.classList.add("entry--fresh");

    const name = el("p", "entry__name");
    name.append(el("span", "entry__login", login));
    if (entry.newcomer) name.append(el("span", "tag-new", "new here"));
    const merged = el("p", "entry__prs",
      prs === 0 ? "no merged PR yet" : `${prs} merged ${plural(prs, "PR", "PRs")}`);

    const count = el("p", "entry__coins");
    count.setAttribute("aria-label", `${coins} ${plural(coins, "coin", "coins")}`);
    count.append(coinIcon(), el("span", "entry__count", String(coins)));

    li.append(el("span", "entry__rank", String(rank)), avatar(login, entry.avatar_url, loaded), name, merged, count);
    return li;
  }

  function coinIcon() {
    const c = el("span", "coin");
    c.setAttribute("aria-hidden", "true");
    return c;
  }

  function httpsUrl(value) {
    if (typeof value !== "string") return null;
    try {
      const url = new URL(value);
      return url.protocol === "https:" ? url.href : null;
    } catch {
      return null;
    }
  }

  const brokenAvatars = new Set();

  function avatar(login, url, loaded) {
    const src = httpsUrl(url);
    if (!src || brokenAvatars.has(src)) return placeholder(login);
    const reused = loaded.get(src);
    if (reused) { loaded.delete(src); return reused; }
    const img = el("img", "avatar");
    img.alt = "";
    img.width = 96;
    img.height = 96;
    img.decoding = "async";
    img.referrerPolicy = "no-referrer";
    img.addEventListener("error", () => {
      brokenAvatars.add(src);
      img.replaceWith(placeholder(login));
    }, { once: true });
    img.src = src;
    return img;
  }

  function placeholder(login) {
    const letters = Array.from(login.replace(/^[^\p{L}\p{N}]+/u, ""));
    let hash = 0;
    for (const ch of login) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
    const span = el("span", `avatar avatar--placeholder avatar--c${hash % 6}`,
      letters.length ? letters[0].toUpperCase() : "?");
    span.setAttribute("aria-hidden", "true");
    return span;
  }

  // ---- live coins ---------------------------------------------------------------------------

  function counts(award) {
    if (missing) return false;
    if (shownSlug === null) return true;  // the all-time board counts every award
    return Array.isArray(award.sprints) && award.sprints.includes(shownSlug);
  }

  function onCoin(message) {
    let award;
    try { award = JSON.parse(message.data); } catch { return; }
    if (!award || typeof award !== "object") return;
    const id = award.id !== undefined ? String(award.id) : message.lastEventId;
    if (id) {
      if (seenEvents.has(id)) return;  // a replay after a reconnect
      seenEvents.add(id);
    }
    if (!counts(award)) return;
    refresh();
    // A server may replay older awards when the stream (re)connects: they update the board,
    // but only news gets a round of applause.
    const at = Date.parse(award.awarded_at);
    if (Number.isNaN(at) || Date.now() - at < NEWS_MS) {
      fresh.set(String(award.login), Date.now() + FRESH_MS);
      celebrate(award);
    }
  }

  function reason(award) {
    const repo = award.repo ? String(award.repo) : "";
    const number = Number.isInteger(award.number) ? `#${award.number}` : "";
    const where = [repo, number].filter(Boolean).join(" ");
    const said = award.reason ? short(String(award.reason).replace(/^\s*for\s+/i, ""), 140) : "";
    switch (award.kind) {
      case "merge":
        return award.title
          ? `for the merged pull request “${short(award.title, 140)}”${where ? ` (${where})` : ""}`
          : `for a merged pull request${where ? ` (${where})` : ""}`;
      case "mentor":
        return `for mentoring${where ? ` on ${where}` : ""}${said ? `: ${said}` : ""}`;
      default:
        return said ? `for ${said}` : `for helping out${repo ? ` in ${repo}` : ""}`;
    }
  }

  const queue = [];
  let celebrating = false;

  function celebrate(award) {
    queue.push(award);
    if (queue.length > 5) queue.shift();  // a flood of merges: show the latest, not a backlog
    if (!celebrating) nextCelebration();
  }

  function nextCelebration() {
    const award = queue.shift();
    if (!award) {
      celebrating = false;
      ui.celebration.hidden = true;
      ui.celebration.classList.remove("celebration--on");
      return;
    }
    celebrating = true;
    ui.who.textContent = String(award.login);
    ui.isNew.hidden = !award.newcomer;
    ui.what.textContent = reason(award);
    ui.celebration.hidden = false;
    // Restart the CSS animation for back-to-back coins.
    ui.celebration.classList.remove("celebration--on");
    void ui.celebration.offsetWidth;
    ui.celebration.classList.add("celebration--on");
    if (!reducedMotion.matches) burst();
    setTimeout(nextCelebration, CELEBRATION_MS);
  }

  function burst() {
    const coins = [];
    for (let i = 0; i < 28; i++) {
      const c = el("span", "burst__coin");
      const angle = (Math.PI * 2 * i) / 28 + Math.random() * 0.3;
      const reach = 25 + Math.random() * 25;
      c.style.setProperty("--dx", `${Math.cos(angle) * reach}vw`);
      c.style.setProperty("--dy", `${Math.sin(angle) * reach * 0.6 - 10}vh`);
      c.style.setProperty("--spin", `${Math.round(360 + Math.random() * 720)}deg`);
      c.style.setProperty("--delay", `${Math.round(Math.random() * 250)}ms`);
      coins.push(c);
    }
    ui.burst.replaceChildren(...coins);
    setTimeout(() => ui.burst.replaceChildren(), 2500);
  }

  // ---- newcomers waiting for a first reply ------------------------------------------------------

  async function loadWaiting() {
    const url = shownSlug === null ? "/api/pipeline" : "/api/pipeline?sprint=" + encodeURIComponent(shownSlug);
    let data;
    try {
      const res = await fetch(url, { cache: "no-store", headers: { Accept: "application/json" } });
      if (!res.ok) throw new Error("HTTP " + res.status);
      data = await res.json();
    } catch {
      return;  // the panel keeps what it showed; the next tick tries again
    }
    renderWaiting(Array.isArray(data && data.waiting) ? data.waiting : []);
  }

  function waited(seconds) {
    const hours = Math.max(1, Math.ceil(Number(seconds) / 3600));
    if (hours < 24) return hours === 1 ? "an hour" : hours + " hours";
    const days = Math.ceil(hours / 24);
    return days === 1 ? "a day" : days + " days";
  }

  function renderWaiting(items) {
    ui.waiting.hidden = items.length === 0;
    ui.waitingList.replaceChildren(...items.slice(0, WAITING_SHOWN).map((w) => {
      const li = el("li", "waiting__item");
      const repo = String(w.repo);
      const number = Number(w.number);
      const label = repo + "#" + number;
      const pr = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/.test(repo) && Number.isInteger(number)
        ? Object.assign(el("a", "waiting__pr", label), { href: "https://github.com/" + repo + "/pull/" + number })
        : el("span", "waiting__pr", label);
      li.append(pr, " ", el("span", "waiting__title-text", short(w.title, 90)), " by ",
        el("span", "waiting__author", String(w.author)), " ", el("span", "waiting__age", "· waiting " + waited(w.waiting_s)));
      return li;
    }));
    const more = items.length - WAITING_SHOWN;
    ui.waitingMore.hidden = more <= 0;
    if (more > 0) ui.waitingMore.textContent = "and " + more + " more on /pipeline";
  }

  // ---- the event stream -----------------------------------------------------------------------

  function connect() {
    const events = new EventSource("/api/events");
    events.addEventListener("coin", onCoin);
    // Too far behind to be sent every coin it missed: the server says so, the board reloads.
    events.addEventListener("reset", () => refresh());
    events.addEventListener("open", () => {
      ui.connection.hidden = true;
      // Coins awarded before the stream was (re)connected: the board catches up in one request.
      refresh();
    });
    events.addEventListener("error", () => {
      ui.connection.hidden = false;
      // EventSource retries by itself unless the server answered with something it gave up on.
      if (events.readyState === EventSource.CLOSED) {
        events.close();
        setTimeout(connect, RECONNECT_MS);
      }
    });
  }

  refresh();
  connect();
  setInterval(refresh, REFRESH_MS);
  loadWaiting();
  setInterval(loadWaiting, REFRESH_MS);
})();
