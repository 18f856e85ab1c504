/**
 * The gallery's one script (progressive enhancement: every page works without it). It turns each
 * snippet list into tabs (arrow keys move between them, as the WAI-ARIA tabs pattern has it) and
 * shows the copy buttons, which copy a snippet with the Clipboard API, falling back to a selection
 * copy where that API is missing. It is served from the feed; pages allow no other script.
 */
export const GALLERY_JS = `'use strict';
(function () {
  function select(tabs, panels, chosen, focus) {
    tabs.forEach(function (tab, i) {
      var on = i === chosen;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      panels[i].hidden = !on;
    });
    if (focus) tabs[chosen].focus();
  }
  document.querySelectorAll('[data-tabs]').forEach(function (group) {
    var list = group.querySelector('[role=tablist]');
    var tabs = Array.prototype.slice.call(group.querySelectorAll('[role=tab]'));
    var panels = tabs.map(function (tab) { return document.getElementById(tab.getAttribute('aria-controls')); });
    if (!list || tabs.length === 0 || panels.indexOf(null) >= 0) return;
    list.hidden = false;
    group.classList.add('tabbed');
    select(tabs, panels, 0, false);
    tabs.forEach(function (tab, i) {
      tab.addEventListener('click', function () { select(tabs, panels, i, false); });
      tab.addEventListener('keydown', function (event) {
        var step = { ArrowRight: 1, ArrowLeft: -1, Home: -i, End: tabs.length - 1 - i }[event.key];
        if (step === undefined) return;
        event.preventDefault();
        select(tabs, panels, (i + step + tabs.length) % tabs.length, true);
      });
    });
  });
  function fallbackCopy(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    var done = document.execCommand('copy');
    area.remove();
    return done ? Promise.resolve() : Promise.reject(new Error('copy refused'));
  }
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source) return;
    button.hidden = false;
    button.setAttribute('aria-label', 'Copy to clipboard');
    button.addEventListener('click', function () {
      var text = source.textContent || '';
      var copy = navigator.clipboard && window.isSecureContext ? navigator.clipboard.writeText(text) : fallbackCopy(text);
      copy.then(function () { return 'Copied'; }, function () { return 'Copy failed'; }).then(function (label) {
        button.textContent = label;
        setTimeout(function () { button.textContent = 'Copy'; }, 2000);
      });
    });
  });
})();
`;
