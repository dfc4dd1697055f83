/** A small DOM builder: elements from props and children, text always as text nodes (never parsed as HTML). */
export type Child = Node | string | undefined | null | false;
export type Props = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

/** `h("button", { class: "primary", onClick }, "Buy")`: `on*` props become listeners, `true` an empty attribute. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.slice(2).toLowerCase(), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  element.append(...children.filter((child): child is Node | string => child !== undefined && child !== null && child !== false));
  return element;
}

/** A table with a `data-testid`, one row per entry. */
export function table(testid: string, headers: string[], rows: Child[][]): HTMLTableElement {
  return h(
    "table",
    { "data-testid": testid },
    h("thead", {}, h("tr", {}, ...headers.map((header) => h("th", {}, header)))),
    h("tbody", {}, ...rows.map((cells) => h("tr", {}, ...cells.map((cell) => h("td", {}, cell))))),
  );
}

/** A labelled form field. */
export function field(label: string, input: HTMLElement, hint?: string): HTMLLabelElement {
  return h("label", { class: "field" }, h("span", {}, label), input, hint === undefined ? undefined : h("small", {}, hint));
}

/** The value of the input named `name` in `form`. */
export function valueOf(form: HTMLFormElement, name: string): string {
  const input = form.elements.namedItem(name);
  if (!(input instanceof HTMLInputElement || input instanceof HTMLSelectElement)) throw new Error(`the form has no field ${name}`);
  return input.value.trim();
}
