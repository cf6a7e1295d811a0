// hocso preview's SCORM panel: a real SCORM 2004 runtime (scorm-again) on this window, the lesson as a SCO in the frame,
// and what the LMS receives, shown live.
/* global Scorm2004API */
(function () {
  var data = JSON.parse(document.getElementById('hocso-panel-data').textContent);
  var api = new Scorm2004API({ logLevel: 4, autocommit: false });
  window.API_1484_11 = api;
  var calls = [];
  var $ = function (id) { return document.getElementById(id); };

  function text(id, value) {
    $(id).textContent = value === undefined || value === null || value === '' ? '—' : String(value);
  }

  function render() {
    var cmi = api.renderCMIToJSONObject().cmi || {};
    text('cmi-completion', cmi.completion_status);
    text('cmi-success', cmi.success_status);
    text('cmi-score', cmi.score && cmi.score.scaled);
    text('cmi-raw', cmi.score && cmi.score.raw);
    text('cmi-location', cmi.location);
    text('cmi-calls', calls.join(' · '));
    var body = $('cmi-interactions');
    body.textContent = '';
    var interactions = cmi.interactions || {};
    Object.keys(interactions).forEach(function (key) {
      var i = interactions[key];
      var row = document.createElement('tr');
      [i.id, i.type, i.learner_response, i.result].forEach(function (value) {
        var cell = document.createElement('td');
        cell.textContent = value || '';
        row.appendChild(cell);
      });
      body.appendChild(row);
    });
    $('cmi-count').textContent = String(body.children.length);
  }

  // scorm-again calls listeners as the value is set: render once the call is done.
  var later = function () { setTimeout(render, 0); };
  api.on('SetValue.cmi.*', later);
  ['Initialize', 'Commit', 'Terminate'].forEach(function (name) {
    api.on(name, function () { calls.push(name); later(); });
  });
  window.hocsoPanel = { api: api, calls: calls };

  var frame = document.createElement('iframe');
  frame.id = 'hocso-sco';
  frame.title = 'SCO';
  frame.src = data.sco;
  $('hocso-frame-slot').appendChild(frame);
  render();

  // A rebuild restarts the session: the whole panel reloads (a SCO cannot initialize twice on one API).
  var source = new EventSource('/__hocso/events');
  source.addEventListener('build', function (event) {
    if (event.data !== data.version) {
      source.close();
      location.reload();
    }
  });
})();
