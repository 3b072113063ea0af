/* herald — lobby display.
 *
 * A page that is opened once in a kiosk browser and left alone for weeks. Everything here is
 * built to keep memory, DOM and timers flat:
 *   - ONE timer: a 1 s setInterval "tick" drives the clock, the rotation, the polling, the
 *     burn-in shift and the scheduled reload. Every deadline is measured from performance.now(),
 *     so a tick that comes late (throttling, a fake clock that jumps) catches up in one step.
 *   - TWO slide containers, made by the template, refilled in turn (double buffering); the
 *     incoming one is filled and fitted while invisible and fades in over the outgoing one,
 *     which stays fully visible underneath until the next tick.
 *   - Input listeners are added once, at start. No listener is ever added per slide.
 *   - Every image is fetched once into a Blob (kept, with a decoded Image), so the rotation keeps
 *     its pictures when the network goes away.
 * All author text is set with textContent; the only markup inserted is the QR code SVG, which
 * herald itself generates.
 * The slides' words come with the data: `messages`, by language, from the portal's translation
 * tables (the `lobby` messages); dates, numbers and plural forms are Intl's for that language.
 */
(function () {
  'use strict';

  var DAY_MS = 86400000;
  var TICK_MS = 1000;
  var FADE_MS = 1000;          // a little longer than the CSS transition (0.8 s)
  var SHIFT_MS = 4 * 60000;    // burn-in shift interval
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
  var SHIFTS = [[0, 0], [1, 0], [1, 1], [0, 1], [-1, 1], [-1, 0], [-1, -1], [0, -1], [1, -1]];
  var WELCOME = { kind: 'welcome', id: 'welcome' };
  var RELOAD_KEY = 'herald-lobby-reloaded-for';

  var doc = document;
  var root = doc.documentElement;
  var stage = doc.getElementById('lobby-stage');
  var debugEl = doc.getElementById('lobby-debug');
  var timeEl = doc.getElementById('lobby-time');
  var dateEl = doc.getElementById('lobby-date');
  if (!stage) return;

  var containers = Array.prototype.slice.call(stage.querySelectorAll('.slide'), 0, 2);
  while (containers.length < 2) {
    var extra = doc.createElement('section');
    extra.className = 'slide';
    stage.appendChild(extra);
    containers.push(extra);
  }

  // The words of the slide being filled (see wordsFor): its language's messages and formats.
  var W = null;

  var DEBUG = /(?:^|[?&])debug(?:[=&]|$)/.test(location.search);
  // The studio's preview (?only=kind:id): that one entry, whatever its dates say, and no polling.
  var ONLY = (function () {
    var m = /(?:^|[?&])only=([^&]*)/.exec(location.search);
    try { return m ? decodeURIComponent(m[1]) : ''; } catch (e) { return ''; }
  })();

  /* ------------------------------------------------------------------ state */

  var S = {
    data: null,            // the data on screen (normalised)
    pending: null,         // newer data, waiting for the next slide boundary
    pageApp: '',           // the `app` hash the running page was built with
    fmts: new Map(),       // language -> the clock's Intl formatters in it and data.timezone
    clockLang: '',         // the language of the slide on screen, which the clock follows
    words: new Map(),      // language -> the slides' words and formats in it (wordsFor)
    active: containers[0],
    leaving: null,
    leavingSince: 0,
    shown: null,           // the entry on screen
    shownKey: '',
    shownVersion: '',
    shownAt: 0,
    playlist: [],
    pos: 0,
    fresh: null,           // ids that a republish added, shown first in the next cycle
    cycleToday: '',
    cycleClockOk: true,
    startedAt: 0,
    lastPoll: 0,
    inflight: null,        // { ctrl, started }
    pollState: 'not yet',
    reloadWanted: '',      // '', 'app' or 'scheduled'
    reloadReady: false,
    reloadApp: '',         // the app hash a reload is for
    reloading: false,
    lastShift: 0,
    shiftIndex: 0,
    lastW: 0,
    lastH: 0,
    images: new Map(),     // url -> { blob, img, ok, busy }
    clockText: '',
    dateText: '',
    welcomeTime: null,
    welcomeDate: null,
    instantUntil: 0,
    errors: 0,
    lastError: '',
    debugAt: -Infinity,
    wake: null
  };

  /* ---------------------------------------------------------------- helpers */

  function noop() {}

  function readJSON(id) {
    var el = doc.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function str(v) { return typeof v === 'string' ? v : ''; }
  function num(v) { return typeof v === 'number' && isFinite(v) ? v : null; }
  function isDate(v) { return typeof v === 'string' && DATE_RE.test(v); }

  function positive(v, fallback, min) {
    var n = num(v);
    if (n === null || n < min) return fallback;
    return n;
  }

  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null && text !== '') e.textContent = String(text);
    return e;
  }

  function svg(tag, attrs) {
    var e = doc.createElementNS(SVG_NS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }

  function rel(path) { return new URL(path, location.href).href; }

  function dayNumber(ymd) {
    return Date.UTC(+ymd.slice(0, 4), +ymd.slice(5, 7) - 1, +ymd.slice(8, 10)) / DAY_MS;
  }

  /* ----------------------------------------------------------------- data */

  /** Checks and normalises a data object; null when it is not usable. */
  function normalise(d) {
    if (!d || typeof d !== 'object' || Array.isArray(d)) return null;
    if (!Array.isArray(d.items)) return null;
    if (typeof d.version !== 'string') return null;
    var items = d.items.filter(function (it) {
      return it && typeof it === 'object' && typeof it.id === 'string' && typeof it.kind === 'string';
    });
    var anns = (Array.isArray(d.announcements) ? d.announcements : []).filter(function (a) {
      return a && typeof a === 'object' && typeof a.id === 'string';
    }).map(function (a) {
      var level = a.level === 'urgent' || a.level === 'celebrate' ? a.level : 'info';
      return Object.assign({}, a, { kind: 'announcement', level: level });
    });
    var built = num(d.built);
    if (built === null && isDate(d.today)) built = dayNumber(d.today) * DAY_MS;
    return {
      version: d.version,
      app: str(d.app),
      screen: str(d.screen) || root.getAttribute('data-screen') || 'lobby',
      title: str(d.title) || doc.title,
      description: str(d.description),
      language: str(d.language) || root.lang || 'en',
      // the slides' words by language, from the portal's translation tables
      messages: d.messages && typeof d.messages === 'object' && !Array.isArray(d.messages) ? d.messages : {},
      timezone: str(d.timezone),
      today: str(d.today),
      built: built,
      base_url: str(d.base_url),
      slideMs: positive(d.slide_seconds, 12, 3) * 1000,
      maxAge: num(d.max_age_days) !== null && d.max_age_days >= 0 ? d.max_age_days : null,
      checkMs: positive(d.check_seconds, 60, 5) * 1000,
      reloadMs: num(d.reload_hours) !== null && d.reload_hours > 0 ? d.reload_hours * 3600000 : 0,
      items: items,
      announcements: anns,
      also: sides(d.also)
    };
  }

  /** A screen for every language (`language = "all"`) names each other language's side of it:
   * code -> the folder URL of its page, whose data joins this screen's rotation. */
  function sides(also) {
    var out = {};
    if (also && typeof also === 'object' && !Array.isArray(also)) {
      Object.keys(also).forEach(function (code) {
        if (typeof also[code] === 'string' && also[code]) out[code] = also[code];
      });
    }
    return out;
  }

  /** The data on screen: `own` (this page's data), with the items and announcements of each
   * other language's side in `others` (code -> normalised data) merged in. Within each kind the
   * languages take turns, so the rotation shows every language; what a side shows untranslated
   * is left out, since this page shows it already. `parts` keeps what was merged. */
  function combine(own, others) {
    var codes = Object.keys(own.also).filter(function (c) { return others[c]; });
    if (!codes.length) return Object.assign({}, own, { parts: { own: own, sides: {} } });
    var kept = {};
    var lists = [own.items];
    var anns = own.announcements.slice();
    var messages = {};
    var version = own.version;
    codes.forEach(function (code) {
      var side = others[code];
      kept[code] = side;
      version += '+' + code + ':' + side.version;
      Object.keys(side.messages).forEach(function (l) { messages[l] = side.messages[l]; });
      var mine = function (it) {
        return Object.assign({}, it, {
          id: code + ':' + it.id,
          side: code,
          language: str(it.language) || side.language,
          image: typeof it.image === 'string' && it.image ? new URL(it.image, side.base).href : it.image
        });
      };
      lists.push(side.items.filter(function (it) { return !it.untranslated; }).map(mine));
      side.announcements.forEach(function (a) { if (!a.untranslated) anns.push(mine(a)); });
    });
    Object.keys(own.messages).forEach(function (l) { messages[l] = own.messages[l]; });
    // kinds in the order they first appear; within a kind, one item of each language in turn
    var kinds = [];
    var byKind = new Map();
    lists.forEach(function (list, li) {
      list.forEach(function (it) {
        if (!byKind.has(it.kind)) { byKind.set(it.kind, lists.map(function () { return []; })); kinds.push(it.kind); }
        byKind.get(it.kind)[li].push(it);
      });
    });
    var items = [];
    kinds.forEach(function (k) {
      var queues = byKind.get(k);
      var longest = Math.max.apply(null, queues.map(function (q) { return q.length; }));
      for (var i = 0; i < longest; i++) queues.forEach(function (q) { if (i < q.length) items.push(q[i]); });
    });
    return Object.assign({}, own, {
      version: version,
      messages: messages,
      items: items,
      announcements: anns,
      parts: { own: own, sides: kept }
    });
  }

  function emptyData() {
    return normalise({ version: root.getAttribute('data-lobby-version') || '', items: [] });
  }

  /** The clock's formatters in `lang` (the slide's language), made once per data. */
  function clockFor(lang) {
    lang = str(lang) || S.data.language;
    var f = S.fmts.get(lang);
    if (!f) {
      f = makeFormatters(S.data, lang);
      S.fmts.set(lang, f);
    }
    return f;
  }

  function dateFormat(locale, opts) {
    try { return new Intl.DateTimeFormat(locale, opts); } catch (e) { /* bad zone or locale */ }
    try { delete opts.timeZone; return new Intl.DateTimeFormat(locale, opts); } catch (e) { /* bad locale */ }
    return new Intl.DateTimeFormat('en', opts);
  }

  /** The clock's formatters, in language `lang` and the screen's zone (`hour: 'numeric'` gives
   * each language its own clock: 14:05, 2:05 PM). */
  function makeFormatters(d, lang) {
    var tz = d.timezone || undefined;
    return {
      day: dateFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }),
      time: dateFormat(lang, { timeZone: tz, hour: 'numeric', minute: '2-digit' }),
      date: dateFormat(lang, { timeZone: tz, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
    };
  }

  /** The slides' words and formats in `lang` (the screen's language when the data has no
   * messages in it), made once per data. */
  function wordsFor(lang) {
    var d = S.data;
    var tables = d.messages;
    lang = str(lang) || d.language;
    if (!Object.prototype.hasOwnProperty.call(tables, lang)) {
      lang = Object.prototype.hasOwnProperty.call(tables, d.language) ? d.language : (Object.keys(tables)[0] || d.language);
    }
    var w = S.words.get(lang);
    if (w) return w;
    var table = tables[lang] && typeof tables[lang] === 'object' ? tables[lang] : {};
    // numbers show at most one decimal; the plural form follows the number as shown
    var digits = { maximumFractionDigits: 1 };
    var numbers, plural;
    try { numbers = new Intl.NumberFormat(lang, digits); } catch (e) { numbers = new Intl.NumberFormat('en', digits); }
    try { plural = new Intl.PluralRules(lang, digits); } catch (e) { plural = new Intl.PluralRules('en', digits); }
    w = {
      lang: lang,
      table: table,
      num: numbers,
      plural: plural,
      // date-only values are formatted as UTC midnight, so no zone can move them a day
      ymd: dateFormat(lang, { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }),
      month: dateFormat(lang, { timeZone: 'UTC', month: 'long', year: 'numeric' })
    };
    S.words.set(lang, w);
    return w;
  }

  /** Message `key` in the slide's language with its `{name}`s filled from `vals`; a number
   * `vals.n` picks the plural form and fills `{n}`. '' when there is no such message. */
  function msg(key, vals) {
    vals = vals || {};
    var m = Object.prototype.hasOwnProperty.call(W.table, key) ? W.table[key] : null;
    if (m && typeof m === 'object') {
      var form = num(vals.n) !== null ? W.plural.select(vals.n) : 'other';
      m = typeof m[form] === 'string' ? m[form] : m.other;
    }
    if (typeof m !== 'string') return '';
    return m.replace(/\{([a-z_][a-z0-9_]*)\}/g, function (all, name) {
      if (name === 'n' && num(vals.n) !== null) return fmtNum(vals.n);
      var v = vals[name];
      return v === undefined || v === null ? all : String(v);
    });
  }

  /** `s` with a capital first letter, as the slide's language writes it. */
  function upperFirst(s) {
    var first = s.charAt(0);
    try { first = first.toLocaleUpperCase(W.lang); } catch (e) { first = first.toUpperCase(); }
    return first + s.slice(1);
  }

  function setData(d) {
    S.data = d;
    S.fmts = new Map();
    S.words = new Map();
    root.dataset.lobbyVersion = d.version;
    root.style.setProperty('--slide-ms', d.slideMs + 'ms');
    if (d.language) root.lang = d.language;
    preloadAll(d, null);
    dropUnusedImages(d);
  }

  /* ------------------------------------------------------------ the dates */

  function todayIn(now) {
    try {
      var parts = clockFor(S.data.language).day.formatToParts(new Date(now));
      var y = '', m = '', dd = '';
      for (var i = 0; i < parts.length; i++) {
        if (parts[i].type === 'year') y = parts[i].value;
        else if (parts[i].type === 'month') m = parts[i].value;
        else if (parts[i].type === 'day') dd = parts[i].value;
      }
      while (y.length < 4) y = '0' + y;
      var s = y + '-' + m + '-' + dd;
      return DATE_RE.test(s) ? s : '';
    } catch (e) {
      return '';
    }
  }

  function context(now) {
    var d = S.data;
    var clockOk = d.built === null || now >= d.built - DAY_MS;
    var today = todayIn(now);
    return { now: now, today: today, clockOk: clockOk && today !== '' };
  }

  /** '' when the item may be shown now, else why not. */
  function whyNot(item, ctx) {
    if (item.lobby === false) return 'lobby = false';
    if (!ctx.clockOk) return '';
    if (isDate(item.from) && ctx.today < item.from) return 'before lobby_from ' + item.from;
    if (isDate(item.until) && ctx.today > item.until) return 'after lobby_until ' + item.until;
    var max = S.data.maxAge;
    if (max !== null && isDate(item.date)) {
      var age = dayNumber(ctx.today) - dayNumber(item.date);
      if (age > max) return 'older than ' + max + ' days (' + age + ')';
    }
    return '';
  }

  /** Live from `from` (inclusive) to `until` (exclusive), instants in milliseconds. */
  function isLive(a, now) {
    var from = num(a.from), until = num(a.until);
    return (from === null || now >= from) && (until === null || now < until);
  }

  function instant(ms) {
    try { return new Date(ms).toISOString(); } catch (e) { return String(ms); }
  }

  /** For ?debug: '' when live, else why not. */
  function announcementState(a, now) {
    var from = num(a.from), until = num(a.until);
    if (from !== null && now < from) return 'starts ' + instant(from);
    if (until !== null && now >= until) return 'ended ' + instant(until);
    return '';
  }

  function eligibleItems(now) {
    var ctx = context(now);
    return S.data.items.filter(function (it) { return whyNot(it, ctx) === ''; });
  }

  /* ------------------------------------------------------------- rotation */

  function keyOf(entry) { return entry.kind === 'welcome' ? 'welcome' : entry.kind + ':' + entry.id; }

  function newCycle(now) {
    var ctx = context(now);
    var list = [];
    if (ONLY) {
      S.playlist = S.data.items.concat(S.data.announcements).filter(function (it) { return keyOf(it) === ONLY; });
      S.pos = 0;
      S.cycleToday = ctx.today;
      S.cycleClockOk = ctx.clockOk;
      return;
    }
    var fresh = S.fresh;
    S.fresh = null;
    // right after a republish, what is new comes first; then the announcements; then the rest
    if (fresh) {
      S.data.items.forEach(function (it) {
        if (fresh.has(it.id) && whyNot(it, ctx) === '') list.push(it);
      });
    }
    S.data.announcements.forEach(function (a) {
      if (a.level !== 'urgent' && isLive(a, now)) list.push(a);
    });
    // the rest, kinds taken in turn (an improvement, a recognition, a milestone, a metric, …),
    // each kind in the order of the data, so a visitor sees a bit of everything
    var byKind = new Map();
    S.data.items.forEach(function (it) {
      if ((fresh && fresh.has(it.id)) || whyNot(it, ctx) !== '') return;
      if (!byKind.has(it.kind)) byKind.set(it.kind, []);
      byKind.get(it.kind).push(it);
    });
    var queues = Array.from(byKind.values());
    for (var round = 0; queues.length; round++) {
      queues = queues.filter(function (q) { return round < q.length; });
      queues.forEach(function (q) { list.push(q[round]); });
    }
    S.playlist = list;
    S.pos = 0;
    S.cycleToday = ctx.today;
    S.cycleClockOk = ctx.clockOk;
    // never the same slide twice in a row across the cycle boundary
    if (list.length > 1 && keyOf(list[0]) === S.shownKey) S.pos = 1;
  }

  function stillOk(entry, ctx) {
    if (entry.kind === 'announcement') return entry.level !== 'urgent' && isLive(entry, ctx.now);
    return whyNot(entry, ctx) === '';
  }

  function nextEntry(now) {
    var ctx = context(now);
    if (ctx.today !== S.cycleToday || ctx.clockOk !== S.cycleClockOk || S.pos >= S.playlist.length) newCycle(now);
    for (var pass = 0; pass < 2; pass++) {
      while (S.pos < S.playlist.length) {
        var c = S.playlist[S.pos++];
        if (ONLY || stillOk(c, ctx)) return c;
      }
      newCycle(now);
    }
    return WELCOME;
  }

  function applyPending() {
    if (!S.pending) return;
    var d = S.pending;
    var known = new Set();
    S.data.items.forEach(function (it) { known.add(it.id); });
    // a language's side that arrives after the page started is not news
    var had = S.data.parts ? S.data.parts.sides : {};
    var fresh = new Set();
    d.items.forEach(function (it) {
      if (!known.has(it.id) && (!it.side || had[it.side])) fresh.add(it.id);
    });
    S.pending = null;
    setData(d);
    S.fresh = fresh.size ? fresh : null;
    S.playlist = [];
    S.pos = 0;
    S.debugAt = -Infinity;
  }

  /** A slide boundary: swap in newer data, reload if due, else show the next slide. */
  function advance(t, now) {
    if (S.reloadReady) {
      if (!S.reloading) {
        S.reloading = true;
        if (S.reloadApp) {
          try { sessionStorage.setItem(RELOAD_KEY, S.reloadApp); } catch (e) { /* no storage: no loop guard */ }
        }
        location.reload();
      }
      return;
    }
    applyPending();
    show(nextEntry(now), t);
  }

  function liveUrgent(d, now) {
    var out = null;
    for (var i = 0; i < d.announcements.length; i++) {
      var a = d.announcements[i];
      if (a.level === 'urgent' && isLive(a, now)) (out || (out = [])).push(a);
    }
    return out;
  }

  function rotate(t, now) {
    var urgent = liveUrgent(S.data, now);
    if (!urgent && S.pending && liveUrgent(S.pending, now)) {
      // a newly published urgent announcement does not wait for the slide boundary
      applyPending();
      urgent = liveUrgent(S.data, now);
    }
    if (urgent) {
      var at = -1;
      for (var i = 0; i < urgent.length; i++) if (keyOf(urgent[i]) === S.shownKey) at = i;
      if (at === -1) show(urgent[0], t);
      else if (urgent.length > 1 && t - S.shownAt >= S.data.slideMs) show(urgent[(at + 1) % urgent.length], t);
      return;
    }
    if (S.shown && S.shown.kind === 'announcement' && S.shown.level === 'urgent') {
      advance(t, now);  // it expired: the rotation resumes where it was
      return;
    }
    if (t - S.shownAt >= S.data.slideMs) advance(t, now);
  }

  /* ------------------------------------------------------------- showing */

  function show(entry, t) {
    var key = keyOf(entry);
    S.shownAt = t;
    if (key === S.shownKey && S.shownVersion === S.data.version) return; // same slide, same data
    var incoming = containers[0] === S.active ? containers[1] : containers[0];
    fill(incoming, entry);
    fit(incoming);
    if (S.leaving && S.leaving !== incoming) S.leaving.classList.remove('is-leaving');
    var outgoing = S.active;
    if (outgoing !== incoming) {
      outgoing.classList.remove('is-active');
      outgoing.classList.add('is-leaving');
      outgoing.setAttribute('aria-hidden', 'true');
      S.leaving = outgoing;
      S.leavingSince = t;
    }
    incoming.classList.add('is-active');
    incoming.removeAttribute('aria-hidden');
    S.active = incoming;
    S.shown = entry;
    S.shownKey = key;
    S.shownVersion = S.data.version;
    root.classList.toggle('is-urgent', entry.kind === 'announcement' && entry.level === 'urgent');
    root.classList.toggle('is-welcome', entry.kind === 'welcome');
    // the clock speaks the slide's language from the moment it is up
    updateClock(Date.now());
    if (DEBUG) S.debugAt = -Infinity;
  }

  /**
   * Makes the slide's content fit its box: shrinks the text (one CSS factor, a few bisection
   * steps); if that is not enough at a size still readable from a distance, clamps the long
   * paragraphs to a few lines and tries again; at last drops the secondary lines.
   */
  function fit(slide) {
    var body = slide.firstElementChild;
    function overflows() {
      if (slide.scrollHeight > slide.clientHeight || slide.scrollWidth > slide.clientWidth) return true;
      return !!body && (body.scrollHeight > body.clientHeight || body.scrollWidth > body.clientWidth);
    }
    function set(f) { slide.style.setProperty('--fit', String(f)); }
    function search(floor) {
      set(1);
      if (!overflows()) return true;
      var lo = floor, hi = 1;
      for (var i = 0; i < 6; i++) {
        var mid = (lo + hi) / 2;
        set(mid);
        if (overflows()) hi = mid; else lo = mid;
      }
      set(lo);
      return !overflows();
    }
    slide.classList.remove('is-squeezed', 'is-crammed');
    if (search(0.6)) return;
    slide.classList.add('is-squeezed');   // long title, quote and summary clamped to a few lines
    if (search(0.5)) return;
    slide.classList.add('is-crammed');    // the secondary lines go
    search(0.35);
  }

  function refitActive() {
    fit(S.active);
  }

  /* --------------------------------------------------------------- slides */

  function fill(slide, entry) {
    var kind = entry.kind;
    W = wordsFor(entry.language);
    S.clockLang = W.lang;
    slide.lang = W.lang;
    var cls = 'slide slide--' + kind;
    if (kind === 'announcement') cls += ' slide--' + entry.level;
    slide.className = cls;
    slide.setAttribute('data-slide', keyOf(entry));
    slide.setAttribute('aria-hidden', 'true');
    slide.style.removeProperty('--fit');
    var body = el('div', 'slide__body');
    var aside = el('div', 'slide__aside');
    if (kind === 'welcome') fillWelcome(body);
    else if (kind === 'improvement') fillImprovement(body, entry);
    else if (kind === 'recognition') fillRecognition(body, entry);
    else if (kind === 'milestone') fillMilestone(body, entry);
    else if (kind === 'metric') fillMetric(body, entry);
    else if (kind === 'announcement') fillAnnouncement(body, entry);
    else fillGeneric(body, entry);
    if (kind !== 'welcome') {
      var img = imageFor(entry.image);
      if (img) {
        var fig = el('figure', 'slide__image');
        var im = doc.createElement('img');
        im.src = img;
        im.alt = str(entry.image_alt);
        im.decoding = 'sync';
        fig.appendChild(im);
        aside.appendChild(fig);
        slide.classList.add('has-image');
      }
      var qr = str(entry.qr);
      if (qr.indexOf('<svg') !== -1) {
        var card = el('figure', 'slide__qr');
        var code = el('div', 'slide__qr-code');
        code.innerHTML = qr;   // generated by herald, never author text
        var svgEl = code.querySelector('svg');
        if (svgEl) {
          svgEl.setAttribute('aria-hidden', 'true');
          svgEl.setAttribute('focusable', 'false');
        }
        card.appendChild(code);
        card.appendChild(el('figcaption', 'slide__qr-caption', msg('read')));
        aside.appendChild(card);
      }
    }
    // an item shown untranslated keeps its own language for its words
    var own = str(entry.language);
    if (own && own !== W.lang) {
      body.querySelectorAll('.slide__title, .slide__summary').forEach(function (e) { e.lang = own; });
    }
    var parts = [body];
    if (aside.firstChild) parts.push(aside);
    else slide.classList.add('no-aside');
    if (kind !== 'welcome' && !(kind === 'announcement' && entry.level === 'urgent')) parts.push(el('div', 'slide__progress'));
    slide.replaceChildren.apply(slide, parts);
    S.welcomeTime = null;
    S.welcomeDate = null;
    if (kind === 'welcome') {
      S.welcomeTime = body.querySelector('.welcome__time');
      S.welcomeDate = body.querySelector('.welcome__date');
      S.clockText = '';
      updateClock(Date.now());
    }
  }

  function kicker(label, extra) {
    var p = el('p', 'slide__kicker');
    p.appendChild(el('span', 'slide__label', label));
    if (extra) p.appendChild(el('span', 'slide__extra', extra));
    return p;
  }

  function formatYmd(ymd) {
    if (!isDate(ymd)) return '';
    var text;
    try { text = W.ymd.format(new Date(dayNumber(ymd) * DAY_MS)); } catch (e) { return ymd; }
    // French writes the first of the month as an ordinal: "1er novembre 2026"
    return /^fr\b/.test(W.lang) && ymd.slice(8) === '01' ? text.replace(/^1(?=\s)/, '1er') : text;
  }

  function formatPeriod(p) {
    p = str(p);
    if (!/^\d{4}-\d{2}$/.test(p)) return p;
    try { return W.month.format(new Date(dayNumber(p + '-01') * DAY_MS)); } catch (e) { return p; }
  }

  function fmtNum(v) {
    var n = num(v);
    if (n === null) return typeof v === 'string' ? v : '';
    return W.num.format(n);
  }

  function withUnit(v, unit) {
    var s = fmtNum(v);
    unit = str(unit);
    if (!unit || s === '') return s;
    if (unit === '%') return num(v) !== null ? msg('format.percent', { n: v }) : s + '%';
    return s + '\u00a0' + unit;
  }

  /** A difference between percentages, in points: "47 points", "1 point". */
  function inPoints(v) {
    return msg('points', { n: v });
  }

  /** Units short enough to print after every number; longer ones are printed once. */
  function shortUnit(unit) {
    unit = str(unit);
    return unit.length <= 8 ? unit : '';
  }

  function nameWithUnit(name, unit) {
    name = str(name);
    unit = str(unit);
    if (!unit || shortUnit(unit)) return name;
    return name ? name + ' (' + unit + ')' : unit;
  }

  /** A metric's before or after: a number, or text as people say it ("1 in 3"). */
  function isFigure(v) { return num(v) !== null || str(v).trim() !== ''; }

  /** A big number with a smaller unit beside it (long units are left to nameWithUnit); text
   * ("1 in 3") is shown as written, without the unit, which goes with numbers. */
  function bigNumber(cls, v, unit) {
    var span = el('span', cls);
    var n = fmtNum(v);
    unit = num(v) === null ? '' : shortUnit(unit);
    if (!unit || n === '') { span.textContent = n; return span; }
    span.appendChild(doc.createTextNode(n));
    span.appendChild(el('span', 'unit' + (unit === '%' ? ' unit--tight' : ''), unit));
    return span;
  }

  function chips(cls, list) {
    var ul = el('ul', cls);
    list.forEach(function (name) {
      if (typeof name === 'string' && name) ul.appendChild(el('li', '', name));
    });
    return ul;
  }

  function meta(label, value) {
    var p = el('p', 'slide__meta');
    p.appendChild(el('span', 'slide__meta-label', label));
    p.appendChild(doc.createTextNode(' '));
    if (typeof value === 'string') p.appendChild(el('span', 'slide__meta-value', value));
    else p.appendChild(value);
    return p;
  }

  function fillWelcome(body) {
    var d = S.data;
    body.className = 'slide__body welcome';
    var mark = doc.querySelector('.lobby-bar__mark');
    if (mark) {
      mark = mark.cloneNode(true);
      mark.setAttribute('class', 'welcome__mark');
      body.appendChild(mark);
    }
    body.appendChild(el('h1', 'welcome__title', d.title || doc.title));
    if (d.description) body.appendChild(el('p', 'welcome__text', d.description));
    var clock = el('p', 'welcome__clock');
    clock.appendChild(el('span', 'welcome__time'));
    clock.appendChild(el('span', 'welcome__date'));
    body.appendChild(clock);
  }

  function fillImprovement(body, it) {
    body.appendChild(kicker(msg('improvement'), formatYmd(it.date)));
    body.appendChild(el('h1', 'slide__title', it.title));
    if (str(it.customers)) body.appendChild(el('p', 'slide__sub slide__secondary', msg('customers', { customers: it.customers })));
    var m = it.metric;
    if (m && typeof m === 'object' && (isFigure(m.before) || isFigure(m.after))) {
      var box = el('div', 'change');
      if (str(m.name) || str(m.unit)) box.appendChild(el('p', 'change__name', nameWithUnit(m.name, m.unit)));
      var vals = el('p', 'change__values');
      var before = el('span', 'change__before');
      before.appendChild(el('span', 'change__tag', msg('before')));
      before.appendChild(bigNumber('change__num', m.before, m.unit));
      var after = el('span', 'change__after');
      after.appendChild(el('span', 'change__tag', msg('after')));
      after.appendChild(bigNumber('change__num', m.after, m.unit));
      vals.appendChild(before);
      vals.appendChild(el('span', 'change__arrow', '→'));
      vals.appendChild(after);
      box.appendChild(vals);
      var note = [];
      var pct = num(m.change_percent), change = num(m.change);
      // A percentage moves in points (33% to 80% is 47 points), not in percent of itself.
      if (m.points === true) {
        if (change !== null && change !== 0) note.push((change < 0 ? '↓ ' : '↑ ') + inPoints(Math.abs(change)));
      } else if (pct !== null && pct !== 0) note.push((pct < 0 ? '↓ ' : '↑ ') + msg('format.percent', { n: Math.abs(pct) }));
      if (m.better === 'lower' || m.better === 'higher') note.push(msg(m.better));
      if (note.length) {
        var good = m.improved === true ? ' is-good' : m.improved === false ? ' is-bad' : '';
        box.appendChild(el('p', 'change__note' + good, note.join(' · ')));
      }
      body.appendChild(box);
    }
    var q = it.quote;
    if (q && typeof q === 'object' && str(q.text)) {
      var fig = el('figure', 'quote');
      var bq = el('blockquote', 'quote__text');
      bq.appendChild(el('p', '', msg('quote', { text: q.text })));
      fig.appendChild(bq);
      if (str(q.by)) fig.appendChild(el('figcaption', 'quote__by slide__secondary', msg('quote_by', { by: q.by })));
      body.appendChild(fig);
    } else if (str(it.summary) && !m) {
      body.appendChild(el('p', 'slide__summary', it.summary));
    }
    if (Array.isArray(it.teams) && it.teams.length) body.appendChild(meta(msg('teams'), chips('chips', it.teams)));
  }

  function fillRecognition(body, it) {
    body.appendChild(kicker(msg('recognition'), str(it.award)));
    var people = Array.isArray(it.people) ? it.people.filter(function (p) { return typeof p === 'string' && p; }) : [];
    if (people.length) {
      var ul = chips('people', people);
      ul.classList.add(people.length > 4 ? 'people--many' : 'people--' + people.length);
      body.appendChild(ul);
    }
    body.appendChild(el(people.length ? 'p' : 'h1', people.length ? 'slide__title slide__title--sub' : 'slide__title', it.title));
    if (str(it.work)) body.appendChild(meta(msg('work'), it.work));
    if (str(it.summary)) body.appendChild(el('p', 'slide__summary slide__secondary', it.summary));
    if (str(it.team)) body.appendChild(meta(msg('teams'), chips('chips', [it.team])));
  }

  function fillMilestone(body, it) {
    body.appendChild(kicker(msg('milestone'), str(it.phase)));
    body.appendChild(el('h1', 'slide__title', it.title));
    var m = it.metric;
    if (m && typeof m === 'object' && (num(m.current) !== null || num(m.target) !== null)) {
      var box = el('div', 'goal');
      if (str(m.name) || str(m.unit)) box.appendChild(el('p', 'goal__name', nameWithUnit(m.name, m.unit)));
      var row = el('p', 'goal__values');
      [[msg('baseline'), m.baseline], [msg('current'), m.current], [msg('target'), m.target]].forEach(function (pair) {
        if (num(pair[1]) === null) return;
        var cell = el('span', 'goal__cell');
        cell.appendChild(el('span', 'goal__tag', pair[0]));
        cell.appendChild(bigNumber('goal__num', pair[1], m.unit));
        row.appendChild(cell);
      });
      box.appendChild(row);
      var pct = num(m.percent);
      if (pct !== null) {
        var bar = el('div', 'goal__bar');
        var fillEl = el('span', 'goal__fill');
        fillEl.style.width = Math.max(0, Math.min(100, pct)) + '%';
        bar.appendChild(fillEl);
        bar.setAttribute('role', 'img');
        bar.setAttribute('aria-label', msg('format.percent', { n: Math.round(pct) }));
        box.appendChild(bar);
      }
      body.appendChild(box);
    }
    if (str(it.owner)) body.appendChild(meta(msg('owner'), chips('chips', [it.owner])));
    if (isDate(it.date)) body.appendChild(meta(msg('done'), formatYmd(it.date)));
  }

  function sparkline(trend, target) {
    var pts = (Array.isArray(trend) ? trend : []).map(num).filter(function (v) { return v !== null; });
    if (pts.length < 2) return null;
    var w = 300, h = 90, pad = 6;
    var lo = Math.min.apply(null, pts), hi = Math.max.apply(null, pts);
    var t = num(target);
    if (t !== null) { lo = Math.min(lo, t); hi = Math.max(hi, t); }
    if (hi === lo) { hi += 1; lo -= 1; }
    function x(i) { return pad + i * (w - 2 * pad) / (pts.length - 1); }
    function y(v) { return h - pad - (v - lo) * (h - 2 * pad) / (hi - lo); }
    var s = svg('svg', { viewBox: '0 0 ' + w + ' ' + h, class: 'spark', 'aria-hidden': 'true', focusable: 'false' });
    if (t !== null) {
      s.appendChild(svg('line', { x1: pad, x2: w - pad, y1: y(t).toFixed(1), y2: y(t).toFixed(1), class: 'spark__target' }));
    }
    var line = pts.map(function (v, i) { return x(i).toFixed(1) + ',' + y(v).toFixed(1); }).join(' ');
    s.appendChild(svg('polyline', { points: line, class: 'spark__line' }));
    var last = pts.length - 1;
    s.appendChild(svg('circle', { cx: x(last).toFixed(1), cy: y(pts[last]).toFixed(1), r: 6, class: 'spark__dot' }));
    return s;
  }

  function fillMetric(body, it) {
    body.appendChild(kicker(msg('metric'), formatPeriod(it.period) || formatYmd(it.date)));
    body.appendChild(el('h1', 'slide__title', it.title));
    var tile = el('div', 'tile');
    var nums = el('div', 'tile__numbers');
    var value = el('p', 'tile__value');
    value.appendChild(bigNumber('tile__num', it.current, it.unit));
    nums.appendChild(value);
    if (str(it.unit) && !shortUnit(it.unit)) nums.appendChild(el('p', 'tile__unit', it.unit));
    if (str(it.to_target)) nums.appendChild(el('p', 'tile__target', upperFirst(it.to_target)));
    else if (num(it.target) !== null) nums.appendChild(el('p', 'tile__target', msg('target_value', { value: withUnit(it.target, it.unit) })));
    var cur = num(it.current), prev = num(it.previous);
    if (cur !== null && prev !== null) {
      var delta = Math.round((cur - prev) * 10) / 10;
      var state = 'same', arrow = '→ ';
      if (delta !== 0) {
        var up = delta > 0;
        arrow = up ? '▲ ' : '▼ ';
        if (it.better === 'higher') state = up ? 'better' : 'worse';
        else if (it.better === 'lower') state = up ? 'worse' : 'better';
        else state = '';
      }
      var cls = state === 'better' ? ' is-good' : state === 'worse' ? ' is-bad' : '';
      // The gap between two percentages is in points, not percent.
      var size = it.points === true ? inPoints(Math.abs(delta)) : withUnit(Math.abs(delta), it.unit);
      // "▲ 2 points better since 2026-10"
      var key = delta === 0 ? 'change_same' : 'change_' + (state || 'moved');
      var since = str(it.previous_period);
      nums.appendChild(el('p', 'tile__change' + cls, msg(since ? key + '_since' : key, { change: arrow + size, period: since })));
    }
    tile.appendChild(nums);
    var sp = sparkline(it.trend, it.target);
    if (sp) tile.appendChild(sp);
    body.appendChild(tile);
  }

  function fillAnnouncement(body, a) {
    body.appendChild(kicker(msg(a.level) || msg('info')));
    body.appendChild(el('h1', 'slide__title', a.title));
    if (str(a.text)) body.appendChild(el('p', 'slide__summary', a.text));
  }

  function fillGeneric(body, it) {
    body.appendChild(el('h1', 'slide__title', it.title));
    if (str(it.summary)) body.appendChild(el('p', 'slide__summary', it.summary));
  }

  /* --------------------------------------------------------------- images */

  function imageFor(url) {
    if (typeof url !== 'string' || !url) return '';
    var rec = S.images.get(url);
    return rec && rec.ok ? rec.blob : '';
  }

  function preloadOne(url, signal) {
    if (typeof url !== 'string' || !url) return Promise.resolve();
    var rec = S.images.get(url);
    if (rec && (rec.ok || rec.busy)) return rec.promise || Promise.resolve();
    if (!rec) {
      rec = { blob: '', img: null, ok: false, busy: false, promise: null };
      S.images.set(url, rec);
    }
    rec.busy = true;
    var opts = signal ? { signal: signal } : {};
    rec.promise = fetch(rel(url), opts).then(function (r) {
      if (!r.ok) throw new Error('status ' + r.status);
      return r.blob();
    }).then(function (b) {
      if (S.images.get(url) !== rec) return undefined;
      var u = URL.createObjectURL(b);
      var img = new Image();
      img.src = u;
      rec.blob = u;
      rec.img = img;           // kept: decoded once, reused by every showing
      return img.decode().then(function () { rec.ok = true; }, function () {
        URL.revokeObjectURL(u);
        rec.blob = '';
        rec.img = null;
      });
    }).catch(noop).then(function () {
      rec.busy = false;
      rec.promise = null;
    });
    return rec.promise;
  }

  function preloadAll(d, signal) {
    var jobs = [];
    d.items.forEach(function (it) { if (it.image) jobs.push(preloadOne(it.image, signal)); });
    return Promise.all(jobs);
  }

  function dropUnusedImages(d) {
    var used = new Set();
    d.items.forEach(function (it) { if (typeof it.image === 'string') used.add(it.image); });
    if (S.pending) S.pending.items.forEach(function (it) { if (typeof it.image === 'string') used.add(it.image); });
    S.images.forEach(function (rec, url) {
      if (used.has(url)) return;
      if (rec.blob) URL.revokeObjectURL(rec.blob);
      S.images.delete(url);
    });
  }

  /* -------------------------------------------------- polling and reloads */

  function getJSON(url, signal) {
    return fetch(url, { cache: 'no-store', credentials: 'same-origin', signal: signal }).then(function (r) {
      return r.ok ? r.json() : null;
    });
  }

  /** Resolves to true when the page itself can be fetched now (so a reload will not land on an error page). */
  function pageReachable(signal) {
    return fetch(location.href, { cache: 'no-store', credentials: 'same-origin', signal: signal }).then(function (r) {
      if (!r.ok) return false;
      return r.text().then(function (html) { return html.indexOf('herald-lobby-data') !== -1; });
    });
  }

  /** The newest of this page's own data: the one held when version.json names it, else
   * data.json fetched anew; null when a new app means the page must reload instead. */
  function checkOwn(signal) {
    var held = (S.pending || S.data).parts.own;
    var url = rel('version.json?screen=' + encodeURIComponent(S.data.screen));
    return getJSON(url, signal).then(function (v) {
      if (!v || typeof v !== 'object') { S.pollState = 'version.json unreadable'; return null; }
      if (typeof v.app === 'string' && v.app && S.pageApp && v.app !== S.pageApp) {
        if (reloadedFor() !== v.app) {
          S.reloadWanted = 'app';
          S.reloadApp = v.app;
          S.pollState = 'new app ' + v.app;
          return pageReachable(signal).then(function (ok) { if (ok) S.reloadReady = true; return null; });
        }
        // already reloaded once for this app and still given the old page (a stale cache?):
        // carry on with the data, and leave it to the scheduled reload
        S.pollState = 'app ' + v.app + ' announced, page still ' + S.pageApp;
      }
      if (typeof v.version !== 'string' || v.version === held.version) return held;
      return getJSON(rel('data.json?v=' + encodeURIComponent(v.version)), signal).then(function (raw) {
        var d = normalise(raw);
        if (!d) { S.pollState = 'data.json invalid'; return null; }
        if (d.app && S.pageApp && d.app !== S.pageApp && reloadedFor() !== d.app) {
          S.reloadWanted = 'app';
          S.reloadApp = d.app;
          return pageReachable(signal).then(function (ok) { if (ok) S.reloadReady = true; return null; });
        }
        return d;
      });
    });
  }

  /** The newest data of each other language's side `own` names (the one held when its
   * version.json names it); a side that cannot be read now keeps what was held, or stays out. */
  function checkSides(own, signal) {
    var held = (S.pending || S.data).parts.sides;
    var out = {};
    return Promise.all(Object.keys(own.also).map(function (code) {
      var base = rel(own.also[code]);
      var url = new URL('version.json?screen=' + encodeURIComponent(own.screen), base).href;
      return getJSON(url, signal).then(function (v) {
        var had = held[code];
        if (!v || typeof v.version !== 'string') return had;
        if (had && had.version === v.version) return had;
        return getJSON(new URL('data.json?v=' + encodeURIComponent(v.version), base).href, signal).then(function (raw) {
          var d = normalise(raw);
          if (!d) return had;
          d.base = base;
          return d;
        });
      }).catch(function (e) {
        if (e && e.name === 'AbortError') throw e;
        return held[code];
      }).then(function (d) { if (d) out[code] = d; });
    })).then(function () { return out; });
  }

  function poll(t) {
    S.lastPoll = t;
    if (S.inflight || S.reloading) return;
    var ctrl = typeof AbortController === 'function' ? new AbortController() : null;
    var signal = ctrl ? ctrl.signal : undefined;
    S.inflight = { ctrl: ctrl, started: t };
    keepAwake();
    retryImages();
    var job;
    if (S.reloadWanted) {
      job = pageReachable(signal).then(function (ok) {
        if (ok) S.reloadReady = true;
        S.pollState = ok ? 'page reachable, reloading at the next slide' : 'page not reachable, reload postponed';
      });
    } else {
      job = checkOwn(signal).then(function (own) {
        if (!own) return undefined;
        return checkSides(own, signal).then(function (others) {
          var d = combine(own, others);
          if (d.version === S.data.version) {
            S.pending = null;
            S.pollState = 'up to date';
            return undefined;
          }
          if (S.pending && S.pending.version === d.version) { S.pollState = 'new data waiting'; return undefined; }
          return preloadAll(d, signal).then(function () {
            S.pending = d;
            S.pollState = 'new data ' + d.version + ', shown at the next slide';
          });
        });
      });
    }
    job.catch(function (e) {
      S.pollState = 'failed (' + (e && e.name ? e.name : 'error') + '), retrying';
    }).then(function () {
      S.inflight = null;
      if (DEBUG) S.debugAt = -Infinity;
    });
  }

  /** The app hash this tab last reloaded for, so a stale page can never cause a reload loop. */
  function reloadedFor() {
    try { return sessionStorage.getItem(RELOAD_KEY) || ''; } catch (e) { return ''; }
  }

  function retryImages() {
    S.images.forEach(function (rec, url) {
      if (!rec.ok && !rec.busy) preloadOne(url, null);
    });
  }

  function keepAwake() {
    try {
      // a preview (?only=) is not a screen on a wall: it needs the display no more than its page
      if (ONLY || !navigator.wakeLock || (S.wake && !S.wake.released) || doc.visibilityState !== 'visible') return;
      navigator.wakeLock.request('screen').then(function (s) { S.wake = s; }, noop);
    } catch (e) { /* not available */ }
  }

  /* ------------------------------------------------------- clock, burn-in */

  function updateClock(now) {
    var time = '', date = '';
    try {
      var d = new Date(now);
      var f = clockFor(S.clockLang);
      time = f.time.format(d);
      date = f.date.format(d);
    } catch (e) { return; }
    if (time === S.clockText && date === S.dateText) return;
    S.clockText = time;
    S.dateText = date;
    if (timeEl) timeEl.textContent = time;
    if (dateEl) dateEl.textContent = date;
    var clock = timeEl && timeEl.parentNode;
    if (clock && clock.lang !== (S.clockLang || S.data.language)) clock.lang = S.clockLang || S.data.language;
    if (S.welcomeTime) S.welcomeTime.textContent = time;
    if (S.welcomeDate) S.welcomeDate.textContent = date;
  }

  function shift() {
    S.shiftIndex = (S.shiftIndex + 1) % SHIFTS.length;
    root.style.setProperty('--sx', String(SHIFTS[S.shiftIndex][0]));
    root.style.setProperty('--sy', String(SHIFTS[S.shiftIndex][1]));
  }

  /* ------------------------------------------------------------- the tick */

  function tick() {
    try {
      var t = performance.now();
      var now = Date.now();
      var d = S.data;
      updateClock(now);
      if (S.instantUntil && t >= S.instantUntil) {
        root.classList.remove('is-instant');
        S.instantUntil = 0;
      }
      // the outgoing slide is let go only once the incoming one is fully opaque (judged by the
      // computed style, so a transition that runs late, or a fake clock, never shows a gap)
      if (S.leaving && t - S.leavingSince >= FADE_MS && getComputedStyle(S.active).opacity === '1') {
        S.leaving.classList.remove('is-leaving');
        S.leaving = null;
      }
      if (innerWidth !== S.lastW || innerHeight !== S.lastH) {
        S.lastW = innerWidth;
        S.lastH = innerHeight;
        refitActive();
      }
      if (S.inflight && t - S.inflight.started > Math.min(300000, Math.max(30000, 2 * d.checkMs))) {
        if (S.inflight.ctrl) S.inflight.ctrl.abort();
        S.inflight = null;
      }
      if (ONLY) {
        // a preview never polls nor reloads
      } else if (d.reloadMs && !S.reloadWanted && t - S.startedAt >= d.reloadMs) {
        S.reloadWanted = 'scheduled';
        poll(t);
      } else if (t - S.lastPoll >= d.checkMs) {
        poll(t);
      }
      if (t - S.lastShift >= SHIFT_MS) {
        S.lastShift = t;
        shift();
      }
      rotate(t, now);
      if (DEBUG && t - S.debugAt >= 5000) {
        S.debugAt = t;
        renderDebug(now);
      }
      S.errors = 0;
    } catch (e) {
      S.lastError = String(e && e.message ? e.message : e);
      S.errors++;
      if (S.errors === 30) S.reloadWanted = 'errors';
    }
  }

  /* ------------------------------------------------------------ ?debug */

  function renderDebug(now) {
    if (!debugEl) return;
    var d = S.data;
    var ctx = context(now);
    var deviceZone = '';
    try { deviceZone = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) { /* none */ }
    var box = el('div', 'lobby-debug__inner');
    box.appendChild(el('h2', '', 'herald lobby — debug'));
    var lines = [
      'screen ' + d.screen + ' · data ' + d.version + ' · app ' + (S.pageApp || '?') + (S.pending ? ' · waiting: ' + S.pending.version : ''),
      'build today ' + (d.today || '?') + ' · built ' + (d.built !== null ? instant(d.built) : '?'),
      'device ' + new Date(now).toString() + (deviceZone ? ' (' + deviceZone + ')' : ''),
      'today in ' + (d.timezone || 'device zone') + ': ' + (ctx.today || '?') + ' · clock ' +
        (ctx.clockOk ? 'plausible' : 'IMPLAUSIBLE: date rules ignored, lobby flag only'),
      'slide ' + S.shownKey + ' · every ' + d.slideMs / 1000 + ' s · poll every ' + d.checkMs / 1000 + ' s: ' + S.pollState +
        (S.reloadWanted ? ' · reload wanted (' + S.reloadWanted + (S.reloadReady ? ', ready' : '') + ')' : '') +
        (S.lastError ? ' · last error: ' + S.lastError : '')
    ];
    lines.forEach(function (l) { box.appendChild(el('p', '', l)); });
    var list = el('ol', 'lobby-debug__items');
    d.announcements.forEach(function (a) {
      var why = announcementState(a, now);
      var li = el('li', why ? 'is-out' : 'is-in');
      li.textContent = (why ? '✗ ' : '✓ ') + 'announcement:' + a.id + ' [' + a.level + '] ' + (why || 'live');
      list.appendChild(li);
    });
    d.items.forEach(function (it) {
      var why = whyNot(it, ctx);
      var li = el('li', why ? 'is-out' : 'is-in');
      li.textContent = (why ? '✗ ' : '✓ ') + it.kind + ':' + it.id + ' — ' + (why || 'eligible');
      list.appendChild(li);
    });
    if (!list.firstChild) list.appendChild(el('li', '', 'no items in the data'));
    box.appendChild(list);
    debugEl.replaceChildren(box);
    debugEl.hidden = false;
  }

  /* --------------------------------------------------------------- input */

  function block(e) {
    if (e.type === 'keydown' && (e.key === 'F5' || e.key === 'F11' || e.key === 'F12' || e.ctrlKey || e.metaKey || e.altKey)) return;
    if (e.cancelable) e.preventDefault();
    e.stopPropagation();
  }

  /* --------------------------------------------------------------- start */

  function start() {
    var own = normalise(readJSON('herald-lobby-data')) || emptyData();
    S.pageApp = own.app;
    setData(combine(own, {}));
    var t = performance.now();
    S.startedAt = t;
    // the other languages' sides of a screen for every language are fetched at once
    S.lastPoll = Object.keys(own.also).length && !ONLY ? t - own.checkMs : t;
    S.lastShift = t;
    S.lastW = innerWidth;
    S.lastH = innerHeight;
    ['contextmenu', 'mousedown', 'mouseup', 'click', 'dblclick', 'auxclick', 'wheel', 'touchstart',
      'touchmove', 'dragstart', 'selectstart', 'keydown'].forEach(function (type) {
      doc.addEventListener(type, block, { capture: true, passive: false });
    });
    window.heraldLobby = Object.freeze({
      version: function () { return S.data.version; },
      current: function () { return S.shown ? S.shown.id : ''; },
      slide: function () { return S.shownKey; },
      eligible: function () { return eligibleItems(Date.now()).map(function (it) { return it.id; }); },
      live: function () {
        var now = Date.now();
        return S.data.announcements.filter(function (a) { return isLive(a, now); }).map(function (a) { return a.id; });
      }
    });
    // first slide: no fade, so the branded placeholder is replaced at once
    root.classList.add('is-instant');
    S.instantUntil = t + FADE_MS;
    S.active.classList.add('is-active');
    var now = Date.now();
    var urgent = liveUrgent(S.data, now);
    show(urgent ? urgent[0] : nextEntry(now), t);
    updateClock(now);
    if (DEBUG) renderDebug(now);
    keepAwake();
    setInterval(tick, TICK_MS);
  }

  try { start(); } catch (e) { /* the template's welcome slide stays on screen */ }
}());
