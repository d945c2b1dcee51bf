// The Rohschnitt view: open footage (transcribed once on the server, polled), keep or strike words of its
// transcript (mouse drag, shift+click, shift+arrows, Enter, Delete), see the kept ranges as segments with
// the library's clean edges, reorder them, nudge an edge by one frame, accept suggestions, play the cut
// back to back, save it into the episode. The unsaved cut lives in localStorage until it is saved.
import { getJSON, post, say } from "./api.js";
import { CutPlayer } from "./cutplayer.js";

const data = JSON.parse(document.getElementById("rc-data").textContent);
const name = data.name;
const fps = data.fps[0] / data.fps[1];
const $ = (id) => document.getElementById(id);
const video = $("source-video");
const transcriptEl = $("transcript");
const message = $("message");
// One draft per episode, whatever version it was cut on: a cut names source ranges, which a change of the
// manifest elsewhere does not make wrong (the caption editor's drafts are per version: cues are the content).
const DRAFT = `vidcoop.roughcut:${name}`;

const sources = {};     // ref -> {state, transcript, words: [{index,text,start,end}], suggestions, els: []}
let current = null;     // the source whose transcript is shown
let kept = {};          // ref -> Set of kept word indices
let struck = {};        // ref -> Set of word indices struck by hand (shown crossed out)
let accepted = {};      // ref -> Set of accepted suggestion keys
let pieces = {};        // ref -> [{id, source, first, last, start_frame, end_frame, text}] (the library's plan)
let order = [];         // piece ids in play order
let nudges = {};        // piece id -> {start, end} in frames
let corrections = {};   // ref -> {word index: text retyped by a person}: carried into the captions
let pause = 0.6;
let version = data.version;
let anchor = -1, focus = -1;  // the selection in the current source (word indices)
let dragging = false;
const planSeq = {};     // ref -> number of the newest plan request (older answers are ignored)
window.rcMetrics = [];  // [{action, ms}]: input event to DOM update, for the benchmark

let shown = 0;
function show(text) {  // a short note; it fades after a few seconds so it does not cover the cut
  message.textContent = text;
  clearTimeout(shown);
  shown = setTimeout(() => { if (message.textContent === text) message.textContent = ""; }, 6000);
}
const DECIMAL = document.documentElement.lang === "de" ? "," : ".";
function fmtTime(s) {
  const m = Math.floor(s / 60);
  return `${m}:${(s - m * 60).toFixed(2).padStart(5, "0")}`.replace(".", DECIMAL);
}
function seconds(s) { return s.toFixed(1).replace(".", DECIMAL); }
function setOf(map, ref) { return (map[ref] ??= new Set()); }
function metric(action, t0) { window.rcMetrics.push({ action, ms: performance.now() - t0 }); }
// A file the browser cannot play is played from its playback copy (the server made one while transcribing).
function mediaUrl(ref) {
  const url = `/media/${ref.split("/").map(encodeURIComponent).join("/")}`;
  return sources[ref] && sources[ref].playback_copy ? `${url}?play=copy` : url;
}

// --- footage: transcription started on the server, polled until done ---
// A file the browser cannot decode says so, instead of a black player (a copy that plays follows the transcript).
video.addEventListener("error", () => {
  const src = sources[current];
  if (video.getAttribute("src") && (!src || src.state !== "done" || !src.playback_copy)) {
    show(say("rc.cannot_play", { message: video.error ? video.error.message || video.error.code : "" }));
  }
});

async function openSource(ref) {
  current = ref;
  anchor = focus = -1;
  $("rc-source-name").textContent = ref;
  if (!video.src.endsWith(mediaUrl(ref))) video.src = mediaUrl(ref);
  const src = sources[ref];
  if (src && src.state === "done") { renderTranscript(); return; }
  transcriptNote(say("rc.transcribing", { seconds: 0 }));  // never the last file's words under this file's name
  renderSuggestions();
  const { status, data: state } = await post("/api/roughcut/transcribe", { source: ref });
  if (status !== 200) { show(say("error", { message: state.error })); return; }
  await follow(ref, state);
}

async function follow(ref, state) {
  for (;;) {
    footageState(ref, state);
    if (state.state === "done") {
      sources[ref] = { ...state, words: flatWords(state.transcript) };
      if (ref === current && state.playback_copy) video.src = mediaUrl(ref);  // the copy plays, the file did not
      if (ref === current && state.play_error) show(say("rc.cannot_play", { message: state.play_error }));
      if (ref === current) renderTranscript();
      if (setOf(kept, ref).size && !pieces[ref]) plan(ref);
      return;
    }
    if (state.state === "error") { if (ref === current) transcriptNote(say("rc.failed", { message: state.error })); return; }
    if (ref === current) transcriptNote(say("rc.transcribing", { seconds: Math.round(state.seconds) }));
    await new Promise((r) => setTimeout(r, 1000));
    state = await getJSON(`/api/roughcut/source?source=${encodeURIComponent(ref)}&pause=${pause}`);
  }
}

function footageState(ref, state) {
  const button = document.querySelector(`.footage-open[data-source="${CSS.escape(ref)}"]`);
  if (!button) return;
  const text = state.state === "done" ? say("rc.transcribed") : state.state === "error"
    ? say("rc.failed", { message: state.error }) : say("rc.transcribing", { seconds: Math.round(state.seconds) });
  button.parentElement.querySelector(".state").textContent = text;
  button.setAttribute("aria-current", ref === current ? "true" : "false");
}

function transcriptNote(text) {
  const p = document.createElement("p");
  p.className = "note"; p.textContent = text;
  transcriptEl.replaceChildren(p);
}

function flatWords(transcript) {
  const out = [];
  for (const para of transcript.paragraphs) for (const s of para.sentences) for (const w of s.words) out[w.index] = w;
  return out;
}

// --- the transcript: one paragraph per pause, each word a span with its times ---
function renderTranscript() {
  const src = sources[current];
  src.els = [];
  const frag = document.createDocumentFragment();
  for (const para of src.transcript.paragraphs) {
    const p = document.createElement("p");
    p.className = "para";
    for (const s of para.sentences) {
      const n = document.createElement("span");
      n.className = "sn"; n.textContent = s.number; n.setAttribute("aria-hidden", "true");
      n.title = say("rc.sentence", { n: s.number });
      p.append(n);
      for (const w of s.words) {
        const span = document.createElement("span");
        const fixed = corrections[current]?.[w.index];
        span.className = fixed ? "w corrected" : "w"; span.textContent = fixed ?? w.text;
        span.dataset.i = w.index; span.dataset.start = w.start; span.dataset.end = w.end;
        if (w.unsure) { span.classList.add("unsure"); span.title = say("rc.unsure"); }
        src.els[w.index] = span;
        p.append(span, " ");
      }
    }
    frag.append(p);
  }
  transcriptEl.replaceChildren(frag);
  paintWords();
  renderSuggestions();
}

function paintWords() {
  const src = sources[current];
  if (!src || !src.els) return;
  const k = setOf(kept, current), x = setOf(struck, current);
  const cut = cutOutWords(current);
  const [a, b] = selection();
  src.els.forEach((el, i) => {
    el.classList.toggle("kept", k.has(i));
    el.classList.toggle("struck", x.has(i) || (k.has(i) && cut.has(i)));
    el.classList.toggle("sel", i >= a && i <= b);
  });
  const n = b >= a && a >= 0 ? b - a + 1 : 0;
  $("selection-info").textContent = n > 1 ? say("rc.marked", { n }) : n ? say("rc.marked_one") : "";
}

// Words an accepted filler or retake suggestion takes out.
function cutOutWords(ref) {
  const out = new Set();
  const acc = setOf(accepted, ref);
  for (const s of sources[ref]?.suggestions || []) {
    if (!acc.has(s.key)) continue;
    if (s.kind === "filler") out.add(s.before - 1);
    if (s.kind === "retake") for (let i = s.after + 1; i < s.before; i++) out.add(i);
  }
  return out;
}

function selection() {
  if (anchor < 0) return [-1, -2];
  return [Math.min(anchor, focus), Math.max(anchor, focus)];
}

function seekTo(t) {
  if (!video.src.endsWith(mediaUrl(current))) video.src = mediaUrl(current);
  video.currentTime = t;
}

transcriptEl.addEventListener("mousedown", (e) => {
  const number = e.target.closest(".sn");
  if (number) { e.preventDefault(); selectSentence(number, e.shiftKey); return; }
  const el = e.target.closest(".w");
  if (!el) return;
  e.preventDefault();
  const t0 = performance.now();
  const i = Number(el.dataset.i);
  if (e.shiftKey && anchor >= 0) focus = i; else { anchor = focus = i; seekTo(Number(el.dataset.start)); }
  dragging = true;
  transcriptEl.focus({ preventScroll: true });
  paintWords();
  metric(e.shiftKey ? "shift-click" : "click", t0);
});
// A sentence's number marks the whole sentence (with shift: up to its end), one click instead of two.
function selectSentence(number, extend) {
  const t0 = performance.now();
  let el = number.nextElementSibling, first = -1, last = -1;
  while (el && el.classList.contains("w")) { if (first < 0) first = Number(el.dataset.i); last = Number(el.dataset.i); el = el.nextElementSibling; }
  if (first < 0) return;
  if (extend && anchor >= 0) focus = last; else { anchor = first; focus = last; seekTo(sources[current].words[first].start); }
  transcriptEl.focus({ preventScroll: true });
  paintWords();
  metric("sentence", t0);
}

transcriptEl.addEventListener("mouseover", (e) => {
  const el = dragging && e.target.closest(".w");
  if (!el || Number(el.dataset.i) === focus) return;
  focus = Number(el.dataset.i);
  paintWords();
});
document.addEventListener("mouseup", () => { dragging = false; });

transcriptEl.addEventListener("keydown", (e) => {
  const src = sources[current];
  if (!src || src.state !== "done") return;
  const t0 = performance.now();
  const last = src.words.length - 1;
  if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
    e.preventDefault();
    const step = e.key === "ArrowRight" ? 1 : -1;
    if (anchor < 0) { anchor = focus = 0; } else if (e.shiftKey) { focus = Math.min(last, Math.max(0, focus + step)); } else {
      anchor = focus = Math.min(last, Math.max(0, focus + step));
      seekTo(src.words[focus].start);
    }
    paintWords();
    src.els[focus]?.scrollIntoView({ block: "nearest" });
    metric(e.shiftKey ? "shift+arrow" : "arrow", t0);
  } else if (e.key === "Enter") {
    e.preventDefault(); keepSelection(true, t0);
  } else if (e.key === "Delete" || e.key === "Backspace") {
    e.preventDefault(); keepSelection(false, t0);
  } else if (e.key === "Escape") {
    anchor = focus = -1; paintWords();
  } else if (e.key === "F2" && focus >= 0) {
    e.preventDefault(); editWord(focus);
  }
});
transcriptEl.addEventListener("dblclick", (e) => {
  const el = e.target.closest(".w");
  if (el) editWord(Number(el.dataset.i));
});

// A word retyped (double-click or F2): its time stays, the captions carry the new text.
function editWord(i) {
  const src = sources[current], el = src.els[i], ref = current;
  const input = document.createElement("input");
  input.className = "word-edit"; input.value = el.textContent;
  input.setAttribute("aria-label", say("rc.correct", { word: src.words[i].text }));
  input.size = Math.max(4, el.textContent.length + 2);
  el.replaceWith(input);
  input.focus(); input.select();
  let done = false;
  const finish = (commit) => {
    if (done) return;
    done = true;
    const text = input.value.trim();
    if (commit && text && text !== el.textContent) {
      step();
      const fixes = (corrections[ref] ??= {});
      if (text === src.words[i].text) delete fixes[i]; else fixes[i] = text;
      el.textContent = text;
      el.classList.toggle("corrected", text !== src.words[i].text);
      changed();
    }
    input.replaceWith(el);
    transcriptEl.focus({ preventScroll: true });
  };
  input.addEventListener("keydown", (e) => {
    e.stopPropagation();
    if (e.key === "Enter") { e.preventDefault(); finish(true); } else if (e.key === "Escape") finish(false);
  });
  input.addEventListener("blur", () => finish(true));
}
$("keep").addEventListener("click", () => keepSelection(true, performance.now()));
$("strike").addEventListener("click", () => keepSelection(false, performance.now()));

function keepSelection(keep, t0) {
  const [a, b] = selection();
  if (a < 0 || !current) return;
  step();
  const k = setOf(kept, current), x = setOf(struck, current);
  for (let i = a; i <= b; i++) {
    if (keep) { k.add(i); x.delete(i); } else { if (k.has(i)) x.add(i); k.delete(i); }
  }
  show(say(keep ? "rc.kept" : "rc.struck", { n: b - a + 1 }));
  anchor = focus = b;  // the cursor stays after the range; the marking is done
  paintWords();
  renderSuggestions();
  changed();
  plan(current, keep ? "keep" : "strike", t0);
}

// --- the plan: the library's pieces for one source's kept words and accepted suggestions ---
function runs(set) {
  const sorted = [...set].sort((p, q) => p - q);
  const out = [];
  for (const i of sorted) {
    if (out.length && out[out.length - 1][1] === i - 1) out[out.length - 1][1] = i; else out.push([i, i]);
  }
  return out;
}

async function plan(ref, action, t0) {
  const seq = (planSeq[ref] = (planSeq[ref] || 0) + 1);
  const ranges = runs(setOf(kept, ref));
  let planned = [];
  if (ranges.length) {
    const { status, data: answer } = await post("/api/roughcut/plan",
      { source: ref, ranges, accept: [...setOf(accepted, ref)], pause });
    if (seq !== planSeq[ref]) return;
    if (status !== 200) { show(say("error", { message: answer.error })); return; }
    planned = answer.pieces;
  }
  pieces[ref] = planned;
  placeInOrder(ref);
  renderSegments();
  changed();
  if (action) metric(action, t0);
}

// New pieces go where their words stand among the pieces of the same source; vanished ones leave.
function placeInOrder(ref) {
  const ids = new Set(pieces[ref].map((p) => p.id));
  order = order.filter((id) => !id.startsWith(`${ref}#`) || ids.has(id));
  for (const id of Object.keys(nudges)) if (id.startsWith(`${ref}#`) && !ids.has(id)) delete nudges[id];
  let after = -1;  // the position of the previous piece of this source in order
  for (const p of pieces[ref]) {
    const at = order.indexOf(p.id);
    if (at >= 0) { after = at; continue; }
    if (after < 0) {
      const next = order.findIndex((id) => id.startsWith(`${ref}#`));
      after = next < 0 ? order.length : next;
      order.splice(after, 0, p.id);
    } else { order.splice(after + 1, 0, p.id); after += 1; }
  }
}

function byId() {
  const map = {};
  for (const list of Object.values(pieces)) for (const p of list) map[p.id] = p;
  return map;
}

// The ordered segments with nudges applied: what is played and saved.
function segments() {
  const map = byId();
  return order.filter((id) => map[id]).map((id) => {
    const p = map[id], n = nudges[id] || { start: 0, end: 0 };
    return { ...p, start_frame: p.start_frame + n.start, end_frame: p.end_frame + n.end };
  });
}

// --- the segment list ---
const segList = $("segments");
let dragFrom = -1;

function renderSegments() {
  const segs = segments();
  segList.replaceChildren(...segs.map(segmentItem));
  const total = segs.reduce((sum, s) => sum + (s.end_frame - s.start_frame) / fps, 0);
  $("cut-total").textContent = segs.length ? say("rc.total", { n: segs.length, seconds: seconds(total) }) : "";
  if (!segs.length) {
    const li = document.createElement("li"); li.className = "note"; li.textContent = say("rc.empty");
    segList.append(li);
  }
}

function small(text, label, onClick) {
  const b = document.createElement("button");
  b.type = "button"; b.className = "small"; b.textContent = text; b.setAttribute("aria-label", label);
  b.title = label;
  b.addEventListener("click", onClick);
  return b;
}

function segmentItem(s, i) {
  const li = document.createElement("li");
  li.className = "segment"; li.dataset.id = s.id; li.draggable = true;
  li.setAttribute("aria-label", say("rc.segment", { n: i + 1 }));
  const start = s.start_frame / fps, end = s.end_frame / fps;
  const head = document.createElement("div");
  head.className = "seg-head";
  const time = document.createElement("button");
  time.type = "button"; time.className = "time";
  time.textContent = `${s.source.split("/").pop()} · ${fmtTime(start)}–${fmtTime(end)}`;
  time.dataset.startFrame = s.start_frame; time.dataset.endFrame = s.end_frame;
  time.addEventListener("click", () => { openSource(s.source).then(() => seekTo(start)); });
  head.append(time, small("✕", say("rc.remove"), () => removePiece(s)));
  const text = document.createElement("p");
  text.className = "seg-text"; text.textContent = s.text;
  const tools = document.createElement("div");
  tools.className = "seg-tools";
  tools.append(
    small("↑", say("rc.up"), () => move(i, -1)),
    small("↓", say("rc.down"), () => move(i, 1)),
    small(`${say("rc.start")} −1`, say("rc.start_earlier"), () => nudge(s.id, "start", -1)),
    small(`${say("rc.start")} +1`, say("rc.start_later"), () => nudge(s.id, "start", 1)),
    small(`${say("rc.end")} −1`, say("rc.end_earlier"), () => nudge(s.id, "end", -1)),
    small(`${say("rc.end")} +1`, say("rc.end_later"), () => nudge(s.id, "end", 1)),
  );
  li.append(head, text, tools);
  li.addEventListener("dragstart", (e) => { dragFrom = i; e.dataTransfer.effectAllowed = "move"; });
  li.addEventListener("dragover", (e) => { e.preventDefault(); li.classList.add("drop"); });
  li.addEventListener("dragleave", () => li.classList.remove("drop"));
  li.addEventListener("drop", (e) => {
    e.preventDefault();
    if (dragFrom >= 0 && dragFrom !== i) moveTo(dragFrom, i);
    dragFrom = -1;
  });
  return li;
}

function visibleOrder() { const map = byId(); return order.filter((id) => map[id]); }

function moveTo(from, to) {
  const t0 = performance.now();
  step();
  const ids = visibleOrder();
  const [id] = ids.splice(from, 1);
  ids.splice(to, 0, id);
  order = ids;
  renderSegments(); changed();
  segList.children[to]?.querySelector(to > from ? "button[aria-label]" : "button[aria-label]")?.focus();
  metric("move", t0);
}

function move(i, step) {
  const n = visibleOrder().length;
  if (i + step < 0 || i + step >= n) return;
  moveTo(i, i + step);
  const label = say(step < 0 ? "rc.up" : "rc.down");
  segList.children[i + step]?.querySelector(`button[aria-label="${label}"]`)?.focus();
}

function nudge(id, edge, frames) {
  const t0 = performance.now();
  const n = (nudges[id] ??= { start: 0, end: 0 });
  const seg = segments().find((s) => s.id === id);
  const start = seg.start_frame + (edge === "start" ? frames : 0), end = seg.end_frame + (edge === "end" ? frames : 0);
  if (end <= start || start < 0) return;
  step();
  n[edge] += frames;
  const i = visibleOrder().indexOf(id);
  renderSegments(); changed();
  const label = say(`rc.${edge}_${frames < 0 ? "earlier" : "later"}`);
  segList.children[i]?.querySelector(`button[aria-label="${label}"]`)?.focus();
  seekTo((edge === "start" ? start : end) / fps);
  metric("nudge", t0);
}

function removePiece(s) {
  const t0 = performance.now();
  step();
  const k = setOf(kept, s.source), x = setOf(struck, s.source);
  for (let i = s.first; i <= s.last; i++) { k.delete(i); x.add(i); }
  if (s.source === current) { paintWords(); renderSuggestions(); }
  plan(s.source, "remove", t0);
}

// --- suggestions: listed, applied only when accepted ---
function suggestionText(s) {
  const secs = seconds(s.end - s.start);
  return say(`rc.kind.${s.kind}`, { seconds: secs, text: s.text.length > 60 ? `${s.text.slice(0, 57)}…` : s.text });
}

// The suggestions that touch the cut (all of them while nothing is kept): a suggestion elsewhere would
// change nothing now, and accepting it unseen would apply it silently once its words are kept.
function relevant(ref) {
  const all = sources[ref]?.suggestions || [];
  const k = setOf(kept, ref);
  if (!k.size) return all;
  return all.filter((s) => {
    if (s.kind === "retake") { for (let i = s.after + 1; i < s.before; i++) if (k.has(i)) return true; return false; }
    if (s.kind === "filler") return k.has(s.before - 1);
    return k.has(s.after) && k.has(s.before);  // a pause or sound between two kept words
  });
}

function renderSuggestions() {
  const list = $("suggestions");
  const src = sources[current];
  const found = relevant(current);
  const hidden = (src?.suggestions || []).length - found.length;
  const acc = setOf(accepted, current);
  list.replaceChildren(...found.map((s) => {
    const li = document.createElement("li");
    li.className = `suggestion kind-${s.kind}`; li.dataset.key = s.key; li.dataset.kind = s.kind;
    li.classList.toggle("accepted", acc.has(s.key));
    const t = document.createElement("button");
    t.type = "button"; t.className = "time"; t.textContent = fmtTime(s.start);
    t.addEventListener("click", () => seekTo(Math.max(0, s.start - 0.5)));
    const label = document.createElement("span");
    label.textContent = ` ${suggestionText(s)} `;
    const b = document.createElement("button");
    b.type = "button"; b.className = "small accept";
    b.textContent = acc.has(s.key) ? say("rc.undo_accept") : say("rc.accept");
    b.setAttribute("aria-pressed", acc.has(s.key) ? "true" : "false");
    b.addEventListener("click", () => toggleSuggestion(s.key));
    li.append(t, label, b);
    return li;
  }));
  if (src && !found.length) {
    const li = document.createElement("li"); li.className = "note"; li.textContent = say("rc.none"); list.append(li);
  }
  if (hidden > 0) {
    const li = document.createElement("li"); li.className = "note";
    li.textContent = say(hidden === 1 ? "rc.elsewhere_one" : "rc.elsewhere", { n: hidden }); list.append(li);
  }
}

function toggleSuggestion(key) {
  const t0 = performance.now();
  step();
  const acc = setOf(accepted, current);
  if (acc.has(key)) acc.delete(key); else acc.add(key);
  renderSuggestions(); paintWords(); changed();
  plan(current, "accept", t0);
}

$("accept-all").addEventListener("click", () => {
  const t0 = performance.now();
  step();
  const acc = setOf(accepted, current);
  for (const s of relevant(current)) acc.add(s.key);
  renderSuggestions(); paintWords(); changed();
  plan(current, "accept-all", t0);
});

$("pause").addEventListener("change", async () => {
  const value = Number($("pause").value);
  if (!(value > 0)) return;
  pause = value;
  changed();
  for (const ref of Object.keys(sources)) {
    const state = await getJSON(`/api/roughcut/source?source=${encodeURIComponent(ref)}&pause=${pause}`);
    if (state.state !== "done") continue;
    sources[ref].suggestions = state.suggestions;
    const keys = new Set(state.suggestions.map((s) => s.key));
    accepted[ref] = new Set([...setOf(accepted, ref)].filter((k) => keys.has(k)));
    if (setOf(kept, ref).size) plan(ref);
  }
  renderSuggestions(); paintWords();
});

// --- playing the cut (no render) and the rendered preview ---
const player = new CutPlayer(video, (i) => {
  [...segList.children].forEach((li, k) => li.classList.toggle("playing", k === i));
});
$("play-cut").addEventListener("click", async () => {
  const segs = segments().map((s) => ({ url: mediaUrl(s.source), start: s.start_frame / fps, end: s.end_frame / fps }));
  const ms = await player.play(segs);
  if (ms !== null) window.rcPreviewStart = ms;
});
$("stop-cut").addEventListener("click", () => player.stop());

$("rendered").addEventListener("click", async () => {
  const base = `/api/episodes/${encodeURIComponent(name)}/preview`;
  $("rendered-box").hidden = false;
  let { data: state } = await post(base, {});
  while (state.state === "running") {
    $("rendered-progress").value = state.fraction || 0;
    $("rendered-state").textContent = say("rendering", { percent: Math.round((state.fraction || 0) * 100) });
    await new Promise((r) => setTimeout(r, 1000));
    state = await getJSON(base);
  }
  if (state.state === "done") {
    $("rendered-progress").value = 1;
    $("rendered-state").textContent = dirty ? `${say("ready")}: ${say("rc.saved_only")}` : say("ready");
    const rv = $("rendered-video");
    if (rv.getAttribute("src") !== state.url) rv.src = state.url;
  } else $("rendered-state").textContent = say("error", { message: state.error || state.state });
});

// --- the unsaved cut: kept in localStorage at every change, restored after a reload ---
function draftState() {
  const ranges = (map) => Object.fromEntries(Object.entries(map).map(([ref, set]) => [ref, runs(set)]));
  return { at: Date.now(), version, current, kept: ranges(kept), struck: ranges(struck),
           accepted: Object.fromEntries(Object.entries(accepted).map(([ref, set]) => [ref, [...set]])),
           pieces, order, nudges, pause, corrections };
}

let dirty = false;       // changes since the last save (the rendered preview shows the saved cut)
function changed() {
  dirty = true;
  try { localStorage.setItem(DRAFT, JSON.stringify(draftState())); } catch { /* storage full or off */ }
}

function readDraft() {
  try { return JSON.parse(localStorage.getItem(DRAFT) || "null"); } catch { return null; }
}

function dropDraft() { try { localStorage.removeItem(DRAFT); } catch { /* nothing kept */ } }

// The cut as a draft (or an undo step) holds it: kept and struck words, accepted suggestions, pieces, order.
function applyState(draft) {
  const sets = (obj) => Object.fromEntries(Object.entries(obj || {}).map(([ref, rs]) => {
    const s = new Set();
    for (const [a, b] of rs) for (let i = a; i <= b; i++) s.add(i);
    return [ref, s];
  }));
  kept = sets(draft.kept); struck = sets(draft.struck);
  accepted = Object.fromEntries(Object.entries(draft.accepted || {}).map(([ref, keys]) => [ref, new Set(keys)]));
  pieces = draft.pieces || {}; order = draft.order || []; nudges = draft.nudges || {};
  corrections = draft.corrections || {};
  for (const ref of Object.keys(planSeq)) planSeq[ref] += 1;  // a plan still on its way is for another state
}

// --- undo: every change to the cut is one step (Ctrl+Z) ---
const undoStack = [];
function step() {
  undoStack.push(JSON.stringify(draftState()));
  if (undoStack.length > 200) undoStack.shift();
  $("undo").disabled = false;
}

function undo() {
  const last = undoStack.pop();
  $("undo").disabled = !undoStack.length;
  if (!last) { show(say("nothing_to_undo")); return; }
  applyState(JSON.parse(last));
  if (current && sources[current]?.state === "done") renderTranscript();
  renderSegments(); changed();
  show(say("undone"));
}
$("undo").addEventListener("click", undo);
document.addEventListener("keydown", (e) => {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey || e.key.toLowerCase() !== "z") return;
  if (e.target.closest?.("input, textarea")) return;  // a field keeps the browser's own undo
  e.preventDefault();
  undo();
});

function restore(draft) {
  applyState(draft);
  dirty = true;
  pause = draft.pause || 0.6; $("pause").value = pause;
  renderSegments();
  const bar = $("draft-bar");
  const text = draft.version === version ? say("rc.restored") : `${say("rc.restored")}. ${say("rc.changed_since")}`;
  $("draft-text").textContent = text;
  bar.hidden = false;
  show(text);
  if (draft.current) openSource(draft.current);
  for (const ref of Object.keys(pieces)) if (ref !== draft.current) post("/api/roughcut/transcribe", { source: ref })
    .then(({ data: state }) => follow(ref, state));
}

$("draft-discard").addEventListener("click", () => {
  dropDraft();
  kept = {}; struck = {}; accepted = {}; pieces = {}; order = []; nudges = {}; corrections = {};
  $("draft-bar").hidden = true;
  renderSegments(); paintWords(); renderSuggestions();
});

// --- saving ---
$("save").addEventListener("click", async () => {
  const segs = segments();
  const used = new Set(segs.map((s) => s.source));
  const body = { version, pieces: segs.map((s) => ({ source: s.source, start_frame: s.start_frame, end_frame: s.end_frame })),
                 corrections: Object.fromEntries(Object.entries(corrections).filter(([ref]) => used.has(ref))) };
  const { status, data: answer } = await post(`/api/episodes/${encodeURIComponent(name)}/roughcut`, body);
  if (status === 200) {
    dropDraft();
    dirty = false;
    version = answer.version;  // the next change is a draft over the saved cut
    $("draft-bar").hidden = true;
    if ($("cut-note")) $("cut-note").hidden = true;  // "no cut yet" / "replaces N segments" said before this save
    show(say("rc.saved", { n: answer.segments, seconds: seconds(answer.duration) }));
  } else {
    show(answer.error || say("error", { message: status }));  // the cut stays here and in the draft
  }
});

// --- start ---
for (const b of document.querySelectorAll(".footage-open")) {
  b.addEventListener("click", () => openSource(b.dataset.source));
  const f = data.footage.find((x) => x.source === b.dataset.source);
  if (f) b.parentElement.querySelector(".state").textContent = f.state === "done" ? say("rc.transcribed") : say("rc.new");
}
renderSegments();
const draft = readDraft();
if (draft) restore(draft);
document.getElementById("roughcut").dataset.loaded = "true";
