// healthkit preview: reload this page when its lesson was rebuilt, and show content errors
// over it. Only `healthkit preview` adds this script to the pages it serves; built files
// never carry it. Everything shown comes from the server as data and is set as text.
(() => {
  "use strict";
  const info = JSON.parse(document.getElementById("hk-preview").textContent);
  const CSS = `
    :host { all: initial; }
    :host([hidden]) { display: none; }
    .backdrop { position: fixed; inset: 0; z-index: 2147483647; background: rgba(20, 20, 24, 0.72);
      display: flex; align-items: flex-start; justify-content: center; overflow: auto;
      font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
    .panel { margin: 6vh 16px; max-width: 62rem; width: 100%; background: #fff; color: #1a1a1a;
      border-top: 6px solid #b3261e; border-radius: 6px; padding: 20px 24px; box-shadow: 0 8px 32px rgba(0, 0, 0, 0.4); }
    h2 { margin: 0 0 8px; font-size: 1.25rem; color: #8c1d18; }
    p { margin: 8px 0; }
    ul { margin: 12px 0; padding: 0; list-style: none; }
    li { margin: 0 0 8px; padding: 8px 10px; background: #fbeeee; border-radius: 4px;
      font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
    button { font: inherit; padding: 4px 14px; border: 1px solid #555; border-radius: 4px; background: #fff; color: #1a1a1a; cursor: pointer; }
    button:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
  `;
  let host = null;

  function show(errors) {
    document.documentElement.dataset.hkPreviewErrors = String(errors.length);
    if (host) host.remove();
    host = null;
    if (!errors.length) return;
    host = document.createElement("div");
    host.id = "hk-preview-overlay";
    const root = host.attachShadow({ mode: "open" });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
    const backdrop = document.createElement("div");
    backdrop.className = "backdrop";
    const panel = document.createElement("section");
    panel.className = "panel";
    panel.setAttribute("role", "alertdialog");
    panel.setAttribute("aria-labelledby", "hk-preview-title");
    const title = document.createElement("h2");
    title.id = "hk-preview-title";
    title.textContent = errors.length === 1 ? "This lesson has an error" : `This lesson has ${errors.length} errors`;
    const note = document.createElement("p");
    note.textContent = info.has_page
      ? "The page below is the last version that built. Fix the file and save: the page updates by itself."
      : "Fix the file and save: the lesson appears by itself.";
    const list = document.createElement("ul");
    for (const line of errors) {
      const item = document.createElement("li");
      item.textContent = line;
      list.append(item);
    }
    const hide = document.createElement("button");
    hide.type = "button";
    hide.textContent = "Hide";
    hide.addEventListener("click", () => { host.hidden = true; });
    panel.append(title, note, list, hide);
    backdrop.append(panel);
    root.append(backdrop);
    document.documentElement.append(host);
  }

  const events = new EventSource(info.events + "?page=" + encodeURIComponent(info.page));
  events.addEventListener("state", (event) => {
    const state = JSON.parse(event.data);
    if (state.digest !== info.digest) {
      events.close();
      location.reload();
      return;
    }
    show(state.errors);
  });
})();
