// Tito console: plain JavaScript over the admin server's JSON API (no build step).
'use strict';

const state = { topic: null, group: null };
const $ = (id) => document.getElementById(id);
const enc = encodeURIComponent;

$('token').value = sessionStorage.getItem('tito-token') || '';
$('token').addEventListener('change', () => sessionStorage.setItem('tito-token', $('token').value));

function say(text) { $('status').textContent = text; }

async function api(method, path) {
  const headers = {};
  if (method !== 'GET') headers['Authorization'] = 'Bearer ' + $('token').value;
  const r = await fetch('api/' + path, { method, headers });
  const body = await r.json();
  if (!r.ok) throw new Error(body.message || body.error || r.status);
  return body;
}

function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text === null || text === undefined ? '-' : String(text);
  if (cls) td.className = cls;
  return td;
}

function link(td, text, onclick, id) {
  td.textContent = '';
  const a = document.createElement('a');
  a.textContent = text;
  if (id) a.id = id;
  a.addEventListener('click', onclick);
  td.appendChild(a);
}

async function loadTopics() {
  const topics = await api('GET', 'topics');
  const body = $('topics').tBodies[0];
  body.textContent = '';
  for (const t of topics) {
    const row = body.insertRow();
    link(cell(row, ''), t.name, () => { state.topic = t.name; state.group = null; refresh(); }, 'topic-' + t.name);
    cell(row, t.partitions, 'num');
    cell(row, t.events, 'num');
    cell(row, t.groups.join(', '));
  }
}

async function loadGroups() {
  if (!state.topic) return;
  $('topic-view').hidden = false;
  $('topic-name').textContent = state.topic;
  const groups = await api('GET', 'topics/' + enc(state.topic) + '/groups');
  const box = $('groups');
  box.textContent = '';
  for (const g of groups) {
    const div = document.createElement('div');
    div.className = 'group';
    const h = document.createElement('h3');
    h.textContent = g.group + ': lag ' + g.lag + ', ' + g.deadLetters + ' dead letters ';
    h.id = 'group-summary-' + g.group;
    const a = document.createElement('a');
    a.textContent = '[dead letters]';
    a.id = 'dead-' + g.group;
    a.addEventListener('click', () => { state.group = g.group; refresh(); });
    h.appendChild(a);
    div.appendChild(h);
    const table = document.createElement('table');
    table.id = 'lag-' + g.group;
    const head = table.createTHead().insertRow();
    for (const name of ['Partition', 'Head', 'Checkpoint', 'Lag', 'Requeued', 'Attempts', 'Owner', 'Last error']) {
      const th = document.createElement('th');
      th.textContent = name;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const p of g.partitions) {
      const row = body.insertRow();
      if (p.lag > 0) row.className = 'lagging';
      cell(row, p.partition, 'num');
      cell(row, p.head, 'num');
      cell(row, p.checkpoint, 'num');
      cell(row, p.lag, 'num lag');
      cell(row, p.requeued, 'num');
      cell(row, p.attempts, 'num');
      cell(row, p.leaseOwner);
      cell(row, p.lastError);
    }
    div.appendChild(table);
    box.appendChild(div);
  }
}

async function loadDeadLetters() {
  if (!state.topic || !state.group) { $('dead-view').hidden = true; return; }
  $('dead-view').hidden = false;
  $('dead-group').textContent = state.topic + ' / ' + state.group;
  const base = 'topics/' + enc(state.topic) + '/groups/' + enc(state.group) + '/dead-letters';
  const dead = await api('GET', base + '?limit=500');
  const body = $('dead-letters').tBodies[0];
  body.textContent = '';
  for (const d of dead) {
    const row = body.insertRow();
    row.id = 'dl-' + d.id;
    cell(row, d.id);
    cell(row, d.partition, 'num');
    cell(row, d.position, 'num');
    cell(row, d.attempts, 'num');
    cell(row, d.error);
    cell(row, d.event ? (d.event.payload !== undefined ? d.event.payload : '(binary)') : '(undecodable)');
    const actions = cell(row, '');
    for (const [label, method, path] of [['Requeue', 'POST', '/requeue'], ['Delete', 'DELETE', '']]) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.className = label.toLowerCase();
      b.addEventListener('click', () => act(method, base + '/' + enc(d.id) + path, label + 'd ' + d.id));
      actions.appendChild(b);
    }
  }
}

async function act(method, path, done) {
  try {
    await api(method, path);
    say(done);
  } catch (e) {
    say('Error: ' + e.message);
  }
  await refresh(true);
}

$('requeue-all').addEventListener('click', () => act('POST',
  'topics/' + enc(state.topic) + '/groups/' + enc(state.group) + '/dead-letters/requeue-all', 'Requeued all'));
$('refresh').addEventListener('click', () => refresh());

async function refresh(keepStatus) {
  try {
    await loadTopics();
    await loadGroups();
    await loadDeadLetters();
    if (!keepStatus) say('Updated ' + new Date().toLocaleTimeString());
  } catch (e) {
    say('Error: ' + e.message);
  }
}

refresh();
setInterval(() => refresh(true), 2000);
