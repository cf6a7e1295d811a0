// @ts-check
// hocso quizzes + progress. No deps, file://, ES5 for old phones. Adapters: window.hocso, hocso:* events.
/**
 * @typedef {{ id: string, correct?: boolean, feedbackHtml?: string, text?: string }} Choice
 * @typedef {{ id: string, type?: string, choices?: Choice[], answers?: string[] }} QuizData
 * @typedef {{ course?: string, lesson?: string | null, masteryScore?: number,
 *   strings?: Record<string, string>, quizzes?: QuizData[], lessons?: string[] }} Data
 * @typedef {{ answers: Record<string, string[]>, results: Record<string, boolean>,
 *   completed: boolean, score: number | null, visited: boolean }} State
 * @typedef {{ id: string, d: QuizData, type: string, fill: boolean, inputs: HTMLInputElement[],
 *   fb: HTMLElement | null, retry: HTMLElement | null }} Quiz
 */
(function () {
  'use strict';
  var doc = document;
  var body = doc.body;
  /** @type {Record<string, string>} in case localStorage throws */
  var mem = {};

  /** @param {string} m */
  function warn(m) {
    if (window.console) console.warn('hocso: ' + m);
  }
  /** @param {ParentNode} root @param {string} sel @return {any[]} */
  function all(root, sel) {
    return [].slice.call(root.querySelectorAll(sel));
  }
  /** @template T @param {T[] | undefined} list @param {(x: T) => boolean} test @return {T | undefined} */
  function find(list, test) {
    return (list || []).filter(test)[0];
  }
  /** @param {*} s */
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return '&#' + c.charCodeAt(0) + ';';
    });
  }
  /** @param {*} s */
  function norm(s) {
    s = String(s);
    return (s.normalize ? s.normalize('NFC') : s).replace(/\s+/g, ' ').replace(/^ | $/g, '').toLocaleLowerCase('vi');
  }

  /** @type {Data} */
  var data = {};
  var el = doc.getElementById('hocso-data');
  try {
    data = obj(JSON.parse((el && el.textContent) || ''));
  } catch (e) {
    warn('no #hocso-data');
  }
  var course = data.course || body.getAttribute('data-course') || '';
  var lesson = data.lesson || body.getAttribute('data-lesson');

  /** @param {string} k @param {Record<string, *>=} vars */
  function t(k, vars) {
    return ((data.strings && data.strings[k]) || k).replace(/\{(\w+)\}/g, function (m, n) {
      return vars && n in vars ? vars[n] : m;
    });
  }
  /** @param {*} id */
  function key(id) {
    return 'hocso:v1:' + course + ':' + id;
  }
  /** @param {string} k @return {*} */
  function load(k) {
    /** @type {string | null} */
    var s = mem[k];
    try {
      if (s == null) s = localStorage.getItem(k);
      return s ? JSON.parse(s) : null;
    } catch (e) {
      return null;
    }
  }
  /** @param {string} k @param {*} v */
  function save(k, v) {
    mem[k] = JSON.stringify(v);
    try {
      localStorage.setItem(k, mem[k]);
    } catch (e) {}
  }
  /** @param {string} name @param {*} detail */
  function fire(name, detail) {
    try {
      doc.dispatchEvent(new CustomEvent('hocso:' + name, { detail: detail }));
    } catch (e) {}
  }
  /** @param {*} o @return {*} */
  function obj(o) {
    return o && typeof o == 'object' ? o : {};
  }
  /** @param {*} o @return {State} */
  function fresh(o) {
    o = obj(o);
    return {
      answers: obj(o.answers),
      results: obj(o.results),
      completed: !!o.completed,
      score: typeof o.score == 'number' ? o.score : null,
      visited: true
    };
  }

  var api = {
    data: data,
    /** @type {State | null} */
    state: null,
    /** @param {string} name @param {(e: CustomEvent) => void} handler */
    on: function (name, handler) {
      doc.addEventListener('hocso:' + name, /** @type {EventListener} */ (handler));
    },
    /** @param {*} o */
    restore: function (o) {
      warn('restore() needs a lesson page');
    },
    /** The LMS's mastery score (0–1) replaces the lesson's. @param {number} m */
    mastery: function (m) {
      warn('mastery() needs a lesson page');
    }
  };
  /** @type {*} */ (window).hocso = api;

  if (!lesson) {
    // index page
    all(doc, '.lesson-status[data-lesson]').forEach(function (s) {
      var st = load(key(s.getAttribute('data-lesson')));
      var done = !!(st && st.completed);
      s.textContent = st ? t(done ? 'completed' : 'inProgress') : '';
      s.classList.toggle('is-completed', done);
      s.classList.toggle('is-in-progress', !!st && !done);
    });
    return;
  }

  var KEY = key(lesson);
  var state = (api.state = fresh(load(KEY)));
  var mastery = typeof data.masteryScore == 'number' ? data.masteryScore : 0.8;
  /** @type {Quiz[]} */
  var quizzes = [];

  all(doc, '.quiz').forEach(function (sec) {
    var id = sec.getAttribute('data-quiz');
    var d = find(data.quizzes, function (x) {
      return !!x && x.id === id;
    });
    var form = sec.querySelector('.quiz-form');
    /** @type {Quiz | undefined} */
    var q;
    if (form) {
      form.addEventListener('submit', function (/** @type {Event} */ e) {
        e.preventDefault();
        if (q) submit(q);
      });
    }
    if (!d || !form) return warn('quiz ' + id + ' has no ' + (form ? 'data' : 'form'));
    var type = d.type || sec.getAttribute('data-type') || 'single';
    var quiz = (q = {
      id: d.id,
      d: d,
      type: type,
      fill: type == 'fill',
      inputs: all(form, 'input'),
      fb: form.querySelector('.quiz-feedback'),
      retry: form.querySelector('.quiz-retry')
    });
    quizzes.push(quiz);
    if (quiz.retry) {
      quiz.retry.addEventListener('click', function () {
        retry(quiz);
      });
    }
  });

  /** @param {Quiz} q @param {string} v */
  function choice(q, v) {
    return find(q.d.choices, function (c) {
      return c.id === v;
    });
  }
  /** @param {Choice} c */
  function right(c) {
    return !!c.correct;
  }
  /** @param {Quiz} q @return {string[]} */
  function response(q) {
    if (q.fill) {
      var v = q.inputs[0] ? q.inputs[0].value : '';
      return norm(v) ? [v] : [];
    }
    return q.inputs
      .filter(function (i) {
        return i.checked;
      })
      .map(function (i) {
        return i.value;
      });
  }
  /** @param {Quiz} q @param {string[]} r */
  function setInputs(q, r) {
    q.inputs.forEach(function (i) {
      if (q.fill) i.value = r[0] || '';
      else i.checked = r.indexOf(i.value) >= 0;
    });
  }
  /** @param {Quiz} q @param {string[]} r @return {{ ok: boolean, match?: Choice }} */
  function grade(q, r) {
    var cs = q.d.choices || [];
    if (q.fill) {
      // a choice's text (right or known wrong), else an accepted answer
      var n = norm(r[0]);
      var match = find(cs, function (c) {
        return c.text != null && norm(c.text) === n;
      });
      var i = (q.d.answers || []).map(norm).indexOf(n);
      return match ? { ok: right(match), match: match } : { ok: i >= 0, match: cs.filter(right)[i] };
    }
    return {
      ok:
        r.length == (q.type == 'multiple' ? cs.filter(right).length : 1) &&
        r.every(function (v) {
          var c = choice(q, v);
          return !!c && right(c);
        })
    };
  }
  /** @param {Quiz} q @param {string} html @param {string} cls */
  function feedback(q, html, cls) {
    if (q.fb) {
      q.fb.innerHTML = html;
      q.fb.className = 'quiz-feedback ' + cls;
    }
  }
  /** @param {Quiz} q */
  function clear(q) {
    q.inputs.forEach(function (i) {
      i.removeAttribute('aria-invalid');
      i.removeAttribute('aria-describedby');
      var row = /** @type {HTMLElement} */ (i.parentNode);
      row.classList.remove('is-correct', 'is-incorrect', 'is-answer');
      var f = row.querySelector('.choice-feedback');
      if (f) {
        f.innerHTML = '';
        f.setAttribute('hidden', '');
      }
    });
    feedback(q, '', '');
    if (q.retry) q.retry.hidden = true;
  }
  /** Marks an answer, returns if right. @param {Quiz} q @param {string[]} r */
  function show(q, r) {
    clear(q);
    var g = grade(q, r);
    var html = '<p class="quiz-verdict">' + esc(t(g.ok ? 'correct' : 'incorrect')) + '</p>';
    if (q.fill) {
      var ans = q.d.answers && q.d.answers.length ? q.d.answers[0] : (find(q.d.choices, right) || {}).text;
      if (!g.ok && ans != null) html += '<p class="quiz-answer">' + esc(t('correctAnswerIs', { answer: ans })) + '</p>';
      if (g.match && g.match.feedbackHtml) html += '<div class="quiz-explain">' + g.match.feedbackHtml + '</div>';
    }
    q.inputs.forEach(function (i) {
      var row = /** @type {HTMLElement} */ (i.parentNode);
      var c = q.fill ? { id: '', correct: g.ok } : choice(q, i.value);
      var good = !!c && right(c);
      if (good && !q.fill) row.classList.add('is-answer');
      if (q.fill || i.checked) {
        row.classList.add(good ? 'is-correct' : 'is-incorrect');
        i.setAttribute('aria-invalid', '' + !good);
        var f = row.querySelector('.choice-feedback');
        if (f && c && c.feedbackHtml) {
          f.innerHTML = c.feedbackHtml;
          f.removeAttribute('hidden');
          if (f.id) i.setAttribute('aria-describedby', f.id);
        }
      }
    });
    feedback(q, html, g.ok ? 'is-correct' : 'is-incorrect');
    if (q.retry) q.retry.hidden = false;
    return g.ok;
  }

  function complete() {
    if (!state.completed) {
      state.completed = true;
      save(KEY, state);
      fire('complete', { course: course, lesson: lesson });
    }
  }
  /** After all scripts, so adapters hear it. @param {() => void} f */
  function later(f) {
    if (doc.readyState == 'loading') doc.addEventListener('DOMContentLoaded', f);
    else setTimeout(f, 0);
  }
  /** @param {boolean} notify */
  function progress(notify) {
    var n = 0;
    var total = quizzes.length;
    var done = quizzes.filter(function (q) {
      var r = state.results[q.id];
      if (r) n++;
      return typeof r == 'boolean';
    }).length;
    var box = /** @type {HTMLElement | null} */ (doc.querySelector('.lesson-result'));
    if (!total || done < total) {
      if (box) box.hidden = true;
      return;
    }
    var scaled = n / total;
    var passed = scaled >= mastery;
    state.score = scaled;
    save(KEY, state);
    if (box) {
      box.innerHTML =
        '<p class="result-score">' + esc(t('score', { correct: n, total: total, percent: Math.round(scaled * 100) })) +
        '</p><p class="result-verdict">' + esc(t(passed ? 'passed' : 'failed')) + '</p>';
      box.className = 'lesson-result ' + (passed ? 'is-passed' : 'is-failed');
      box.hidden = false;
    }
    if (notify) {
      fire('score', { correct: n, total: total, scaled: scaled, passed: passed });
      complete();
    } else {
      // a restore() before it runs replaces the state: that learner's answers decide, not these
      var shown = state;
      later(function () {
        if (shown === state) complete();
      });
    }
  }
  /** @param {Quiz} q */
  function submit(q) {
    var r = response(q);
    if (!r.length) {
      if (q.fill && q.inputs[0]) q.inputs[0].setAttribute('aria-invalid', 'true');
      return feedback(q, '<p>' + esc(t(q.fill ? 'typeAnswer' : 'chooseOne')) + '</p>', 'is-empty');
    }
    var ok = show(q, r);
    state.answers[q.id] = r;
    state.results[q.id] = ok;
    save(KEY, state);
    fire('answer', { quiz: q.id, type: q.type, response: r, correct: ok, choices: q.d.choices || [] });
    progress(true);
  }
  /** @param {Quiz} q */
  function retry(q) {
    setInputs(q, []);
    clear(q);
    delete state.answers[q.id];
    delete state.results[q.id];
    save(KEY, state);
    progress(false);
    // retry button is now hidden: keep focus in the quiz
    if (q.inputs[0]) q.inputs[0].focus();
  }
  // show saved answers, without events
  function apply() {
    quizzes.forEach(function (q) {
      setInputs(q, state.answers[q.id] || []);
      var r = response(q);
      clear(q);
      delete state.answers[q.id];
      delete state.results[q.id];
      if (r.length) {
        state.answers[q.id] = r;
        state.results[q.id] = show(q, r);
      }
    });
    save(KEY, state);
    progress(false);
  }

  api.restore = function (o) {
    state = api.state = fresh(o);
    apply();
  };
  // the page's verdict must agree with what the LMS records
  api.mastery = function (m) {
    if (typeof m == 'number' && m >= 0 && m <= 1) {
      mastery = m;
      progress(false);
    }
  };
  apply();

  // narration chapters: a button jumps the lesson's player to its chapter
  all(doc, '[data-seek]').forEach(function (b) {
    b.addEventListener('click', function () {
      var box = b.closest ? b.closest('.narration') : null;
      var player = /** @type {HTMLAudioElement | null} */ (box && box.querySelector('audio'));
      if (!player) return;
      player.currentTime = Number(b.getAttribute('data-seek')) || 0;
      var played = player.play();
      if (played && played.catch) played.catch(function () {});
    });
  });

  if (!quizzes.length && !state.completed) {
    // no quiz: done at the end of the lesson
    var end = doc.querySelector('.lesson-end');
    if (end && 'IntersectionObserver' in window) {
      var io = new IntersectionObserver(function (entries) {
        if (
          entries.some(function (e) {
            return e.isIntersecting;
          })
        ) {
          io.disconnect();
          complete();
        }
      });
      io.observe(end);
    } else later(complete);
  }
})();
