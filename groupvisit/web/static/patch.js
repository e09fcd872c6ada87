// Rendering by patching the page in place, around whatever has focus: every screen's renderers
// write only real changes, keep list items by key, and never move, wipe or refill the element
// someone is typing in (nor the list item that holds it). Live data goes in as text, never markup.

export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Writes only real changes: rewriting the same text replaces the node's children, and screen
// readers repeat it.
export function setText(node, text) {
  const value = text === null || text === undefined ? "" : String(text);
  if (node.textContent !== value) node.textContent = value;
}

export function show(node, visible) {
  node.hidden = !visible;
}

// Runs `update` and, if it took focus away (a node moved, a control went off and on), puts focus
// and the caret back where they were.
export function keepFocus(update) {
  const active = document.activeElement;
  const caret = active && typeof active.selectionStart === "number"
    ? [active.selectionStart, active.selectionEnd, active.selectionDirection] : null;
  update();
  if (active && active !== document.body && active.isConnected && document.activeElement !== active) {
    active.focus({ preventScroll: true });
    if (caret && document.activeElement === active) active.setSelectionRange(...caret);
  }
}

// Keeps one child of `list` per item, keyed, in the items' order: existing children are updated in
// place (keeping typed text, ticked boxes, open <details>), new ones made, gone ones removed. The
// child that holds focus never moves: the others are put before and after it.
export function syncList(list, items, keyOf, make, update) {
  const wanted = new Map(items.map((item) => [String(keyOf(item)), item]));
  for (const child of [...list.children]) {
    if (!wanted.has(child.dataset.key)) child.remove();
  }
  const existing = new Map(Array.from(list.children, (child) => [child.dataset.key, child]));
  const nodes = items.map((item, index) => {
    const key = String(keyOf(item));
    let node = existing.get(key);
    if (!node) {
      node = make(item);
      node.dataset.key = key;
    }
    update(node, item, index);
    return node;
  });
  const pinned = nodes.findIndex((node) => node.isConnected && node.contains(document.activeElement));
  if (pinned === -1) {
    place(list, nodes, list.firstElementChild);
  } else {
    place(list, nodes.slice(0, pinned), list.firstElementChild);
    place(list, nodes.slice(pinned + 1), nodes[pinned].nextElementSibling);
  }
}

// Puts `nodes` in order from `cursor` on, moving only those out of place.
function place(list, nodes, cursor) {
  for (const node of nodes) {
    if (node === cursor) cursor = cursor.nextElementSibling;
    else list.insertBefore(node, cursor);
  }
}

// A <select>'s options patched in place (an open list stays open), keeping the chosen value.
export function syncOptions(select, options) {
  const chosen = select.value;
  options.forEach((option, index) => {
    let node = select.options[index];
    if (!node) node = select.appendChild(el("option"));
    if (node.value !== option.value) node.value = option.value;
    setText(node, option.label);
  });
  while (select.options.length > options.length) select.options[select.options.length - 1].remove();
  if (options.some((o) => o.value === chosen)) select.value = chosen;
  else select.selectedIndex = options.length ? 0 : -1;
}
