// The annotation page. Everything a model or a person wrote is put on the page with textContent or
// .value, never as HTML: model outputs are untrusted. The page talks only to this server's /api/.
'use strict';

const state = { token: sessionStorage.getItem('rlhf-token') || '', me: null, instructions: {}, kind: 'rank', task: null, style: 'plain' };

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'text') e.textContent = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k in e && typeof v !== 'string') e[k] = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

function say(text, kind) {
  const m = document.getElementById('message');
  m.textContent = text;
  m.className = kind || '';
}

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: { 'Authorization': 'Bearer ' + state.token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.status === 204 ? {} : await res.json();
  if (!res.ok) throw new Error(data.error || ('HTTP ' + res.status));
  return data;
}

function newSubmissionId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return 'web-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 12);
}

// A label is posted with one submission id; a lost answer is retried with the same id, so it is stored once.
async function postLabel(body) {
  body.submission_id = newSubmissionId();
  let last;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await api('POST', '/api/labels', body);
    } catch (e) {
      last = e;
      if (!(e instanceof TypeError)) throw e; // a 4xx answer: show it, do not retry
      await new Promise(r => setTimeout(r, 500 * (attempt + 1)));
    }
  }
  throw last;
}

async function signIn(token) {
  state.token = token.trim();
  try {
    state.me = await api('GET', '/api/me');
    state.instructions = await api('GET', '/api/instructions');
  } catch (e) {
    say('Sign-in failed: ' + e.message, 'error');
    return;
  }
  sessionStorage.setItem('rlhf-token', state.token);
  document.getElementById('login').hidden = true;
  document.getElementById('app').hidden = false;
  document.getElementById('logout').hidden = false;
  document.getElementById('who').textContent = state.me.name + ' (' + state.me.role + ')';
  document.getElementById('admin-tab').hidden = state.me.role !== 'admin';
  show(state.me.role === 'admin' ? 'admin' : 'rank');
}

function show(kind) {
  state.kind = kind;
  for (const b of document.querySelectorAll('.tab')) b.setAttribute('aria-pressed', String(b.dataset.kind === kind));
  say('');
  if (kind === 'admin') { window.RlhfAdmin.render(document.getElementById('work'), api, say); renderInstructions(); return; }
  loadNext();
}

async function loadNext() {
  const work = document.getElementById('work');
  work.replaceChildren(el('p', { text: 'Loading…' }));
  try {
    const data = await api('POST', '/api/tasks/next?kind=' + encodeURIComponent(state.kind)); // claims a task: POST
    state.task = data.task;
  } catch (e) {
    work.replaceChildren();
    say(e.message, 'error');
    return;
  }
  const t = state.task;
  work.replaceChildren();
  if (state.kind === 'edit') {
    work.append(el('form', { id: 'new-prompt' }, el('label', { for: 'new-category', text: 'Write a new prompt for category ' }),
      el('input', { id: 'new-category', type: 'text', required: 'required', placeholder: 'e.g. brainstorming' }),
      el('button', { type: 'submit', text: 'Start' })));
    document.getElementById('new-prompt').addEventListener('submit', async ev => {
      ev.preventDefault();
      try {
        const d = await api('POST', '/api/edits', { category: document.getElementById('new-category').value });
        state.task = d.task;
        work.replaceChildren();
        window.RlhfForms.edit(work, state.task, api, submit);
      } catch (e) { say(e.message, 'error'); }
    });
  }
  if (!t) {
    work.append(el('p', { id: 'empty', text: 'No task waiting for you here. Thank you!' }));
  } else if (t.kind === 'rank' || t.kind === 'safety') {
    window.RlhfForms.rank(work, t, state.me.flags, submit);
  } else if (t.kind === 'compare') {
    window.RlhfForms.compare(work, t, submit);
  } else if (t.kind === 'edit') {
    window.RlhfForms.edit(work, t, api, submit);
  }
  renderInstructions();
}

async function submit(body) {
  body.task_id = state.task.id;
  body.task_version = state.task.version;
  try {
    const r = await postLabel(body);
    say('Saved' + (r.warnings && r.warnings.length ? ' — ' + r.warnings.join('; ') : '.'), r.warnings && r.warnings.length ? 'error' : 'ok');
    if (!(r.warnings && r.warnings.length)) loadNext();
    return r;
  } catch (e) {
    say('Not saved: ' + e.message, 'error');
    return null;
  }
}

function renderInstructions() {
  const kind = state.task ? state.task.kind : state.kind;
  const set = state.instructions[kind === 'admin' ? 'rank' : kind] || {};
  const own = document.getElementById('task-instructions');
  own.replaceChildren();
  if (state.task && state.task.instructions) own.append(el('p', { class: 'warn', text: state.task.instructions }));
  for (const b of document.querySelectorAll('.style')) b.setAttribute('aria-selected', String(b.dataset.style === state.style));
  const box = document.getElementById('instruction-text');
  box.replaceChildren();
  const text = set[state.style];
  if (Array.isArray(text)) {
    for (const ex of text) {
      const d = el('div', { class: 'example' }, el('p', { text: 'Prompt: ' + ex.prompt }));
      const ol = el('ol');
      (ex.answers || []).forEach((a, i) => ol.append(el('li', { text: a + (ex.ranks ? '  → rank ' + ex.ranks[i] : '') })));
      d.append(ol, el('p', { text: 'Why: ' + (ex.why || '') }));
      box.append(d);
    }
  } else {
    box.append(el('p', { text: text || '' }));
  }
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('login-form').addEventListener('submit', ev => {
    ev.preventDefault();
    signIn(document.getElementById('token').value);
  });
  document.getElementById('logout').addEventListener('click', () => { sessionStorage.removeItem('rlhf-token'); location.reload(); });
  for (const b of document.querySelectorAll('.tab')) b.addEventListener('click', () => show(b.dataset.kind));
  for (const b of document.querySelectorAll('.style')) b.addEventListener('click', () => { state.style = b.dataset.style; renderInstructions(); });
  if (state.token) signIn(state.token);
});

window.RlhfApp = { el, say };
