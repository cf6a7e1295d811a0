// hocso preview: reloads the page when the course is rebuilt (Server-Sent Events from the preview server).
(function () {
  var script = document.currentScript;
  var version = script && script.getAttribute('data-version');
  var source = new EventSource('/__hocso/events');
  source.addEventListener('build', function (event) {
    if (event.data !== version) {
      source.close();
      location.reload();
    }
  });
  var overlay = document.getElementById('hocso-preview-overlay');
  var close = overlay && overlay.querySelector('button');
  if (close) close.addEventListener('click', function () { overlay.hidden = true; });
})();
