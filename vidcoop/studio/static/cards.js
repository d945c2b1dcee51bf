// The job board's cards: a click opens a card large (a modal dialog; Escape or "Schließen" closes it).
export function enlargeCards() {
  const dialog = document.getElementById("card-dialog");
  if (!dialog) return;
  const large = document.getElementById("card-large");
  for (const button of document.querySelectorAll(".card .enlarge")) {
    button.addEventListener("click", () => {
      const img = button.querySelector("img");
      large.src = img.src;
      large.alt = img.alt;
      dialog.showModal();
    });
  }
  dialog.addEventListener("click", (e) => { if (e.target === dialog) dialog.close(); });  // the backdrop
}
