// Keyboard review: j/k move, a accept, r reject, e edit, o open. Verdicts are
// posted with fetch (CSRF token in a header and in the form) and the card
// leaves the queue; without JavaScript the forms post and redirect instead.
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const cards = () => Array.from(document.querySelectorAll("#queue .card:not(.done)"));
  let current = 0;

  function select(i) {
    const list = cards();
    if (!list.length) return;
    current = Math.max(0, Math.min(i, list.length - 1));
    list.forEach((c, n) => c.classList.toggle("selected", n === current));
    list[current].scrollIntoView({ block: "nearest" });
  }

  async function verdict(card, value) {
    const form = card.querySelector("form.verdict");
    const data = new FormData(form);
    data.set("verdict", value);
    const response = await fetch(form.action, {
      method: "POST", body: data,
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf },
    });
    const result = await response.json();
    if (!response.ok) { alert(result.error || "could not save the verdict"); return; }
    card.classList.add("done");
    card.classList.remove("selected");
    card.dataset.status = result.status;
    card.querySelector(".status").textContent = result.status;
    select(current);
  }

  document.addEventListener("submit", (event) => {
    const button = event.submitter;
    const card = event.target.closest(".card");
    if (!card || !button || !button.value) return;
    event.preventDefault();
    verdict(card, button.value);
  });

  document.addEventListener("keydown", (event) => {
    if (event.target.matches("input, select, textarea")) return;
    const list = cards();
    const card = list[current];
    switch (event.key) {
      case "j": select(current + 1); break;
      case "k": select(current - 1); break;
      case "a": if (card) verdict(card, "accepted"); break;
      case "r": if (card) verdict(card, "rejected"); break;
      case "e": if (card) { const d = card.querySelector("details.edit"); d.open = true; d.querySelector("input").focus(); event.preventDefault(); } break;
      case "o": if (card) window.location = "/claim/" + card.dataset.claim; break;
      default: return;
    }
  });
  select(0);
})();
