/* Select2, which draws CKAN's licence and tag fields, puts a combobox of its
 * own beside the field it replaces, with no name: give it the field's label
 * (WCAG 4.1.2), whenever Select2 draws or redraws it: Select2 4 (CKAN 2.12)
 * and Select2 3.5 (CKAN 2.11). */
(function () {
  'use strict';

  var FRENCH = (document.documentElement.lang || '').indexOf('fr') === 0;

  function labelOf(field) {
    var label = field.id && document.querySelector('label[for="' + field.id + '"]');
    return label ? label.textContent.replace(/\*/g, ' ').replace(/\s+/g, ' ').trim() : '';
  }

  function fieldOf(container) {
    // Select2 3.5 names its container after the field, Select2 4 follows it
    if (container.id && container.id.indexOf('s2id_') === 0) {
      return document.getElementById(container.id.slice(5));
    }
    var field = container.previousElementSibling;
    return field && field.classList.contains('select2-hidden-accessible') ? field : null;
  }

  function nameAll() {
    var containers = document.querySelectorAll('.select2-container');
    Array.prototype.forEach.call(containers, function (container) {
      var field = fieldOf(container);
      var name = field ? labelOf(field) : '';
      if (!name) {
        return;
      }
      var widgets = container.querySelectorAll(
        '.select2-selection, .select2-selection__rendered[role], a.select2-choice');
      Array.prototype.forEach.call(widgets, function (widget) {
        named(widget, name);
      });
      // Select2 3.5's cross that removes a chosen tag
      var crosses = container.querySelectorAll('.select2-search-choice-close');
      Array.prototype.forEach.call(crosses, function (cross) {
        var choice = cross.parentNode.textContent.replace(/\s+/g, ' ').trim();
        named(cross, (FRENCH ? 'Retirer « ' + choice + ' »' : 'Remove ' + choice));
      });
    });
  }

  function named(element, name) {
    if (element.getAttribute('aria-label') !== name) {
      element.setAttribute('aria-label', name);
    }
  }

  function start() {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, {childList: true, subtree: true});
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
