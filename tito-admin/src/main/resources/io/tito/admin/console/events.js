// Tito console, event store page: projections, subscription groups and a stream browser over
// the admin server's /api/events JSON API (plain JavaScript, no build step).
'use strict';

const $ = (id) => document.getElementById(id);
const enc = encodeURIComponent;
// What the stream browser shows: a stream (next version) or $all (last position).
const browse = { stream: null, next: null, all: false, after: null };
const pendingRebuild = { name: null, until: 0 };
const pendingDelete = { path: null, until: 0 };

$('token').value = sessionStorage.getItem('tito-token') || '';
$('token').addEventListener('change', () => sessionStorage.setItem('tito-token', $('token').value));

function say(text) { $('status').textContent = text; }

async function api(method, path, body) {
  const headers = {};
  if (method !== 'GET') headers['Authorization'] = 'Bearer ' + $('token').value;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch('api/events/' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = await r.json();
  if (!r.ok) throw new Error(answer.message || answer.error || r.status);
  return answer;
}

function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text === null || text === undefined ? '-' : String(text);
  if (cls) td.className = cls;
  return td;
}

function button(parent, label, cls, onclick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.className = cls;
  b.addEventListener('click', onclick);
  parent.appendChild(b);
}

async function act(method, path, done, body) {
  try {
    await api(method, path, body);
    say(done);
  } catch (e) {
    say('Error: ' + e.message);
  }
  await refresh(true);
}

async function loadConsumers(kind, tableId, rowPrefix) {
  const consumers = await api('GET', kind);
  const body = $(tableId).tBodies[0];
  body.textContent = '';
  for (const c of consumers) {
    const row = body.insertRow();
    row.id = rowPrefix + c.name;
    if (c.lag > 0) row.className = 'lagging';
    cell(row, c.name);
    cell(row, c.paused ? 'paused' : 'active', 'state');
    cell(row, c.position, 'num');
    cell(row, c.head, 'num');
    cell(row, c.lag, 'num lag');
    cell(row, c.deadLetters, 'num dead');
    cell(row, c.lastError);
    const actions = cell(row, '');
    const path = kind + '/' + enc(c.name);
    if (c.paused) {
      button(actions, 'Resume', 'resume', () => act('POST', path + '/resume', 'Resumed ' + c.name));
    } else {
      button(actions, 'Pause', 'pause', () => act('POST', path + '/pause', 'Paused ' + c.name));
    }
    if (kind === 'projections') {
      // A rebuild clears the read model: it takes a second click to confirm (for 10 s).
      if (pendingRebuild.name === c.name && Date.now() < pendingRebuild.until) {
        button(actions, 'Confirm rebuild', 'confirm-rebuild', () => {
          pendingRebuild.name = null;
          act('POST', path + '/rebuild', 'Rebuilding ' + c.name);
        });
      } else {
        button(actions, 'Rebuild', 'rebuild', () => {
          Object.assign(pendingRebuild, { name: c.name, until: Date.now() + 10000 });
          say('Rebuild clears the read model of ' + c.name + ' and replays $all: click again to confirm');
          refresh(true);
        });
      }
    }
    if (kind === 'subscriptions') subscriptionActions(actions, path, c.name);
    if (kind === 'projections') {
      deleteButton(actions, path + '?force=true', path, c.name, 'Delete drops the checkpoint and dead '
        + 'letters of ' + c.name + ' (its read model stays; a later run replays $all into it)');
    }
  }
  if (consumers.length === 0) cell(body.insertRow(), '(none)');
}

// A subscription group's Reset to beginning / end, and Delete; the store refuses a delete while a
// worker of the group is live.
function subscriptionActions(actions, path, name) {
  button(actions, 'Reset to beginning', 'reset-beginning',
    () => act('POST', path + '/reset', 'Reset ' + name + ' to the beginning', { to: 'beginning' }));
  button(actions, 'Reset to end', 'reset-end',
    () => act('POST', path + '/reset', 'Reset ' + name + ' to the end', { to: 'end' }));
  deleteButton(actions, path, path, name, 'Delete drops the checkpoint and dead letters of ' + name);
}

// Delete (DELETE deletePath), which takes a second click to confirm (for 10 s); key tells the
// consumer's rows apart (a projection and a subscription group may share a name).
function deleteButton(actions, deletePath, key, name, warning) {
  if (pendingDelete.path === key && Date.now() < pendingDelete.until) {
    button(actions, 'Confirm delete', 'confirm-delete', () => {
      pendingDelete.path = null;
      act('DELETE', deletePath, 'Deleted ' + name);
    });
  } else {
    button(actions, 'Delete', 'delete', () => {
      Object.assign(pendingDelete, { path: key, until: Date.now() + 10000 });
      say(warning + ': click again to confirm');
      refresh(true);
    });
  }
}

function showEvents(events, append) {
  const body = $('events').tBodies[0];
  if (!append) body.textContent = '';
  for (const e of events) {
    const row = body.insertRow();
    row.id = 'ev-' + e.streamId + '-' + e.version;
    cell(row, e.position);
    cell(row, e.streamId);
    cell(row, e.version, 'num');
    cell(row, e.type);
    cell(row, e.createdAt);
    cell(row, JSON.stringify(e.data), 'data');
  }
}

async function readStream(append) {
  const backward = $('backward').checked;
  let q = '?limit=50&backward=' + backward;
  if (append && browse.next !== null) q += '&from=' + browse.next;
  const page = await api('GET', 'streams/' + enc(browse.stream) + q);
  showEvents(page.events, append);
  browse.next = page.isEnd ? null : page.nextVersion;
  $('stream-summary').textContent = 'Stream ' + page.streamId + ': version ' + page.streamVersion;
  $('more').hidden = page.isEnd;
}

async function readAll(append) {
  const q = '?limit=50' + (append && browse.after ? '&after=' + enc(browse.after) : '');
  const page = await api('GET', 'all' + q);
  showEvents(page.events, append);
  browse.after = page.lastPosition;
  $('stream-summary').textContent = '$all up to position ' + page.lastPosition;
  $('more').hidden = page.isEnd;
}

$('browse-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    let stream = $('stream').value.trim();
    const alias = $('alias').value.trim();
    if (alias) {
      stream = (await api('GET', 'aliases/' + enc(alias))).streamId;
      $('stream').value = stream;
    }
    if (!stream) { say('Give a stream id or an alias'); return; }
    Object.assign(browse, { stream, next: null, all: false, after: null });
    await readStream(false);
    say('Read ' + stream);
  } catch (e) {
    say('Error: ' + e.message);
  }
});

$('browse-all').addEventListener('click', async () => {
  Object.assign(browse, { stream: null, next: null, all: true, after: null });
  try {
    await readAll(false);
    say('Read $all');
  } catch (e) {
    say('Error: ' + e.message);
  }
});

$('more').addEventListener('click', async () => {
  try {
    await (browse.all ? readAll(true) : readStream(true));
  } catch (e) {
    say('Error: ' + e.message);
  }
});

$('refresh').addEventListener('click', () => refresh());

async function refresh(keepStatus) {
  try {
    await loadConsumers('projections', 'projections', 'proj-');
    await loadConsumers('subscriptions', 'subscriptions', 'sub-');
    if (!keepStatus) say('Updated ' + new Date().toLocaleTimeString());
  } catch (e) {
    say('Error: ' + e.message);
  }
}

refresh();
setInterval(() => refresh(true), 2000);
