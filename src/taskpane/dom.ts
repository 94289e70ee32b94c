/* global document, HTMLElementTagNameMap, Node */
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
