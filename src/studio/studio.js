// herald's studio: the content list and a form for every kind, made from the schema the
// validator reads (GET api/schema). Every keystroke is checked by herald itself on the unsaved
// text (POST api/preview), problems are shown next to their fields, and the previews are the
// pages as they will be published. No library, no network beyond this server.
(function () {
  'use strict';

  var MOUNT = '/_herald';
  var csrf = meta('herald-csrf');
  var base = meta('herald-base') || '/';
  var app = document.getElementById('app');
  var heading = document.getElementById('heading');
  var view = document.body.getAttribute('data-view');
  var params = new URLSearchParams(location.search);

  var S = {
    schema: null,
    kind: null,
    file: null,
    version: null,
    draftNow: false,
    pid: randomId(),
    serial: 0,
    timer: 0,
    inflight: null,
    items: [],
    dirty: false,
    touched: {},
    tried: false
  };

  function meta(name) {
    var m = document.querySelector('meta[name="' + name + '"]');
    return m ? m.getAttribute('content') : '';
  }

  function randomId() {
    var a = new Uint8Array(8);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  /** An element with attributes and children (strings become text, never HTML). */
  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'text') e.textContent = v;
        else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
        else if (v === true) e.setAttribute(k, '');
        else e.setAttribute(k, String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
    return e;
  }

  function add(parent, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { add(parent, c); }); return; }
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }

  function api(path, body, extra) {
    var opts = { credentials: 'same-origin', headers: { 'x-herald-csrf': csrf } };
    if (body !== undefined) {
      opts.method = 'POST';
      if (body instanceof Blob || body instanceof ArrayBuffer) {
        opts.headers['content-type'] = 'application/octet-stream';
        opts.body = body;
      } else {
        opts.headers['content-type'] = 'application/json';
        opts.body = JSON.stringify(body);
      }
    }
    if (extra && extra.signal) opts.signal = extra.signal;
    return fetch(MOUNT + path, opts).then(function (r) {
      return r.text().then(function (t) {
        var data = null;
        try { data = JSON.parse(t); } catch (e) { data = { message: t }; }
        return { status: r.status, ok: r.ok, data: data };
      });
    });
  }

  function kindOf(name) {
    return S.schema.kinds.filter(function (k) { return k.name === name; })[0] || null;
  }

  function words(s) {
    s = String(s).replace(/-/g, ' ');
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  function setTitle(text) {
    heading.textContent = text;
    document.title = text + ' — Studio';
  }

  /* ------------------------------------------------------------------ list */

  function showList() {
    setTitle('Content');
    api('/api/items').then(function (r) {
      S.items = r.data.items || [];
      renderList(r.data);
    });
  }

  function renderList(data) {
    app.textContent = '';
    var kinds = S.schema.kinds;
    add(app, el('p', { class: 'lead' }, 'Everything on the portal, newest first. Choose an item to change it, or start a new one.'));
    add(app, el('ul', { class: 'new-buttons', 'aria-label': 'Start a new item' }, kinds.map(function (k) {
      return el('li', null, el('a', { class: 'button', href: MOUNT + '/new?kind=' + k.name }, 'New ' + k.name));
    })));
    if (data.site_problems && data.site_problems.length) {
      add(app, el('div', { class: 'notice notice--bad', role: 'status' },
        el('p', null, 'Problems outside the content files (fix these in a text editor):'),
        el('ul', null, data.site_problems.map(function (p) { return el('li', null, p); }))));
    }

    var attention = S.items.filter(function (it) { return reasons(it).length; });
    var order = function (it) {
      if (it.errors) return 0;
      if (it.overdue) return 1;
      if (it.lobby_ends) return 2;
      return 3;
    };
    attention.sort(function (a, b) { return order(a) - order(b); });
    var att = el('section', { class: 'attention', 'aria-labelledby': 'attention-h' },
      el('h2', { id: 'attention-h' }, 'Needs attention'));
    if (!attention.length) add(att, el('p', null, 'Nothing: no problems, nothing overdue, no drafts.'));
    else add(att, el('ul', { class: 'attention__list' }, attention.map(function (it) {
      return el('li', null, editLink(it), ' ', reasons(it).map(badge));
    })));
    add(app, att);

    var q = el('input', { id: 'filter-q', type: 'search', autocomplete: 'off' });
    var fk = select('filter-kind', [['', 'All kinds']].concat(kinds.map(function (k) { return [k.name, words(k.name)]; })));
    var ft = select('filter-team', [['', 'All teams']].concat(S.schema.teams.map(function (t) { return [t, t]; })));
    var statuses = (kindOf('milestone').fields.filter(function (f) { return f.key === 'status'; })[0] || { choices: [] }).choices;
    var fs = select('filter-status', [['', 'Any status']].concat(statuses.map(function (s) { return [s, words(s)]; })));
    var fd = select('filter-draft', [['', 'Drafts and published'], ['draft', 'Drafts only'], ['published', 'Published only']]);
    var fp = el('input', { id: 'filter-problems', type: 'checkbox' });
    var filters = el('form', { class: 'filters', role: 'search', 'aria-label': 'Filter the content', onsubmit: function (e) { e.preventDefault(); } },
      field('filter-q', 'Search by title', q),
      field('filter-kind', 'Kind', fk),
      field('filter-team', 'Team', ft),
      field('filter-status', 'Status', fs),
      field('filter-draft', 'Drafts', fd),
      el('div', { class: 'filters__check' }, fp, el('label', { for: 'filter-problems' }, 'Only items with problems')));
    var count = el('p', { class: 'count', role: 'status', 'aria-live': 'polite' });
    var table = el('table', { class: 'items' },
      el('caption', { class: 'visually-hidden' }, 'All content'),
      el('thead', null, el('tr', null, ['Title', 'Kind', 'Date', 'Teams', 'Status', 'Problems', 'On the site'].map(function (h) {
        return el('th', { scope: 'col' }, h);
      }))));
    var tbody = el('tbody');
    table.appendChild(tbody);
    var all = el('section', { 'aria-labelledby': 'all-h' }, el('h2', { id: 'all-h' }, 'All content'), filters, count, table);
    add(app, all);

    function refresh() {
      var text = q.value.trim().toLowerCase();
      var shown = S.items.filter(function (it) {
        if (text && it.title.toLowerCase().indexOf(text) < 0) return false;
        if (fk.value && it.kind !== fk.value) return false;
        if (ft.value && it.teams.indexOf(ft.value) < 0) return false;
        if (fs.value && it.status !== fs.value) return false;
        if (fd.value === 'draft' && !it.draft) return false;
        if (fd.value === 'published' && it.draft) return false;
        if (fp.checked && !(it.errors || it.warnings)) return false;
        return true;
      });
      tbody.textContent = '';
      shown.forEach(function (it) {
        tbody.appendChild(el('tr', null,
          el('th', { scope: 'row' }, editLink(it), it.draft ? ' ' : null, it.draft ? badge('draft') : null),
          el('td', null, words(it.kind)),
          el('td', null, it.date || ''),
          el('td', null, it.teams.join(', ')),
          el('td', null, it.status ? words(it.status) : ''),
          el('td', null, it.errors ? badge(it.errors + ' error' + (it.errors === 1 ? '' : 's')) : (it.warnings ? it.warnings + ' warning' + (it.warnings === 1 ? '' : 's') : 'None')),
          el('td', null, it.url ? el('a', { href: it.url }, 'View', el('span', { class: 'visually-hidden' }, ' ' + it.title)) : '')));
      });
      count.textContent = shown.length + ' of ' + S.items.length + ' items';
    }
    [q, fk, ft, fs, fd, fp].forEach(function (c) { c.addEventListener('input', refresh); c.addEventListener('change', refresh); });
    refresh();
  }

  function reasons(it) {
    var r = [];
    if (it.errors) r.push(it.errors + ' problem' + (it.errors === 1 ? '' : 's'));
    if (it.overdue) r.push('overdue');
    if (it.lobby_ends) r.push('leaves the lobby screens ' + it.lobby_ends);
    if (it.draft) r.push('draft');
    return r;
  }

  function badge(text) {
    var bad = /problem|error|overdue/.test(text);
    return el('span', { class: 'badge' + (bad ? ' badge--bad' : '') }, text);
  }

  function editLink(it) {
    return el('a', { href: MOUNT + '/edit?file=' + encodeURIComponent(it.file) }, it.title || it.file);
  }

  function select(id, options, value) {
    var s = el('select', { id: id });
    options.forEach(function (o) {
      var opt = el('option', { value: o[0] }, o[1]);
      if (value !== undefined && String(value) === String(o[0])) opt.selected = true;
      s.appendChild(opt);
    });
    return s;
  }

  function field(id, label, control, help) {
    return el('div', { class: 'field' }, el('label', { for: id }, label), control, help ? el('p', { class: 'help' }, help) : null);
  }

  /* ------------------------------------------------------------------ form */

  function showForm() {
    var file = params.get('file');
    if (view === 'edit' && file) {
      api('/api/item?file=' + encodeURIComponent(file)).then(function (r) {
        if (!r.ok) {
          setTitle('Cannot open this file');
          app.textContent = '';
          add(app, el('p', { class: 'notice notice--bad', role: 'alert' }, r.data.message || 'The file cannot be opened.'));
          if (r.data.text) add(app, field('raw', 'The file as it is', el('textarea', { id: 'raw', readonly: true, rows: 16 }, r.data.text)));
          return;
        }
        S.file = r.data.file;
        S.version = r.data.version;
        S.draftNow = !!r.data.values.draft;
        startForm(kindOf(r.data.kind), r.data.values, r.data.body);
      });
      return;
    }
    var kind = kindOf(params.get('kind') || '');
    if (!kind) {
      setTitle('New item');
      app.textContent = '';
      add(app, el('p', null, 'What would you like to write?'));
      add(app, el('ul', { class: 'kinds' }, S.schema.kinds.map(function (k) {
        return el('li', null, el('a', { href: MOUNT + '/new?kind=' + k.name }, 'New ' + k.name), ': ' + k.about);
      })));
      return;
    }
    startForm(kind, {}, kind.body);
  }

  function startForm(kind, values, body) {
    S.kind = kind;
    setTitle(S.file ? 'Edit ' + kind.name + ': ' + (values.title || S.file) : 'New ' + kind.name);
    app.textContent = '';
    api('/api/items').then(function (r) { S.items = r.data.items || []; fillLinkPicker(); });

    var status = el('p', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' },
      S.file ? 'Editing content/' + S.file + (S.draftNow ? ' (a draft)' : '') : 'Not saved yet.');
    var summary = el('div', { id: 'problems', class: 'problems', 'aria-live': 'polite' });
    var form = el('form', { id: 'item-form', class: 'item-form', novalidate: true, onsubmit: function (e) { e.preventDefault(); save(false); } });
    kind.fields.forEach(function (f) {
      if (f.key === 'draft') return;
      form.appendChild(renderField(f, f.key, values[f.key]));
    });
    form.appendChild(renderBody(body));
    var actions = el('div', { class: 'actions' },
      el('button', { type: 'submit', class: 'button button--primary', id: 'publish' }, 'Save and publish'),
      el('button', { type: 'button', class: 'button', id: 'save-draft', onclick: function () { save(true); } }, 'Save as draft'),
      S.file ? null : el('p', { class: 'help' }, 'The file name is made from the title; an existing file is never replaced.'));
    form.appendChild(actions);
    var conflict = el('div', { id: 'conflict' });

    var preview = el('section', { class: 'preview', 'aria-labelledby': 'preview-h' },
      el('h2', { id: 'preview-h' }, 'Preview'),
      el('p', { id: 'preview-note', class: 'help', 'aria-live': 'polite' }, 'The preview follows as you type.'),
      frameBox('page', 'The page', 'Preview of the page', 'frame frame--page'),
      frameBox('lobby', 'On a lobby screen (16:9)', 'Preview of the lobby slide, landscape', 'frame frame--wide', 'lobby'),
      frameBox('lobby-tall', 'On a portrait lobby screen (9:16)', 'Preview of the lobby slide, portrait', 'frame frame--tall', 'lobby'),
      frameBox('email', 'In the monthly email', 'Preview of the monthly email', 'frame frame--page'));

    add(app, el('div', { class: 'editor' },
      el('div', { class: 'editor__form' }, status, summary, conflict, form),
      preview));
    form.addEventListener('input', changed);
    form.addEventListener('change', changed);
    schedule(0);
  }

  function frameBox(id, label, title, cls) {
    var frame = el('iframe', { id: 'frame-' + id, title: title, class: cls, src: 'about:blank', loading: 'lazy' });
    return el('figure', { class: 'frame-box frame-box--' + id, id: 'box-' + id },
      el('figcaption', null, label),
      el('div', { class: 'frame-clip' }, frame));
  }

  function idFor(path) { return 'f-' + path.replace(/\./g, '-'); }

  function fieldShell(f, path, control, extra) {
    var id = idFor(path);
    var helpId = id + '-help';
    var probId = id + '-problem';
    var req = f.required === true;
    if (control) {
      control.setAttribute('aria-describedby', helpId + ' ' + probId);
      if (req) control.setAttribute('aria-required', 'true');
    }
    return el('div', { class: 'field', 'data-key': path },
      el('label', { for: id }, f.label), req ? el('span', { class: 'req' }, ' needed') : null,
      control, extra || null,
      el('p', { class: 'help', id: helpId }, f.help),
      el('p', { class: 'problem', id: probId, hidden: true }));
  }

  function renderField(f, path, value) {
    var id = idFor(path);
    var control;
    switch (f.type) {
      case 'table': return renderTable(f, path, value || {});
      case 'tables': return renderRows(f, path, value || []);
      case 'bool': {
        var checked = value === undefined ? f.default === true : !!value;
        control = el('input', { id: id, type: 'checkbox', 'data-path': path, 'data-type': 'bool', checked: checked });
        var helpId = id + '-help', probId = id + '-problem';
        control.setAttribute('aria-describedby', helpId + ' ' + probId);
        return el('div', { class: 'field field--check', 'data-key': path },
          control, el('label', { for: id }, f.label),
          el('p', { class: 'help', id: helpId }, f.help),
          el('p', { class: 'problem', id: probId, hidden: true }));
      }
      case 'choice': {
        var opts = (f.required === true ? [] : [['', f.default ? words(f.default) + ' (the usual)' : '(none)']])
          .concat(f.choices.map(function (c) { return [c, words(c)]; }));
        control = select(id, opts, value === undefined ? (f.required === true ? f.choices[0] : '') : value);
        break;
      }
      case 'longtext':
        control = el('textarea', { id: id, rows: 3 });
        control.value = value || '';
        break;
      case 'texts':
        return renderTexts(f, path, value || []);
      case 'date': {
        control = el('input', { id: id, type: 'text', inputmode: 'numeric', autocomplete: 'off', placeholder: 'YYYY-MM-DD', value: value || '' });
        var cal = el('input', { id: id + '-cal', type: 'date', class: 'calendar', tabindex: '-1' });
        if (/^\d{4}-\d{2}-\d{2}$/.test(value || '')) cal.value = value;
        cal.addEventListener('change', function () { control.value = cal.value; control.dispatchEvent(new Event('input', { bubbles: true })); });
        control.addEventListener('input', function () { if (/^\d{4}-\d{2}-\d{2}$/.test(control.value)) cal.value = control.value; });
        control.setAttribute('data-path', path);
        control.setAttribute('data-type', f.type);
        return fieldShell(f, path, control, el('span', { class: 'calendar-box' }, el('label', { for: id + '-cal', class: 'calendar-label' }, 'or pick a day'), cal));
      }
      default: {
        var src = f.source;
        if (src === 'teams' && S.schema.teams.length) {
          control = select(id, [['', '(choose a team)']].concat(S.schema.teams.map(function (t) { return [t, t]; })), value || '');
          if (value && S.schema.teams.indexOf(value) < 0) control.appendChild(el('option', { value: value, selected: true }, value + ' (not a team in site.toml)'));
        } else if (src && src.entry) {
          var list = S.schema.entries[src.entry] || [];
          control = select(id, [['', '(none)']].concat(list.map(function (e) { return [e.slug, e.title + ' (' + e.slug + ')']; })), value || '');
          if (value && !list.some(function (e) { return e.slug === value; })) control.appendChild(el('option', { value: value, selected: true }, value + ' (not found)'));
        } else {
          control = el('input', { id: id, type: 'text', autocomplete: 'off', value: value === undefined ? '' : String(value) });
          if (f.type === 'moment') control.setAttribute('placeholder', '2026-03-14 or 2026-03-14T09:00:00');
          if (f.type === 'number') control.setAttribute('inputmode', 'decimal');
          if (f.type === 'figure') control.setAttribute('maxlength', String(f.max + 10));
        }
        if (src === 'file') {
          control.setAttribute('data-path', path);
          control.setAttribute('data-type', f.type);
          var up = el('input', { id: id + '-upload', type: 'file', accept: 'image/jpeg,image/png,image/webp,image/gif' });
          up.addEventListener('change', function () {
            if (up.files && up.files[0]) upload(up.files[0], function (name) { control.value = name; changed(); });
          });
          return fieldShell(f, path, control, el('span', { class: 'upload' }, el('label', { for: id + '-upload' }, 'Choose a picture to add'), up));
        }
      }
    }
    control.setAttribute('data-path', path);
    control.setAttribute('data-type', f.type);
    return fieldShell(f, path, control);
  }

  /** A list of text values: teams and screens as boxes to tick, the rest typed. */
  function renderTexts(f, path, value) {
    var id = idFor(path);
    var choices = f.source === 'teams' ? S.schema.teams : f.source === 'screens' ? S.schema.screens : null;
    if (choices && choices.length) {
      var all = choices.concat(value.filter(function (v) { return choices.indexOf(v) < 0; }));
      var probId = id + '-problem', helpId = id + '-help';
      return el('fieldset', { class: 'field field--boxes', 'data-key': path, 'data-path': path, 'data-type': 'boxes', id: id, 'aria-describedby': helpId + ' ' + probId },
        el('legend', null, f.label, f.required === true ? el('span', { class: 'req' }, ' (needed)') : null),
        el('div', { class: 'boxes' }, all.map(function (c, i) {
          var bid = id + '-' + i;
          return el('span', { class: 'box' },
            el('input', { type: 'checkbox', id: bid, value: c, checked: value.indexOf(c) >= 0 }),
            el('label', { for: bid }, c + (choices.indexOf(c) < 0 ? ' (not in site.toml)' : '')));
        })),
        el('p', { class: 'help', id: helpId }, f.help),
        el('p', { class: 'problem', id: probId, hidden: true }));
    }
    var input;
    if (f.source === 'tags') {
      input = el('input', { id: id, type: 'text', autocomplete: 'off', value: value.join(', '), 'data-path': path, 'data-type': 'commas' });
      var sugg = S.schema.tags.slice(0, 16);
      var chips = sugg.length ? el('p', { class: 'chips' }, el('span', { class: 'chips__label' }, 'Tags in use: '), sugg.map(function (t) {
        return el('button', { type: 'button', class: 'chip', onclick: function () {
          var have = input.value.split(',').map(function (s) { return s.trim(); }).filter(Boolean);
          if (have.indexOf(t) < 0) have.push(t);
          input.value = have.join(', ');
          changed();
        } }, el('span', { class: 'visually-hidden' }, 'Add the tag '), t);
      })) : null;
      var shell = fieldShell(f, path, input, chips);
      shell.querySelector('.help').textContent = f.help + ' Separate them with commas.';
      return shell;
    }
    input = el('textarea', { id: id, rows: 2, 'data-path': path, 'data-type': 'lines' });
    input.value = value.join('\n');
    var s2 = fieldShell(f, path, input);
    s2.querySelector('.help').textContent = f.help + ' One per line.';
    return s2;
  }

  function renderTable(f, path, value) {
    var id = idFor(path);
    return el('fieldset', { class: 'group', 'data-key': path, id: id },
      el('legend', null, f.label),
      el('p', { class: 'help' }, f.help + ' Leave it all empty if there is none.'),
      f.fields.map(function (c) { return renderField(c, path + '.' + c.key, value[c.key]); }),
      el('p', { class: 'problem', id: id + '-problem', hidden: true }));
  }

  /** A list of tables (a milestone's tasks) as a table with rows to add and remove. */
  function renderRows(f, path, rows) {
    var id = idFor(path);
    var wrap = el('fieldset', { class: 'group group--rows', 'data-key': path, id: id, 'data-path': path, 'data-type': 'rows' });
    function draw(list) {
      wrap.textContent = '';
      add(wrap, el('legend', null, f.label));
      add(wrap, el('p', { class: 'help' }, f.help));
      var head = el('tr', null, el('th', { scope: 'col' }, 'Row'), f.fields.map(function (c) {
        return el('th', { scope: 'col', id: id + '-h-' + c.key }, c.label);
      }), el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, 'Remove')));
      var body = el('tbody');
      list.forEach(function (row, i) {
        var rowId = id + '-r' + i;
        var tr = el('tr', { 'data-row': i }, el('th', { scope: 'row', id: rowId }, String(i + 1)));
        f.fields.forEach(function (c) {
          var p = path + '.' + i + '.' + c.key;
          var cid = idFor(p);
          var v = row[c.key];
          var ctl;
          if (c.type === 'bool') ctl = el('input', { type: 'checkbox', id: cid, checked: !!v });
          else if (c.source === 'teams' && S.schema.teams.length) {
            ctl = select(cid, [['', '(team)']].concat(S.schema.teams.map(function (t) { return [t, t]; })), v || '');
            if (v && S.schema.teams.indexOf(v) < 0) ctl.appendChild(el('option', { value: v, selected: true }, v));
          } else ctl = el('input', { type: 'text', id: cid, autocomplete: 'off', value: v === undefined ? '' : String(v), placeholder: c.type === 'date' ? 'YYYY-MM-DD' : null, class: c.type === 'text' ? 'wide' : null });
          ctl.setAttribute('data-path', p);
          ctl.setAttribute('data-type', c.type);
          ctl.setAttribute('aria-labelledby', id + '-h-' + c.key + ' ' + rowId);
          ctl.setAttribute('aria-describedby', cid + '-problem');
          tr.appendChild(el('td', { 'data-key': p }, ctl, el('p', { class: 'problem', id: cid + '-problem', hidden: true })));
        });
        tr.appendChild(el('td', null, el('button', { type: 'button', class: 'button button--small', onclick: function () {
          var now = readRows(f, path);
          now.splice(i, 1);
          draw(now);
          changed();
        } }, 'Remove', el('span', { class: 'visually-hidden' }, ' row ' + (i + 1)))));
        body.appendChild(tr);
      });
      add(wrap, el('div', { class: 'rows-scroll' }, el('table', { class: 'rows' },
        el('caption', { class: 'visually-hidden' }, f.label), el('thead', null, head), body)));
      add(wrap, el('button', { type: 'button', class: 'button button--small', onclick: function () {
        var now = readRows(f, path);
        now.push({});
        draw(now);
        changed();
        var first = wrap.querySelector('tr[data-row="' + (now.length - 1) + '"] select, tr[data-row="' + (now.length - 1) + '"] input');
        if (first) first.focus();
      } }, 'Add a row'));
      add(wrap, el('p', { class: 'problem', id: id + '-problem', hidden: true }));
    }
    draw(rows.slice());
    return wrap;
  }

  function readRows(f, path) {
    var out = [];
    var wrap = document.getElementById(idFor(path));
    if (!wrap) return out;
    wrap.querySelectorAll('tr[data-row]').forEach(function (tr) {
      var i = tr.getAttribute('data-row');
      var row = {};
      f.fields.forEach(function (c) {
        var ctl = document.getElementById(idFor(path + '.' + i + '.' + c.key));
        if (!ctl) return;
        if (c.type === 'bool') { if (ctl.checked) row[c.key] = true; } else if (ctl.value.trim() !== '') row[c.key] = ctl.value;
      });
      out.push(row);
    });
    return out;
  }

  function renderBody(body) {
    var ta = el('textarea', { id: 'f-body', rows: 14, 'aria-describedby': 'f-body-help f-body-problem' });
    ta.value = body || '';
    function wrapSel(before, after, placeholder) {
      var s = ta.selectionStart, e = ta.selectionEnd;
      var sel = ta.value.slice(s, e) || placeholder;
      ta.setRangeText(before + sel + after, s, e, 'end');
      ta.focus();
      changed();
    }
    function linePrefix(prefix) {
      var s = ta.selectionStart;
      var start = ta.value.lastIndexOf('\n', s - 1) + 1;
      ta.setRangeText(prefix, start, start, 'end');
      ta.focus();
      changed();
    }
    var linkTo = el('select', { id: 'link-to' }, el('option', { value: '' }, '(choose an item)'));
    var up = el('input', { id: 'body-upload', type: 'file', accept: 'image/jpeg,image/png,image/webp,image/gif' });
    up.addEventListener('change', function () {
      if (up.files && up.files[0]) upload(up.files[0], function (name) { wrapSel('![', '](' + name + ')', 'Describe the picture'); });
    });
    ta.addEventListener('dragover', function (e) { e.preventDefault(); });
    ta.addEventListener('drop', function (e) {
      var f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
      if (!f) return;
      e.preventDefault();
      upload(f, function (name) { wrapSel('![', '](' + name + ')', 'Describe the picture'); });
    });
    var toolbar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Format the story', 'aria-controls': 'f-body' },
      el('button', { type: 'button', class: 'button button--small', onclick: function () { wrapSel('**', '**', 'bold text'); } }, 'Bold'),
      el('button', { type: 'button', class: 'button button--small', onclick: function () { linePrefix('## '); } }, 'Heading'),
      el('button', { type: 'button', class: 'button button--small', onclick: function () { linePrefix('- '); } }, 'List'),
      el('button', { type: 'button', class: 'button button--small', onclick: function () { wrapSel('[', '](https://)', 'link text'); } }, 'Link'),
      el('button', { type: 'button', class: 'button button--small', onclick: function () { up.click(); } }, 'Picture'));
    var picker = el('div', { class: 'link-picker' },
      el('label', { for: 'link-to' }, 'Link to other content'), linkTo,
      el('button', { type: 'button', class: 'button button--small', id: 'insert-link', onclick: function () {
        var it = S.items.filter(function (x) { return x.file === linkTo.value; })[0];
        if (!it) return;
        wrapSel('[', '](@/' + it.file + ')', it.title);
      } }, 'Insert the link'),
      el('span', { class: 'upload' }, el('label', { for: 'body-upload' }, 'Add a picture to the story'), up));
    return el('div', { class: 'field field--body', 'data-key': 'body' },
      el('label', { for: 'f-body' }, 'The story (Markdown)'),
      toolbar, ta, picker,
      el('p', { class: 'help', id: 'f-body-help' }, 'Plain text with **bold**, ## headings and - lists. Drop a picture here to add it.'),
      el('p', { class: 'problem', id: 'f-body-problem', hidden: true }));
  }

  function fillLinkPicker() {
    var s = document.getElementById('link-to');
    if (!s) return;
    S.items.filter(function (it) { return it.kind !== 'announcement' && !it.unreadable; }).forEach(function (it) {
      s.appendChild(el('option', { value: it.file }, words(it.kind) + ': ' + it.title));
    });
  }

  /* ------------------------------------------------------- values, checks */

  function collect() {
    var values = {};
    S.kind.fields.forEach(function (f) {
      if (f.key === 'draft') return;
      values[f.key] = read(f, f.key);
    });
    var body = document.getElementById('f-body');
    return { values: values, body: body ? body.value : '' };
  }

  function read(f, path) {
    if (f.type === 'table') {
      var o = {};
      f.fields.forEach(function (c) { o[c.key] = read(c, path + '.' + c.key); });
      return o;
    }
    if (f.type === 'tables') return readRows(f, path);
    var ctl = document.getElementById(idFor(path));
    if (!ctl) return null;
    var t = ctl.getAttribute('data-type');
    if (t === 'bool') return ctl.checked;
    if (t === 'boxes') {
      return Array.prototype.filter.call(ctl.querySelectorAll('input[type=checkbox]'), function (b) { return b.checked; })
        .map(function (b) { return b.value; });
    }
    if (t === 'commas') return ctl.value.split(',').map(function (s) { return s.trim(); }).filter(Boolean);
    if (t === 'lines') return ctl.value.split('\n').map(function (s) { return s.trim(); }).filter(Boolean);
    return ctl.value;
  }

  function request(draft) {
    var c = collect();
    return { kind: S.kind.name, file: S.file, pid: S.pid, version: S.version, draft: draft, values: c.values, body: c.body };
  }

  function changed(e) {
    // A key the author has not come to yet is not "missing" under its field until they save.
    var t = e && e.target;
    var key = t && t.closest && t.closest('[data-key]');
    if (key) S.touched[key.getAttribute('data-key')] = true;
    S.dirty = true;
    schedule(300);
  }

  function schedule(ms) {
    clearTimeout(S.timer);
    S.timer = setTimeout(check, ms);
  }

  function check() {
    if (S.inflight) S.inflight.abort();
    var ctrl = new AbortController();
    S.inflight = ctrl;
    api('/api/preview', request(false), { signal: ctrl.signal }).then(function (r) {
      if (S.inflight !== ctrl) return;
      S.inflight = null;
      if (!r.ok) { showProblems([{ severity: 'error', key: null, message: r.data.message, hint: null }]); return; }
      if (r.data.serial < S.serial) return;
      S.serial = r.data.serial;
      showProblems(r.data.problems, r.data.others);
      refreshFrames(r.data);
    }).catch(function () { /* aborted by a newer check */ });
  }

  function clearProblems() {
    document.querySelectorAll('.problem').forEach(function (p) { p.hidden = true; p.textContent = ''; });
    document.querySelectorAll('[aria-invalid]').forEach(function (c) { c.removeAttribute('aria-invalid'); });
  }

  function slotFor(key) {
    if (!key) return null;
    var parts = key.split('.');
    while (parts.length) {
      var slot = document.getElementById(idFor(parts.join('.')) + '-problem');
      if (slot) return slot;
      parts.pop();
    }
    return null;
  }

  function showProblems(problems, others) {
    clearProblems();
    var box = document.getElementById('problems');
    box.textContent = '';
    var loose = [];
    var errors = 0;
    problems.forEach(function (p) {
      if (p.severity === 'error') errors++;
      var slot = slotFor(p.key);
      if (slot && !S.tried && !S.file && /is missing required key/.test(p.message) && !S.touched[p.key]) return;
      var text = (p.severity === 'error' ? '' : 'Warning: ') + p.message + (p.hint ? '. ' + p.hint.charAt(0).toUpperCase() + p.hint.slice(1) : '');
      if (slot) {
        slot.hidden = false;
        if (slot.textContent) slot.appendChild(document.createElement('br'));
        slot.appendChild(document.createTextNode(text));
        slot.classList.toggle('problem--warning', p.severity !== 'error');
        var ctl = document.getElementById(slot.id.replace(/-problem$/, ''));
        if (ctl && p.severity === 'error') ctl.setAttribute('aria-invalid', 'true');
      } else loose.push(text);
    });
    if (loose.length) add(box, el('div', { class: 'notice notice--bad' }, el('ul', null, loose.map(function (t) { return el('li', null, t); }))));
    if (others) add(box, el('p', { class: 'notice' }, 'Other files of the site have ' + others + ' error' + (others === 1 ? '' : 's') + '; the site is not rebuilt until they are fixed.'));
    var status = document.getElementById('status');
    if (status && !S.savedJustNow) {
      status.textContent = errors ? errors + ' problem' + (errors === 1 ? '' : 's') + ' to fix before publishing' : (S.file ? 'No problems. ' + (S.dirty ? 'Not saved yet.' : 'Saved.') : 'No problems. Not saved yet.');
    }
    S.savedJustNow = false;
  }

  function refreshFrames(data) {
    var s = '?s=' + data.serial;
    var set = function (id, which, shown, extra) {
      var box = document.getElementById('box-' + id);
      var frame = document.getElementById('frame-' + id);
      if (!box || !frame) return;
      box.hidden = !shown;
      if (shown) frame.src = MOUNT + '/preview/' + S.pid + '/' + which + s + (extra || '');
    };
    var only = S.kind.name + ':' + (data.file || '').replace(/\.md$/, '').replace(/\/index$/, '');
    set('page', 'page', data.shown.page);
    set('lobby', 'lobby', data.shown.lobby, '&only=' + encodeURIComponent(only));
    set('lobby-tall', 'lobby', data.shown.lobby, '&only=' + encodeURIComponent(only));
    var title = (document.getElementById('f-title') || {}).value || '';
    set('email', 'email', data.shown.email, '#find=' + encodeURIComponent(title.trim()));
    var note = document.getElementById('preview-note');
    var parts = [];
    if (!data.shown.page && S.kind.name !== 'announcement') parts.push('The page preview waits until the problems are fixed.');
    if (data.lobby_note) parts.push(data.lobby_note);
    if (!data.shown.email && S.kind.name === 'improvement') parts.push('The monthly email shows this once its month has a digest.');
    note.textContent = parts.join(' ') || 'The preview follows as you type.';
  }

  /* ----------------------------------------------------------- saving */

  function save(draft) {
    clearTimeout(S.timer);
    S.tried = true;
    var status = document.getElementById('status');
    status.textContent = 'Saving…';
    document.getElementById('conflict').textContent = '';
    api('/api/save', request(draft)).then(function (r) {
      if (r.status === 409 && r.data.theirs !== undefined) { showConflict(r.data); status.textContent = 'Not saved: the file changed on disk.'; return; }
      if (r.status === 422 && r.data.problems) {
        showProblems(r.data.problems);
        status.textContent = r.data.message;
        return;
      }
      if (!r.ok) { status.textContent = 'Not saved: ' + (r.data.message || r.status); return; }
      var wasNew = !S.file;
      S.file = r.data.file;
      S.version = r.data.version;
      S.draftNow = draft;
      S.dirty = false;
      S.savedJustNow = true;
      if (wasNew) history.replaceState(null, '', MOUNT + '/edit?file=' + encodeURIComponent(S.file));
      status.textContent = (draft ? 'Saved as a draft: ' : 'Saved and published: ') + 'content/' + S.file + (draft ? '' : '. The site is rebuilt in a moment.');
      schedule(0);
    });
  }

  function showConflict(data) {
    var box = document.getElementById('conflict');
    box.textContent = '';
    var theirs = el('textarea', { id: 'theirs', readonly: true, rows: 12 });
    theirs.value = data.theirs;
    var yours = el('textarea', { id: 'yours', readonly: true, rows: 12 });
    yours.value = data.yours;
    add(box, el('section', { class: 'notice notice--bad', role: 'alert', 'aria-labelledby': 'conflict-h' },
      el('h2', { id: 'conflict-h' }, 'Someone else changed this file'),
      el('p', null, data.message),
      el('div', { class: 'conflict' }, field('theirs', 'On disk now', theirs), field('yours', 'Your version (not saved)', yours)),
      el('button', { type: 'button', class: 'button', onclick: function () { location.reload(); } }, 'Open the version on disk')));
  }

  function upload(file, done) {
    var status = document.getElementById('status');
    if (!S.file) { status.textContent = 'Save the item first (as a draft is fine), then add pictures.'; return; }
    if (file.size > S.schema.limits.upload) { status.textContent = 'The picture is too large: at most ' + Math.round(S.schema.limits.upload / 1048576) + ' MB.'; return; }
    status.textContent = 'Adding the picture…';
    api('/api/upload?file=' + encodeURIComponent(S.file) + '&name=' + encodeURIComponent(file.name), file).then(function (r) {
      if (!r.ok) { status.textContent = 'The picture was not added: ' + r.data.message; return; }
      S.file = r.data.file;
      S.version = r.data.version;
      history.replaceState(null, '', MOUNT + '/edit?file=' + encodeURIComponent(S.file));
      status.textContent = 'Added ' + r.data.name + ' beside the item.';
      done(r.data.name);
    });
  }

  window.addEventListener('beforeunload', function (e) {
    if (S.dirty) { e.preventDefault(); e.returnValue = ''; }
  });

  /* ------------------------------------------------------------- start */

  api('/api/schema').then(function (r) {
    if (!r.ok) { app.textContent = r.data.message || 'The studio cannot start.'; return; }
    S.schema = r.data;
    if (view === 'list') showList();
    else showForm();
  });
})();
