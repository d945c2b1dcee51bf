// Drafts: the cues being edited, kept in this browser's localStorage until they are saved, so a reload,
// a closed tab or a crash offers them back. Keyed by episode and the caption version they were loaded
// at: a draft is only offered over the very content it was typed on (a save elsewhere makes it stale).
const PREFIX = "vidcoop.draft:";
const MAX_AGE = 30 * 24 * 3600 * 1000; // ms: older drafts are cleared

function keyOf(name, version) { return `${PREFIX}${name}:${version}`; }

export function keepDraft(name, version, state) {
  try {
    localStorage.setItem(keyOf(name, version), JSON.stringify({ at: Date.now(), ...state }));
  } catch { /* storage full or off: the leave warning still protects the edits */ }
}

export function readDraft(name, version) {
  try {
    const draft = JSON.parse(localStorage.getItem(keyOf(name, version)) || "null");
    return draft && Array.isArray(draft.cues) ? draft : null;
  } catch { return null; }
}

export function dropDraft(name, version) {
  try { localStorage.removeItem(keyOf(name, version)); } catch { /* nothing kept */ }
}

// Forget drafts nobody came back for in a month.
export function clearOldDrafts() {
  try {
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const k = localStorage.key(i);
      if (!k || !k.startsWith(PREFIX)) continue;
      const at = (JSON.parse(localStorage.getItem(k) || "{}") || {}).at || 0;
      if (Date.now() - at > MAX_AGE) localStorage.removeItem(k);
    }
  } catch { /* nothing to clear */ }
}

// The review form's fields: the reviewer's name and organisation are remembered for every episode,
// the comment per episode until the review is sent.
const FORM = "vidcoop.review:";

export function keepForm(name) {
  const form = document.getElementById("review-form");
  const fields = ["reviewer", "organisation", "comment"].map((id) => document.getElementById(id));
  const keyOf = (f) => `${FORM}${f.id === "comment" ? `comment:${name}` : f.id}`;
  for (const f of fields) {
    try { if (!f.value) f.value = localStorage.getItem(keyOf(f)) || ""; } catch { /* storage off */ }
    f.addEventListener("input", () => {
      try { localStorage.setItem(keyOf(f), f.value); } catch { /* storage full or off */ }
    });
  }
  form.addEventListener("reviewed", () => {
    try { localStorage.removeItem(`${FORM}comment:${name}`); } catch { /* nothing kept */ }
  });
}
