/* global DataTransfer, document, HTMLElement, HTMLElementTagNameMap, Node */
/**
 * Building the pane's DOM without innerHTML: every text goes through textContent, so nothing from a
 * file or a catalog entry is ever parsed as markup.
 */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: { className?: string; text?: string; attributes?: Record<string, string> } = {},
  children: readonly Node[] = []
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  for (const [name, value] of Object.entries(options.attributes ?? {}))
    node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** Makes `zone` a drop target: highlighted while a drag is over it, `onDrop` given what was dropped. */
export function onFilesDropped(zone: HTMLElement, onDrop: (data: DataTransfer) => void): void {
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("drop-zone--over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("drop-zone--over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("drop-zone--over");
    if (event.dataTransfer) onDrop(event.dataTransfer);
  });
}
