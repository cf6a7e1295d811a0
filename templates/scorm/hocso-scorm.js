// @ts-check
// hocso SCORM 1.2/2004 adapter, after hocso.js; ES5. One Session reports a lesson (a SCO per lesson) or the course
// (in sco.html, which the lesson pages in its frame report to). Without an LMS: preview, nothing changes.
/**
 * @typedef {{ id: string, interaction: string, type: string, patterns: string[], description?: string }} ScoQuiz
 * @typedef {{ id: string, page?: string, interactions: string[] }} ScoUnit
 */
(function () {
  'use strict';
  /** @type {*} */
  var W = window;
  var doc = document;
  /** @type {{ version?: string, mode?: string, lesson?: string, mastery?: number, objectives?: string[], quizzes?: ScoQuiz[], lessons?: ScoUnit[] }} */
  var data = {};
  try {
    data = JSON.parse(/** @type {*} */ (doc.getElementById('hocso-data')).textContent).scorm || {};
  } catch (e) {}
  if (!data.version) return;
  var v12 = data.version == '1.2';
  var P = v12 ? 'LMS' : ''; // LMSGetValue (1.2), GetValue (2004)…
  var C = v12 ? 'cmi.core.' : 'cmi.';
  var LOC = v12 ? C + 'lesson_location' : 'cmi.location';

  /** `name` on this window or a parent, then on the opener and its parents (the RTE books' API discovery). @param {string} name */
  function find(name) {
    for (var w = W, o = W.opener, n = 0; w; ) {
      try {
        if (w[name]) return w[name];
      } catch (e) {} // another origin
      if (w.parent != w && ++n < 500) w = w.parent;
      else (w = o), (o = n = 0);
    }
  }
  /** @param {number} n */
  function two(n) {
    return (n < 10 ? '0' : '') + n;
  }
  /** Once, when the page goes (pagehide; unload in old browsers). @param {() => void} f */
  function onLeave(f) {
    W.addEventListener('pagehide', f);
    W.addEventListener('unload', f);
  }

  /** @param {*} api the LMS API, or nothing @param {ScoUnit[]} units the lessons of this SCO @param {boolean} course sco.html's session: locations are lesson#section */
  function Session(api, units, course) {
    var t0 = +new Date();
    var ended = false;
    /** @type {{ q: ([string, string[], number] | null)[], e: string[] }} by interaction index [id, response, right]; lessons reached */
    var st = { q: [], e: [] };
    var loc = '';
    /** @type {*} the page in view: {l: lesson, w(): section} */
    var page = null;
    var mastery = typeof data.mastery == 'number' ? data.mastery : 0.8;

    /** Never throws; LMS errors are logged with their SCORM code. @param {string} f @param {string} a @param {string=} b */
    function call(f, a, b) {
      if (!api || ended) return '';
      var r;
      var code = '101'; // general exception
      try {
        r = api[P + f](a, b);
        code = '' + api[P + 'GetLastError']();
      } catch (e) {}
      // 403 (2004): an optional value the LMS has not set
      if ((code != '0' && !(f == 'GetValue' && code == '403')) || (f != 'GetValue' && '' + r != 'true')) {
        try {
          code += ' ' + api[P + 'GetErrorString'](code);
        } catch (e) {}
        console.warn('hocso-scorm: ' + P + f + '(' + a + ') failed: SCORM error ' + code);
        return '';
      }
      return r == null ? '' : '' + r;
    }
    /** @param {string} k */
    function get(k) {
      return call('GetValue', k);
    }
    /** @param {string} k @param {*} v */
    function set(k, v) {
      if (!review) call('SetValue', k, '' + v);
    }
    /** @param {string} id */
    function slot(id) {
      for (var i = st.q.length; i--; ) if ((st.q[i] || '')[0] == id) break;
      return i;
    }
    function status() {
      var n = 0;
      var ok = 0;
      var done = 1;
      units.forEach(function (u) {
        if (st.e.indexOf(u.id) < 0) done = 0;
        u.interactions.forEach(function (id) {
          var x = st.q[slot(id)];
          ok += x ? x[2] : NaN; // NaN: not all answered
          n++;
        });
      });
      var verdict = '';
      if (ok >= 0 && n) {
        verdict = ok / n >= mastery ? 'passed' : 'failed'; // as hocso.js decides
        set(C + 'score.min', 0);
        set(C + 'score.max', 100);
        set(C + 'score.raw', Math.round((ok / n) * 1e4) / 100); // a percentage, as 1.2 LMSs read raw
        if (!v12) set('cmi.score.scaled', Math.round((ok / n) * 1e4) / 1e4);
      }
      // A lesson with no quiz is passed by reading it: 2004 prerequisites wait for "satisfied" (1.2's take completed).
      if (!n && done && !v12) verdict = 'passed';
      if (v12) set(C + 'lesson_status', verdict || (done ? 'completed' : 'incomplete'));
      else set('cmi.completion_status', done ? 'completed' : 'incomplete'), set('cmi.success_status', verdict || 'unknown');
    }
    // After each change: status, the answers as compact JSON (1.2 holds 4096 characters), commit.
    function save() {
      status();
      var s = JSON.stringify(st);
      if (s.length > (v12 ? 4096 : 64000)) {
        console.warn('hocso-scorm: too many answers to keep in suspend data');
        s = JSON.stringify({ q: st.q.map(function (x) { return x && [x[0], [], x[2]]; }), e: st.e });
      }
      set('cmi.suspend_data', s);
      call('Commit', '');
    }
    function where() {
      try {
        if (page) loc = (course ? page.l + '#' : '') + page.w();
      } catch (e) {}
      set(LOC, loc);
    }

    var review = false;
    if (api && call('Initialize', '')) {
      // review or browse: show what was saved, record nothing
      review = /^(review|browse)$/.test(get(v12 ? C + 'lesson_mode' : 'cmi.mode'));
      if (get(C + 'entry') != 'ab-initio') {
        // resume (or an LMS that leaves entry blank)
        try {
          var s = JSON.parse(get('cmi.suspend_data'));
          if (s.q && s.e) st = s;
        } catch (e) {}
        loc = get(LOC);
      }
      var m = parseFloat(get(v12 ? 'cmi.student_data.mastery_score' : 'cmi.scaled_passing_score'));
      if (m >= 0) mastery = v12 ? m / 100 : m;
      status();
    } else {
      if (!api) console.info('hocso-scorm: no SCORM ' + data.version + ' LMS found, preview mode');
      api = 0;
    }

    return {
      live: !!api,
      back: loc.split('#')[0], // the lesson to reopen
      /** @param {string} l @param {() => string} w @param {ScoQuiz[]} qs */
      attach: function (l, w, qs) {
        page = { l: l, w: w };
        /** @type {Record<string, string[]>} */
        var answers = {};
        qs.forEach(function (q) {
          var x = st.q[slot(q.interaction)];
          if (x && x[1].length) answers[q.id] = x[1];
        });
        return { answers: answers, completed: st.e.indexOf(l) >= 0, m: mastery, at: course ? (loc.indexOf(l + '#') ? '' : loc.slice(l.length + 1)) : loc };
      },
      /** @param {ScoQuiz} q @param {string[]} r @param {boolean} ok @param {string[]} objectives */
      answer: function (q, r, ok, objectives) {
        var n = slot(q.interaction);
        // a new question takes the next index (answer order); one answered again keeps its own
        if (n < 0) n = Math.max(st.q.length, +get('cmi.interactions._count') || 0);
        st.q[n] = [q.interaction, r, ok ? 1 : 0];
        var p = 'cmi.interactions.' + n + '.';
        var t = q.type;
        var x = r[0] || '';
        var d = new Date();
        set(p + 'id', q.interaction);
        set(p + 'type', t);
        if (q.description) set(p + 'description', q.description); // 2004 only: 1.2 has no description
        objectives.forEach(function (o, j) {
          set(p + 'objectives.' + j + '.id', o);
        });
        q.patterns.forEach(function (c, j) {
          set(p + 'correct_responses.' + j + '.pattern', c);
        });
        set(
          p + (v12 ? 'student_response' : 'learner_response'),
          t == 'fill-in'
            ? x.replace(/\[,\]/g, ',').replace(/^\s+|\s+$/g, '').replace(/^\{/, '(').slice(0, 250)
            : t == 'true-false' && v12 ? x.charAt(0) : r.join(v12 ? ',' : '[,]')
        );
        set(p + 'result', ok ? 'correct' : v12 ? 'wrong' : 'incorrect');
        set(p + (v12 ? 'time' : 'timestamp'), v12 ? d.toTimeString().slice(0, 8) : d.toISOString().slice(0, 22) + 'Z');
        save();
      },
      /** @param {string} l */
      reach: function (l) {
        if (st.e.indexOf(l) < 0) st.e.push(l), save();
      },
      leave: function () {
        where();
        page = null;
        call('Commit', '');
      },
      end: function () {
        var s = (+new Date() - t0) / 1000;
        var h = (s / 3600) | 0;
        var mi = ((s / 60) | 0) % 60;
        var sec = (s % 60).toFixed(2);
        where();
        set(C + 'exit', 'suspend'); // keeps the suspend data for the next launch
        set(C + 'session_time', v12 ? two(h) + ':' + two(mi) + ':' + (+sec < 10 ? '0' : '') + sec : 'PT' + h + 'H' + mi + 'M' + sec + 'S');
        call(v12 ? 'Finish' : 'Terminate', '');
        ended = true;
      }
    };
  }

  var api = find(v12 ? 'API' : 'API_1484_11');
  if (data.lessons) {
    // sco.html: the session outlives the pages shown in its frame
    var shell = (W.hocsoScorm = Session(api, data.lessons, true));
    data.lessons.forEach(function (u) {
      if (u.id == shell.back && u.page) doc.getElementsByTagName('iframe')[0].src = u.page;
    });
    return onLeave(shell.end);
  }
  var hocso = W.hocso;
  var lesson = data.lesson || '';
  var quizzes = data.quizzes || [];
  if (!lesson || !hocso) return; // the course index

  var S = find('hocsoScorm');
  var own = !S;
  // a lesson of a single-SCO course opened outside sco.html is a preview, not the whole course
  if (own) S = Session(data.mode == 'lesson' && api, [{ id: lesson, interactions: quizzes.map(function (q) { return q.interaction; }) }], false);
  if (!S.live) return; // hocso.js keeps progress in this browser, as on the web

  var r = S.attach(lesson, function () {
    // the last heading above the top third of the frame
    var id = '';
    [].forEach.call(doc.querySelectorAll('h2[id],h3[id],h4[id]'), function (/** @type {Element} */ h) {
      if (h.getBoundingClientRect().top < innerHeight / 3) id = h.id;
    });
    return id;
  }, quizzes);
  // the LMS's data is the truth: a new attempt must not show what someone else left in this browser
  hocso.restore(r);
  hocso.mastery(r.m);
  var el = r.at && doc.getElementById(r.at);
  if (el) el.scrollIntoView(/** @type {*} */ ({ behavior: 'instant' })); // a jump, as a browser restores a page

  hocso.on('answer', function (/** @type {CustomEvent} */ e) {
    var d = e.detail;
    quizzes.forEach(function (q) {
      if (q.id == d.quiz) S.answer(q, d.response, d.correct, data.objectives || []);
    });
  });

  // completed when the learner reaches the end of the lesson
  var end = doc.querySelector('.lesson-end,.pager');
  if (end && W.IntersectionObserver) {
    var io = new IntersectionObserver(function (entries) {
      if (entries.some(function (x) { return x.isIntersecting; })) io.disconnect(), S.reach(lesson);
    });
    io.observe(end);
  } else S.reach(lesson);

  onLeave(own ? S.end : S.leave);
})();
