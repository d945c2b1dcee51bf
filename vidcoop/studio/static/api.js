// Small helpers shared by the studio's pages: strings, the CSRF token, JSON requests.
export const strings = JSON.parse(document.getElementById("strings").textContent);

export function say(key, values = {}) {
  let text = strings[key] ?? key;
  for (const [k, v] of Object.entries(values)) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

const csrf = document.querySelector('meta[name="csrf-token"]').content;

// POST JSON with the CSRF token; resolves to {status, data}.
export async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify(body ?? {}),
    credentials: "same-origin",
  });
  let data = {};
  try { data = await response.json(); } catch { data = {}; }
  return { status: response.status, data };
}

export async function getJSON(url) {
  const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
  return response.json();
}
