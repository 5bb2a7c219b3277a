"use strict";
// The review page. Every text from the files is put in with textContent, never as markup.
(() => {
  const token = new URLSearchParams(location.search).get("t") || "";
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const $ = (id) => document.getElementById(id);
  let proposals = [];
  let selectedId = null;
  const undoStack = [];  // ids this tab decided, last first

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value; else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  async function api(path, body) {
    const options = { headers: { "X-Token": token } };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRF-Token"] = csrf;
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path + "?t=" + encodeURIComponent(token), options);
    const data = response.headers.get("content-type")?.includes("json") ? await response.json() : { error: await response.text() };
    if (!response.ok) throw Object.assign(new Error(data.error || response.statusText), { status: response.status });
    return data;
  }

  function say(text, isError) {
    const box = $("message");
    box.textContent = text;
    box.className = isError ? "error" : "";
    box.hidden = !text;
  }

  // --- filters ------------------------------------------------------------------------------
  function shown() {
    const country = $("f-country").value, field = $("f-field").value.trim().toLowerCase();
    const confidence = parseFloat($("f-confidence").value) || 0, status = $("f-status").value;
    return proposals.filter((p) => (!country || p.country === country)
      && (!field || p.field.toLowerCase().includes(field))
      && p.confidence >= confidence && (!status || p.status === status));
  }

  async function load() {
    const state = await api("/api/state");
    proposals = state.proposals;
    $("who").textContent = `${state.file} · reviewing as ${state.reviewer}`;
    $("unrecorded-count").textContent = `(${state.unrecorded})`;
    const select = $("f-country"), current = select.value;
    select.replaceChildren(el("option", { value: "" }, "all"),
      ...[...new Set(proposals.map((p) => p.country))].sort().map((c) => el("option", { value: c }, c)));
    select.value = current;
    renderList();
  }

  function renderList() {
    const items = shown();
    $("count").textContent = `${items.length} shown of ${proposals.length}`;
    if (!items.some((p) => p.id === selectedId)) selectedId = items.length ? items[0].id : null;
    $("list").replaceChildren(...items.map((p) => {
      const li = el("li", { "data-id": p.id, class: p.id === selectedId ? "selected" : "" },
        el("span", { class: `status status-${p.status}` }, p.status),
        el("span", { class: "field", title: p.field }, `${p.country} ${p.field}`),
        el("span", { class: "meta" }, `${p.op} ${p.confidence.toFixed(2)}`));
      li.addEventListener("click", () => select(p.id));
      return li;
    }));
    renderDetail();
  }

  function select(id) {
    selectedId = id;
    for (const li of $("list").children) li.classList.toggle("selected", li.dataset.id === id);
    $("list").querySelector(".selected")?.scrollIntoView({ block: "nearest" });
    renderDetail();
  }

  function move(step) {
    const items = shown();
    const index = items.findIndex((p) => p.id === selectedId);
    const next = items[Math.min(items.length - 1, Math.max(0, index + step))];
    if (next) select(next.id);
  }

  // --- the detail pane ----------------------------------------------------------------------
  function diffView(p) {
    if (p.op === "confirm") return el("p", { class: "diff" }, p.new_value, el("span", { class: "meta" }, "  (the article confirms the record)"));
    const piece = (tag, text) => tag === "-" ? el("del", {}, text) : tag === "+" ? el("ins", {}, text) : document.createTextNode(text);
    if (!p.long) return el("p", { class: "diff" }, ...p.diff.map(([tag, text]) => piece(tag, text)));
    // Long cells side by side: what goes on the left, what comes on the right.
    return el("div", { class: "sides" },
      el("div", {}, el("h3", {}, "now"), el("div", { class: "diff" }, ...p.diff.filter(([t]) => t !== "+").map(([t, x]) => piece(t, x)))),
      el("div", {}, el("h3", {}, "after the merge"), el("div", { class: "diff" }, ...p.diff.filter(([t]) => t !== "-").map(([t, x]) => piece(t, x)))));
  }

  function paragraphView(item) {
    // Marks: the quote (the evidence sentence), the value that triggered it, the mentions (displaCy style).
    const text = item.paragraph, base = item.offset;
    const cuts = new Set([0, text.length, item.start - base, item.end - base, item.highlight[0] - base, item.highlight[1] - base]);
    for (const m of item.mentions) { cuts.add(m.start - base); cuts.add(m.end - base); }
    const points = [...cuts].filter((x) => x >= 0 && x <= text.length).sort((a, b) => a - b);
    const out = el("p", { class: "paragraph" });
    for (let i = 0; i + 1 < points.length; i++) {
      const from = points[i], to = points[i + 1];
      let node = document.createTextNode(text.slice(from, to));
      const mention = item.mentions.find((m) => m.start - base <= from && to <= m.end - base);
      if (item.highlight[0] - base <= from && to <= item.highlight[1] - base) node = el("mark", { class: "ent value" }, node, el("span", { class: "label" }, "value"));
      else if (mention) node = el("mark", { class: "ent" }, node, el("span", { class: "label" }, mention.label));
      if (item.start - base <= from && to <= item.end - base) node = el("span", { class: "quote" }, node);
      out.append(node);
    }
    return out;
  }

  async function renderDetail() {
    const pane = $("detail");
    const p = proposals.find((x) => x.id === selectedId);
    if (!p) { pane.replaceChildren(el("p", {}, "Nothing to review with these filters.")); return; }
    const rivals = proposals.filter((x) => x.country === p.country && x.field === p.field && x.id !== p.id);
    pane.replaceChildren(...[
      el("h2", {}, `${p.country} · ${p.field}`),
      el("p", { class: "meta" }, `${p.id} · ${p.op} · confidence ${p.confidence.toFixed(2)} · `,
        el("span", { class: `status status-${p.status}` }, p.status),
        p.reviewer ? ` by ${p.reviewer}${p.decided_at ? " at " + p.decided_at : ""}` : "", ` · ${p.record}`),
      el("h3", {}, "The record now"), el("p", { class: "current" }, p.old_value === null ? "(no such field yet)" : p.old_value),
      el("h3", {}, "Change"), diffView(p),
      p.proposed_value !== null ? el("p", { class: "meta" }, "Proposed: ", el("code", {}, p.proposed_value)) : null,
      p.reviewer_note ? el("p", { class: "note" }, "Reason: ", p.reviewer_note) : null,
      el("div", { class: "actions" },
        button("Approve (y)", () => decideOne(p, "approve")), button("Reject (n)", () => decideOne(p, "reject")),
        button("Edit (e)", () => editValue(p)), button("Reason (r)", () => giveReason(p)), button("Undo (u)", undo)),
      p.contradiction ? contradictionView(p.contradiction) : null,
      rivals.length ? el("div", {}, el("h3", {}, "Rival proposals for this field"),
        el("ul", { class: "rivals" }, ...rivals.map((r) => {
          const li = el("li", {}, `${r.id} · ${r.op} · ${r.status} · `, r.new_value);
          li.addEventListener("click", () => select(r.id));
          return li;
        }))) : null,
      el("h3", {}, `Evidence (${p.evidence.length})`), el("div", { id: "evidence" }, el("p", { class: "meta" }, "loading…")),
    ].filter((node) => node !== null));
    try {
      const items = await api("/api/context/" + encodeURIComponent(p.id));
      if (selectedId !== p.id) return;
      $("evidence").replaceChildren(...items.map((item) => el("div", { class: "evidence" },
        el("div", { class: "source" }, el("strong", {}, item.title || item.article), " · ", item.published || "date unknown", " · ",
          /^https?:\/\//.test(item.url || "") ? el("a", { href: item.url, rel: "noreferrer noopener", target: "_blank" }, item.url) : "no url",
          el("span", { class: "meta" }, ` · ${item.article}`)),
        paragraphView(item))));
    } catch (error) { say(error.message, true); }
  }

  function contradictionView(c) {
    // The values side by side, the suggested one first, each with its stage, dates and evidence.
    const suggested = c.sides[0].proposal || "the record's value";
    return el("div", { class: "contradiction" }, el("h3", {}, `Contradiction: ${c.sides.length} values for this field`),
      el("p", { class: "suggestion" }, "Suggested: ", el("strong", {}, suggested), ` — ${c.reason}`),
      el("div", { class: "sides" }, ...c.sides.map((s, i) => el("div", { class: i === 0 ? "side suggested" : "side" },
        el("p", {}, el("strong", {}, s.value)),
        el("p", { class: "meta" }, [s.proposal || "record", s.stage || "stage unknown", `published ${s.published || "undated"}`,
          s.effective ? `effective ${s.effective}` : null, `${s.outlets} outlet${s.outlets === 1 ? "" : "s"}`].filter(Boolean).join(" · ")),
        ...s.evidence.slice(0, 2).map((e) => el("blockquote", {}, e.quote,
          el("div", { class: "meta" }, `${e.url || e.article} · ${e.published || "date unknown"}`)))))));
  }

  function button(label, action) {
    const b = el("button", { type: "button" }, label);
    b.addEventListener("click", action);
    return b;
  }

  // --- decisions ----------------------------------------------------------------------------
  async function send(requests) {
    try {
      const result = await api("/api/decide", { requests });
      for (const saved of [...result.saved, ...(result.refreshed || [])]) {
        const index = proposals.findIndex((x) => x.id === saved.id);
        if (index >= 0) proposals[index] = saved;
      }
      return result.saved;
    } catch (error) {
      say(error.status === 409 ? `Conflict: ${error.message}. Nothing was overwritten; the list is reloaded.` : error.message, true);
      if (error.status === 409) await load();
      throw error;
    }
  }

  async function decideOne(p, action, extra) {
    const next = shown()[shown().findIndex((x) => x.id === p.id) + 1];
    await send([{ id: p.id, version: p.version, action, ...extra }]);
    if (action !== "note") undoStack.push(p.id);
    say(`${p.id}: ${{ approve: "approved", reject: "rejected", edit: "edited and approved", note: "reason saved" }[action]}.`);
    if (action !== "note" && next) selectedId = next.id;
    renderList();
  }

  async function undo() {
    const id = undoStack.pop();
    if (!id) { say("Nothing to undo in this tab."); return; }
    const p = proposals.find((x) => x.id === id);
    await send([{ id, version: p.version, action: "undo" }]);
    selectedId = id;
    say(`${id} is pending again.`);
    renderList();
  }

  function ask(text, value, onOk) {
    // A dialog of our own: its text is set with textContent like everything else.
    $("modal-text").textContent = text;
    $("modal-error").textContent = "";
    const input = $("modal-input");
    input.hidden = value === null;
    input.value = value || "";
    $("modal").hidden = false;
    (value === null ? $("modal-ok") : input).focus();
    $("modal-form").onsubmit = async (event) => {
      event.preventDefault();
      try { await onOk(input.value); $("modal").hidden = true; }
      catch (error) { $("modal-error").textContent = error.message; if (error.status === 409) $("modal").hidden = true; }
    };
  }

  function editValue(p) {
    if (p.op === "confirm") { say("A confirmation has no new value to edit: approve or reject it."); return; }
    ask(`New value for ${p.country} ${p.field} (approves it):`, p.new_value, (value) => decideOne(p, "edit", { value }));
  }

  function giveReason(p) {
    ask(`Reason for ${p.id}:`, p.reviewer_note || "", (note) => decideOne(p, "note", { note }));
  }

  function bulk(action) {
    const open = shown().filter((p) => p.status === "pending");
    if (!open.length) { say("No pending proposal is shown."); return; }
    const verb = action === "approve" ? "Approve" : "Reject";
    ask(`${verb} the ${open.length} pending proposals shown?`, null, async () => {
      await send(open.map((p) => ({ id: p.id, version: p.version, action })));
      say(`${open.length} ${action === "approve" ? "approved" : "rejected"}.`);
      renderList();
    });
  }

  // --- countries without a record -----------------------------------------------------------
  async function showUnrecorded(on) {
    $("tab-unrecorded").classList.toggle("on", on);
    $("tab-proposals").classList.toggle("on", !on);
    $("proposals-view").hidden = on;
    $("unrecorded-view").hidden = !on;
    if (!on) return;
    const facts = await api("/api/unrecorded");
    const countries = [...new Set(facts.map((f) => f.country))].sort();
    $("unrecorded-view").replaceChildren(
      el("p", {}, `${facts.length} facts about ${countries.length} countries without a record. Start a record with `,
        el("code", {}, "extract record new CC"), "; the next run proposes these facts into it."),
      ...countries.map((code) => el("section", {}, el("h2", {}, code, " ", el("code", {}, `extract record new ${code}`)),
        el("table", {}, el("tr", {}, el("th", {}, "field"), el("th", {}, "value"), el("th", {}, "confidence"), el("th", {}, "evidence")),
          ...facts.filter((f) => f.country === code).map((f) => el("tr", {}, el("td", {}, el("code", {}, f.field)), el("td", {}, f.value),
            el("td", {}, f.confidence.toFixed(2)), el("td", {}, el("q", {}, f.evidence.quote), el("div", { class: "meta" }, f.evidence.article))))))));
  }

  // --- keys ---------------------------------------------------------------------------------
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { $("modal").hidden = true; $("help").hidden = true; return; }
    if (!$("modal").hidden || event.ctrlKey || event.metaKey || event.altKey) return;
    if (["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement?.tagName)) return;
    if (!$("help").hidden) { $("help").hidden = true; return; }
    const p = proposals.find((x) => x.id === selectedId);
    const actions = {
      y: () => p && decideOne(p, "approve"), n: () => p && decideOne(p, "reject"), e: () => p && editValue(p),
      r: () => p && giveReason(p), s: () => move(1), j: () => move(1), k: () => move(-1), ArrowDown: () => move(1),
      ArrowUp: () => move(-1), u: undo, a: () => bulk("approve"), d: () => bulk("reject"), "?": () => { $("help").hidden = false; },
    };
    if (actions[event.key]) { event.preventDefault(); Promise.resolve(actions[event.key]()).catch(() => {}); }
  });
  for (const id of ["f-country", "f-field", "f-confidence", "f-status"]) $(id).addEventListener("input", renderList);
  $("bulk-approve").addEventListener("click", () => bulk("approve"));
  $("bulk-reject").addEventListener("click", () => bulk("reject"));
  $("modal-cancel").addEventListener("click", () => { $("modal").hidden = true; });
  $("tab-unrecorded").addEventListener("click", () => showUnrecorded(true).catch((e) => say(e.message, true)));
  $("tab-proposals").addEventListener("click", () => showUnrecorded(false));
  load().catch((error) => say(error.message, true));
})();
