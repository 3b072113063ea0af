// Roadmap team filter: on the full roadmap page (/roadmap/), the "Filter by team" links filter the
// timeline and the board in place instead of loading /roadmap/team/TEAM/, and the address bar
// follows (history.pushState; Back and Forward work). Everything it shows is already in the page:
// it loads nothing, and without it each link is an ordinary link to that team's roadmap page.
// On a team's page (only that team's milestones are in it) the links stay ordinary links.
(function () {
  'use strict';
  var root = document.querySelector('[data-roadmap]');
  if (!root || root.getAttribute('data-roadmap-complete') !== 'true') return;
  var nav = document.querySelector('.team-filter');
  if (!nav || !window.history || !window.history.pushState) return;

  function all(sel, el) { return Array.prototype.slice.call((el || document).querySelectorAll(sel)); }
  function one(sel, el) { return (el || document).querySelector(sel); }
  function setText(sel, text, el) { all(sel, el).forEach(function (n) { n.textContent = String(text); }); }

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
      setText('[data-phase-total]', visible.length, ph);
      setText('[data-phase-done]', visible.filter(function (el) { return el.getAttribute('data-status') === 'done'; }).length, ph);
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
      setText('[data-column-count]', n, col);
    });
    all('[data-status-count]', root).forEach(function (el) {
      el.textContent = String(perStatus[el.getAttribute('data-status-count')] || 0);
    });
    setText('[data-count="shown"]', shown, root);
    setText('[data-count="done"]', done, root);
    setText('[data-count="overdue"]', overdue, root);
    all('[data-overdue-part]', root).forEach(function (el) { el.hidden = overdue === 0; });
    all('[data-team-score]', root).forEach(function (el) { el.hidden = el.getAttribute('data-team-score') !== team; });
    if (empty) empty.hidden = shown > 0;
    if (heading) heading.textContent = team ? 'Roadmap — ' + name : 'Roadmap';
    if (scope) scope.textContent = team ? 'The milestones ' + name + ' owns or works on' : scopeAll;
    document.title = team ? name + ' — ' + allTitle : allTitle;
    links.forEach(function (a) {
      if (a.getAttribute('data-filter-team') === team) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    if (announce && status) {
      status.textContent = (team ? name + ': ' : 'All teams: ') + shown + ' milestone' + (shown === 1 ? '' : 's') + ' shown';
    }
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
