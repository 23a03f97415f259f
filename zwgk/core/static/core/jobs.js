// 后台任务: poll the job's status every two seconds and move the progress bar; reload when it ends.
(function () {
  const root = document.querySelector("[data-status-url]");
  if (!root || !["queued", "running"].includes(root.dataset.state)) return;
  const bar = root.querySelector("[data-job-progress]");
  const count = root.querySelector("[data-job-count]");
  const state = root.querySelector("[data-job-state]");
  const message = root.querySelector("[data-job-message]");
  async function poll() {
    try {
      const response = await fetch(root.dataset.statusUrl, {
        headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
      });
      if (!response.ok) return;
      const job = await response.json();
      bar.value = job.percent;
      bar.textContent = job.percent + "%";
      count.textContent = job.total ? `${job.done}/${job.total}（${job.percent}%）` : "";
      state.textContent = job.state_label;
      if (job.message) message.textContent = job.message;
      if (job.finished) {
        window.location.reload();
        return;
      }
    } catch (error) {
      // the network blinked: try again at the next tick
    }
    window.setTimeout(poll, 2000);
  }
  window.setTimeout(poll, 2000);
})();
