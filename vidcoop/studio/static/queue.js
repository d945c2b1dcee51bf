// The editor's queue: accept a partner's submission or reject it with a reason. The editor's name
// is remembered in this browser; a reason typed is kept until it is sent.
import { post, say } from "./api.js";

const editor = document.getElementById("editor");
const message = document.getElementById("message");
const NAME = "vidcoop.review:reviewer";
try { editor.value = localStorage.getItem(NAME) || ""; } catch { /* storage off */ }
editor.addEventListener("input", () => { try { localStorage.setItem(NAME, editor.value); } catch { /* off */ } });

for (const reason of document.querySelectorAll("[data-reason]")) {
  const key = `vidcoop.queue:reason:${reason.dataset.reason}`;
  try { reason.value = localStorage.getItem(key) || ""; } catch { /* storage off */ }
  reason.addEventListener("input", () => { try { localStorage.setItem(key, reason.value); } catch { /* off */ } });
}

async function decide(id, action) {
  if (!editor.value.trim()) { message.textContent = say("name_needed"); editor.focus(); return; }
  const reason = document.querySelector(`[data-reason="${id}"]`);
  const { status, data } = await post(`/api/queue/${id}/${action}`, { editor: editor.value, comment: reason.value });
  if (status === 200) {
    try { localStorage.removeItem(`vidcoop.queue:reason:${id}`); } catch { /* nothing kept */ }
    message.textContent = say(action === "accept" ? "partner.accepted" : "partner.rejected");
    document.querySelector(`[data-listing="${id}"]`).remove();
    return;
  }
  message.textContent = say("error", { message: data.error || status });
}

for (const b of document.querySelectorAll("[data-accept]")) b.addEventListener("click", () => decide(b.dataset.accept, "accept"));
for (const b of document.querySelectorAll("[data-reject]")) b.addEventListener("click", () => decide(b.dataset.reject, "reject"));
