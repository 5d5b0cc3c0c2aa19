/* The hall's voice (onewindow.hall.voice): announcements are queued and spoken one after the
 * other, never cut off. Each item is {id, text, clips}: with data-voice="browser" and a Chinese
 * voice in the browser, speechSynthesis says the text; otherwise the clips (hall/static/hall/
 * voice/<name>.wav) play in order. When the browser refuses to play before a user gesture, the
 * item stays first in the queue and the page shows its "turn on the voice" button.
 * The state is on <body>: data-voice-queue (waiting items), data-voice-playing (the id being
 * spoken), data-voice-log ("start:<id> end:<id> …", the order things were spoken). */
(function () {
  "use strict";
  var body = document.body;
  var base = body.getAttribute("data-clips-url") || "";
  var mode = body.getAttribute("data-voice") || "clips";
  var queue = [];
  var speaking = false;
  var blocked = false;
  var log = [];
  var CLIP_TIMEOUT = 4000; // a clip that never ends (no audio device) does not stop the queue

  function publish() {
    body.setAttribute("data-voice-queue", String(queue.length));
    body.setAttribute("data-voice-log", log.join(" "));
  }

  function chineseVoice() {
    if (mode !== "browser" || !window.speechSynthesis) { return null; }
    var voices = window.speechSynthesis.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if (/^zh(-|_)?(CN|Hans)?/i.test(voices[i].lang)) { return voices[i]; }
    }
    return null;
  }

  function Refused() { this.refused = true; }

  // one preloaded <audio> per clip: no gap while the next clip loads
  var cache = {};
  function clip(name) {
    if (!cache[name]) {
      cache[name] = new Audio(base + name + ".wav");
      cache[name].preload = "auto";
    }
    return cache[name];
  }
  ["chime", "qing", "hao", "dao", "haochuangkou", "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9"].forEach(clip);

  function playClip(name) {
    return new Promise(function (resolve, reject) {
      var audio = clip(name);
      var finished = false;
      var timer = null;
      function stop() {
        finished = true;
        window.clearTimeout(timer);
        audio.removeEventListener("ended", done);
        audio.removeEventListener("error", done);
      }
      function done() { if (!finished) { stop(); resolve(); } }
      timer = window.setTimeout(done, CLIP_TIMEOUT);
      audio.addEventListener("ended", done);
      audio.addEventListener("error", done);
      try { audio.currentTime = 0; } catch (ignored) { /* not loaded yet */ }
      var started = audio.play();
      if (started && started.catch) {
        started.catch(function (error) {
          if (finished) { return; }
          stop();
          if (error && error.name === "NotAllowedError") { reject(new Refused()); } else { resolve(); }
        });
      }
    });
  }

  function playClips(clips) {
    var chain = Promise.resolve();
    clips.forEach(function (name) { chain = chain.then(function () { return playClip(name); }); });
    return chain;
  }

  function say(item) {
    var voice = chineseVoice();
    if (voice) {
      return new Promise(function (resolve) {
        var utterance = new SpeechSynthesisUtterance(item.text);
        utterance.voice = voice;
        utterance.lang = voice.lang;
        utterance.rate = 0.9;
        utterance.onend = resolve;
        utterance.onerror = resolve;
        window.speechSynthesis.speak(utterance);
      });
    }
    return playClips(item.clips || []);
  }

  function next() {
    if (speaking || blocked || !queue.length) { publish(); return; }
    var item = queue.shift();
    speaking = true;
    body.setAttribute("data-voice-playing", String(item.id));
    log.push("start:" + item.id);
    publish();
    say(item).then(function () {
      log.push("end:" + item.id);
      speaking = false;
      body.setAttribute("data-voice-playing", "");
      publish();
      window.setTimeout(next, 400);
    }, function (error) {
      speaking = false;
      body.setAttribute("data-voice-playing", "");
      log.pop(); // it was not spoken: say it again once the voice is turned on
      queue.unshift(item);
      if (error && error.refused) { blocked = true; showUnlock(); }
      publish();
    });
  }

  var unlock = document.querySelector("[data-unlock]");
  function showUnlock() { if (unlock) { unlock.hidden = false; } }
  if (unlock) {
    unlock.addEventListener("click", function () {
      unlock.hidden = true;
      blocked = false;
      next();
    });
  }

  window.hallVoice = {
    enqueue: function (items) {
      items.forEach(function (item) { queue.push(item); });
      next();
    },
    state: function () { return { queue: queue.length, speaking: speaking, blocked: blocked, log: log.slice() }; }
  };
  publish();
})();
