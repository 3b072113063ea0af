// Announcement banners on intranet pages: shown while live (judged by the reader's clock, so a
// build from last week still expires them on time), dismissible until their text changes.
(function () {
  'use strict';
  var root = document.querySelector('.announcements');
  if (!root) return;
  var items = Array.prototype.slice.call(root.querySelectorAll('.announcement'));
  function key(el) { return 'herald-dismissed-' + el.getAttribute('data-key'); }
  function dismissed(el) {
    try { return window.localStorage.getItem(key(el)) === '1'; } catch (e) { return false; }
  }
  function update() {
    var now = Date.now();
    items.forEach(function (el) {
      var live = now >= Number(el.getAttribute('data-from')) && now < Number(el.getAttribute('data-until'));
      el.hidden = !live || dismissed(el);
    });
  }
  items.forEach(function (el) {
    var button = el.querySelector('.announcement__close');
    if (!button) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      try { window.localStorage.setItem(key(el), '1'); } catch (e) { /* private mode: hide for this page only */ }
      el.hidden = true;
    });
  });
  update();
  window.setInterval(update, 60000);
})();
