// herald site search: runs in the page, with the index files the build wrote under search/
// (their format is documented in herald's src/search.rs). Loaded only by the /search/ page.
//
// The page's search box (the header's, marked data-search-input) is read as you type: the
// words are found and lower-cased as the build does it, stemmed with the same Snowball stemmer
// when the site's language is English, and looked up in the shards they need (the manifest
// lists the shards). Every word must match; the last one also matches the words it starts, so
// results come while a word is still being typed. Documents are ranked with BM25 plus a boost
// for title hits. The address follows the query (history.replaceState), so a search can be
// shared or reloaded. Nothing is requested from another host. Its words are the page's
// (herald-i18n-search and herald-i18n-kinds: the messages `search.*` and `common.kind.*`, in the
// site's language), with the numbers, dates and plural forms of the page's language.
(function () {
  'use strict';

  // ---------------------------------------------------------------------------------------
  // Snowball English (Porter2), as rust-stemmers 1.2 has it: stems must match the build's.

  var EXCEPTION1 = {
    skis: 'ski', skies: 'sky', dying: 'die', lying: 'lie', tying: 'tie', idly: 'idl',
    gently: 'gentl', ugly: 'ugli', early: 'earli', only: 'onli', singly: 'singl', sky: 'sky',
    news: 'news', howe: 'howe', atlas: 'atlas', cosmos: 'cosmos', bias: 'bias', andes: 'andes'
  };
  var EXCEPTION2 = ['inning', 'outing', 'canning', 'herring', 'earring', 'proceed', 'exceed', 'succeed'];
  var STEP2 = [
    ['ization', 'ize'], ['ational', 'ate'], ['fulness', 'ful'], ['ousness', 'ous'],
    ['iveness', 'ive'], ['tional', 'tion'], ['biliti', 'ble'], ['lessli', 'less'],
    ['entli', 'ent'], ['ation', 'ate'], ['alism', 'al'], ['aliti', 'al'], ['ousli', 'ous'],
    ['iviti', 'ive'], ['fulli', 'ful'], ['enci', 'ence'], ['anci', 'ance'], ['abli', 'able'],
    ['izer', 'ize'], ['ator', 'ate'], ['alli', 'al'], ['bli', 'ble'], ['ogi', 'og'], ['li', '']
  ];
  var STEP3 = [
    ['ational', 'ate'], ['tional', 'tion'], ['alize', 'al'], ['icate', 'ic'], ['iciti', 'ic'],
    ['ative', ''], ['ical', 'ic'], ['ness', ''], ['ful', '']
  ];
  var STEP4 = ['ement', 'ance', 'ence', 'able', 'ible', 'ment', 'ant', 'ent', 'ism', 'ate',
    'iti', 'ous', 'ive', 'ize', 'ion', 'al', 'er', 'ic'];

  function isV(c) { return c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || c === 'y'; }
  function isVWXY(c) { return isV(c) || c === 'w' || c === 'x' || c === 'Y'; }

  function stemEnglish(word) {
    if (Object.prototype.hasOwnProperty.call(EXCEPTION1, word)) return EXCEPTION1[word];
    var w = Array.from(word);
    if (w.length < 3) return word;
    var yFound = false;
    if (w[0] === "'") w.shift();
    if (w[0] === 'y') { w[0] = 'Y'; yFound = true; }
    for (var i = 1; i < w.length; i++) {
      if (w[i] === 'y' && isV(w[i - 1])) { w[i] = 'Y'; yFound = true; }
    }
    // Regions: R1 starts after the first non-vowel that follows a vowel, R2 likewise in R1.
    var p1 = w.length, p2 = w.length;
    var head = w.join('');
    var after = function (from) {
      var k = from;
      while (k < w.length && !isV(w[k])) k++;
      if (k >= w.length) return -1;
      k++;
      while (k < w.length && isV(w[k])) k++;
      if (k >= w.length) return -1;
      return k + 1;
    };
    var r = -1;
    if (head.indexOf('gener') === 0 || head.indexOf('arsen') === 0) r = 5;
    else if (head.indexOf('commun') === 0) r = 6;
    else r = after(0);
    if (r >= 0) {
      p1 = r;
      var r2 = after(p1);
      if (r2 >= 0) p2 = r2;
    }

    function ends(s) {
      var n = s.length;
      if (n > w.length) return false;
      for (var k = 0; k < n; k++) if (w[w.length - n + k] !== s[k]) return false;
      return true;
    }
    function replace(n, s) { w.splice(w.length - n, n); if (s) w.push.apply(w, Array.from(s)); }
    // A short syllable ends at `end` (exclusive).
    function shortv(end) {
      if (end >= 3 && !isVWXY(w[end - 1]) && isV(w[end - 2]) && !isV(w[end - 3])) return true;
      return end === 2 && !isV(w[1]) && isV(w[0]);
    }

    // Step 1a.
    if (ends("'s'")) replace(3, '');
    else if (ends("'s")) replace(2, '');
    else if (ends("'")) replace(1, '');
    if (ends('sses')) replace(4, 'ss');
    else if (ends('ied') || ends('ies')) replace(3, w.length - 3 >= 2 ? 'i' : 'ie');
    else if (ends('us') || ends('ss')) { /* unchanged */ } else if (ends('s')) {
      var hasV = false;
      for (var j = 0; j < w.length - 2; j++) if (isV(w[j])) { hasV = true; break; }
      if (hasV) replace(1, '');
    }
    if (EXCEPTION2.indexOf(w.join('')) !== -1) return post();

    // Step 1b.
    var sfx = null;
    ['eedly', 'ingly', 'edly', 'eed', 'ing', 'ed'].some(function (s) { if (ends(s)) { sfx = s; return true; } return false; });
    if (sfx === 'eed' || sfx === 'eedly') {
      if (w.length - sfx.length >= p1) replace(sfx.length, 'ee');
    } else if (sfx) {
      var start = w.length - sfx.length;
      var vowel = false;
      for (var m = 0; m < start; m++) if (isV(w[m])) { vowel = true; break; }
      if (vowel) {
        replace(sfx.length, '');
        if (ends('at') || ends('bl') || ends('iz')) w.push('e');
        else if (['bb', 'dd', 'ff', 'gg', 'mm', 'nn', 'pp', 'rr', 'tt'].some(ends)) w.pop();
        else if (w.length === p1 && shortv(w.length)) w.push('e');
      }
    }
    // Step 1c.
    var last = w[w.length - 1];
    if ((last === 'y' || last === 'Y') && w.length >= 3 && !isV(w[w.length - 2])) w[w.length - 1] = 'i';
    // Step 2.
    var hit = null;
    STEP2.some(function (e) { if (ends(e[0])) { hit = e; return true; } return false; });
    if (hit && w.length - hit[0].length >= p1) {
      var before = w[w.length - hit[0].length - 1];
      if (hit[0] === 'ogi') { if (before === 'l') replace(3, 'og'); } else if (hit[0] === 'li') {
        if (before !== undefined && 'cdeghkmnrt'.indexOf(before) !== -1) replace(2, '');
      } else replace(hit[0].length, hit[1]);
    }
    // Step 3.
    hit = null;
    STEP3.some(function (e) { if (ends(e[0])) { hit = e; return true; } return false; });
    if (hit && w.length - hit[0].length >= p1) {
      if (hit[0] === 'ative') { if (w.length - 5 >= p2) replace(5, ''); } else replace(hit[0].length, hit[1]);
    }
    // Step 4.
    var s4 = null;
    STEP4.some(function (s) { if (ends(s)) { s4 = s; return true; } return false; });
    if (s4 && w.length - s4.length >= p2) {
      if (s4 === 'ion') {
        var b4 = w[w.length - 4];
        if (b4 === 's' || b4 === 't') replace(3, '');
      } else replace(s4.length, '');
    }
    // Step 5.
    if (ends('e')) {
      var e5 = w.length - 1;
      if (e5 >= p2 || (e5 >= p1 && !shortv(e5))) replace(1, '');
    } else if (ends('l')) {
      if (w.length - 1 >= p2 && w[w.length - 2] === 'l') replace(1, '');
    }
    return post();

    function post() {
      var out = w.join('');
      return yFound ? out.replace(/Y/g, 'y') : out;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Words, as the build finds them (Unicode word rules).

  var segmenter = null;
  try {
    if (typeof Intl !== 'undefined' && Intl.Segmenter) segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
  } catch (e) { segmenter = null; }
  var WORD_RE = /[\p{L}\p{N}_\p{M}]+(?:['’.:][\p{L}\p{M}]+|[,;.'’]\p{N}+)*/gu;
  var ALNUM_RE = /[\p{L}\p{N}]/u;

  /** The words of `text` with their offsets: [{ word, start, end }]. */
  function words(text) {
    var out = [];
    if (segmenter) {
      for (var seg of segmenter.segment(text)) {
        if (seg.isWordLike && ALNUM_RE.test(seg.segment)) {
          out.push({ word: seg.segment, start: seg.index, end: seg.index + seg.segment.length });
        }
      }
      return out;
    }
    WORD_RE.lastIndex = 0;
    var m;
    while ((m = WORD_RE.exec(text))) out.push({ word: m[0], start: m.index, end: m.index + m[0].length });
    return out;
  }

  function normalize(word) { return word.toLowerCase().replace(/[\u2018\u2019]/g, "'"); }

  // ---------------------------------------------------------------------------------------
  // The index.

  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  var B64V = {};
  for (var b = 0; b < 64; b++) B64V[B64[b]] = b;
  var K1 = 1.2, B = 0.75, TITLE_BOOST = 1.5, PREFIX_WEIGHT = 0.8, PAGE = 10, MAX_PREFIX_SHARDS = 8;

  function Index(base, manifest) {
    this.base = base;
    this.m = manifest;
    this.firsts = manifest.shards.map(function (s) { return s[0]; });
    this.cache = new Map();
    var n = manifest.docs, lens = new Float64Array(n), sum = 0, classes = manifest.length_classes;
    for (var i = 0; i < n; i++) {
      lens[i] = classes[B64V[manifest.lengths[i]]];
      sum += lens[i];
    }
    this.lengths = lens;
    this.avgdl = n && sum ? sum / n : 1;
  }

  Index.prototype.url = function (rel) { return this.base + rel + '?v=' + encodeURIComponent(this.m.version); };

  Index.prototype.fetchJson = function (rel) {
    var self = this;
    if (!this.cache.has(rel)) {
      this.cache.set(rel, fetch(this.url(rel)).then(function (r) {
        if (!r.ok) throw new Error(rel + ': HTTP ' + r.status);
        return r.json();
      }).catch(function (e) { self.cache.delete(rel); throw e; }));
    }
    return this.cache.get(rel);
  };

  Index.prototype.term = function (word) {
    // As the build: a word of ASCII digits and punctuation only (a number) is its own term.
    if (this.m.stemmer === 'english' && /[^0-9\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/.test(word)) return stemEnglish(word);
    return word;
  };

  /** The number of the shard that would hold `word` (the last whose first word is not after it), or -1. */
  Index.prototype.shardOf = function (word) {
    var lo = 0, hi = this.firsts.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (this.firsts[mid] <= word) lo = mid + 1; else hi = mid;
    }
    return lo - 1;
  };

  /** Numbers of the shards holding the words that start with `prefix`. */
  Index.prototype.shardsFrom = function (prefix) {
    var first = this.shardOf(prefix), out = [];
    if (first >= 0) out.push(first);
    for (var i = first + 1; i < this.firsts.length && this.firsts[i].indexOf(prefix) === 0; i++) out.push(i);
    return out;
  };

  Index.prototype.shard = function (n) { return this.fetchJson('t/' + this.m.shards[n][1] + '.json'); };

  Index.prototype.chunk = function (n) { return this.fetchJson('d/' + n + '.json'); };

  function decode(s) {
    var out = [], v = 0, shift = 0;
    for (var i = 0; i < s.length; i++) {
      var d = B64V[s[i]];
      v += (d & 31) * Math.pow(2, shift);
      if (d & 32) { shift += 5; continue; }
      out.push(v);
      v = 0; shift = 0;
    }
    return out;
  }

  /**
   * Runs a query: resolves to { results: [doc numbers, best first], terms: Set of matched
   * terms, prefix: the last word when it matched by prefix }.
   */
  Index.prototype.search = function (query) {
    var self = this;
    var qwords = words(query).map(function (x) { return normalize(x.word); });
    if (!qwords.length) return Promise.resolve({ results: [], terms: new Set(), forms: new Map(), prefix: '', words: [] });
    var lastIdx = qwords.length - 1;
    var plans = qwords.map(function (w, i) {
      var term = self.term(w);
      var keys = [self.shardOf(w), self.shardOf(term)];
      var prefix = i === lastIdx && Array.from(w).length >= 2;
      if (prefix) {
        var more = self.shardsFrom(w);
        if (more.length <= MAX_PREFIX_SHARDS) keys = keys.concat(more); else prefix = false;
      }
      return { word: w, term: term, prefix: prefix, keys: keys.filter(function (k) { return k >= 0; }) };
    });
    var needed = new Set();
    plans.forEach(function (p) { p.keys.forEach(function (k) { needed.add(k); }); });
    var list = Array.from(needed);
    return Promise.all(list.map(function (k) { return self.shard(k); })).then(function (shards) {
      // Maps, not objects: a word may be "constructor" or "__proto__".
      var t = new Map(), f = new Map();
      shards.forEach(function (s) {
        Object.keys(s.t).forEach(function (k) { t.set(k, s.t[k]); });
        Object.keys(s.f).forEach(function (k) { f.set(k, s.f[k]); });
      });
      var matchedTerms = new Set();
      var totals = null;
      plans.forEach(function (p) {
        // Terms this word stands for, with a weight: exact 1, prefix-only less.
        var want = new Map();
        [p.term, p.word, f.get(p.word)].forEach(function (x) { if (x !== undefined && t.has(x)) want.set(x, 1); });
        if (p.prefix) {
          t.forEach(function (_, x) { if (x.indexOf(p.word) === 0 && !want.has(x)) want.set(x, PREFIX_WEIGHT); });
          f.forEach(function (term, x) {
            if (x.indexOf(p.word) === 0 && t.has(term) && !want.has(term)) want.set(term, PREFIX_WEIGHT);
          });
        }
        var scores = new Map();
        want.forEach(function (weight, term) {
          matchedTerms.add(term);
          var nums = decode(t.get(term));
          var df = nums.length / 2;
          var idf = Math.log(1 + (self.m.docs - df + 0.5) / (df + 0.5));
          var doc = -1;
          for (var i = 0; i < nums.length; i += 2) {
            doc = doc < 0 ? nums[i] : doc + nums[i] + 1;
            var tf = nums[i + 1] >> 1, inTitle = nums[i + 1] & 1;
            var norm = K1 * (1 - B + B * self.lengths[doc] / self.avgdl);
            var s = weight * idf * ((tf * (K1 + 1)) / (tf + norm) + (inTitle ? TITLE_BOOST : 0));
            if (!(scores.get(doc) >= s)) scores.set(doc, s);
          }
        });
        if (totals === null) totals = scores;
        else {
          var next = new Map();
          totals.forEach(function (s, d) { if (scores.has(d)) next.set(d, s + scores.get(d)); });
          totals = next;
        }
      });
      var results = Array.from(totals.keys()).sort(function (a, b) { return totals.get(b) - totals.get(a) || a - b; });
      var last = plans[lastIdx];
      return {
        results: results, terms: matchedTerms, forms: f, prefix: last.prefix ? last.word : '',
        words: plans.map(function (p) { return p.word; })
      };
    });
  };

  /** The rows of the given documents (fetched in slices). */
  Index.prototype.docs = function (nums) {
    var self = this, size = this.m.chunk;
    var slices = Array.from(new Set(nums.map(function (n) { return Math.floor(n / size); })));
    return Promise.all(slices.map(function (c) { return self.chunk(c); })).then(function (rows) {
      var byChunk = new Map();
      slices.forEach(function (c, i) { byChunk.set(c, rows[i]); });
      return nums.map(function (n) {
        var r = byChunk.get(Math.floor(n / size))[n % size];
        return { path: r[0], title: r[1], kind: r[2], date: r[3], teams: r[4], excerpt: r[5] };
      });
    });
  };

  // ---------------------------------------------------------------------------------------
  // The page.

  window.heraldSearch = { stem: stemEnglish, words: words, normalize: normalize };

  var root = document.querySelector('[data-search]');
  var input = document.querySelector('[data-search-input]');
  if (!root || !input) return;
  var status = root.querySelector('[data-search-status]');
  var list = root.querySelector('[data-search-results]');
  var more = root.querySelector('[data-search-more]');
  var indexUrl = root.getAttribute('data-search-index');
  var siteBase = root.getAttribute('data-search-base');
  var baseTitle = document.title;

  function table(id) {
    try {
      var el = document.getElementById(id);
      return el ? JSON.parse(el.textContent) : {};
    } catch (e) { return {}; }
  }
  var WORDS = table('herald-i18n-search');
  var KINDS = table('herald-i18n-kinds');
  var lang = document.documentElement.lang || 'en';
  var english = /^en(-|$)/i.test(lang);
  var plurals = null, numbers = null, dates = null;
  try { plurals = new Intl.PluralRules(lang); } catch (e) { plurals = null; }
  // English reads as herald writes it ("1234", "3 Mar 2026"); other languages as Intl has them.
  if (!english) {
    try { numbers = new Intl.NumberFormat(lang); } catch (e) { numbers = null; }
    try { dates = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }); } catch (e) { dates = null; }
  }
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  function num(n) { return numbers ? numbers.format(n) : String(n); }

  /** A message of the page's table with its {values} filled; `n` picks the plural form. */
  function message(id, values, n) {
    var m = WORDS[id];
    if (m && typeof m === 'object') m = m[plurals && n !== undefined ? plurals.select(n) : 'other'] || m.other;
    if (typeof m !== 'string') return '';
    return m.replace(/\{([a-z_][a-z0-9_]*)\}/g, function (whole, name) {
      if (name === 'n' && n !== undefined) return num(n);
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  document.querySelectorAll('[data-search-nojs]').forEach(function (el) { el.hidden = true; });
  root.hidden = false;

  var index = null, loading = null, current = null, shown = 0, seq = 0, timer = 0;

  function load() {
    if (!loading) {
      loading = fetch(indexUrl + 'index.json', { cache: 'no-cache' }).then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      }).then(function (m) { index = new Index(indexUrl, m); return index; });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  function say(text) { status.textContent = text; }

  function quoted(q) { return message('quoted', { query: q }); }

  function formatDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    if (!m) return '';
    if (dates) return dates.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
    return Number(m[3]) + ' ' + MONTHS[Number(m[2]) - 1] + ' ' + m[1];
  }

  /** Whether a word of a result is one the query matched. */
  function matches(word, found) {
    var w = normalize(word);
    return found.terms.has(index.term(w)) || found.terms.has(w) ||
      (found.forms.has(w) && found.terms.has(found.forms.get(w))) ||
      (found.prefix !== '' && w.indexOf(found.prefix) === 0) || found.words.indexOf(w) !== -1;
  }

  /** Appends `text` to `el` with the words that matched in <mark>. */
  function highlight(el, text, found) {
    var at = 0;
    words(text).forEach(function (x) {
      if (!matches(x.word, found)) return;
      if (x.start > at) el.appendChild(document.createTextNode(text.slice(at, x.start)));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(x.start, x.end);
      el.appendChild(mark);
      at = x.end;
    });
    if (at < text.length) el.appendChild(document.createTextNode(text.slice(at)));
  }

  /** The excerpt, starting a little before the first match when that is far in. */
  function snippet(text, found) {
    var first = -1;
    words(text).some(function (x) {
      if (matches(x.word, found)) { first = x.start; return true; }
      return false;
    });
    if (first < 120) return text;
    var from = text.lastIndexOf(' ', first - 60);
    return '\u2026' + text.slice(from < 0 ? 0 : from + 1);
  }

  function render(rows, found) {
    rows.forEach(function (r) {
      var li = document.createElement('li');
      li.className = 'search-result';
      var h = document.createElement('h2');
      h.className = 'search-result__title';
      var a = document.createElement('a');
      a.href = siteBase + r.path;
      highlight(a, r.title, found);
      h.appendChild(a);
      li.appendChild(h);
      var meta = document.createElement('p');
      meta.className = 'search-result__meta';
      var kind = document.createElement('span');
      kind.className = 'search-result__kind search-result__kind--' + r.kind;
      kind.textContent = typeof KINDS[r.kind] === 'string' ? KINDS[r.kind] : r.kind;
      meta.appendChild(kind);
      if (r.date) {
        meta.appendChild(document.createTextNode(' \u00b7 '));
        var time = document.createElement('time');
        time.dateTime = r.date;
        time.textContent = formatDate(r.date);
        meta.appendChild(time);
      }
      if (r.teams && r.teams.length) {
        meta.appendChild(document.createTextNode(' \u00b7 '));
        var teams = document.createElement('span');
        teams.className = 'search-result__teams';
        teams.textContent = r.teams.join(', ');
        meta.appendChild(teams);
      }
      li.appendChild(meta);
      if (r.excerpt) {
        var p = document.createElement('p');
        p.className = 'search-result__snippet';
        highlight(p, snippet(r.excerpt, found), found);
        li.appendChild(p);
      }
      list.appendChild(li);
    });
  }

  function showMore(before) {
    if (!current) return Promise.resolve();
    var mine = seq, found = current;
    var next = found.results.slice(shown, shown + PAGE);
    return index.docs(next).then(function (rows) {
      if (mine !== seq) return;
      render(rows, found);
      shown += rows.length;
      more.hidden = shown >= found.results.length;
      if (before) before();
      root.setAttribute('data-search-state', 'done');
    });
  }

  function setUrl(q) {
    if (!window.history || !history.replaceState) return;
    var url = new URL(location.href);
    if (q) url.searchParams.set('q', q); else url.searchParams.delete('q');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  }

  function run(q) {
    var mine = ++seq;
    q = q.trim();
    setUrl(q);
    document.title = q ? quoted(q) + ' \u00b7 ' + baseTitle : baseTitle;
    if (!q) {
      current = null;
      list.textContent = '';
      more.hidden = true;
      say(message('idle', {}));
      root.setAttribute('data-search-state', 'idle');
      return Promise.resolve();
    }
    root.setAttribute('data-search-state', 'busy');
    var started = performance.now();
    var done = function () { root.setAttribute('data-search-ms', String(Math.round(performance.now() - started))); };
    return load().then(function (ix) { return ix.search(q); }).then(function (found) {
      if (mine !== seq) return null;
      current = found;
      shown = 0;
      list.textContent = '';
      more.hidden = true;
      var n = found.results.length;
      say(n === 0 ? message('no_results', { query: quoted(q) }) : message('results', { query: quoted(q) }, n));
      if (!n) { done(); root.setAttribute('data-search-state', 'done'); return null; }
      return showMore(done);
    }).catch(function () {
      if (mine !== seq) return;
      say(message('unavailable', {}));
      root.setAttribute('data-search-state', 'error');
    });
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    var q = input.value;
    timer = setTimeout(function () { run(q); }, 120);
  });
  if (input.form) {
    input.form.addEventListener('submit', function (e) {
      e.preventDefault();
      clearTimeout(timer);
      run(input.value);
    });
  }
  more.addEventListener('click', function () {
    var focusAt = list.children.length;
    showMore(null).then(function () {
      var next = list.children[focusAt];
      var link = next && next.querySelector('a');
      if (link) link.focus();
    });
  });

  var initial = new URL(location.href).searchParams.get('q') || '';
  input.value = initial;
  run(initial);
  if (!initial) input.focus({ preventScroll: true });
})();
