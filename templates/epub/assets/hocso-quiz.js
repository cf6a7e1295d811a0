/* hocso EPUB quizzes: where the reading app runs scripts, each question's list of options becomes radio buttons or
   check boxes (a text field for fill-in questions) with a Check button and the author's feedback. Without scripts the
   lesson shows the plain list and the answer key at the end of the book. ES5, no storage, no network. */
(function () {
  'use strict';
  var XHTML = 'http://www.w3.org/1999/xhtml';
  var dataElement = document.getElementById('hocso-quizzes');
  if (!dataElement || !document.querySelector || !window.JSON) return;
  var data;
  try {
    data = JSON.parse(dataElement.textContent);
  } catch (e) {
    return;
  }
  var t = data.strings || {};

  function make(tag, className) {
    var el = document.createElementNS ? document.createElementNS(XHTML, tag) : document.createElement(tag);
    if (className) el.setAttribute('class', className);
    return el;
  }

  function hide(el, hidden) {
    if (hidden) el.setAttribute('hidden', 'hidden');
    else el.removeAttribute('hidden');
  }

  /* Feedback is XHTML markup: parsed as XML and imported; where that fails, its plain text. */
  function setMarkup(el, markup, text) {
    while (el.firstChild) el.removeChild(el.firstChild);
    try {
      var doc = new window.DOMParser().parseFromString('<div xmlns="' + XHTML + '">' + markup + '</div>', 'application/xhtml+xml');
      if (doc.getElementsByTagName('parsererror').length) throw new Error('not XHTML');
      for (var n = doc.documentElement.firstChild; n; n = n.nextSibling) el.appendChild(document.importNode(n, true));
    } catch (e) {
      el.textContent = text || '';
    }
  }

  function normalize(value) {
    var s = String(value);
    if (s.normalize) s = s.normalize('NFC');
    return s.replace(/\s+/g, ' ').replace(/^ | $/g, '').toLowerCase();
  }

  function choiceById(quiz, id) {
    for (var i = 0; i < quiz.choices.length; i++) if (quiz.choices[i].id === id) return quiz.choices[i];
    return null;
  }

  function enhance(section, quiz) {
    var base = 'quiz-' + quiz.id;
    var link = section.querySelector('.quiz-answer-link');
    var status = make('p', 'quiz-feedback');
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    var inputs = [];
    var feedbacks = {};
    var field = null;
    if (quiz.type === 'fill') {
      var box = make('p', 'quiz-fill');
      var label = make('label');
      label.setAttribute('for', base + '-answer');
      label.appendChild(document.createTextNode(t.answerLabel || ''));
      field = make('input');
      field.setAttribute('type', 'text');
      field.setAttribute('id', base + '-answer');
      field.setAttribute('autocomplete', 'off');
      field.setAttribute('spellcheck', 'false');
      box.appendChild(label);
      box.appendChild(field);
      section.insertBefore(box, link);
      var fillFeedback = make('div', 'choice-feedback');
      hide(fillFeedback, true);
      section.insertBefore(fillFeedback, link);
      feedbacks[''] = fillFeedback;
    } else {
      var items = section.querySelectorAll('.quiz-choice');
      for (var i = 0; i < items.length; i++) {
        var item = items[i];
        var id = item.getAttribute('data-choice');
        var input = make('input');
        input.setAttribute('type', quiz.type === 'multiple' ? 'checkbox' : 'radio');
        input.setAttribute('name', base);
        input.setAttribute('value', id);
        input.setAttribute('id', base + '-' + id + '-input');
        var choiceLabel = make('label');
        choiceLabel.setAttribute('for', base + '-' + id + '-input');
        while (item.firstChild) choiceLabel.appendChild(item.firstChild);
        item.appendChild(input);
        item.appendChild(choiceLabel);
        var feedback = make('div', 'choice-feedback');
        hide(feedback, true);
        item.appendChild(feedback);
        feedbacks[id] = feedback;
        inputs.push(input);
      }
    }
    var actions = make('p', 'quiz-actions');
    var check = make('button', 'quiz-check');
    check.setAttribute('type', 'button');
    check.appendChild(document.createTextNode(t.check || 'OK'));
    actions.appendChild(check);
    section.insertBefore(actions, link);
    section.insertBefore(status, link);

    function show(id, choice) {
      var el = feedbacks[id];
      if (!el) return;
      if (choice && choice.feedback) {
        setMarkup(el, choice.feedback, choice.feedbackText);
        hide(el, false);
      } else hide(el, true);
    }

    check.addEventListener('click', function () {
      var key;
      for (key in feedbacks) if (Object.prototype.hasOwnProperty.call(feedbacks, key)) hide(feedbacks[key], true);
      var right = false;
      if (quiz.type === 'fill') {
        var typed = normalize(field.value);
        if (!typed) {
          status.textContent = t.typeAnswer || '';
          return;
        }
        var match = null;
        for (var j = 0; j < quiz.choices.length; j++) if (normalize(quiz.choices[j].text) === typed) match = quiz.choices[j];
        right = Boolean(match && match.correct);
        show('', match);
      } else {
        var chosen = 0;
        right = true;
        for (var k = 0; k < inputs.length; k++) {
          var choice = choiceById(quiz, inputs[k].value);
          var on = inputs[k].checked;
          if (on) {
            chosen++;
            show(inputs[k].value, choice);
          }
          if (choice && on !== Boolean(choice.correct)) right = false;
        }
        if (!chosen) {
          status.textContent = t.chooseOne || '';
          return;
        }
      }
      status.textContent = right ? t.correct || '' : t.incorrect || '';
    });
    section.setAttribute('class', section.getAttribute('class') + ' quiz-enhanced');
  }

  for (var q = 0; q < data.quizzes.length; q++) {
    var quiz = data.quizzes[q];
    var section = document.getElementById('quiz-' + quiz.id);
    if (section && section.querySelector('.quiz-answer-link')) enhance(section, quiz);
  }
})();
