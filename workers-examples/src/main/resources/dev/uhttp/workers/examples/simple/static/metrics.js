// The live charts of the demo page: request rate, p50/p99 latency per pool, worker restarts by reason.
// Every second the page reads the dispatcher's Prometheus text at /metrics (the same numbers Prometheus
// scrapes, so the page needs no endpoint of its own) and computes, from two successive scrapes, what
// Prometheus's rate() and histogram_quantile() would. Drawn with uPlot 1.6.32 (MIT, vendored from npm
// as uPlot.iife.min.js: ~50 KB, no dependencies, canvas, made for streaming time series).
'use strict';

(function () {
  const WINDOW = 60; // points kept: one minute
  const COLORS = ['#2f6fde', '#d9480f', '#2b8a3e', '#862e9c', '#e67700', '#0b7285', '#c2255c', '#5c940d', '#495057'];
  const panel = document.getElementById('metrics-panel');
  if (!panel || typeof uPlot === 'undefined') {
    return;
  }

  // ---- the text exposition format: name{label="value",...} value
  const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
  const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

  function parse(text) {
    const samples = [];
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) {
        continue;
      }
      const m = LINE.exec(line);
      if (!m) {
        continue;
      }
      const labels = {};
      if (m[2]) {
        for (const l of m[2].matchAll(LABEL)) {
          labels[l[1]] = l[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
        }
      }
      samples.push({ name: m[1], labels, value: Number(m[3]) });
    }
    return samples;
  }

  // Sums the samples named `name`, grouped by the value of label `by`.
  function sumBy(samples, name, by) {
    const out = {};
    for (const s of samples) {
      if (s.name === name) {
        out[s.labels[by]] = (out[s.labels[by]] || 0) + s.value;
      }
    }
    return out;
  }

  // The buckets (le -> cumulative count) of histogram `name` for each pool.
  function buckets(samples, name) {
    const out = {};
    for (const s of samples) {
      if (s.name === name + '_bucket') {
        (out[s.labels.pool] = out[s.labels.pool] || {})[s.labels.le] = s.value;
      }
    }
    return out;
  }

  // histogram_quantile over the increase between two scrapes: linear within the bucket; null without data.
  function quantile(q, now, before) {
    const les = Object.keys(now).map((le) => (le === '+Inf' ? Infinity : Number(le))).sort((a, b) => a - b);
    const inc = (le) => {
      const key = le === Infinity ? '+Inf' : Object.keys(now).find((k) => Number(k) === le);
      return now[key] - ((before && before[key]) || 0);
    };
    const total = inc(Infinity);
    if (!(total > 0)) {
      return null;
    }
    const rank = q * total;
    let prevLe = 0;
    let prevCount = 0;
    for (const le of les) {
      const count = inc(le);
      if (count >= rank) {
        if (le === Infinity) {
          return prevLe; // above the last bound: its bound is the best estimate
        }
        return prevLe + (le - prevLe) * ((rank - prevCount) / Math.max(count - prevCount, 1e-9));
      }
      prevLe = le;
      prevCount = count;
    }
    return prevLe;
  }

  // ---- charts
  const charts = {};

  // The legend shows the latest values whenever the cursor is not over the chart (uPlot shows "--" then).
  function showLatest(u) {
    const n = u.data[0].length;
    if (n > 0 && u.cursor.idx == null) {
      u.setLegend({ idx: n - 1 }, false);
    }
  }

  function chart(id, title, series, unit) {
    const target = document.getElementById(id);
    const opts = {
      title,
      width: Math.max(260, target.clientWidth || 320),
      height: 160,
      scales: { x: { time: true } },
      axes: [{}, { size: 50, values: (u, vals) => vals.map((v) => v + unit) }],
      series: [{}].concat(series.map((s, i) => ({
        label: s.label, stroke: COLORS[i % COLORS.length], width: 1.5, dash: s.dash, spanGaps: true,
        // No value (a latency without requests): "idle" rather than uPlot's "--".
        value: (u, v) => (v == null ? 'idle' : (Math.round(v * 100) / 100) + unit),
      }))),
      hooks: { setLegend: [showLatest] },
    };
    const data = [[]].concat(series.map(() => []));
    charts[id] = { plot: new uPlot(opts, data, target), data, target };
    target.dataset.series = JSON.stringify(series.map((s) => s.label));
  }

  function push(id, t, values) {
    const c = charts[id];
    c.data[0].push(t);
    values.forEach((v, i) => c.data[i + 1].push(v));
    if (c.data[0].length > WINDOW) {
      c.data.forEach((col) => col.shift());
    }
    c.plot.setData(c.data);
    // A minute wide from the first point on (one point alone would get a range of years).
    c.plot.setScale('x', { min: Math.min(c.data[0][0], t - WINDOW), max: t });
    showLatest(c.plot);
    // What the browser test reads: points drawn so far, the scrape that drew the first, the latest values.
    c.target.dataset.points = String(Number(c.target.dataset.points || 0) + 1);
    c.target.dataset.firstScrape = c.target.dataset.firstScrape || String(scrapes);
    c.target.dataset.last = JSON.stringify(values);
  }

  let previous = null;
  let layout = null;
  let scrapes = 0;

  async function scrape() {
    scrapes += 1;
    let samples;
    try {
      const response = await fetch('/metrics', { cache: 'no-store' });
      if (!response.ok) {
        document.getElementById('metrics-state').textContent = 'no metrics here (GET /metrics: ' + response.status + ')';
        return;
      }
      samples = parse(await response.text());
    } catch (e) {
      document.getElementById('metrics-state').textContent = 'metrics unavailable: ' + e.message;
      return;
    }
    const now = { t: Date.now() / 1000, samples };
    if (!layout) {
      // The series are fixed by the first scrape: every pool label, every restart reason.
      const pools = Object.keys(sumBy(samples, 'uhttp_request_duration_seconds_count', 'pool'));
      const workerPools = Object.keys(sumBy(samples, 'uhttp_queue_depth', 'pool'));
      const reasons = Object.keys(sumBy(samples, 'uhttp_worker_restarts_total', 'reason'));
      const latencyPools = pools.filter((p) => p !== 'none');
      layout = { pools, workerPools, reasons, latencyPools };
      chart('chart-rate', 'Requests per second', pools.map((p) => ({ label: p })), '/s');
      chart('chart-latency', 'Latency p50 (dashed) and p99, ms',
        latencyPools.flatMap((p) => [{ label: p + ' p50', dash: [4, 4] }, { label: p + ' p99' }]), '');
      chart('chart-restarts', 'Worker restarts by reason (total)', reasons.map((r) => ({ label: r })), '');
      document.getElementById('metrics-state').textContent = '';
    }
    // Rates and latencies need two scrapes (the second comes a quarter second after the first); the
    // restart totals are drawn from the first.
    if (previous) {
      const dt = Math.max(now.t - previous.t, 0.001);
      const count = sumBy(samples, 'uhttp_requests_total', 'pool');
      const countBefore = sumBy(previous.samples, 'uhttp_requests_total', 'pool');
      push('chart-rate', now.t, layout.pools.map((p) => ((count[p] || 0) - (countBefore[p] || 0)) / dt));

      const hist = buckets(samples, 'uhttp_request_duration_seconds');
      const histBefore = buckets(previous.samples, 'uhttp_request_duration_seconds');
      push('chart-latency', now.t, layout.latencyPools.flatMap((p) => [0.5, 0.99].map((q) => {
        const v = hist[p] ? quantile(q, hist[p], histBefore[p]) : null;
        return v === null ? null : Math.round(v * 1e5) / 100;
      })));
    }

    const restarts = sumBy(samples, 'uhttp_worker_restarts_total', 'reason');
    push('chart-restarts', now.t, layout.reasons.map((r) => restarts[r] || 0));
    previous = now;
  }

  // At once on load, again a quarter of a second later (the first rate), then every second.
  scrape().finally(() => {
    setTimeout(scrape, 250);
    setInterval(scrape, 1000);
  });
})();
