// The episode page: preview with progress, the cue list synced with the video both ways,
// live rule checks, saving captions (undo, a draft in the browser, a warning before leaving),
// and the review form (an approval with open points asks first).
import { getJSON, post, say } from "./api.js";
import { enlargeCards } from "./cards.js";
import { clearOldDrafts, dropDraft, keepDraft, keepForm, readDraft } from "./drafts.js";

const root = document.getElementById("episode");
const name = root.dataset.name;
const base = `/api/episodes/${encodeURIComponent(name)}`;
const labels = JSON.parse(document.getElementById("labels").textContent);
const video = document.getElementById("video");
const trackEl = video.querySelector("track");
const list = document.getElementById("cue-list");
const message = document.getElementById("message");
const STEP = 100; // ms: nudge step

let cues = [];        // [{start_ms, end_ms, text, corrections: [{text, original, term, score}],
                      //   unsure: [{text, probability}], checked: [words kept as they are]}]
let rules = [];       // per cue: broken rule names
let leftOut = [];     // speech with no cue: [{start_ms, end_ms, reason}], marked while no cue covers it
let version = "";
let key = "";          // the content key this page shows: a review names it, so it counts for what was seen
let editable = false;
let active = -1;
let saved = "[]";      // the cues as last loaded or saved (JSON): what "unsaved" is measured against
let dirty = false;
let leaving = false;   // the editor chose to leave without saving (the draft stays)
let draftPending = false;  // a draft is offered: new edits do not overwrite it until it is answered
let fault = -1;        // the cue a failed save named
let faultMessage = "";  // and why
const undoStack = [];  // states before each change: {cues, rules} as JSON
let typing = -1;       // the cue being typed in: one undo step per run of typing in one cue

function show(text) { message.textContent = text; }

function fmt(ms) {
  const s = ms / 1000;
  const m = Math.floor(s / 60);
  return `${m}:${(s - m * 60).toFixed(1).padStart(4, "0")}`;
}

// --- the track: every edit goes straight into the TextTrack, no re-render ---
function syncTrack() {
  const track = trackEl.track;
  track.mode = "hidden";  // cue sync only: the preview burns the captions in, in the kit's style
  if (!track.cues) return;
  const have = Array.from(track.cues);
  if (have.length === cues.length) {
    cues.forEach((c, i) => {
      const cue = have[i];
      cue.startTime = c.start_ms / 1000; cue.endTime = c.end_ms / 1000;
      if (cue.text !== c.text) cue.text = c.text;
    });
    return;
  }
  for (const cue of have) track.removeCue(cue);
  for (const c of cues) track.addCue(new VTTCue(c.start_ms / 1000, c.end_ms / 1000, c.text));
}
trackEl.addEventListener("load", syncTrack);

// --- the cue list ---
// The list holds the cues and, at their place in time, the speech no cue covers (not cues: never counted).
function cueLis() { return Array.from(list.querySelectorAll(":scope > li.cue")); }
function cueLi(i) { return list.querySelector(`:scope > li.cue[data-index="${i}"]`); }

function render() {
  list.replaceChildren();
  document.getElementById("no-cues").hidden = cues.length > 0;
  const gaps = openLeftOut();
  let g = 0;
  cues.forEach((c, i) => {
    while (g < gaps.length && gaps[g].start_ms < c.start_ms) list.append(leftOutItem(gaps[g++]));
    list.append(cueItem(c, i));
  });
  while (g < gaps.length) list.append(leftOutItem(gaps[g++]));
  countUnsure();
  markActive(true);
  renderTimeline();
}

// Speech no cue covers yet (a cue the editor put there, even an empty one, takes its mark away).
function openLeftOut() {
  return leftOut
    .filter((lo) => !cues.some((c) => c.start_ms < lo.end_ms && c.end_ms > lo.start_ms))
    .sort((a, b) => a.start_ms - b.start_ms);
}

// Whole seconds as people read a place in a video: 0:07 (the start rounded down, the end up).
function clock(ms, up) {
  const s = up ? Math.ceil(ms / 1000) : Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function leftOutText(lo) {
  return say("left_out", { start: clock(lo.start_ms), end: clock(lo.end_ms, true), reason: say(`left_out.${lo.reason}`) });
}

function leftOutItem(lo) {
  const li = document.createElement("li");
  li.className = "left-out"; li.setAttribute("role", "note");
  li.dataset.startMs = lo.start_ms; li.dataset.endMs = lo.end_ms;
  const text = document.createElement("button");
  text.type = "button"; text.className = "time left-out-text";
  text.textContent = leftOutText(lo);
  text.addEventListener("click", () => { video.currentTime = lo.start_ms / 1000 + 0.001; });
  li.append(text);
  if (editable) li.append(" ", button(say("left_out_insert"), () => insertEmpty(lo), "small insert-cue"));
  return li;
}

// An empty cue exactly where the speech was, for the editor to fill (saving an empty cue is refused by name).
function insertEmpty(lo) {
  remember();
  let i = cues.findIndex((c) => c.start_ms > lo.start_ms);
  if (i < 0) i = cues.length;
  cues.splice(i, 0, { start_ms: lo.start_ms, end_ms: lo.end_ms, text: "", corrections: [], unsure: [], checked: [], flags: [] });
  rules.splice(i, 0, []);
  changed(true);
  focusCue(i, true);
  video.currentTime = lo.start_ms / 1000 + 0.001;
}

// --- the timeline under the video: every cue, the flagged ones, and the speech without cues ---
function renderTimeline() {
  const bar = document.getElementById("timeline");
  if (!bar) return;
  const ends = [...cues.map((c) => c.end_ms), ...leftOut.map((lo) => lo.end_ms)];
  const total = Number.isFinite(video.duration) && video.duration > 0 ? video.duration * 1000 : Math.max(1000, ...ends);
  const place = (el, start, end) => {
    el.style.left = `${(100 * start) / total}%`;
    el.style.width = `${Math.max(0.4, (100 * (end - start)) / total)}%`;
  };
  bar.replaceChildren();
  cues.forEach((c, i) => {
    const b = document.createElement("span");
    b.className = (c.flags || []).length ? "tl-cue tl-flagged" : "tl-cue";
    b.title = `${fmt(c.start_ms)} – ${fmt(c.end_ms)} ${c.text}`;
    b.dataset.index = i;
    place(b, c.start_ms, c.end_ms);
    bar.append(b);
  });
  for (const lo of openLeftOut()) {
    const m = document.createElement("button");
    m.type = "button"; m.className = "tl-left-out";
    m.title = leftOutText(lo); m.setAttribute("aria-label", leftOutText(lo));
    m.addEventListener("click", () => { video.currentTime = lo.start_ms / 1000 + 0.001; });
    place(m, lo.start_ms, lo.end_ms);
    bar.append(m);
  }
}
video.addEventListener("loadedmetadata", renderTimeline);

function button(text, onClick, cls) {
  const b = document.createElement("button");
  b.type = "button"; b.textContent = text; b.className = cls || "small";
  b.addEventListener("click", onClick);
  return b;
}

function cueItem(c, i) {
  const li = document.createElement("li");
  li.className = "cue"; li.dataset.index = i;
  const id = `cue-${i + 1}`;
  const time = document.createElement("button");
  time.type = "button"; time.className = "time";
  time.textContent = `${fmt(c.start_ms)} – ${fmt(c.end_ms)}`;
  time.addEventListener("click", () => seek(i));
  const label = document.createElement("label");
  label.htmlFor = id; label.className = "visually-hidden";
  label.textContent = labels.cue.replace("{n}", i + 1);
  const text = document.createElement("textarea");
  text.id = id; text.rows = 2; text.value = c.text; text.readOnly = !editable;
  text.setAttribute("aria-describedby", `${id}-rules`);
  if (i === fault) { li.classList.add("fault"); text.setAttribute("aria-invalid", "true"); }
  text.addEventListener("input", () => {
    if (typing !== i) { remember(); typing = i; }
    cues[i].text = text.value;
    if ((cues[i].flags || []).length) {  // the editor changed the flagged text: the flag is answered
      cues[i].flags = [];
      li.querySelector(".flags").replaceWith(flagNote(cues[i]));
      renderTimeline();
    }
    li.querySelector(".corrections").replaceWith(correctionNote(cues[i]));  // an edited-away word loses its mark
    li.querySelector(".unsure").replaceWith(unsureNote(cues[i], i));
    countUnsure();
    changed();
  });
  text.addEventListener("focus", () => seek(i, false));
  const why = document.createElement("p");
  why.id = `${id}-rules`; why.className = "rules";
  li.append(time, label, text, why, flagNote(c), correctionNote(c), unsureNote(c, i));
  if (editable) {
    const tools = document.createElement("div");
    tools.className = "tools";
    tools.append(
      button(labels.earlier, () => nudge(i, -STEP)),
      button(labels.later, () => nudge(i, STEP)),
      button(labels.split, () => split(i, text.selectionStart)),
      button(labels.merge, () => merge(i)),
      button(labels.delete, () => remove(i), "small danger"),
    );
    li.append(tools);
  }
  showRules(li, i);
  return li;
}

// Why a person must look at this cue: mostly unsure words, a repeat of an earlier cue, a web address nobody
// spelled out, too short to read (the caption module's flags).
function flagNote(c) {
  const note = document.createElement("p");
  note.className = "flags";
  const flags = c.flags || [];
  note.hidden = flags.length === 0;
  note.textContent = flags.map((r) => say(`flag.${r}`)).join(" · ");
  return note;
}

// Words the glossary correction changed after recognition, while the cue still shows them.
function correctionNote(c) {
  const note = document.createElement("p");
  note.className = "corrections";
  const shown = (c.corrections || []).filter((k) => c.text.includes(k.text));
  note.hidden = shown.length === 0;
  note.textContent = shown.length
    ? say("corrected", { list: shown.map((k) => `${k.original} → ${k.text}`).join(", ") })
    : "";
  for (const k of shown) note.title += `${k.original} → ${k.term} (${k.score.toFixed(2)})\n`;
  return note;
}

// Words the recogniser was unsure of, while the cue still shows them and nobody has checked them.
// "Passt" keeps the words as they are: they are saved as checked and lose the mark.
function shownUnsure(c) {
  const kept = c.checked || [];
  return (c.unsure || []).filter((k) => !kept.includes(k.text) && c.text.split(/\s+/).includes(k.text));
}

// How many words are still to check, above the list.
function countUnsure() {
  const n = cues.reduce((sum, c) => sum + shownUnsure(c).length, 0);
  const count = document.getElementById("unsure-count");
  count.hidden = n === 0;
  count.textContent = n === 0 ? "" : say(n === 1 ? "unsure_count_one" : "unsure_count", { n });
}

function unsureNote(c, i) {
  const note = document.createElement("p");
  note.className = "unsure";
  const kept = c.checked || [];
  const shown = shownUnsure(c);
  note.hidden = shown.length === 0;
  if (!shown.length) return note;
  const words = document.createElement("span");
  // A correction that dropped a piece of the heard word says so ("Vor „Caritas“ fehlt vielleicht etwas").
  const unsure = shown.filter((k) => !k.doubt);
  words.textContent = [
    ...(unsure.length ? [say("unsure", { list: cleanWords(unsure) })] : []),
    ...shown.filter((k) => k.doubt).map((k) => say(`lost_${k.doubt}`, { word: cleanWord(k.text), heard: k.heard })),
  ].join(" · ");
  words.title = unsure
    .map((k) => say("unsure_word", { word: cleanWord(k.text), percent: Math.round(k.probability * 100) }))
    .join("\n");
  note.append(words);
  if (editable) {
    note.append(" ", button(say("unsure_ok"), () => {
      remember();
      cues[i].checked = [...kept, ...shown.map((k) => k.text)];
      note.replaceWith(unsureNote(cues[i], i));
      countUnsure();
      changed();
    }));
  }
  return note;
}

// The unsure words as a reader names them: "hilft, wer" (no punctuation from the transcript, once each).
function cleanWord(text) { return text.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""); }

function cleanWords(list) {
  return [...new Set(list.map((k) => cleanWord(k.text)).filter(Boolean))].join(", ");
}

// The fields the server takes for a cue (corrections and unsure words are shown, not sent).
function plain(list) {
  return list.map(({ start_ms, end_ms, text, checked }) => ({ start_ms, end_ms, text, checked: checked || [] }));
}

function showRules(li, i) {
  const broken = rules[i] || [];
  const why = li.querySelector(".rules");
  li.classList.toggle("broken", broken.length > 0);
  why.textContent = broken.length ? broken.map((r) => say(`rule.${r}`)).join(" · ") : "";
  if (i === fault && faultMessage) why.textContent = [faultMessage, why.textContent].filter(Boolean).join(" · ");
}

function seek(i, play = false) {
  if (!cues[i]) return;
  video.currentTime = cues[i].start_ms / 1000 + 0.001;
  if (play) video.play();
}

function markActive(force) {
  const t = video.currentTime * 1000;
  const now = cues.findIndex((c) => t >= c.start_ms && t < c.end_ms);
  if (now === active && !force) return;
  active = now;
  for (const li of cueLis()) {
    const on = Number(li.dataset.index) === now;
    li.classList.toggle("active", on);
    if (on) li.setAttribute("aria-current", "true"); else li.removeAttribute("aria-current");
  }
  const li = cueLi(now);
  if (li && !force && !li.contains(document.activeElement)) li.scrollIntoView({ block: "nearest" });
}
video.addEventListener("timeupdate", () => markActive(false));
video.addEventListener("seeked", () => markActive(false));

// --- edits ---
let checkTimer = 0;
function changed(structural = false) {
  syncTrack();
  if (fault >= 0) {  // the editor is fixing it: the mark goes
    const li = cueLi(fault);
    if (li) { li.classList.remove("fault"); li.querySelector("textarea")?.removeAttribute("aria-invalid"); }
    const was = fault;
    fault = -1;
    if (li) showRules(li, was);  // the save's reason goes with the mark
  }
  dirty = JSON.stringify(cues) !== saved;
  if (!draftPending) {
    if (dirty) keepDraft(name, version, { cues, rules }); else dropDraft(name, version);
  }
  show(dirty ? say("unsaved") : "");
  if (structural) render();
  updateUndo();
  clearTimeout(checkTimer);
  checkTimer = setTimeout(check, 250);
}

// Undo: every change first remembers the state before it (typing in one cue is one step).
function remember() {
  const state = JSON.stringify({ cues, rules });
  if (undoStack[undoStack.length - 1] !== state) undoStack.push(state);
  if (undoStack.length > 500) undoStack.shift();
  typing = -1;
  updateUndo();
}

function updateUndo() {
  const b = document.getElementById("undo");
  if (b) b.disabled = !editable || undoStack.length === 0;
}

function undo() {
  if (!editable) return;
  if (!undoStack.length) { show(say("nothing_to_undo")); return; }
  const focused = cueIndexOf(document.activeElement);
  ({ cues, rules } = JSON.parse(undoStack.pop()));
  typing = -1;
  changed(true);
  if (focused >= 0) focusCue(Math.min(focused, cues.length - 1));
  show(say("undone"));
}

function cueIndexOf(el) {
  const li = el && el.closest ? el.closest("li.cue") : null;
  return li && list.contains(li) ? Number(li.dataset.index) : -1;
}

function focusCue(i, center = false) {
  const li = cueLi(i);
  if (!li) return;
  const text = li.querySelector("textarea");
  text.focus({ preventScroll: center });
  if (center) li.scrollIntoView({ block: "center" });
}

function remove(i) {
  remember();
  cues.splice(i, 1);
  rules.splice(i, 1);
  changed(true);
  focusCue(Math.min(i, cues.length - 1));
  show(say("deleted", { n: i + 1 }));
}

// "Nächstes Problem": the next cue (after the one in focus or playing) breaking a rule or showing
// an unsure word nobody checked; round the end to the start.
function problemsOf(i) {
  const why = (rules[i] || []).map((r) => say(`rule.${r}`));
  const unsure = shownUnsure(cues[i]);
  if (unsure.length) why.push(say("unsure", { list: cleanWords(unsure) }));
  for (const r of cues[i].flags || []) why.push(say(`flag.${r}`));
  return why;
}

// Cues and the marks of speech without cues, in the list's (time) order; from the one in focus or playing.
// The list item last in focus: clicking "Nächstes Problem" moves the focus to that button first.
let lastItem = null;
list.addEventListener("focusin", (e) => { lastItem = e.target.closest("#cue-list > li"); });

function nextProblem() {
  const items = Array.from(list.children);
  const here = lastItem && list.contains(lastItem) ? lastItem : cueLi(active);
  const from = here ? items.indexOf(here) : -1;
  for (let k = 1; k <= items.length; k++) {
    const li = items[(((from + k) % items.length) + items.length) % items.length];
    if (li.classList.contains("left-out")) {
      const b = li.querySelector("button");
      b.focus({ preventScroll: true });
      li.scrollIntoView({ block: "center" });
      show(b.textContent);
      return;
    }
    const j = Number(li.dataset.index);
    const why = problemsOf(j);
    if (why.length) {
      focusCue(j, true);
      show(say("problem", { n: j + 1, why: why.join(" · ") }));
      return;
    }
  }
  show(say("no_problem"));
}

function nudge(i, delta) {
  remember();
  const c = cues[i];
  const start = Math.max(0, c.start_ms + delta);
  c.end_ms += start - c.start_ms; c.start_ms = start;
  changed(true);
}

function split(i, at) {
  const c = cues[i];
  const words = c.text.split(/\s+/).filter(Boolean);
  if (words.length < 2) return;
  remember();
  let cut = c.text.slice(0, at || 0).split(/\s+/).filter(Boolean).length;
  if (cut <= 0 || cut >= words.length) cut = Math.ceil(words.length / 2);
  const share = words.slice(0, cut).join(" ").length / words.join(" ").length;
  const mid = Math.round(c.start_ms + (c.end_ms - c.start_ms) * share);
  const marks = { corrections: c.corrections, unsure: c.unsure, checked: c.checked };  // each half shows its own
  cues.splice(i, 1, { ...marks, start_ms: c.start_ms, end_ms: mid, text: words.slice(0, cut).join(" ") },
    { ...marks, start_ms: mid, end_ms: c.end_ms, text: words.slice(cut).join(" ") });
  rules.splice(i, 1, [], []);
  changed(true);
}

function merge(i) {
  if (i + 1 >= cues.length) return;
  remember();
  const a = cues[i], b = cues[i + 1];
  cues.splice(i, 2, {
    start_ms: a.start_ms, end_ms: b.end_ms, text: `${a.text} ${b.text}`,
    corrections: [...(a.corrections || []), ...(b.corrections || [])],
    unsure: [...(a.unsure || []), ...(b.unsure || [])],
    checked: [...(a.checked || []), ...(b.checked || [])],
  });
  rules.splice(i, 2, []);
  changed(true);
}

async function check() {
  if (!editable) return;
  const { status, data } = await post(`${base}/check`, { cues: plain(cues) });
  if (status !== 200 || data.rules.length !== cues.length) return;  // an edit since: its own check follows
  rules = data.rules;
  cueLis().forEach((li, i) => showRules(li, i));
}

// "1 von 2 Freigaben": the count of approvals of the current key (a save makes a new key).
function showApprovals(count) {
  const line = document.getElementById("approvals");
  line.textContent = line.textContent.replace(/^\d+/, count);
}

async function save() {
  const body = { version, cues: plain(cues) };
  if (!cues.length) {  // saving no cues at all is a decision of its own: ask
    if (!window.confirm(say("confirm_no_captions"))) return;
    body.no_captions = true;
  }
  const sent = JSON.stringify(cues);
  const { status, data } = await post(`${base}/captions`, body);
  if (status === 200) {
    dropDraft(name, version);
    version = data.version;
    key = data.key;
    saved = sent;
    draftPending = false;
    document.getElementById("draft-offer").hidden = true;
    changed();  // edits typed while it saved stay unsaved (and in the new version's draft)
    setStatus(data.status);
    showApprovals(data.approvals);
    if (!dirty) show(say("saved"));
    preview(true);  // a preview keyed by the captions renders anew and replaces the video when done
  } else if (status === 409) {
    show(say("conflict"));  // the edits stay on the page and in the draft
  } else {
    // Nothing is lost: every edit stays; the cue at fault is marked by the number the page shows.
    if (data.cue) {
      fault = data.cue - 1;
      const li = cueLi(fault);
      if (li) {
        li.classList.add("fault");
        const text = li.querySelector("textarea");
        text.setAttribute("aria-invalid", "true");
        faultMessage = data.error;
        showRules(li, fault);  // the reason beside the cue, read with it (and kept by later rule checks)
        text.focus({ preventScroll: true });
        li.scrollIntoView({ block: "center" });
      }
    }
    show(say("save_failed", { message: data.error || status }));
  }
}

// --- review ---
function setStatus(value) {
  const el = document.getElementById("review-status");
  if (!el || !value) return;
  el.dataset.status = value;
  el.className = `status status-${value.replaceAll(" ", "-")}`;
  el.textContent = say(`status.${value}`) !== `status.${value}` ? say(`status.${value}`) : value;
}

// What an approval would leave open, as the page shows it now: "3 Untertitel verletzen Regeln, ...".
function openPoints() {
  const broken = rules.filter((r) => r && r.length).length;
  const words = cues.reduce((sum, c) => sum + shownUnsure(c).length, 0);
  const parts = [];
  if (broken) parts.push(broken === 1 ? say("review.open_rules_one") : say("review.open_rules", { n: broken }));
  if (words) parts.push(words === 1 ? say("review.open_words_one") : say("review.open_words", { n: words }));
  const speech = openLeftOut().length;  // speech no cue covers (the server counts it too)
  if (speech) parts.push(speech === 1 ? say("review.open_speech_one") : say("review.open_speech", { n: speech }));
  if (dirty) parts.push(say("unsaved_points"));
  return parts.join(", ");
}

function askApproval(question) {
  const box = document.getElementById("approve-confirm");
  document.getElementById("approve-question").textContent = question;
  box.hidden = false;
  document.getElementById("approve-anyway").focus();
}

async function review(decision, row = null, confirmed = false) {
  const reviewer = document.getElementById("reviewer").value.trim();
  if (!reviewer) { show(say("name_needed")); document.getElementById("reviewer").focus(); return; }
  if (decision === "approve" && !confirmed) {
    const points = openPoints();
    if (points) { askApproval(say("review.open_question", { points })); return; }
  }
  document.getElementById("approve-confirm").hidden = true;
  const body = {
    reviewer, decision, row, key, confirm_open: confirmed,
    organisation: document.getElementById("organisation").value.trim(),
    comment: document.getElementById("comment").value,
  };
  const { status, data } = await post(`${base}/review`, body);
  if (status === 428 && data.question) { askApproval(data.question); return; }  // the server found open points
  if (status !== 200) { show(say("error", { message: data.error || status })); return; }
  setStatus(data.status);
  showHistory(data.reviews);
  showApprovals(data.approvals);
  show(decision === "approve" ? say("approved") : say(row === null ? "changes_requested" : "reported"));
  document.getElementById("review-form").dispatchEvent(new Event("reviewed"));  // the comment was sent
}

function showHistory(reviews) {
  const list = document.getElementById("history");
  list.replaceChildren();
  for (const r of reviews) {
    const li = document.createElement("li");
    const who = r.organisation ? `${r.reviewer} (${r.organisation})` : r.reviewer;
    const parts = [`${r.when || r.at} · ${who}: ${say(`decision.${r.decision}`)}${r.anyway ? ` ${r.anyway}` : ""}`];
    if (r.row !== null && r.row !== undefined) parts.push(say("row", { row: r.row }));
    li.textContent = parts.join(" · ") + (r.comment ? ` – ${r.comment}` : "");
    list.append(li);
  }
}

// --- preview: one per picture shape, rendered on demand; the video's box takes the shape ---
const SHAPE_KEY = "vidcoop.shape";  // the chosen shape, for every episode posted in it (kept across reloads)
let shape = "9:16";
let polling = 0;  // a newer preview() call ends an older one's polling (the shape was switched)

function previewUrl() { return `${base}/preview${shape === "9:16" ? "" : `?shape=${encodeURIComponent(shape)}`}`; }

async function preview(start) {
  const bar = document.getElementById("preview-progress");
  const label = document.getElementById("preview-state");
  const run = ++polling;
  const url = previewUrl();
  let state = start ? (await post(url, {})).data : await getJSON(url);
  while (state.state === "running" && run === polling) {
    bar.value = state.fraction;
    label.textContent = say("rendering", { percent: Math.round(state.fraction * 100) });
    await new Promise((r) => setTimeout(r, 400));
    state = await getJSON(url);
  }
  if (run !== polling) return;
  if (state.state === "done") {
    bar.value = 1; label.textContent = say("ready");
    if (!video.src.endsWith(state.url)) video.src = state.url;
    video.dataset.ready = "true";
    const status = document.getElementById("review-status");
    if (status && status.dataset.status === "not rendered") setStatus("preview ready");
  } else if (state.state === "error") {
    label.textContent = say("error", { message: state.error });
  }
}

function showShape(chosen) {
  shape = chosen;
  video.dataset.shape = chosen;
  for (const b of document.querySelectorAll("#shapes .shape")) b.setAttribute("aria-pressed", String(b.dataset.shape === chosen));
}

// The address names the shape shown (`?shape=4:5`, as the week page links each shape), so a reload or a
// copied link shows the same one.
function shapeInAddress(chosen) {
  const url = new URL(location.href);
  if (chosen === "9:16") url.searchParams.delete("shape"); else url.searchParams.set("shape", chosen);
  history.replaceState(history.state, "", url);
}

// The switcher (only when the episode is posted in more than one shape); returns whether the shape shown
// first is not 9:16 (its preview is then asked for instead of the 9:16 one the page loaded with): the one the
// address names, else the one chosen last in this browser.
function shapeSwitcher() {
  const buttons = [...document.querySelectorAll("#shapes .shape")];
  if (!buttons.length) return false;
  let kept = new URLSearchParams(location.search).get("shape") || "";
  if (!buttons.some((b) => b.dataset.shape === kept)) {
    try { kept = localStorage.getItem(SHAPE_KEY) || ""; } catch { /* storage off */ }
  }
  if (buttons.some((b) => b.dataset.shape === kept)) showShape(kept);
  for (const b of buttons) {
    b.addEventListener("click", () => {
      if (b.dataset.shape === shape) return;
      try { localStorage.setItem(SHAPE_KEY, b.dataset.shape); } catch { /* storage full or off */ }
      shapeInAddress(b.dataset.shape);
      video.removeAttribute("src"); video.load(); video.dataset.ready = "false";
      showShape(b.dataset.shape);
      preview(true);
    });
  }
  return shape !== "9:16";
}

// --- leaving: the browser's own warning, and an in-page one for the page's links ---
window.addEventListener("beforeunload", (e) => {
  if (dirty && !leaving) { e.preventDefault(); e.returnValue = ""; }
});

function guardLinks() {
  const box = document.getElementById("leave-confirm");
  let target = "";
  for (const a of document.querySelectorAll("#to-week, header a")) {
    a.addEventListener("click", (e) => {
      if (!dirty) return;
      e.preventDefault();
      target = a.href;
      document.getElementById("leave-question").textContent = say("leave_question");
      box.hidden = false;
      document.getElementById("leave-stay").focus();
    });
  }
  document.getElementById("leave-stay").addEventListener("click", () => {
    box.hidden = true;
    document.getElementById("to-week").focus();
  });
  document.getElementById("leave-anyway").addEventListener("click", () => { leaving = true; location.href = target; });
}

// --- a draft from before a reload or a crash ---
function offerDraft() {
  const draft = readDraft(name, version);
  if (!draft || JSON.stringify(draft.cues) === saved) return;
  const when = new Intl.DateTimeFormat(document.documentElement.lang, {
    weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
  }).format(new Date(draft.at));
  draftPending = true;
  const box = document.getElementById("draft-offer");
  document.getElementById("draft-text").textContent = say("draft_found", { time: when });
  box.hidden = false;
  document.getElementById("draft-restore").onclick = () => {
    remember();
    cues = draft.cues;
    rules = Array.isArray(draft.rules) && draft.rules.length === cues.length ? draft.rules : cues.map(() => []);
    draftPending = false;
    box.hidden = true;
    changed(true);
    show(say("draft_restored"));
  };
  document.getElementById("draft-discard").onclick = () => {
    draftPending = false;
    box.hidden = true;
    changed();  // the edits made since loading (if any) become the draft
  };
}

// --- the preview's size: phone size, or larger ---
function sizeToggle() {
  const b = document.getElementById("preview-size");
  b.addEventListener("click", () => {
    const large = root.classList.toggle("large-preview");
    b.setAttribute("aria-pressed", String(large));
    b.textContent = large ? labels.smaller : labels.larger;
  });
}

async function main() {
  const data = await getJSON(base);
  cues = data.cues; rules = data.rules; version = data.version; key = data.key; editable = data.editable;
  leftOut = data.left_out || [];
  saved = JSON.stringify(cues);
  render();
  syncTrack();
  clearOldDrafts();
  guardLinks();
  keepForm(name);
  sizeToggle();
  enlargeCards();
  const save_ = document.getElementById("save");
  if (save_) { save_.addEventListener("click", save); save_.disabled = !editable; }
  const undo_ = document.getElementById("undo");
  if (undo_) undo_.addEventListener("click", undo);
  document.getElementById("next-problem").addEventListener("click", nextProblem);
  document.addEventListener("keydown", (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey || e.key.toLowerCase() !== "z") return;
    if (!editable || e.target.closest?.(".review")) return;  // the review form keeps the browser's own undo
    e.preventDefault();
    undo();
  });
  if (editable) offerDraft();
  document.getElementById("approve").addEventListener("click", () => review("approve"));
  document.getElementById("approve-anyway").addEventListener("click", () => review("approve", null, true));
  document.getElementById("approve-cancel").addEventListener("click", () => {
    document.getElementById("approve-confirm").hidden = true;
    document.getElementById("approve").focus();
  });
  for (const [box, back] of [["approve-confirm", "approve"], ["leave-confirm", "to-week"]]) {
    document.getElementById(box).addEventListener("keydown", (e) => {  // Escape answers "no"
      if (e.key !== "Escape") return;
      document.getElementById(box).hidden = true;
      document.getElementById(back).focus();
    });
  }
  document.getElementById("request-changes").addEventListener("click", () => review("changes"));
  for (const b of document.querySelectorAll(".row-changes")) {
    b.addEventListener("click", () => review("changes", Number(b.dataset.row)));
  }
  const filter = document.getElementById("partner-filter");
  if (filter) filter.addEventListener("change", () => {
    for (const card of document.querySelectorAll(".card")) {
      card.hidden = Boolean(filter.value) && card.dataset.partner !== filter.value;
    }
  });
  const other = shapeSwitcher();
  root.dataset.loaded = "true";
  await preview(other || data.preview.state !== "done");
}

main();
