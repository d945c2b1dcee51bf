// The partner page: the listing form (kept in this browser until saved), the live card preview,
// submit / withdraw, and the sign-off of the rendered board. Text is set as text, never as HTML.
import { post, say } from "./api.js";

const data = JSON.parse(document.getElementById("partner-data").textContent);
const form = document.getElementById("listing-form");
const inputs = [...form.querySelectorAll("[data-field]")];
const week = document.getElementById("field-week");
const idField = document.getElementById("listing-id");
const versionField = document.getElementById("listing-version");
const message = document.getElementById("form-message");
const img = document.getElementById("card-preview");
const previewState = document.getElementById("preview-state");
const heading = document.getElementById("form-heading");

// --- drafts: everything typed stays in localStorage until a save succeeds --------------------------
const DRAFT = `vidcoop.partner:${data.partner.id}:`;
const draftKey = () => `${DRAFT}${idField.value || "new"}`;

function values() {
  const fields = {};
  for (const input of inputs) fields[input.dataset.field] = input.value;
  return fields;
}

function keepDraft() {
  try {
    localStorage.setItem(`${DRAFT}current`, idField.value || "new");
    localStorage.setItem(draftKey(), JSON.stringify({
      at: Date.now(), week: week.value, version: versionField.value, fields: values(),
    }));
  } catch { /* storage full or off */ }
}

function readDraft(key) {
  try { return JSON.parse(localStorage.getItem(key) || "null"); } catch { return null; }
}

function dropDraft(key) {
  try { localStorage.removeItem(key); } catch { /* nothing kept */ }
}

function fill(listing, draft) {
  idField.value = listing ? String(listing.id) : "";
  versionField.value = listing ? String(listing.version) : "";
  heading.textContent = listing ? heading.dataset.edit : heading.dataset.new;
  const source = draft ? draft.fields : (listing ? listing.fields : {});
  for (const input of inputs) input.value = source[input.dataset.field] ?? "";
  const wanted = draft ? draft.week : (listing ? listing.week : data.weeks[0]);
  if ([...week.options].some((o) => o.value === wanted)) week.value = wanted;
  showProblems({});
}

// --- problems at their fields ---------------------------------------------------------------------
function showProblems(problems) {
  for (const input of inputs) {
    const error = form.querySelector(`[data-error-for="${CSS.escape(input.dataset.field)}"]`);
    const text = problems[input.dataset.field];
    error.textContent = text || "";
    error.hidden = !text;
    if (text) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
  }
  const weekError = document.getElementById("error-Woche");
  weekError.textContent = problems.Woche || "";
  weekError.hidden = !problems.Woche;
}

// --- the live preview: debounced; only the newest answer is shown ----------------------------------
let timer = null;
let asked = 0;
let shownUrl = null;

function schedulePreview() {
  clearTimeout(timer);
  timer = setTimeout(refreshPreview, 350);
}

async function refreshPreview() {
  const mine = ++asked;
  previewState.textContent = say("partner.preview_wait");
  const response = await fetch("/api/partner/preview", {
    method: "POST",
    headers: { "Content-Type": "application/json",
               "X-CSRF-Token": document.querySelector('meta[name="csrf-token"]').content },
    body: JSON.stringify({ week: week.value, fields: values() }),
    credentials: "same-origin",
  });
  if (mine !== asked) return;  // a newer request is on its way
  if (response.ok) {
    const blob = await response.blob();
    if (mine !== asked) return;
    if (shownUrl) URL.revokeObjectURL(shownUrl);
    shownUrl = URL.createObjectURL(blob);
    img.src = shownUrl;
    img.hidden = false;
    img.dataset.state = "ready";
    previewState.textContent = say("partner.preview_ready");
    showProblems({});
    return;
  }
  let body = {};
  try { body = await response.json(); } catch { body = {}; }
  img.dataset.state = "problems";
  showProblems(body.problems || {});
  previewState.textContent = body.problems ? say("partner.preview_problems") : say("partner.error", { message: body.error || response.status });
}

// --- save, submit, withdraw -----------------------------------------------------------------------
form.addEventListener("input", () => { keepDraft(); schedulePreview(); });
week.addEventListener("change", () => { keepDraft(); schedulePreview(); });

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const key = draftKey();
  const body = { week: week.value, fields: values() };
  if (idField.value) { body.id = Number(idField.value); body.version = Number(versionField.value); }
  const { status, data: answer } = await post("/api/partner/listings", body);
  if (status === 200) {
    dropDraft(key);
    message.textContent = say("partner.saved");
    location.reload();
    return;
  }
  showProblems(answer.problems || {});
  message.textContent = say("partner.save_failed", { message: answer.error || status });
  message.dataset.status = String(status);
});

document.getElementById("new-listing").addEventListener("click", () => {
  fill(null, readDraft(`${DRAFT}new`));
  schedulePreview();
});

for (const button of document.querySelectorAll("[data-edit]")) {
  button.addEventListener("click", () => {
    const listing = data.listings.find((x) => String(x.id) === button.dataset.edit);
    const draft = readDraft(`${DRAFT}${listing.id}`);
    fill(listing, draft && String(draft.version) === String(listing.version) ? draft : null);
    form.scrollIntoView();
    schedulePreview();
  });
}

for (const button of document.querySelectorAll("[data-action]")) {
  button.addEventListener("click", async () => {
    const { status, data: answer } = await post(`/api/partner/listings/${button.dataset.id}/${button.dataset.action}`, {});
    if (status === 200) { location.reload(); return; }
    message.textContent = say("partner.error", { message: answer.error || status });
  });
}

document.getElementById("logout").addEventListener("click", async () => {
  await post("/api/partner/logout", {});
  location.reload();
});

// --- sign-off of the rendered board ---------------------------------------------------------------
const signoff = document.getElementById("signoff-form");
if (signoff) {
  const by = document.getElementById("signoff-by");
  const comment = document.getElementById("signoff-comment");
  try { by.value = localStorage.getItem(`${DRAFT}by`) || ""; } catch { /* storage off */ }
  by.addEventListener("input", () => { try { localStorage.setItem(`${DRAFT}by`, by.value); } catch { /* off */ } });
  for (const button of signoff.querySelectorAll("[data-approved]")) {
    button.addEventListener("click", async () => {
      if (!by.value.trim()) { message.textContent = say("partner.name_needed"); by.focus(); return; }
      const { status, data: answer } = await post("/api/partner/signoff", {
        approved: button.dataset.approved === "true", by: by.value, comment: comment.value, hash: signoff.dataset.hash,
      });
      if (status === 200) { location.reload(); return; }
      const note = document.getElementById("signoff-message") || signoff.appendChild(document.createElement("p"));
      note.id = "signoff-message";
      note.setAttribute("role", "alert");
      note.textContent = answer.error || String(status);
    });
  }
}

// --- on load: a draft typed before a reload or a failed save comes back ---------------------------
let current = "new";
try { current = localStorage.getItem(`${DRAFT}current`) || "new"; } catch { /* storage off */ }
const editing = data.listings.find((x) => String(x.id) === current) || null;
const pending = readDraft(`${DRAFT}${editing ? editing.id : "new"}`);
if (pending) {
  fill(editing, pending);  // a stale version is refused on save (409), never overwritten
  if (editing) versionField.value = String(pending.version || editing.version);
  message.textContent = say("partner.draft_restored");
  schedulePreview();
} else {
  fill(null, null);
}
