// The three work forms: ranking (and safety), blind A/B evaluation, and editing. Untrusted text goes in
// with textContent or .value only.
'use strict';

(function () {
  const el = (...a) => window.RlhfApp.el(...a);

  function promptBox(t) {
    const box = el('div', {},
      el('h2', { text: t.category ? 'Prompt · ' + t.category : 'Prompt' }),
      el('div', { class: 'prompt', id: 'prompt', text: t.prompt }));
    if (t.step_by_step) box.append(el('p', { class: 'warn', text: 'This prompt asks for steps: good answers give ordered steps.' }));
    return box;
  }

  function rank(work, t, flags, submit) {
    const k = t.answers.length;
    work.append(promptBox(t));
    const cards = [];
    t.answers.forEach((text, i) => {
      const rating = el('fieldset', {}, el('legend', { text: 'Rating (1 bad – 7 excellent)' }));
      for (let v = 1; v <= 7; v++) {
        const id = 'rating-' + i + '-' + v;
        rating.append(el('input', { type: 'radio', name: 'rating-' + i, id, value: String(v) }), el('label', { for: id, text: String(v) }));
      }
      const flagBox = el('fieldset', {}, el('legend', { text: 'Problems' }));
      for (const f of flags) {
        const id = 'flag-' + i + '-' + f;
        flagBox.append(el('label', { for: id }, el('input', { type: 'checkbox', id, class: 'flag', dataset: { answer: String(i), flag: f } }),
          document.createTextNode(' ' + f.replace(/-/g, ' ') + ' ')));
      }
      const safe = el('select', { id: 'safe-' + i, 'aria-label': 'Safety of answer ' + (i + 1) },
        el('option', { value: '', text: t.kind === 'safety' ? 'safe or unsafe?' : 'safety (optional)' }),
        el('option', { value: 'true', text: 'safe' }), el('option', { value: 'false', text: 'unsafe' }));
      const rankSel = el('select', { id: 'rank-' + i, class: 'rank-select', 'aria-label': 'Rank of answer ' + (i + 1) },
        el('option', { value: '', text: 'rank…' }));
      for (let r = 1; r <= k; r++) rankSel.append(el('option', { value: String(r), text: String(r) }));
      rankSel.addEventListener('change', () => board.refresh());
      const controls = el('div', { class: 'controls' }, rating, flagBox, el('label', {}, document.createTextNode('Rank '), rankSel), safe);
      if (t.kind === 'safety') {
        controls.append(el('label', {}, el('input', { type: 'radio', name: 'safer', id: 'safer-' + i, value: String(i) }),
          document.createTextNode(' the safer answer')));
      }
      const card = el('article', { class: 'answer', tabindex: '0', dataset: { index: String(i) } },
        el('h3', { text: 'Answer ' + (i + 1) }), el('div', { class: 'answer-text', text }),
        t.steps_missing[i] ? el('p', { class: 'warn', text: 'No ordered steps: flag it, or fix it in Edit.' }) : null, controls);
      // Keyboard ranking: a digit on a focused answer sets its rank (same digit on two answers = a tie).
      card.addEventListener('keydown', ev => {
        if (ev.target.tagName === 'INPUT' && ev.target.type === 'text') return;
        const n = parseInt(ev.key, 10);
        if (n >= 1 && n <= k) { rankSel.value = String(n); board.refresh(); ev.preventDefault(); }
      });
      cards.push({ rankSel, safe });
      work.append(card);
    });
    const board = rankBoard(k, cards);
    work.append(el('h2', { text: 'Ranking (drag answers into place, or use the menus or keys)' }), board.node);
    const send = el('button', { id: 'submit', type: 'button', class: 'primary', text: 'Submit' });
    send.addEventListener('click', () => {
      const body = { ranks: [], ratings: [], flags: [], safe: [] };
      let safeCount = 0;
      for (let i = 0; i < k; i++) {
        const r = cards[i].rankSel.value;
        const rt = document.querySelector('input[name="rating-' + i + '"]:checked');
        if (!r) return window.RlhfApp.say('Give every answer a rank.', 'error');
        if (t.kind === 'rank' && !rt) return window.RlhfApp.say('Rate every answer 1-7.', 'error');
        body.ranks.push(parseInt(r, 10));
        if (rt) body.ratings.push(parseInt(rt.value, 10));
        body.flags.push([...document.querySelectorAll('input.flag[data-answer="' + i + '"]:checked')].map(c => c.dataset.flag));
        if (cards[i].safe.value) { body.safe.push(cards[i].safe.value === 'true'); safeCount++; }
      }
      if (t.kind === 'safety') {
        const s = document.querySelector('input[name="safer"]:checked');
        if (!s) return window.RlhfApp.say('Say which answer is safer.', 'error');
        body.safer = parseInt(s.value, 10);
        delete body.ratings;
      }
      if (safeCount !== k) delete body.safe;
      submit(body);
    });
    work.append(send);
  }

  // Buckets 1..K; an answer chip dropped on a bucket takes that rank (mouse); the menus stay in sync.
  function rankBoard(k, cards) {
    const node = el('div', { id: 'board' });
    const buckets = [];
    for (let r = 1; r <= k; r++) {
      const b = el('div', { class: 'bucket', dataset: { rank: String(r) } }, el('h4', { text: 'Rank ' + r }));
      b.addEventListener('dragover', ev => ev.preventDefault());
      b.addEventListener('drop', ev => {
        ev.preventDefault();
        const i = parseInt(ev.dataTransfer.getData('text/plain'), 10);
        cards[i].rankSel.value = String(r);
        refresh();
      });
      buckets.push(b);
      node.append(b);
    }
    function refresh() {
      for (const b of buckets) b.querySelectorAll('.chip').forEach(c => c.remove());
      cards.forEach((c, i) => {
        if (!c.rankSel.value) return;
        const chip = el('span', { class: 'chip', draggable: 'true', text: 'Answer ' + (i + 1) });
        chip.addEventListener('dragstart', ev => ev.dataTransfer.setData('text/plain', String(i)));
        buckets[parseInt(c.rankSel.value, 10) - 1].append(chip);
      });
      const unranked = el('div', { class: 'bucket', dataset: { rank: '' } }, el('h4', { text: 'Unranked' }));
      node.querySelectorAll('.bucket[data-rank=""]').forEach(u => u.remove());
      cards.forEach((c, i) => {
        if (c.rankSel.value) return;
        const chip = el('span', { class: 'chip', draggable: 'true', text: 'Answer ' + (i + 1) });
        chip.addEventListener('dragstart', ev => ev.dataTransfer.setData('text/plain', String(i)));
        unranked.append(chip);
      });
      node.prepend(unranked);
    }
    refresh();
    return { node, refresh };
  }

  function compare(work, t, submit) {
    work.append(promptBox(t));
    ['A', 'B'].forEach((name, i) => work.append(el('article', { class: 'answer', dataset: { index: String(i) } },
      el('h3', { text: 'Answer ' + name }), el('div', { class: 'answer-text', text: t.answers[i] }))));
    const choice = el('fieldset', {}, el('legend', { text: 'Which is better?' }));
    [['a', 'A is better'], ['b', 'B is better'], ['tie', 'About the same']].forEach(([v, label]) =>
      choice.append(el('label', {}, el('input', { type: 'radio', name: 'choice', id: 'choice-' + v, value: v }), document.createTextNode(' ' + label + ' '))));
    const reason = el('input', { type: 'text', id: 'reason', maxlength: '500', placeholder: 'A short reason (required)' });
    const send = el('button', { id: 'submit', type: 'button', class: 'primary', text: 'Submit' });
    send.addEventListener('click', () => {
      const c = document.querySelector('input[name="choice"]:checked');
      if (!c || !reason.value.trim()) return window.RlhfApp.say('Pick A, B or a tie and give a short reason.', 'error');
      submit({ ranks: c.value === 'a' ? [1, 2] : c.value === 'b' ? [2, 1] : [1, 1], reason: reason.value.trim() });
    });
    work.append(el('div', { class: 'controls' }, choice), el('label', { for: 'reason', text: 'Reason' }), reason, send);
  }

  function edit(work, t, api, submit) {
    work.append(el('h2', { text: 'Edit · ' + (t.category || 'uncategorised') }));
    const prompt = el('textarea', { id: 'edit-prompt', 'aria-label': 'Prompt' });
    prompt.value = t.prompt;
    const answer = el('textarea', { id: 'edit-answer', 'aria-label': 'Answer' });
    answer.value = t.answers.length ? t.answers[0] : '';
    const send = el('button', { id: 'submit', type: 'button', class: 'primary', text: 'Save revision' });
    send.addEventListener('click', async () => {
      if (!prompt.value.trim() || !answer.value.trim()) return window.RlhfApp.say('Write both the prompt and the answer.', 'error');
      await submit({ prompt: prompt.value, answer: answer.value });
      loadHistory();
    });
    const history = el('ol', { id: 'history' });
    async function loadHistory() {
      try {
        const h = await api('GET', '/api/tasks/' + encodeURIComponent(t.id) + '/history');
        history.replaceChildren();
        for (const r of h.revisions) {
          history.append(el('li', { text: new Date(r.submitted_at).toLocaleString() + ': ' + (r.label.meta.answer || '') }));
        }
      } catch (e) { /* a task just created has no history yet */ }
    }
    work.append(el('label', { for: 'edit-prompt', text: 'Prompt' }), prompt, el('label', { for: 'edit-answer', text: 'Answer' }), answer,
      send, el('h3', { text: 'Your revisions' }), history);
    loadHistory();
  }

  window.RlhfForms = { rank, compare, edit };
})();
