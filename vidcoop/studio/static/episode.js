// The episode page: preview with progress, the cue list synced with the video both ways,
// live rule checks, saving captions, and the review form.
import { getJSON, post, say } from "./api.js";

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
let version = "";
let key = "";          // the content key this page shows: a review names it, so it counts for what was seen
let editable = false;
let active = -1;

function show(text) { message.textContent = text; }

function fmt(ms) {
  const s = ms / 1000;
  const m = Math.floor(s / 60);
  return `${m}:${(s - m * 60).toFixed(1).padStart(4, "0")}`;
}

// --- the track: every edit goes straight into the TextTrack, no re-render ---
function syncTrack() {
  const track = trackEl.track;
  track.mode = "showing";
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
function render() {
  list.replaceChildren();
  document.getElementById("no-cues").hidden = cues.length > 0;
  cues.forEach((c, i) => list.append(cueItem(c, i)));
  countUnsure();
  markActive(true);
}

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
  text.addEventListener("input", () => {
    cues[i].text = text.value;
    li.querySelector(".corrections").replaceWith(correctionNote(cues[i]));  // an edited-away word loses its mark
    li.querySelector(".unsure").replaceWith(unsureNote(cues[i], i));
    countUnsure();
    changed();
  });
  text.addEventListener("focus", () => seek(i, false));
  const why = document.createElement("p");
  why.id = `${id}-rules`; why.className = "rules";
  li.append(time, label, text, why, correctionNote(c), unsureNote(c, i));
  if (editable) {
    const tools = document.createElement("div");
    tools.className = "tools";
    tools.append(
      button(labels.earlier, () => nudge(i, -STEP)),
      button(labels.later, () => nudge(i, STEP)),
      button(labels.split, () => split(i, text.selectionStart)),
      button(labels.merge, () => merge(i)),
    );
    li.append(tools);
  }
  showRules(li, i);
  return li;
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
  words.textContent = say("unsure", { list: shown.map((k) => k.text).join(", ") });
  words.title = shown.map((k) => say("unsure_word", { word: k.text, percent: Math.round(k.probability * 100) }))
    .join("\n");
  note.append(words);
  if (editable) {
    note.append(" ", button(say("unsure_ok"), () => {
      cues[i].checked = [...kept, ...shown.map((k) => k.text)];
      note.replaceWith(unsureNote(cues[i], i));
      countUnsure();
      changed();
    }));
  }
  return note;
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
  for (const li of list.children) {
    const on = Number(li.dataset.index) === now;
    li.classList.toggle("active", on);
    if (on) li.setAttribute("aria-current", "true"); else li.removeAttribute("aria-current");
  }
  const li = list.children[now];
  if (li && !force && !li.contains(document.activeElement)) li.scrollIntoView({ block: "nearest" });
}
video.addEventListener("timeupdate", () => markActive(false));
video.addEventListener("seeked", () => markActive(false));

// --- edits ---
let checkTimer = 0;
function changed(structural = false) {
  syncTrack();
  show(say("unsaved"));
  if (structural) render();
  clearTimeout(checkTimer);
  checkTimer = setTimeout(check, 250);
}

function nudge(i, delta) {
  const c = cues[i];
  const start = Math.max(0, c.start_ms + delta);
  c.end_ms += start - c.start_ms; c.start_ms = start;
  changed(true);
}

function split(i, at) {
  const c = cues[i];
  const words = c.text.split(/\s+/).filter(Boolean);
  if (words.length < 2) return;
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
  if (status !== 200) return;
  rules = data.rules;
  Array.from(list.children).forEach((li, i) => showRules(li, i));
}

async function save() {
  const body = { version, cues: plain(cues) };
  if (!cues.length) {  // saving no cues at all is a decision of its own: ask
    if (!window.confirm(say("confirm_no_captions"))) return;
    body.no_captions = true;
  }
  const { status, data } = await post(`${base}/captions`, body);
  if (status === 200) {
    version = data.version;
    key = data.key;
    setStatus(data.status);
    show(say("saved"));
  } else if (status === 409) {
    show(say("conflict"));
  } else {
    show(say("error", { message: data.error || status }));
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

async function review(decision, row = null) {
  const reviewer = document.getElementById("reviewer").value.trim();
  if (!reviewer) { show(say("name_needed")); document.getElementById("reviewer").focus(); return; }
  const body = {
    reviewer, decision, row, key,
    organisation: document.getElementById("organisation").value.trim(),
    comment: document.getElementById("comment").value,
  };
  const { status, data } = await post(`${base}/review`, body);
  if (status !== 200) { show(say("error", { message: data.error || status })); return; }
  setStatus(data.status);
  showHistory(data.reviews);
  document.getElementById("approvals").textContent =
    document.getElementById("approvals").textContent.replace(/^\d+/, data.approvals);
  show(decision === "approve" ? say("approved") : say(row === null ? "changes_requested" : "reported"));
}

function showHistory(reviews) {
  const list = document.getElementById("history");
  list.replaceChildren();
  for (const r of reviews) {
    const li = document.createElement("li");
    const who = r.organisation ? `${r.reviewer} (${r.organisation})` : r.reviewer;
    const parts = [`${r.at} · ${who}: ${say(`decision.${r.decision}`)}`];
    if (r.row !== null && r.row !== undefined) parts.push(say("row", { row: r.row }));
    li.textContent = parts.join(" · ") + (r.comment ? ` – ${r.comment}` : "");
    list.append(li);
  }
}

// --- preview ---
async function preview(start) {
  const bar = document.getElementById("preview-progress");
  const label = document.getElementById("preview-state");
  let state = start ? (await post(`${base}/preview`, {})).data : await getJSON(`${base}/preview`);
  while (state.state === "running") {
    bar.value = state.fraction;
    label.textContent = say("rendering", { percent: Math.round(state.fraction * 100) });
    await new Promise((r) => setTimeout(r, 400));
    state = await getJSON(`${base}/preview`);
  }
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

async function main() {
  const data = await getJSON(base);
  cues = data.cues; rules = data.rules; version = data.version; key = data.key; editable = data.editable;
  render();
  syncTrack();
  const save_ = document.getElementById("save");
  if (save_) { save_.addEventListener("click", save); save_.disabled = !editable; }
  document.getElementById("approve").addEventListener("click", () => review("approve"));
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
  root.dataset.loaded = "true";
  await preview(data.preview.state !== "done");
}

main();
