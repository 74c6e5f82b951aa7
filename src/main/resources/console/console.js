// Progressive enhancement only: every page works without it. Keyboard shortcuts on a review item
// (m: match, n: not a match, g: new golden record, j: next item), ignored while typing in a field.
document.addEventListener('keydown', function (e) {
  if (e.ctrlKey || e.metaKey || e.altKey) { return; }
  var t = e.target;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) {
    return;
  }
  var targets = { m: 'decide-match', n: 'decide-no-match', g: 'decide-new-golden', j: 'next-item' };
  var id = targets[e.key];
  var el = id && document.getElementById(id);
  if (el) {
    e.preventDefault();
    el.click();
  }
});
