// herald serve's live reload, added to pages as they are served (never written to disk).
// Reloads the page after a good rebuild; after a broken edit shows the problems in an overlay
// and keeps the page as it was, until the file is fixed.
(function () {
  'use strict';
  var me = document.currentScript;
  var url = me ? me.src.replace(/live\.js(\?.*)?$/, 'live') : '/__herald/live';
  var overlay = null;

  function clear() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  function show(problems) {
    clear();
    overlay = document.createElement('div');
    overlay.id = 'herald-problems';
    overlay.setAttribute('role', 'alert');
    overlay.setAttribute('style', 'position:fixed;inset:auto 0 0 0;max-height:70vh;overflow:auto;z-index:2147483647;' +
      'background:#fff8f7;color:#1a1a1a;border-top:4px solid #b3261e;box-shadow:0 -4px 24px rgba(0,0,0,.3);' +
      'font:15px/1.5 system-ui,sans-serif;padding:16px 20px');
    var h = document.createElement('h2');
    h.setAttribute('style', 'margin:0 0 8px;font-size:18px;color:#8c1d18');
    var errors = problems.filter(function (p) { return p.severity === 'error'; }).length;
    h.textContent = errors === 1 ? 'herald: 1 problem stops the build' : 'herald: ' + errors + ' problems stop the build';
    overlay.appendChild(h);
    var note = document.createElement('p');
    note.setAttribute('style', 'margin:0 0 8px');
    note.textContent = 'This page is the last good build. Fix the file and save: the page reloads by itself.';
    overlay.appendChild(note);
    var list = document.createElement('ul');
    list.setAttribute('style', 'margin:0;padding-left:20px');
    problems.forEach(function (p) {
      var li = document.createElement('li');
      li.className = 'herald-problem herald-problem--' + p.severity;
      var where = document.createElement('code');
      where.className = 'herald-problem__where';
      where.textContent = p.file + (p.line ? ':' + p.line + (p.column ? ':' + p.column : '') : '');
      li.appendChild(where);
      li.appendChild(document.createTextNode(' ' + p.severity + ': ' + p.message));
      if (p.hint) {
        var hint = document.createElement('div');
        hint.setAttribute('style', 'color:#444');
        hint.textContent = 'Hint: ' + p.hint;
        li.appendChild(hint);
      }
      list.appendChild(li);
    });
    overlay.appendChild(list);
    (document.body || document.documentElement).appendChild(overlay);
  }

  var source = new EventSource(url);
  var everConnected = false;
  source.addEventListener('hello', function () {
    if (everConnected) { location.reload(); return; }  // the server restarted
    everConnected = true;
    clear();
  });
  source.addEventListener('reload', function () { location.reload(); });
  source.addEventListener('problems', function (e) {
    everConnected = true;
    try { show(JSON.parse(e.data)); } catch (err) { /* a garbled message: keep the page */ }
  });
})();
