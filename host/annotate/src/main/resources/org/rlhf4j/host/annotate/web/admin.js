// The admin view: progress per task and annotator, agreement, the review queue of flagged tasks, accounts.
'use strict';

(function () {
  const el = (...a) => window.RlhfApp.el(...a);
  const num = v => (v === null || v === undefined) ? '–' : (typeof v === 'number' ? (Math.round(v * 1000) / 1000).toString() : String(v));

  function table(headers, rows) {
    const t = el('table', {}, el('thead', {}, el('tr', {}, ...headers.map(h => el('th', { text: h })))));
    const body = el('tbody');
    for (const r of rows) body.append(el('tr', {}, ...r.map(c => el('td', { text: num(c) }))));
    t.append(body);
    return t;
  }

  async function render(work, api, say) {
    work.replaceChildren(el('p', { text: 'Loading…' }));
    let p, review;
    try {
      p = await api('GET', '/api/admin/progress');
      review = await api('GET', '/api/admin/review');
    } catch (e) { say(e.message, 'error'); return; }
    work.replaceChildren();
    work.append(el('h2', { text: 'Agreement (Krippendorff\'s alpha)' }),
      table(['ranking (Kendall)', 'rating (interval)', 'safety (nominal)', 'A/B (nominal)', 'flagged labels'],
        [[p.agreement.ranking, p.agreement.rating, p.agreement.safety, p.agreement.compare, p.flagged_labels]]));
    work.append(el('h2', { text: 'Annotators' }),
      table(['name', 'assigned', 'labelled', 'gold agreement', 'unreliable'], p.annotators.map(a => [a.name, a.assigned, a.labelled, a.gold_agreement, a.unreliable])));
    work.append(el('h2', { text: 'Review queue (hidden from annotators)' }));
    if (!review.tasks.length) work.append(el('p', { text: 'Nothing flagged.' }));
    for (const t of review.tasks) {
      const approve = el('button', { type: 'button', text: 'Approve' });
      const reject = el('button', { type: 'button', text: 'Reject' });
      const decide = async d => {
        try { await api('POST', '/api/admin/review', { task_id: t.id, decision: d }); render(work, api, say); }
        catch (e) { say(e.message, 'error'); }
      };
      approve.addEventListener('click', () => decide('approve'));
      reject.addEventListener('click', () => decide('reject'));
      work.append(el('div', { class: 'answer review', dataset: { task: t.id } },
        el('h3', { text: t.id + ' (' + t.kind + ')' }), el('div', { class: 'answer-text', text: t.prompt }),
        t.instructions ? el('p', { text: 'Instructions: ' + t.instructions }) : null,
        el('p', { class: 'warn', text: t.reasons }), approve, reject));
    }
    const name = el('input', { type: 'text', id: 'account-name', placeholder: 'name' });
    const role = el('select', { id: 'account-role' }, el('option', { value: 'annotator', text: 'annotator' }), el('option', { value: 'admin', text: 'admin' }));
    const out = el('p', { id: 'account-token' });
    const create = el('button', { type: 'button', text: 'Create account' });
    create.addEventListener('click', async () => {
      try {
        const r = await api('POST', '/api/admin/accounts', { name: name.value, role: role.value });
        out.textContent = 'Token for ' + r.name + ' (shown once): ' + r.token;
      } catch (e) { say(e.message, 'error'); }
    });
    work.append(el('h2', { text: 'Accounts' }), el('div', { class: 'controls' }, name, role, create), out);
    work.append(el('h2', { text: 'Tasks' }), table(['task', 'kind', 'status', 'gold', 'labels', 'needed', 'assigned', 'ranking α', 'rating α'],
      p.tasks.map(t => [t.id, t.kind, t.status, t.gold, t.labels, t.needed, t.assigned, t.ranking_alpha, t.rating_alpha])));
  }

  window.RlhfAdmin = { render };
})();
