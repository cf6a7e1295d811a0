// @ts-check
// hocso xAPI adapter, after hocso.js; ES5 syntax (needs fetch). One session reports a lesson page to the LRS, as a
// cmi5 AU or as Tin Can launched content. Statements wait in a queue kept in localStorage and go out in order, retried
// with backoff: a learner offline loses nothing. Without launch parameters: preview, nothing changes.
/**
 * @typedef {{ objectType?: string, id: string, definition?: * }} Activity
 * @typedef {{ id: string, activity: Activity }} XQuiz
 * @typedef {{ profile?: string, lang?: string, lesson?: Activity, grouping?: Activity[], competencies?: Activity[],
 *   mastery?: number, quizzes?: XQuiz[], exit?: string }} XData
 * @typedef {{ contextTemplate?: *, launchMode?: string, masteryScore?: number, returnURL?: string }} LaunchData
 * @typedef {{ k?: string, ld?: LaunchData, i?: number, t?: number, j?: number, t0?: number }} XSession
 */
(function () {
  'use strict';
  /** @type {*} */
  var W = window;
  var doc = document;
  /** @type {XData} */
  var data = {};
  try {
    data = JSON.parse(/** @type {*} */ (doc.getElementById('hocso-data')).textContent).xapi || {};
  } catch (e) {}
  if (!data.profile) return;
  var cmi5 = data.profile == 'cmi5';
  var ME = 'hocso-xapi: ';
  var K = 'hocso-xapi:';
  var CMI5 = 'https://w3id.org/xapi/cmi5/context/';
  var enc = encodeURIComponent;
  /** @type {Storage | undefined} */
  var LS;
  /** @type {Storage | undefined} */
  var SS;
  try {
    LS = localStorage;
    SS = sessionStorage;
  } catch (e) {}

  /** Reads k (no v) or writes it; storage may be missing or full. @param {Storage | undefined} s @param {string} k @param {*=} v @return {*} */
  function keep(s, k, v) {
    try {
      var t = /** @type {Storage} */ (s);
      if (v === undefined) return JSON.parse(t.getItem(k) || 'null');
      t.setItem(k, JSON.stringify(v));
    } catch (e) {}
  }
  /** @param {string} m */
  function warn(m) {
    console.warn(ME + m);
  }
  /** @param {string} s */
  function dec(s) {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch (e) {
      return s;
    }
  }

  // Launch parameters: the URL's; in Tin Can, else those this tab was launched with (the learner follows links; each
  // cmi5 AU is launched with its own).
  /** @type {Record<string, string>} */
  var L = {};
  location.search.replace(/[?&]([^=&]+)=([^&]*)/g, function (m, k, v) {
    return (L[dec(k)] = dec(v));
  });
  if (L.endpoint) keep(SS, K + 'launch', L);
  else if (!cmi5) L = keep(SS, K + 'launch') || {};

  /** The actor, also from a Tin Can 0.95 launch (values in arrays, account as accountServiceHomePage/accountName), with one identifier. @param {*} a */
  function agent(a) {
    /** @param {*} v */
    function one(v) {
      return v instanceof Array ? v[0] : v;
    }
    /** @type {*} */
    var o = { objectType: 'Agent' };
    if (one(a.name)) o.name = one(a.name);
    return ['mbox', 'mbox_sha1sum', 'openid', 'account'].some(function (k) {
      var v = one(a[k]);
      if (v && v.accountName) v = { homePage: v.accountServiceHomePage, name: v.accountName };
      return v && (o[k] = v);
    }) && o;
  }
  /** @type {*} */
  var actor;
  try {
    actor = agent(JSON.parse(L.actor));
  } catch (e) {}
  var reg = L.registration || '';
  var endpoint = (L.endpoint || '').replace(/\/?$/, '/');
  var auth = cmi5 ? '' : L.auth;
  if (!L.endpoint || !actor || !W.fetch || (cmi5 ? !(L.fetch && reg && L.activityId) : !auth)) return console.info(ME + 'no ' + data.profile + ' launch, preview mode');

  var hocso = W.hocso;
  var lesson = data.lesson;
  if (!lesson || !hocso) return; // the course index: it kept the launch for the lessons

  // This registration's record of the lesson: answers (s), completed (c) and passed (p) sent, a verdict to send (d).
  var RK = K + reg + ':' + lesson.id;
  /** @type {{ s?: *, c?: number, p?: boolean, d?: number }} */
  var rec = keep(LS, RK) || {};
  // The registration's answers are the truth: on a shared phone a new learner does not see the last one's.
  hocso.restore(rec.s || {});
  // The session: cmi5 keeps it per launch (fetch URL) in the tab, so a reload neither fetches again nor re-initializes.
  var SK = K + L.fetch;
  /** @type {XSession} */
  var ss = (cmi5 && keep(SS, SK)) || {};
  // The statement queue, per LRS and registration; entries sent in a pagehide batch are marked b.
  var QK = K + 'q:' + endpoint + reg;
  /** @type {{ s: *, b?: number }[]} */
  var Q = keep(LS, QK) || [];
  var au = cmi5 ? { objectType: 'Activity', id: L.activityId, definition: lesson.definition } : lesson;
  var quizzes = data.quizzes || [];
  var mastery = data.mastery == null ? 0.8 : data.mastery;
  var normal = 1;
  var rw = 0; // the registration's record changes (Normal mode, a session that has not ended)
  var live = 0; // initialized and not terminated
  var leaving = 0;
  /** @type {(() => void)[]} what happened before the session could report */
  var todo = [];
  var busy = 0;
  var wait = 0;
  var timer = 0;
  /** @type {*} */
  var again = 0;
  var end = doc.querySelector('.lesson-end');

  function save() {
    if (rw) (rec.s = hocso.state), keep(LS, RK, rec);
    if (cmi5) keep(SS, SK, ss);
  }
  /** Runs f again after a backoff (1 s, doubling, at most a minute), or at once when the browser is back online. @param {() => void} f @param {string} why */
  function retry(f, why) {
    if (!wait) warn(why + ', retrying');
    wait = Math.min(wait * 2 || 1e3, 6e4);
    clearTimeout(timer);
    again = f;
    timer = setTimeout(function () {
      again = 0;
      f();
    }, wait);
  }
  W.addEventListener('online', function () {
    var f = again;
    again = wait = 0;
    clearTimeout(timer);
    if (f) f();
  });
  /** @param {string} m @param {string} path @param {*=} body @param {boolean=} beacon keepalive: outlives the page @return {Promise<*>} */
  function req(m, path, body, beacon) {
    return fetch(endpoint + path, {
      method: m,
      keepalive: beacon,
      headers: { Authorization: auth, 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' },
      body: body && JSON.stringify(body)
    }).then(
      function (r) {
        return r;
      },
      function () {
        return { status: 0 };
      }
    );
  }
  function uuid() {
    var c = W.crypto;
    var b = c && c.getRandomValues && c.getRandomValues(new Uint8Array(16));
    var i = 0;
    return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, function (x) {
      var r = b ? b[i++] & 15 : (Math.random() * 16) | 0;
      return (x == 'x' ? r : (r & 3) | 8).toString(16);
    });
  }
  /** Time since initialized, ISO 8601. */
  function dur() {
    var s = (+new Date() - (ss.t0 || 0)) / 1000;
    return 'PT' + ((s / 3600) | 0) + 'H' + (((s / 60) | 0) % 60) + 'M' + (s % 60).toFixed(2) + 'S';
  }

  // One statement at a time, in order, each PUT with its id: a statement sent twice is stored once.
  function pump() {
    var x = Q[0];
    if (busy || leaving || !x || !auth) return;
    busy = 1;
    req('PUT', 'statements?statementId=' + x.s.id, x.s).then(function (r) {
      var k = r.status;
      busy = 0;
      if (!k || k == 429 || k > 499) return retry(pump, 'LRS unreachable (HTTP ' + k + ')');
      wait = 0;
      // 409: the LRS holds a statement with this id already (it arrived in a pagehide batch)
      if (k > 299 && k != 409) warn('LRS refused statement ' + x.s.id + ': HTTP ' + k);
      Q = Q.filter(function (y) {
        return y.s.id != x.s.id;
      });
      keep(LS, QK, Q);
      pump();
    });
  }
  /** Adds to a[k] the activities it lacks (an LMS template may give one activity, not a list). @param {Record<string, Activity[]>} a @param {string} k @param {Activity[]} more */
  function add(a, k, more) {
    /** @type {Activity[]} */
    var l = (a[k] = /** @type {Activity[]} */ ([]).concat(a[k] || []));
    more.forEach(function (x) {
      if (
        !l.some(function (y) {
          return y.id == x.id;
        })
      )
        l.push(x);
    });
    if (!l.length) delete a[k];
  }
  /**
   * Queues a statement. kind 0: cmi5 allowed, 1: cmi5 defined, 2: defined with the moveOn category.
   * @param {string} verb @param {number} kind @param {*=} result @param {Activity=} object a question (else the lesson) @param {*=} ext
   */
  function send(verb, kind, result, object, ext) {
    // the LMS's context template first: its values are never overwritten
    var c = JSON.parse(JSON.stringify((ss.ld || {}).contextTemplate || {}));
    var a = (c.contextActivities = c.contextActivities || {});
    if (reg && !c.registration) c.registration = reg;
    c.language = c.language || data.lang;
    add(a, 'parent', (object ? [au] : []).concat(data.competencies || []));
    add(a, 'grouping', data.grouping || []);
    add(a, 'category', cmi5 && kind ? [{ id: CMI5 + 'categories/cmi5' }].concat(kind > 1 ? [{ id: CMI5 + 'categories/moveon' }] : []) : []);
    for (var e in ext) (c.extensions = c.extensions || {})[e] = ext[e];
    /** @type {*} */
    var s = {
      id: uuid(),
      timestamp: new Date().toISOString(),
      actor: actor,
      verb: { id: 'http://adlnet.gov/expapi/verbs/' + verb, display: { 'en-US': verb } },
      object: object || au,
      context: c
    };
    if (result) s.result = result;
    Q.push({ s: s });
    keep(LS, QK, Q);
    pump();
  }
  /** @param {() => void} f now if the session reports, else once it does */
  function act(f) {
    if (live) f();
    else todo.push(f);
  }

  // Passed or failed once every quiz is answered: once per session, never after passed, passed only at the mastery score.
  function judge() {
    var st = hocso.state;
    var ok = 0;
    var n = quizzes.length;
    var all = quizzes.every(function (q) {
      var r = st.results[q.id];
      ok += r ? 1 : 0;
      return typeof r == 'boolean';
    });
    if (!n || !all || !rec.d || !normal || rec.p || ss.j) return;
    var scaled = Math.round((ok / n) * 1e4) / 1e4;
    var pass = scaled >= mastery;
    var m = (ss.ld || {}).masteryScore;
    /** @type {*} */
    var ext = {};
    if (m != null) ext[CMI5 + 'extensions/masteryscore'] = m;
    send(pass ? 'passed' : 'failed', 2, { score: { scaled: scaled, raw: ok, min: 0, max: n }, success: pass, duration: dur() }, undefined, ext);
    rec.d = 0;
    rec.p = pass;
    ss.j = 1;
    save();
  }

  /** The session starts: LMS.LaunchData (cmi5) known. @param {LaunchData} ld */
  function ready(ld) {
    ss.ld = ld;
    normal = +!/^(Browse|Review)$/.test(ld.launchMode || '');
    if (ld.masteryScore != null) hocso.mastery((mastery = ld.masteryScore));
    if (ld.returnURL && end) {
      var p = doc.createElement('p');
      var a = doc.createElement('a');
      a.href = ld.returnURL; // leaving terminates the session (pagehide)
      a.textContent = data.exit || '⟵';
      p.className = 'hocso-exit';
      p.appendChild(a);
      end.appendChild(p);
    }
    // a reload after the page sent terminated: that cmi5 session is over
    if (ss.t) return console.info(ME + 'this cmi5 session has ended: launch the lesson again to record more');
    if (!ss.i) {
      ss.t0 = +new Date();
      ss.i = 1;
      send('initialized', 1);
    }
    rw = normal;
    // what happened before, in order; then the verdict (also one the last session could not report)
    todo.forEach(function (f) {
      f();
    });
    todo = [];
    live = 1;
    save();
    judge();
  }

  function boot() {
    (ss.k
      ? Promise.resolve(ss.k)
      : fetch(L.fetch, { method: 'POST' })
          .then(function (r) {
            if (r.status > 499) throw r.status;
            return r.json();
          })
          .then(function (j) {
            // a second fetch is refused by design: the token is kept for reloads
            if (!j['auth-token']) throw j['error-text'] || 'no auth-token';
            return (ss.k = j['auth-token']);
          })
    )
      .then(function (k) {
        auth = 'Basic ' + k;
        save();
        pump();
        var q = '&agent=' + enc(JSON.stringify(actor));
        req('GET', 'agents/profile?profileId=cmi5LearnerPreferences' + q)
          .then(function (r) {
            return r.status == 200 && r.json();
          })
          .then(function (p) {
            if (p && p.audioPreference == 'off') {
              [].forEach.call(doc.querySelectorAll('audio,video'), function (/** @type {HTMLMediaElement} */ m) {
                m.muted = true;
              });
            }
          }, warn);
        return (
          ss.ld ||
          req('GET', 'activities/state?stateId=LMS.LaunchData&activityId=' + enc(L.activityId) + q + '&registration=' + enc(reg)).then(function (r) {
            if (r.status != 200) throw r.status;
            return r.json();
          })
        );
      })
      .then(ready, function (e) {
        // offline or a server error: try again; anything else stops here (the lesson still works)
        if (!e || e instanceof TypeError || e > 499 || e == 429) retry(boot, 'LMS unreachable');
        else warn('cmi5 launch failed: ' + e);
      });
  }

  hocso.on('answer', function (/** @type {CustomEvent} */ e) {
    var d = e.detail;
    quizzes.forEach(function (q) {
      if (q.id != d.quiz) return;
      var r = d.response;
      var x = q.activity.definition.interactionType == 'fill-in' ? (r[0] || '').replace(/\[,\]/g, ',').replace(/^\s+|\s+$/g, '') : r.join('[,]');
      act(function () {
        rec.d = 1;
        save();
        send('answered', 0, { response: x, success: d.correct }, q.activity);
        if (live) judge();
      });
    });
  });

  // completed when the learner reaches the end of the lesson, once per registration
  function reached() {
    act(function () {
      if (normal && !rec.c) {
        rec.c = 1;
        save();
        send('completed', 2, { completion: true, duration: dur() });
      }
    });
  }
  if (end && W.IntersectionObserver) {
    var io = new IntersectionObserver(function (entries) {
      if (
        entries.some(function (x) {
          return x.isIntersecting;
        })
      )
        io.disconnect(), reached();
    });
    io.observe(end);
  } else reached();

  // Terminated last, then what is still queued in one keepalive request: it outlives the page.
  W.addEventListener('pagehide', function () {
    leaving = 1;
    save(); // the answers as they are now (a question being retried is no longer answered)
    if (live) {
      send('terminated', 1, { duration: dur() });
      live = rw = 0;
      ss.t = 1;
      save();
    }
    var b = Q.filter(function (x, i) {
      return !x.b && !(busy && !i);
    });
    if (b.length && auth) {
      b.forEach(function (x) {
        x.b = 1;
      });
      keep(LS, QK, Q);
      req(
        'POST',
        'statements',
        b.map(function (x) {
          return x.s;
        }),
        true
      );
    }
  });
  // Back from the browser's page cache: Tin Can starts a new session (a cmi5 session ended for good).
  W.addEventListener('pageshow', function (/** @type {PageTransitionEvent} */ e) {
    if (e.persisted && !cmi5) (leaving = 0), (ss = {}), ready({});
  });

  if (cmi5) boot();
  else ready({});
})();
