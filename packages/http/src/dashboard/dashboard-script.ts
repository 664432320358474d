/**
 * The page's script (served as-is, no build, no CDN): refreshes the live region, keeps
 * relative times fresh, and sends actions with the admin token the operator typed in.
 */
export const DASHBOARD_SCRIPT = `(() => {
  "use strict";
  const body = document.body;
  const base = body.dataset.base || "";
  const refreshMs = Number(body.dataset.refreshMs) || 5000;
  const main = document.getElementById("dashboard");
  const liveText = document.getElementById("live-text");
  const result = document.getElementById("action-result");
  const tokenInput = document.getElementById("admin-token");
  let offsetMs = Date.parse(main.dataset.now) - Date.now();

  function fmt(ms) {
    const abs = Math.abs(ms);
    if (abs < 1000) return Math.round(abs) + " ms";
    if (abs < 10000) return (abs / 1000).toFixed(1) + " s";
    if (abs < 60000) return Math.round(abs / 1000) + " s";
    const m = Math.floor(abs / 60000);
    if (m < 60) { const s = Math.round((abs % 60000) / 1000); return s ? m + " min " + s + " s" : m + " min"; }
    const h = Math.floor(m / 60);
    if (h < 24) return m % 60 ? h + " h " + (m % 60) + " min" : h + " h";
    const d = Math.floor(h / 24);
    return h % 24 ? d + " d " + (h % 24) + " h" : d + " d";
  }
  function tickTimes() {
    const now = Date.now() + offsetMs;
    for (const el of document.querySelectorAll("time[data-relative]")) {
      const delta = Date.parse(el.getAttribute("datetime")) - now;
      el.textContent = Math.abs(delta) < 1000 ? "now" : delta < 0 ? fmt(-delta) + " ago" : "in " + fmt(delta);
    }
  }
  async function refresh() {
    try {
      const response = await fetch(base + "/partials/dashboard", { headers: { accept: "text/html" } });
      if (!response.ok) throw new Error("HTTP " + response.status);
      const serverNow = response.headers.get("x-mika-now");
      main.innerHTML = await response.text();
      if (serverNow) { main.dataset.now = serverNow; offsetMs = Date.parse(serverNow) - Date.now(); }
      body.classList.remove("offline");
      liveText.textContent = "Live, every " + fmt(refreshMs);
      tickTimes();
    } catch (error) {
      body.classList.add("offline");
      liveText.textContent = "Offline: " + error.message + "; retrying";
    }
  }
  if (tokenInput) {
    tokenInput.value = sessionStorage.getItem("mika-admin-token") || "";
    tokenInput.addEventListener("input", () => sessionStorage.setItem("mika-admin-token", tokenInput.value));
    document.getElementById("token-form").addEventListener("submit", (event) => event.preventDefault());
  }
  main.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const lane = button.dataset.lane;
    const action = button.dataset.action;
    button.disabled = true;
    result.className = "action-result";
    result.textContent = action + " " + lane + "…";
    try {
      const response = await fetch(base + "/api/lanes/" + encodeURIComponent(lane) + "/" + action, {
        method: "POST",
        headers: { authorization: "Bearer " + (tokenInput ? tokenInput.value : "") },
      });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(answer.error || "HTTP " + response.status);
      result.className = "action-result good";
      result.textContent = answer.message || action + " " + lane + ": done";
    } catch (error) {
      result.className = "action-result bad";
      result.textContent = action + " " + lane + " failed: " + error.message;
    } finally {
      button.disabled = false;
      refresh();
    }
  });
  setInterval(tickTimes, 1000);
  setInterval(refresh, refreshMs);
})();
`;
