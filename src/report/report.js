// regpersist report script (embedded in the page): draws the case header, exposure, timeline chart,
// ATT&CK grid, findings table and diagnostics from the JSON data block. Evidence text only ever goes
// into text nodes and attribute values, never into markup; nothing is fetched.
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const findings = data.findings;
  const SVG = 'http://www.w3.org/2000/svg';
  const PAGE = 200;
  const DAY = 86400000;
  const state = { technique: '', hive: '', user: '', reason: '', prov: '', text: '', susOnly: false, ahOnly: false,
                  window: null, sort: 'default', asc: true, shown: 0, matching: [], open: new Set() };

  // ---- DOM helpers ------------------------------------------------------------------------------
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === 'class') node.className = value;
      else if (key.startsWith('data-')) node.setAttribute(key, String(value));
      else node[key] = value;
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  function svg(tag, attributes, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function tag(text, kind) { return el('span', { class: 'tag' + (kind ? ' ' + kind : '') }, text); }
  function facts(list, pairs) {
    for (const [name, value] of pairs) {
      if (value === '' || value === undefined || value === null) continue;
      list.append(el('dt', {}, name), el('dd', {}, value));
    }
    return list;
  }
  function table(headers, rows) {
    const head = el('tr', {}, ...headers.map((h) => el('th', {}, h)));
    const body = el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c)))));
    return el('table', {}, el('thead', {}, head), body);
  }
  function offsetText(minutes) {
    const sign = minutes < 0 ? '-' : '+';
    const m = Math.abs(minutes);
    return 'UTC' + sign + String(Math.floor(m / 60)).padStart(2, '0') + ':' + String(m % 60).padStart(2, '0');
  }
  function localMs(time) { return time.ms + time.off * 60000; }
  function localText(time) { return new Date(localMs(time)).toISOString().slice(0, 16).replace('T', ' ') + ' ' + offsetText(time.off); }

  // ---- case header ------------------------------------------------------------------------------
  const COUNTS = [['findings', 'Findings'], ['suspicious', 'Suspicious', true], ['afterHours', 'After hours', true],
    ['hives', 'Hives read'], ['dirtyHives', 'Dirty hives'], ['deletedRecovered', 'Deleted entries recovered'],
    ['deletedFindings', 'Findings from deleted data'], ['logFindings', 'Findings from logs'],
    ['diagnostics', 'Diagnostics', true]];
  function renderCase() {
    const hosts = data.installations.map((i) => i.host).filter((h) => h);
    document.title = 'regpersist report' + (hosts.length ? ': ' + hosts.join(', ') : '');
    document.getElementById('title').textContent = document.title;
    document.getElementById('subtitle').textContent = data.generated ? 'Generated ' + data.generated : '';
    const counts = document.getElementById('counts');
    for (const [key, label, alert] of COUNTS) {
      const value = data.counts[key];
      counts.append(el('div', { class: 'count' + (alert && value > 0 ? ' alert' : '') },
        el('span', { class: 'num', id: 'count-' + key }, value), label));
    }
    facts(document.getElementById('case-facts'), [['Evidence', data.evidence.join('\n')],
      ['Office hours', data.hours + ' (judged in ' + data.zone + ')']]);
    const host = document.getElementById('installations');
    data.installations.forEach((inst, index) => host.append(installationView(inst, index)));
  }
  function installationView(inst, index) {
    const box = el('div', { class: 'installation', 'data-installation': index });
    box.append(el('h3', {}, (inst.host || 'Unnamed host') + ' \u2014 ' + inst.root));
    box.append(facts(el('dl', { class: 'facts' }), [['Evidence', inst.evidence], ['Host name', inst.host],
      ['Windows', inst.os], ['Build', inst.build], ['Time zone', inst.timeZone || 'not recorded']]));
    box.append(el('h3', {}, 'Users'));
    box.append(inst.users.length ? table(['Name', 'SID'], inst.users.map((u) => [u.name, el('span', { class: 'mono' }, u.sid)]))
      : el('p', { class: 'muted' }, 'No user hive.'));
    box.append(el('h3', {}, 'Hives'));
    box.append(table(['Hive', 'Role', 'User', 'SHA-256', 'State', 'Log keys / values', 'Deleted keys / values'],
      inst.hives.map((h) => [h.label, h.role, h.user, el('span', { class: 'mono hash' }, h.sha256),
        el('span', { class: h.dirty ? 'exposed' : '' }, h.replay), h.logKeys + ' / ' + h.logValues,
        h.deletedKeys + ' / ' + h.deletedValues])));
    return box;
  }

  // ---- exposure ---------------------------------------------------------------------------------
  function renderExposure() {
    const body = document.getElementById('exposure-body');
    for (const inst of data.installations) {
      const e = inst.exposure;
      body.append(el('h3', {}, inst.host || inst.root),
        el('p', { class: e.exposed ? 'exposed' : 'muted', 'data-exposed': e.exposed }, e.exposed ? 'Exposed to remote access' : 'No external remote service enabled'),
        e.lines.length ? el('ul', {}, ...e.lines.map((line) => el('li', {}, line))) : el('p', { class: 'muted' }, 'Nothing recorded.'));
    }
  }

  // ---- timeline chart ---------------------------------------------------------------------------
  const points = [];
  findings.forEach((f, index) => f.times.forEach((t) => points.push({ x: localMs(t), y: (localMs(t) % DAY + DAY) % DAY, f: index, t, sus: f.sus, ah: t.ah })));
  data.logins.forEach((t) => points.push({ x: localMs(t), y: (localMs(t) % DAY + DAY) % DAY, f: -1, t, login: true, ah: t.ah }));
  const full = points.reduce((range, p) => [Math.min(range[0], p.x), Math.max(range[1], p.x)], points.length ? [Infinity, -Infinity] : [0, DAY]);
  if (full[1] - full[0] < 3600000) { full[0] -= 1800000; full[1] += 1800000; }
  const W = 1000, H = 300, L = 60, R = 16, T = 10, B = 28, OV = 44;
  function xTicks(domain) {
    const span = domain[1] - domain[0];
    const ticks = [];
    for (let i = 0; i <= 6; i++) ticks.push(domain[0] + (span * i) / 6);
    return ticks.map((ms) => [ms, new Date(ms).toISOString().slice(0, span < 2 * DAY ? 16 : 10).replace('T', ' ')]);
  }
  function drawChart() {
    const domain = state.window || full;
    const sx = (x) => L + ((x - domain[0]) / (domain[1] - domain[0])) * (W - L - R);
    const sy = (y) => T + (y / DAY) * (H - T - B);
    const fx = (x) => L + ((x - full[0]) / (full[1] - full[0])) * (W - L - R);
    const root = svg('svg', { viewBox: `0 0 ${W} ${H + OV + 8}`, role: 'img', 'aria-label': 'Timeline of findings' });
    root.append(svg('rect', { class: 'band', x: L, width: W - L - R, y: sy(data.officeStart * 60000), height: sy(data.officeEnd * 60000) - sy(data.officeStart * 60000) }));
    const axis = svg('g', { class: 'axis' });
    for (let h = 0; h <= 24; h += 6) {
      axis.append(svg('line', { x1: L, x2: W - R, y1: sy(h * 3600000), y2: sy(h * 3600000) }));
      axis.append(svg('text', { x: L - 6, y: sy(h * 3600000) + 4, 'text-anchor': 'end' }, String(h).padStart(2, '0') + ':00'));
    }
    const anchor = (i) => (i === 0 ? 'start' : i === 6 ? 'end' : 'middle');
    xTicks(domain).forEach(([ms, label], i) => axis.append(svg('text', { x: sx(ms), y: H - 8, 'text-anchor': anchor(i) }, label)));
    xTicks(full).forEach(([ms, label], i) => axis.append(svg('text', { x: fx(ms), y: H + OV + 4, 'text-anchor': anchor(i) }, label.slice(0, 10))));
    root.append(axis);
    // One path per kind of point (round caps on zero-length segments): 10,000 findings draw in no time.
    const paths = { ring: [], ok: [], sus: [], login: [] };
    const strip = { ok: [], sus: [], login: [] };
    const visible = [];
    for (const p of points) {
      const kind = p.login ? 'login' : p.sus ? 'sus' : 'ok';
      strip[kind].push('M' + fx(p.x).toFixed(1) + ' ' + (H + 6 + (p.y / DAY) * (OV - 20)).toFixed(1) + 'h0');
      if (p.x < domain[0] || p.x > domain[1]) continue;
      const segment = 'M' + sx(p.x).toFixed(1) + ' ' + sy(p.y).toFixed(1) + 'h0';
      if (p.ah) paths.ring.push(segment);
      paths[kind].push(segment);
      visible.push({ x: sx(p.x), y: sy(p.y), p });
    }
    for (const [kind, list] of Object.entries(paths)) root.append(svg('path', { class: 'pts ' + kind, d: list.join(''), 'data-points': list.length }));
    for (const [kind, list] of Object.entries(strip)) root.append(svg('path', { class: 'strip ' + kind, d: list.join('') }));
    const nearest = (x, y) => {
      let best = null, distance = 64;
      for (const v of visible) {
        const d = (v.x - x) ** 2 + (v.y - y) ** 2;
        if (d < distance) { best = v.p; distance = d; }
      }
      return best;
    };
    root.addEventListener('mousemove', (event) => {
      const [x, y] = viewBoxPoint(root, event);
      const p = nearest(x, y);
      document.getElementById('chart-point').textContent = p ? describePoint(p) : '';
    });
    if (state.window) root.append(svg('rect', { class: 'window', x: fx(domain[0]), width: Math.max(2, fx(domain[1]) - fx(domain[0])), y: H + 2, height: OV - 16 }));
    brush(root, (a, b) => [domain[0] + ((a - L) / (W - L - R)) * (domain[1] - domain[0]), domain[0] + ((b - L) / (W - L - R)) * (domain[1] - domain[0])], T, H - B,
      (x, y) => { const p = nearest(x, y); if (p && !p.login) openFinding(p.f); });
    brush(root, (a, b) => [full[0] + ((a - L) / (W - L - R)) * (full[1] - full[0]), full[0] + ((b - L) / (W - L - R)) * (full[1] - full[0])], H + 2, H + OV - 14);
    const host = document.getElementById('chart');
    host.replaceChildren(root);
    document.getElementById('window-text').textContent = state.window
      ? 'Showing ' + new Date(state.window[0]).toISOString().slice(0, 16).replace('T', ' ') + ' \u2013 ' + new Date(state.window[1]).toISOString().slice(0, 16).replace('T', ' ') + ' local; the table shows findings in this window.'
      : 'Drag across the chart or the strip below it to zoom to a time window.';
  }
  function viewBoxPoint(root, event) {
    const m = root.getScreenCTM();
    return m ? [(event.clientX - m.e) / m.a, (event.clientY - m.f) / m.d] : [0, 0];
  }
  function describePoint(p) {
    const what = p.login ? p.t.msg : findings[p.f].rule + ' ' + findings[p.f].key + (findings[p.f].value ? '\\' + findings[p.f].value : '');
    return localText(p.t) + ' ' + p.t.desc + ': ' + what + (p.ah ? ' \u2014 ' + p.t.why : '') + (p.login ? '' : ' (click to open)');
  }
  // Dragging across [top, bottom] of the chart selects a time window (x in view-box units → ms); a
  // click without a drag goes to onClick(x, y).
  function brush(root, toTime, top, bottom, onClick) {
    const area = svg('rect', { x: L, y: top, width: W - L - R, height: bottom - top, fill: 'transparent' });
    let start = null, box = null;
    const at = (event) => Math.max(L, Math.min(W - R, viewBoxPoint(root, event)[0]));
    area.addEventListener('mousedown', (event) => {
      start = at(event);
      box = svg('rect', { class: 'brush', x: start, y: top, width: 0, height: bottom - top });
      root.append(box);
      event.preventDefault();
    });
    root.addEventListener('mousemove', (event) => {
      if (start === null) return;
      const x = at(event);
      box.setAttribute('x', Math.min(x, start));
      box.setAttribute('width', Math.abs(x - start));
    });
    root.addEventListener('mouseup', (event) => {
      if (start === null) return;
      const x = at(event);
      const [a, b] = [Math.min(x, start), Math.max(x, start)];
      start = null;
      box.remove();
      if (b - a < 3) {
        if (onClick) onClick(...viewBoxPoint(root, event));
        return;
      }
      state.window = toTime(a, b);
      drawChart();
      applyFilters();
    });
    root.insertBefore(area, root.children[1] || null);  // above the office-hours band, below the points
  }
  function renderLegend() {
    const legend = document.getElementById('chart-legend');
    const dot = (cls, text) => [el('span', { class: 'legend-dot ' + cls }), text];
    legend.append('Local time of day (' + data.zone + ') against date.', ...dot('band', 'office hours ' + data.hours),
      ...dot('sus', 'suspicious'), ...dot('ok', 'not suspicious'), ...dot('ah', 'after hours (outlined)'), ...dot('login', 'logon / profile'));
    document.getElementById('reset-zoom').addEventListener('click', () => { state.window = null; drawChart(); applyFilters(); });
  }

  // ---- ATT&CK grid ------------------------------------------------------------------------------
  function renderGrid() {
    const grid = document.getElementById('grid');
    for (const t of data.techniques) {
      const cls = 'cell' + (t.n === 0 ? ' zero' : t.s > 0 ? ' hot' : ' found');
      const cell = el('button', { type: 'button', class: cls, 'data-technique': t.id, 'data-count': t.n, 'data-suspicious': t.s,
        title: t.n + ' findings, ' + t.s + ' suspicious, ' + t.ah + ' after hours' },
      el('span', { class: 'id' }, t.id), el('span', { class: 'name' }, t.name),
      el('span', { class: 'n' }, t.n), ' / ', el('span', { class: 's' }, t.s));
      cell.addEventListener('click', () => { setTechnique(state.technique === t.id ? '' : t.id); });
      grid.append(cell);
    }
  }
  function setTechnique(id) {
    state.technique = id;
    document.getElementById('filter-technique').value = id;
    for (const cell of document.querySelectorAll('.cell')) cell.classList.toggle('selected', cell.getAttribute('data-technique') === id);
    applyFilters();
  }

  // ---- findings table ---------------------------------------------------------------------------
  for (const f of findings) {
    f.first = f.times.length ? f.times[0].ms : 0;
    f.search = [f.rule, f.title, f.tech.join(' '), f.techName, f.category, f.hive, f.user, f.sid, f.key, f.plasoKey, f.value,
      f.data, f.reasons.join(' '), f.prov, ...Object.values(f.details)].join('\n').toLowerCase();
  }
  const COLUMNS = [['sus', '!'], ['first', 'Last written (UTC)'], ['tech', 'Technique'], ['rule', 'Rule'], ['hiveType', 'Hive'],
    ['user', 'User'], ['key', 'Key \\ value'], ['data', 'Data'], ['reasons', 'Reasons'], ['prov', 'Provenance']];
  function sortValue(f, key) {
    if (key === 'sus') return (f.sus ? 2 : 0) + (f.ah ? 1 : 0);
    if (key === 'first') return f.first;
    if (key === 'tech') return f.tech[0] || '';
    if (key === 'reasons') return f.reasons.join(' ');
    if (key === 'key') return f.key + '\\' + f.value;
    return f[key] || '';
  }
  function compare(a, b) {
    if (state.sort === 'default') return (findings[b].sus - findings[a].sus) || (findings[a].first - findings[b].first) || (a - b);
    const x = sortValue(findings[a], state.sort), y = sortValue(findings[b], state.sort);
    const order = x < y ? -1 : x > y ? 1 : a - b;
    return state.asc ? order : -order;
  }
  function options(id, label, values) {
    const select = el('select', { id, 'aria-label': label }, el('option', { value: '' }, 'All ' + label));
    for (const v of [...new Set(values)].filter((v) => v).sort()) select.append(el('option', { value: v }, v));
    return select;
  }
  function renderFilters() {
    const box = document.getElementById('filters');
    const technique = options('filter-technique', 'techniques', findings.flatMap((f) => f.tech));
    const hive = options('filter-hive', 'hives', findings.map((f) => f.hive));
    const user = options('filter-user', 'users', findings.map((f) => f.user));
    const reason = options('filter-reason', 'reasons', findings.flatMap((f) => f.reasons));
    const prov = options('filter-prov', 'provenances', findings.map((f) => f.prov));
    const text = el('input', { type: 'search', id: 'filter-text', placeholder: 'Search any field' });
    const sus = el('input', { type: 'checkbox', id: 'filter-sus' });
    const ah = el('input', { type: 'checkbox', id: 'filter-ah' });
    technique.addEventListener('change', () => setTechnique(technique.value));
    for (const [node, key] of [[hive, 'hive'], [user, 'user'], [reason, 'reason'], [prov, 'prov']]) node.addEventListener('change', () => { state[key] = node.value; applyFilters(); });
    text.addEventListener('input', () => { state.text = text.value.toLowerCase(); applyFilters(); });
    sus.addEventListener('change', () => { state.susOnly = sus.checked; applyFilters(); });
    ah.addEventListener('change', () => { state.ahOnly = ah.checked; applyFilters(); });
    box.append(technique, hive, user, reason, prov, text, el('label', {}, sus, ' suspicious only'), el('label', {}, ah, ' after hours only'));
    const head = document.getElementById('table-head');
    for (const [key, label] of COLUMNS) {
      const th = el('th', { class: 'sortable', 'data-sort': key }, label);
      th.addEventListener('click', () => {
        state.asc = state.sort === key ? !state.asc : key !== 'sus';
        state.sort = key;
        for (const other of head.children) other.classList.toggle('sorted', other === th);
        th.classList.toggle('asc', state.asc);
        applyFilters();
      });
      head.append(th);
    }
    document.getElementById('show-more').addEventListener('click', renderMore);
  }
  function matches(f) {
    if (state.technique && !f.tech.includes(state.technique)) return false;
    if (state.hive && f.hive !== state.hive) return false;
    if (state.user && f.user !== state.user) return false;
    if (state.reason && !f.reasons.includes(state.reason)) return false;
    if (state.prov && f.prov !== state.prov) return false;
    if (state.susOnly && !f.sus) return false;
    if (state.ahOnly && !f.ah) return false;
    if (state.window && !f.times.some((t) => localMs(t) >= state.window[0] && localMs(t) <= state.window[1])) return false;
    return !state.text || f.search.includes(state.text);
  }
  function applyFilters() {
    state.matching = findings.map((_, i) => i).filter((i) => matches(findings[i])).sort(compare);
    state.shown = 0;
    document.getElementById('rows').replaceChildren();
    renderMore();
  }
  // Rows are added a page at a time (the button, or scrolling near the end), so 10,000 findings stay responsive.
  function renderMore() {
    const body = document.getElementById('rows');
    const end = Math.min(state.matching.length, state.shown + PAGE);
    const fragment = document.createDocumentFragment();
    for (let k = state.shown; k < end; k++) {
      const index = state.matching[k];
      fragment.append(row(index));
      if (state.open.has(index)) fragment.append(detail(index));
    }
    body.append(fragment);
    state.shown = end;
    const status = document.getElementById('table-status');
    status.textContent = 'Showing ' + state.shown + ' of ' + state.matching.length + ' matching findings (' + findings.length + ' in all). Click a row for the full record.';
    status.setAttribute('data-matching', state.matching.length);
    document.getElementById('show-more').hidden = state.shown >= state.matching.length;
  }
  function row(index) {
    const f = findings[index];
    const tr = el('tr', { class: 'row' + (f.sus ? ' sus' : ''), 'data-index': index, 'data-rule': f.rule, 'data-prov': f.prov },
      el('td', {}, f.sus ? tag('suspicious', 'sus') : '', f.ah ? tag('after hours', 'ah') : ''),
      el('td', { class: 'mono' }, f.times.length ? f.times[0].t : 'no time'),
      el('td', {}, f.tech[0] || '', el('br'), el('span', { class: 'muted' }, f.techName)),
      el('td', {}, f.rule),
      el('td', {}, f.hiveType),
      el('td', {}, f.user),
      el('td', { class: 'mono' }, f.key + (f.value ? '\\' + f.value : '')),
      el('td', { class: 'mono' }, f.data),
      el('td', {}, ...f.reasons.map((r) => tag(r, 'sus'))),
      el('td', {}, f.prov === 'allocated' ? f.prov : tag(f.prov, 'prov')));
    tr.addEventListener('click', () => toggle(index, tr));
    return tr;
  }
  function detail(index) {
    const f = findings[index];
    const times = el('ul', {}, ...f.times.map((t) => el('li', {}, t.t + '  (' + localText(t) + ')  ' + t.desc + (t.ah ? ' \u2014 ' + t.why : ''))));
    const list = facts(el('dl', { class: 'facts' }), [['Rule', f.rule + ': ' + f.title], ['Techniques', f.tech.join(', ') + ' ' + f.techName],
      ['Category', f.category], ['Reasons', f.reasons.join(', ') || 'none'], ['Key (hive)', f.key + (f.value ? '\\' + f.value : '')],
      ['Key (Plaso)', f.plasoKey], ['Value', f.value || '(default / key)'], ['Control set', f.controlSet], ['Provenance', f.prov],
      ['Hive', f.hive], ['Hive SHA-256', f.sha256], ['Evidence', f.evidence], ['Host', f.host], ['User', f.user], ['SID', f.sid]]);
    list.append(el('dt', {}, 'Data'), el('dd', {}, el('pre', { class: 'mono' }, f.data)));
    list.append(el('dt', {}, 'Times'), el('dd', {}, times));
    for (const [name, value] of Object.entries(f.details)) list.append(el('dt', {}, name), el('dd', { class: 'mono' }, value));
    return el('tr', { class: 'detail', 'data-detail': index }, el('td', { colSpan: COLUMNS.length }, list));
  }
  function toggle(index, tr) {
    if (state.open.has(index)) {
      state.open.delete(index);
      const next = tr.nextSibling;
      if (next && next.classList.contains('detail')) next.remove();
    } else {
      state.open.add(index);
      tr.after(detail(index));
    }
  }
  function openFinding(index) {
    state.open.add(index);
    state.matching = [index, ...state.matching.filter((i) => i !== index)];
    state.shown = 0;
    document.getElementById('rows').replaceChildren();
    renderMore();
    document.getElementById('findings').scrollIntoView();
  }

  // ---- diagnostics ------------------------------------------------------------------------------
  function renderDiagnostics() {
    const body = document.getElementById('diagnostics-body');
    body.append(data.diagnostics.length
      ? table(['Severity', 'File', 'Message'], data.diagnostics.map((d) => [d.sev, el('span', { class: 'mono' }, d.file), d.msg]))
      : el('p', { class: 'muted' }, 'None: every input was read.'));
  }

  renderCase();
  renderExposure();
  renderLegend();
  drawChart();
  renderGrid();
  renderFilters();
  renderDiagnostics();
  applyFilters();
  if ('IntersectionObserver' in window) {
    new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting) && state.shown < state.matching.length) renderMore(); })
      .observe(document.getElementById('show-more'));
  }
}());
