// Roadmap team filter: on the full roadmap page (/roadmap/), the "Filter by team" links filter the
// timeline and the board in place instead of loading /roadmap/team/TEAM/, and the address bar
// follows (history.pushState; Back and Forward work). Everything it shows is already in the page:
// it loads nothing, and without it each link is an ordinary link to that team's roadmap page.
// On a team's page (only that team's milestones are in it) the links stay ordinary links.
// Its words are the page's (herald-i18n-roadmap: the messages `roadmap.filter.*`, in the site's
// language), with numbers and plural forms of the page's language.
(function () {
  'use strict';
  var root = document.querySelector('[data-roadmap]');
  if (!root || root.getAttribute('data-roadmap-complete') !== 'true') return;
  var nav = document.querySelector('.team-filter');
  if (!nav || !window.history || !window.history.pushState) return;

  function all(sel, el) { return Array.prototype.slice.call((el || document).querySelectorAll(sel)); }
  function one(sel, el) { return (el || document).querySelector(sel); }
  function setText(sel, text, el) { all(sel, el).forEach(function (n) { n.textContent = String(text); }); }

  var words = {};
  try {
    var json = document.getElementById('herald-i18n-roadmap');
    words = json ? JSON.parse(json.textContent) : {};
  } catch (e) { words = {}; }
  var lang = document.documentElement.lang || 'en';
  var plurals = null, numbers = null;
  try { plurals = new Intl.PluralRules(lang); } catch (e) { plurals = null; }
  // English numbers read as herald writes them ("1234"), not as Intl's ("1,234").
  try { if (!/^en(-|$)/i.test(lang)) numbers = new Intl.NumberFormat(lang); } catch (e) { numbers = null; }
  function num(n) { return numbers ? numbers.format(n) : String(n); }
  /** A message of the page's table with its {values} filled; `n` picks the plural form. */
  function say(id, values, n) {
    var m = words[id];
    if (m && typeof m === 'object') m = m[plurals && n !== undefined ? plurals.select(n) : 'other'] || m.other;
    if (typeof m !== 'string') return null;
    return m.replace(/\{([a-z_][a-z0-9_]*)\}/g, function (whole, name) {
      if (name === 'n' && n !== undefined) return num(n);
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  var links = all('a[data-filter-team]', nav);
  var byPath = {};
  var names = {};
  links.forEach(function (a) {
    byPath[new URL(a.href, location.href).pathname] = a.getAttribute('data-filter-team');
    names[a.getAttribute('data-filter-team')] = a.getAttribute('data-filter-name') || '';
  });
  var heading = one('[data-roadmap-heading]');
  var scope = one('[data-roadmap-scope]');
  var status = one('[data-filter-status]');
  var empty = one('[data-filter-empty]');
  var allTitle = root.getAttribute('data-title-all') || document.title;
  var headingAll = heading ? heading.textContent : '';
  var scopeAll = scope ? scope.getAttribute('data-scope-all') : '';

  function involves(el, team) {
    return !team || (' ' + el.getAttribute('data-teams') + ' ').indexOf(' ' + team + ' ') !== -1;
  }

  function apply(team, announce) {
    if (!(team in names)) team = '';
    var name = names[team];
    var rows = all('.timeline-row[data-milestone]', root);
    var shown = 0, done = 0, overdue = 0;
    rows.forEach(function (el) {
      var on = involves(el, team);
      el.hidden = !on;
      if (on) {
        shown++;
        if (el.getAttribute('data-status') === 'done') done++;
        if (el.getAttribute('data-overdue') === 'true') overdue++;
      }
    });
    all('[data-phase]', root).forEach(function (ph) {
      var visible = all('.timeline-row[data-milestone]', ph).filter(function (el) { return !el.hidden; });
      ph.hidden = visible.length === 0;
      setText('[data-phase-total]', num(visible.length), ph);
      setText('[data-phase-done]', num(visible.filter(function (el) { return el.getAttribute('data-status') === 'done'; }).length), ph);
    });
    var perStatus = {};
    all('.board__column[data-board-status]', root).forEach(function (col) {
      var n = 0;
      all('.board-card[data-milestone]', col).forEach(function (el) {
        var on = involves(el, team);
        el.hidden = !on;
        if (on) n++;
      });
      col.hidden = n === 0;
      perStatus[col.getAttribute('data-board-status')] = n;
      setText('[data-column-count]', num(n), col);
    });
    all('[data-status-count]', root).forEach(function (el) {
      el.textContent = num(perStatus[el.getAttribute('data-status-count')] || 0);
    });
    setText('[data-count="shown"]', num(shown), root);
    setText('[data-count="done"]', num(done), root);
    setText('[data-count="overdue"]', num(overdue), root);
    all('[data-overdue-part]', root).forEach(function (el) { el.hidden = overdue === 0; });
    all('[data-team-score]', root).forEach(function (el) { el.hidden = el.getAttribute('data-team-score') !== team; });
    if (empty) empty.hidden = shown > 0;
    var teamHeading = team ? say('heading', { team: name }) : headingAll;
    if (heading && teamHeading !== null) heading.textContent = teamHeading;
    var teamScope = team ? say('scope', { team: name }) : scopeAll;
    if (scope && teamScope !== null) scope.textContent = teamScope;
    document.title = team ? name + ' — ' + allTitle : allTitle;
    links.forEach(function (a) {
      if (a.getAttribute('data-filter-team') === team) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    var said = team ? say('status', { team: name }, shown) : say('status_all', {}, shown);
    if (announce && status && said !== null) status.textContent = said;
  }

  nav.addEventListener('click', function (ev) {
    var a = ev.target.closest ? ev.target.closest('a[data-filter-team]') : null;
    if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    var team = a.getAttribute('data-filter-team');
    if (a.href !== location.href) window.history.pushState({ team: team }, '', a.href);
    apply(team, true);
  });

  window.addEventListener('popstate', function (ev) {
    var team = ev.state && typeof ev.state.team === 'string' ? ev.state.team : byPath[location.pathname];
    apply(team || '', true);
  });

  window.history.replaceState({ team: '' }, '', location.href);
})();
