// PeerMatch: small improvements to pages that work without it. Served by the app itself
// (Content-Security-Policy: scripts from this origin only, no inline script). Every page does
// its job with this file blocked; this only makes some things quicker.
'use strict';

(function () {
  // Match progress: listen to the run's server-sent events instead of refreshing the page once
  // a second, and open the pairs as soon as the run ends.
  var progress = document.getElementById('match-progress');
  if (progress && window.EventSource) {
    var stage = document.getElementById('match-stage');
    var message = document.getElementById('match-message');
    var elapsed = document.getElementById('match-elapsed');
    var bar = document.getElementById('match-bar');
    var source = new EventSource(progress.getAttribute('data-events'));
    var show = function (e) {
      var s = JSON.parse(e.data);
      stage.textContent = s.stage;
      message.textContent = s.message;
      elapsed.textContent = s.elapsed;
      bar.max = s.steps;
      bar.value = Math.max(bar.value, s.step);   // stages done: never back
      bar.textContent = s.step + ' of ' + s.steps + ' stages done';
    };
    source.addEventListener('progress', show);
    source.addEventListener('done', function (e) {
      show(e);
      source.close();
      window.location.assign(progress.getAttribute('data-done'));
    });
    source.onerror = function () {
      // The stream broke (server restarted?): fall back to reloading the page.
      source.close();
      window.setTimeout(function () { window.location.reload(); }, 1000);
    };
  }

  // "Tick every pair on this page".
  var tickAll = document.getElementById('tick-all');
  if (tickAll) {
    tickAll.hidden = false;
    var boxes = document.querySelectorAll('#pairs-form input[name=pair]');
    tickAll.addEventListener('change', function () {
      for (var i = 0; i < boxes.length; i++) boxes[i].checked = tickAll.checked;
    });
  }

  // Print buttons (printing works from the browser's menu without them).
  var prints = document.querySelectorAll('.js-print');
  for (var i = 0; i < prints.length; i++) {
    prints[i].hidden = false;
    prints[i].addEventListener('click', function () { window.print(); });
  }

})();
