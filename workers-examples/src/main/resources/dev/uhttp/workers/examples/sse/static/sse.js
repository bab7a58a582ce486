// SSE panel of the demo page. Shown only when the page is served by the SSE example
// (workers-example --example sse), whose /health says {"example": "sse"}: subscribe to a channel with
// EventSource, publish to it, and watch open / message / ping events arrive live.
(function () {
  'use strict';

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    (children || []).forEach(c => e.append(c));
    return e;
  }

  function panel() {
    const section = el('section', {id: 'sse-panel', class: 'card wide-card'}, [
      el('h2', {}, ['Server-Sent Events ', el('span', {class: 'dim'}, ['event pool of 2 workers; publish fans out to both'])]),
      el('p', {class: 'hint'}, ['Open several subscriptions (they are spread over the workers), then publish: ',
        'every subscriber of the channel receives the message, whichever worker holds it.']),
      el('div', {class: 'row'}, [
        el('label', {}, ['channel ', el('input', {id: 'sse-channel', value: 'news', autocomplete: 'off'})]),
        el('button', {id: 'sse-subscribe', type: 'button'}, ['Subscribe']),
        el('button', {id: 'sse-close', type: 'button'}, ['Close all'])
      ]),
      el('div', {class: 'row'}, [
        el('label', {}, ['message ', el('input', {id: 'sse-msg', class: 'wide', value: 'hello, subscribers'})]),
        el('button', {id: 'sse-publish', type: 'button'}, ['Publish']),
        el('span', {id: 'sse-published', class: 'dim'}, [''])
      ]),
      el('div', {id: 'sse-subscriptions', class: 'dim'}, ['no subscriptions']),
      el('pre', {id: 'sse-log', 'data-events': '0'}, [])
    ]);
    document.querySelector('main').append(section);
  }

  const sources = [];

  function log(line) {
    const pre = document.getElementById('sse-log');
    pre.textContent = line + '\n' + pre.textContent.split('\n').slice(0, 200).join('\n');
    pre.dataset.events = String(Number(pre.dataset.events) + 1);
  }

  function showSubscriptions() {
    const open = sources.filter(s => s.source.readyState !== EventSource.CLOSED);
    document.getElementById('sse-subscriptions').textContent = open.length === 0 ? 'no subscriptions'
      : open.map(s => '#' + s.n + ' ' + s.channel + (s.worker !== undefined ? ' (worker ' + s.worker + ')' : '')).join(', ');
  }

  function subscribe() {
    const channel = document.getElementById('sse-channel').value || 'general';
    const s = {n: sources.length + 1, channel: channel, source: new EventSource('/events?channel=' + encodeURIComponent(channel))};
    sources.push(s);
    s.source.addEventListener('open', e => {
      if (!e.data) return; // the EventSource 'open' connection event has no data
      const data = JSON.parse(e.data);
      s.worker = data.worker;
      log('#' + s.n + ' open ' + e.data);
      showSubscriptions();
    });
    s.source.addEventListener('message', e => log('#' + s.n + ' message ' + e.data));
    s.source.addEventListener('ping', e => log('#' + s.n + ' ping ' + e.data));
    s.source.onerror = () => showSubscriptions();
    showSubscriptions();
  }

  async function publish() {
    const channel = document.getElementById('sse-channel').value || 'general';
    const msg = document.getElementById('sse-msg').value;
    const shown = document.getElementById('sse-published');
    try {
      const r = await fetch('/publish', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({channel: channel, msg: msg})});
      shown.textContent = r.status + ' ' + await r.text();
    } catch (e) {
      // not the previous answer: the dispatcher is unreachable
      shown.textContent = 'request failed: ' + e.message;
    }
  }

  function closeAll() {
    sources.forEach(s => s.source.close());
    showSubscriptions();
  }

  async function start() {
    try {
      const r = await fetch('/health');
      const health = await r.json();
      if (health.example !== 'sse') return; // the simple example: no SSE endpoints
    } catch (e) {
      return;
    }
    panel();
    document.getElementById('sse-subscribe').addEventListener('click', subscribe);
    document.getElementById('sse-publish').addEventListener('click', publish);
    document.getElementById('sse-close').addEventListener('click', closeAll);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
