// The simple example's demo page: buttons for every route and a live view of the worker pools.
// No framework and no CDN: the page works offline, served by the dispatcher from /static/.
'use strict';

const $ = (id) => document.getElementById(id);

function apiHeaders(json) {
  const headers = { 'x-api-key': $('api-key').value };
  if (json) {
    headers['Content-Type'] = 'application/json';
  }
  return headers;
}

// One HTTP call; returns {status, data} where data is parsed JSON when possible, else text.
async function call(method, path, body, withKey) {
  const init = { method, headers: withKey ? apiHeaders(body !== undefined) : {}, redirect: 'manual' };
  if (body !== undefined) {
    init.body = body;
  }
  try {
    const response = await fetch(path, init);
    const text = await response.text();
    let data = text;
    try {
      data = text ? JSON.parse(text) : null;
    } catch (e) {
      // not JSON: show the text
    }
    return { status: response.status, data, worker: response.headers.get('x-worker') };
  } catch (e) {
    return { status: 0, data: { error: 'request failed: ' + e.message }, worker: null };
  }
}

// Shows a response in the result panel; data-seq counts the responses shown (tests wait on it).
function show(method, path, result) {
  $('result-request').textContent = method + ' ' + path;
  const status = $('result-status');
  status.textContent = String(result.status);
  status.className = 'status ' + (result.status >= 200 && result.status < 300 ? 'ok' : 'error');
  $('result-worker').textContent = result.worker ? 'answered by ' + result.worker : 'answered by the dispatcher';
  $('result-body').textContent = typeof result.data === 'string' ? result.data : JSON.stringify(result.data, null, 2);
  const panel = $('result');
  panel.dataset.seq = String(Number(panel.dataset.seq) + 1);
}

async function run(method, path, body, withKey) {
  const result = await call(method, path, body, withKey);
  show(method, path, result);
  return result;
}

async function refreshItems() {
  const result = await call('GET', '/api/items', undefined, true);
  renderItems(result);
  return result;
}

function renderItems(result) {
  const list = $('items-list');
  list.replaceChildren();
  if (result.status !== 200 || !result.data || !Array.isArray(result.data.items)) {
    const li = document.createElement('li');
    li.className = 'error';
    li.textContent = 'cannot list items: ' + result.status + ' ' + JSON.stringify(result.data);
    list.appendChild(li);
  } else if (result.data.items.length === 0) {
    const li = document.createElement('li');
    li.className = 'dim';
    li.textContent = 'no items yet: create one, or compute a factorial (its result is stored here)';
    list.appendChild(li);
  } else {
    for (const item of result.data.items) {
      const li = document.createElement('li');
      li.id = 'item-' + item.id;
      li.dataset.id = String(item.id);
      const id = document.createElement('span');
      id.className = 'item-id';
      id.textContent = '#' + item.id;
      const name = document.createElement('span');
      name.className = 'item-name';
      name.textContent = item.name;
      name.title = item.name;
      li.append(id, ' ', name);
      list.appendChild(li);
    }
  }
  list.dataset.loaded = 'true';
}

function bind(id, action) {
  $(id).addEventListener('click', action);
}

bind('btn-health', () => run('GET', '/health'));
bind('btn-version', () => run('GET', '/version'));
bind('btn-factorial', () => run('GET', '/api/compute/factorial/' + encodeURIComponent($('factorial-n').value), undefined, true));
bind('btn-echo', () => run('POST', '/api/compute/echo', $('echo-data').value, true));
bind('btn-items-list', async () => renderItems(await run('GET', '/api/items', undefined, true)));
bind('btn-item-create', async () => {
  const result = await run('POST', '/api/items', JSON.stringify({ name: $('item-name').value }), true);
  if (result.status === 201 && result.data) {
    $('item-id').value = result.data.id;
  }
  await refreshItems();
});
bind('btn-item-get', () => run('GET', '/api/item/' + encodeURIComponent($('item-id').value), undefined, true));
bind('btn-item-delete', async () => {
  await run('DELETE', '/api/item/' + encodeURIComponent($('item-id').value), undefined, true);
  await refreshItems();
});

// ---- the live panel of pools and workers

function cell(row, className, text) {
  const td = document.createElement('td');
  td.className = className;
  td.textContent = text;
  row.appendChild(td);
  return td;
}

function heartbeat(seconds) {
  return seconds < 0 ? 'never' : seconds.toFixed(1) + ' s ago';
}

function renderPools(health) {
  const container = $('pools');
  const sections = [];
  for (const pool of health.pools) {
    const section = document.createElement('div');
    section.className = 'pool';
    section.id = 'pool-' + pool.name;
    const title = document.createElement('h3');
    title.textContent = pool.name;
    const info = document.createElement('span');
    info.className = 'dim pool-info';
    const count = role => pool.workers.filter(w => w.role === role).length;
    info.textContent = ` ${count('active')} active, ${count('spare')} spare, ${count('draining')} draining;`
      + ` ${pool.queued} queued, ${pool.pending} pending`
      + (pool.reloading ? ' - RELOADING' : '') + (pool.degraded ? ' - DEGRADED' : '');
    title.appendChild(info);
    section.appendChild(title);

    const table = document.createElement('table');
    const head = document.createElement('tr');
    for (const name of ['worker', 'role', 'pid', 'alive', 'ready', 'last heartbeat', 'current request', 'restarts',
      'generation', 'served', 'started', 'leaving because']) {
      const th = document.createElement('th');
      th.textContent = name;
      head.appendChild(th);
    }
    table.appendChild(head);
    for (const w of pool.workers) {
      const row = document.createElement('tr');
      row.id = 'worker-' + pool.name + '-' + w.id;
      row.dataset.pid = String(w.pid);
      row.className = (w.alive ? 'alive' : 'dead') + ' ' + w.role + (w.parked ? ' parked' : '');
      cell(row, 'worker-id', String(w.id));
      cell(row, 'role', w.parked ? 'parked' : w.role);
      cell(row, 'pid', w.pid >= 0 ? String(w.pid) : '-');
      cell(row, 'alive', w.alive ? 'yes' : 'no');
      cell(row, 'ready', w.ready ? 'yes' : 'no');
      cell(row, 'heartbeat', heartbeat(w.secondsSinceHeartbeat));
      cell(row, 'current', w.currentRequests && w.currentRequests.length ? w.currentRequests.join(', ') : '-');
      cell(row, 'restarts', String(w.restarts));
      cell(row, 'generation', String(w.generation));
      cell(row, 'served', String(w.served));
      cell(row, 'started', w.startedAt > 0 ? new Date(w.startedAt).toLocaleTimeString() : '-');
      cell(row, 'recycle', w.recycleReason || '-');
      table.appendChild(row);
    }
    section.appendChild(table);
    sections.push(section);
  }
  container.replaceChildren(...sections);
  container.dataset.refreshes = String(Number(container.dataset.refreshes) + 1);
}

async function refreshPools() {
  const result = await call('GET', '/health');
  const state = $('pools-state');
  if (result.status === 200 && result.data && Array.isArray(result.data.pools)) {
    renderPools(result.data);
    state.textContent = 'status ' + result.data.status + ', ' + result.data.pending + ' pending, updated '
      + new Date().toLocaleTimeString();
    state.className = 'dim';
  } else {
    state.textContent = 'dispatcher unreachable (' + result.status + ') at ' + new Date().toLocaleTimeString();
    state.className = 'error';
  }
}

async function poll() {
  await refreshPools();
  setTimeout(poll, 1000);
}

(async () => {
  const version = await call('GET', '/version');
  $('version').textContent = version.status === 200 && version.data ? version.data.version : '?';
  poll();
  refreshItems();
})();
