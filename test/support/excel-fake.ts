/**
 * A recording fake of the part of the Excel JavaScript API the add-in uses (the interfaces in
 * src/workbook/office.ts). It behaves like Office.js where the renderer's correctness depends on it:
 *
 * - Calls are queued and run only at `context.sync()`, in order. The first command that fails stops
 *   the batch: the commands before it have taken effect, the ones after it have not, and `sync()`
 *   rejects with an error carrying an Office-style `code` (ItemNotFound, ItemAlreadyExists,
 *   InvalidArgument, AccessDenied, ApiNotFound, GeneralException).
 * - Loaded properties can be read only after the sync that loads them (else PropertyNotLoaded).
 * - Sheet, defined-name and table names are checked as Excel checks them (length, characters,
 *   uniqueness ignoring case, names that look like cell references, one namespace for tables and
 *   names); 2-D writes must match the range's size; locked cells of protected sheets refuse writes;
 *   a validation list or a defined name referring to a missing sheet or name fails.
 *
 * - Excel's other rules that decide whether code works on a real workbook:
 *   - a dynamic-array formula's results spill from its anchor: only the anchor holds the formula,
 *     `range.formulas` of a spilled cell gives its value, `getSpillingToRangeOrNullObject` gives the
 *     block, replacing the anchor's formula clears the spill, and writing into a live spill turns the
 *     anchor into #SPILL! (learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-ranges-dynamic-arrays);
 *   - `getUsedRangeOrNullObject()` includes cells that only carry formatting (a whole formatted
 *     column reaches row 1,048,576); `getUsedRangeOrNullObject(true)` only cells with values;
 *   - one read returns at most 5 million cells, and with `webPayloadLimit` one request or response
 *     carries at most 5 MB, as in Excel on the web (learn.microsoft.com/office/dev/add-ins/concepts/
 *     resource-limits-and-performance-optimization#excel-add-ins; excel-add-ins-ranges-large);
 *     the request counts every call queued for the sync as Office.js serialises it (each call is an
 *     action `{Id, ActionType, Name, ObjectPathId, ArgumentInfo}` with its arguments as JSON, and a
 *     call that returns an object — getRange, getItem, add, getLocation … — also an object path):
 *     writes, deletes, navigation and loads alike; a request over the limit is refused whole,
 *     before any command runs (RequestPayloadSizeLimitExceeded, "This error only occurs in Excel on
 *     the web": learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-error-handling); the
 *     response counts everything loaded (grids, collections' items with their loaded properties,
 *     addresses and counts), and a response over the limit fails the sync
 *     (ResponsePayloadSizeLimitExceeded, same page) after the commands before it ran;
 *   - a collection loads a page of its items with `$top`/`$skip` (`load({ select, top, skip })`,
 *     learn.microsoft.com/javascript/api/excel/excel.interfaces.collectionloadoptions), each load
 *     replacing `items`; notes are found by cell (`notes.getItemOrNullObject("Sheet1!B4")`,
 *     learn.microsoft.com/javascript/api/excel/excel.notecollection);
 *   - a value written as text is typed as Excel types what a person enters: "50%" becomes 0.5,
 *     "Jan 2024" a date serial, "1e3" a number, unless it starts with an apostrophe;
 *   - `insertRows`, `insertColumns`, `deleteRows`, `deleteColumns` (a user or co-author changing the
 *     grid) move the cells and notes below or to the right, drop those in deleted rows or columns,
 *     and every cell reference to them in formulas and defined names follows: a range grows when
 *     rows are inserted inside it and shrinks when some of its rows are deleted, and a reference
 *     whose cells were all deleted becomes `#REF!` (support.microsoft.com "Insert or delete rows and
 *     columns"; the same rules for names: Walkenbach, Excel 2007 Formulas, "How Excel Maintains
 *     Cell and Range Names"). Whole-column and whole-row references are not adjusted.
 *   - defined names are NamedItem objects: `visible` (hidden from the Name Manager) and `delete()`
 *     (learn.microsoft.com/javascript/api/excel/excel.nameditem).
 *
 * It records every call (`calls`), every change it applied (`effects`, with the sheet it touched),
 * counts syncs, and can fail a chosen call (`failAt`: the call's index or a predicate) as Office
 * would: at the sync that runs it, after the commands queued before it.
 */
import type {
  ChartLike,
  DataValidationLike,
  RangeFormatLike,
  WorksheetLike,
} from "../../src/workbook/office";

export class FakeOfficeError extends Error {
  readonly code: string;
  readonly debugInfo: {
    readonly code: string;
    readonly message: string;
    readonly errorLocation: string;
  };

  constructor(code: string, message: string, location = "") {
    super(message);
    this.name = "RichApi.Error";
    this.code = code;
    this.debugInfo = { code, message, errorLocation: location };
  }
}

export type FakeCellValue = string | number | boolean;

export interface FakeCell {
  value: FakeCellValue;
  formula?: string;
  /** On a spill's anchor: the size of the block its formula spills into. */
  spillBlock?: { rows: number; columns: number };
  /** On a spilled cell: the anchor's key ("row,column"). */
  spillOf?: string;
  /** Formatting only (counts for the used range unless `valuesOnly`). */
  formattedOnly?: boolean;
  numberFormat: string;
  locked: boolean;
  format: Record<string, unknown>;
}

export interface FakeChart {
  type: string;
  seriesBy: string | undefined;
  title: string;
  categoryAxisTitle: string;
  valueAxisTitle: string;
  valueAxisNumberFormat: string;
  legendPosition: string;
  legendVisible: boolean;
  series: {
    name: string;
    values?: string;
    xValues?: string;
    /** Point index → its data label's formula (ChartPoint.hasDataLabel + ChartDataLabel.formula). */
    pointLabels?: Map<number, string>;
  }[];
  position?: { from: string; to?: string };
}

export interface FakeValidation {
  address: string;
  rule?: unknown;
  prompt?: unknown;
  errorAlert?: unknown;
}

/** A defined name: `visible` false hides it from the Name Manager (NamedItem.visible). */
export interface FakeName {
  name: string;
  reference: string;
  comment?: string;
  visible?: boolean;
}

export interface FakeSheet {
  readonly id: number;
  name: string;
  visibility: string;
  tabColor: string;
  readonly cells: Map<string, FakeCell>;
  /** Sheet-scoped defined names: lower-case name → { name, reference, comment }. */
  readonly names: Map<string, FakeName>;
  readonly charts: FakeChart[];
  readonly validations: FakeValidation[];
  readonly borders: { address: string; edge: string; property: string; value: unknown }[];
  readonly columnWidths: Map<number, number>;
  readonly notes: Map<string, string>;
  frozenRows: number;
  protected: boolean;
  /** Columns (1-based, inclusive) formatted to the last row, if any. */
  formattedColumns?: { left: number; right: number };
  protectionOptions?: unknown;
  printArea?: string;
  printTitleRows?: string;
  orientation?: string;
}

export interface FakeTable {
  name: string;
  sheetId: number;
  address: string;
  style: string;
}

export interface RecordedCall {
  /** 0-based position among all calls. */
  readonly index: number;
  /** The sync that runs it (1-based). */
  readonly batch: number;
  /** "Interface.member", e.g. "Worksheet.getRange" or "Range.formulas=". */
  readonly api: string;
  /** The sheet the call is about, as named when it was queued. */
  readonly sheet?: string;
  readonly args: readonly unknown[];
}

export interface FakeEffect {
  readonly batch: number;
  readonly api: string;
  /** The sheet the change applied to (its name at that time). */
  readonly sheet: string;
}

export interface SeedCell {
  readonly value?: FakeCellValue;
  readonly formula?: string;
  readonly numberFormat?: string;
  /** The values a dynamic-array formula spills, anchor first ([0][0] is the cell's own value). */
  readonly spill?: readonly (readonly FakeCellValue[])[];
}

export interface SeedSheet {
  readonly name: string;
  /** "A1" → a value, or a formula with its current value. */
  readonly cells?: Readonly<Record<string, FakeCellValue | SeedCell>>;
  readonly names?: readonly { name: string; reference: string }[];
  readonly notes?: Readonly<Record<string, string>>;
  readonly protected?: boolean;
  readonly visibility?: string;
  /** Whole columns ("A:C") that carry formatting only: the used range reaches the last row. */
  readonly formattedColumns?: string;
}

export interface FakeExcelOptions {
  readonly sheets?: readonly SeedSheet[];
  /** Workbook-level names. */
  readonly names?: readonly { name: string; reference: string }[];
  readonly tables?: readonly { name: string; sheet: string; address: string }[];
  /** Whether the host has ExcelApi 1.18 notes (default true). */
  readonly notesApi?: boolean;
  readonly workbookProtected?: boolean;
  /** Limit every sync's request and response to 5 MB, as Excel on the web does. */
  readonly webPayloadLimit?: boolean;
  /** Fail the call with this index, or the first call the predicate accepts. */
  readonly failAt?: number | ((call: RecordedCall) => boolean);
}

// ---------------------------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------------------------

const MAX_ROWS = 1048576;
const MAX_COLUMNS = 16384;
/** Excel on the web: one request or response carries at most 5 MB. */
const PAYLOAD_LIMIT_BYTES = 5 * 1000 * 1000;
/** Every platform: one read returns at most 5 million cells. */
const CELLS_PER_READ = 5_000_000;

/** A change of one sheet's grid: `count` rows or columns inserted (> 0) or deleted (< 0) at `at`. */
export interface GridChange {
  readonly sheet: string;
  readonly axis: "rows" | "columns";
  /** The first row or column inserted or deleted (1-based). */
  readonly at: number;
  readonly count: number;
}

/** Where index `i` (a row or column number) goes; undefined when it was deleted. */
function movedIndex(i: number, at: number, count: number): number | undefined {
  if (count >= 0) return i >= at ? i + count : i;
  if (i < at) return i;
  if (i < at - count) return undefined;
  return i + count;
}

/** A range's span [first, last] after the change, as Excel adjusts it; undefined when all deleted. */
function movedSpan(
  first: number,
  last: number,
  at: number,
  count: number
): [number, number] | undefined {
  if (count >= 0)
    return [movedIndex(first, at, count) as number, movedIndex(last, at, count) as number];
  const gone = -count;
  const top = first >= at && first < at + gone ? at : first;
  const bottom = last >= at && last < at + gone ? at - 1 : last;
  if (bottom < top) return undefined;
  return [movedIndex(top, at, count) as number, movedIndex(bottom, at, count) as number];
}

/**
 * Adjusts the cell references to `change.sheet` in a formula as Excel does when rows or columns
 * are inserted or deleted. `formulaSheet` is the sheet the formula sits on (unqualified references
 * point there; undefined for workbook names, which always qualify).
 */
export function shiftReferences(
  formula: string,
  formulaSheet: string | undefined,
  change: GridChange
): string {
  // Written independently of the add-in's tokenizer (the fake runs alone in the browser tests):
  // string literals are kept, then each optional sheet prefix and the cell references after it.
  const parts = formula.split(/("(?:[^"]|"")*")/);
  return parts
    .map((part, index) => {
      if (index % 2 === 1) return part;
      return part.replace(
        /((?:'(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*)!)?(\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)(?![A-Za-z0-9_.(])/g,
        (whole, prefix: string | undefined, reference: string, offset: number, all: string) => {
          const before = all[offset - 1] ?? "";
          if (/[A-Za-z0-9_.]/.test(before)) return whole;
          const sheet = prefix
            ? prefix.startsWith("'")
              ? prefix.slice(1, -2).replace(/''/g, "'")
              : prefix.slice(0, -1)
            : formulaSheet;
          if (sheet === undefined || sheet.toLowerCase() !== change.sheet.toLowerCase())
            return whole;
          const cells = reference.split(":").map((cell) => {
            const m = /^(\$?)([A-Za-z]{1,3})(\$?)(\d+)$/.exec(cell) as RegExpExecArray;
            return { col$: m[1], column: columnNumber(m[2]), row$: m[3], row: Number(m[4]) };
          });
          const first = cells[0];
          const last = cells[cells.length - 1];
          const rows = change.axis === "rows";
          const span = movedSpan(
            rows ? first.row : first.column,
            rows ? last.row : last.column,
            change.at,
            change.count
          );
          if (!span) return `${prefix ?? ""}#REF!`;
          const text = (cell: (typeof cells)[number], moved: number): string =>
            `${cell.col$}${columnName(rows ? cell.column : moved)}${cell.row$}${rows ? moved : cell.row}`;
          const shifted =
            cells.length === 1
              ? text(first, span[0])
              : `${text(first, span[0])}:${text(last, span[1])}`;
          return `${prefix ?? ""}${shifted}`;
        }
      );
    })
    .join("");
}

/**
 * A formula after `sheet` was deleted, as Excel rewrites it: each `Sheet!` or `'My Sheet'!` prefix
 * naming it (outside string literals) becomes `#REF!` (`=Feb!B5` → `=#REF!B5`; a name's
 * `=Feb!$B$1` → `=#REF!$B$1`: support.microsoft.com "How to correct a #REF! error").
 */
export function refErrorsFor(formula: string, sheet: string): string {
  return formula
    .split(/("(?:[^"]|"")*")/)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part.replace(
            /(?<![A-Za-z0-9_.])('(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*)!/g,
            (whole, prefix: string) => {
              const name = prefix.startsWith("'")
                ? prefix.slice(1, -1).replace(/''/g, "'")
                : prefix;
              return name.toLowerCase() === sheet.toLowerCase() ? "#REF!" : whole;
            }
          )
    )
    .join("");
}

/** `shiftReferences` for `count` rows inserted above row `at` of `targetSheet`. */
export function shiftRows(
  formula: string,
  formulaSheet: string | undefined,
  targetSheet: string,
  at: number,
  count: number
): string {
  return shiftReferences(formula, formulaSheet, { sheet: targetSheet, axis: "rows", at, count });
}

interface Bounds {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64;
  return n;
}

function columnName(n: number): string {
  let s = "";
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26))
    s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

function a1(row: number, column: number): string {
  return `${columnName(column)}${row}`;
}

function cellKey(row: number, column: number): string {
  return `${row},${column}`;
}

function parseAddress(address: string): Bounds {
  const text = address.replace(/\$/g, "").trim();
  if (text.includes("!"))
    throw new FakeOfficeError(
      "InvalidArgument",
      `getRange takes an address without a sheet: '${address}'`
    );
  const [first, second = first] = text.split(":");
  const part = (p: string): { row?: number; column?: number } => {
    const m = /^([A-Za-z]{0,3})(\d*)$/.exec(p);
    if (!m || (!m[1] && !m[2]))
      throw new FakeOfficeError("InvalidArgument", `not an address: '${address}'`);
    return { column: m[1] ? columnNumber(m[1]) : undefined, row: m[2] ? Number(m[2]) : undefined };
  };
  const a = part(first);
  const b = part(second);
  const bounds = {
    top: Math.min(a.row ?? 1, b.row ?? 1),
    left: Math.min(a.column ?? 1, b.column ?? 1),
    bottom: Math.max(a.row ?? MAX_ROWS, b.row ?? MAX_ROWS),
    right: Math.max(a.column ?? MAX_COLUMNS, b.column ?? MAX_COLUMNS),
  };
  if (bounds.top < 1 || bounds.bottom > MAX_ROWS || bounds.left < 1 || bounds.right > MAX_COLUMNS) {
    throw new FakeOfficeError("InvalidArgument", `address out of the grid: '${address}'`);
  }
  return bounds;
}

function boundsAddress(b: Bounds): string {
  if (b.top === 1 && b.bottom === MAX_ROWS) return `${columnName(b.left)}:${columnName(b.right)}`;
  const start = a1(b.top, b.left);
  return b.top === b.bottom && b.left === b.right ? start : `${start}:${a1(b.bottom, b.right)}`;
}

/** Sheet name as Office.js writes it in addresses: quoted unless it is a plain word. */
export function qualify(sheet: string, address: string): string {
  const quoted = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
  return `${quoted}!${address}`;
}

/** Sheet names referred to in a formula ('Quoted Name'! or Plain!), outside string literals. */
export function sheetReferences(formula: string): string[] {
  const code = formula.replace(/"(?:[^"]|"")*"/g, '""');
  const sheets: string[] = [];
  for (const m of code.matchAll(/'((?:[^']|'')+)'!|([A-Za-z_][A-Za-z0-9_.]*)!/g)) {
    sheets.push(m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2]);
  }
  return sheets;
}

/**
 * Identifiers in a formula that Excel would look up as defined names or tables: outside string
 * literals and quoted sheet names, not functions (followed by "("), not sheet-qualified, not cell
 * or column references, not TRUE/FALSE. Written independently of the renderer's own scanner.
 */
export function nameReferences(formula: string): string[] {
  const code = formula.replace(/"(?:[^"]|"")*"/g, '""').replace(/'(?:[^']|'')+'!/g, "Q!");
  const names: string[] = [];
  const re = /[A-Za-z_\\][A-Za-z0-9_.]*/g;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    const word = m[0];
    const before = code[m.index - 1] ?? "";
    const after = code[m.index + word.length] ?? "";
    if (/[A-Za-z0-9_.$!]/.test(before) || after === "(" || after === "!") continue;
    if (/^[A-Za-z]{1,3}\d+$/.test(word) && columnNumber(word.replace(/\d+$/, "")) <= MAX_COLUMNS)
      continue;
    if ((after === ":" || before === ":") && /^[A-Za-z]{1,3}$/.test(word)) continue;
    if (/^(TRUE|FALSE)$/i.test(word)) continue;
    names.push(word);
  }
  return names;
}

function isValidDefinedName(name: string): boolean {
  if (!/^[A-Za-z_\\][A-Za-z0-9_.]*$/.test(name) || name.length > 255) return false;
  if (/^[A-Za-z]{1,3}\d+$/.test(name) && columnNumber(name.replace(/\d+$/, "")) <= MAX_COLUMNS)
    return false;
  if (/^[RrCc]$/.test(name) || /^[Rr]\d*[Cc]\d*$/.test(name)) return false;
  return true;
}

const ERROR_VALUES = new Set([
  "#N/A",
  "#VALUE!",
  "#REF!",
  "#DIV/0!",
  "#NUM!",
  "#NAME?",
  "#NULL!",
  "#BUSY!",
  "#SPILL!",
  "#CALC!",
  "#GETTING_DATA",
]);

// ---------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------

/** An action as Office.js serialises it, without its arguments: `{"Id":14,"ActionType":4,"Name":"values","ObjectPathId":12,"ArgumentInfo":{}}`. */
export const ACTION_BYTES = 80;
/** The object path a call that returns an object adds: `"12":{"Id":12,"ObjectPathType":3,"Name":"getRange","ParentObjectPathId":5,"ArgumentInfo":{}}`. */
export const OBJECT_PATH_BYTES = 90;

/** Calls that return a new object (an object path in the request besides the action). */
function returnsObject(api: string): boolean {
  return /\.(get[A-Z]\w*|add|getLocation)$/.test(api);
}

/**
 * The bytes a call adds to its sync's request, as Office.js builds it (OfficeExtension
 * ClientRequest: `{Actions: [...], ObjectPaths: {...}}`): its action, its object path when it
 * returns an object, and its arguments as JSON (a grid of values or formulas, a name with its
 * formula and comment, a note's text, a range's address, the properties a load selects).
 */
function callBytes(api: string, args: readonly unknown[]): number {
  let argumentBytes = 0;
  try {
    argumentBytes = JSON.stringify(args)?.length ?? 0;
  } catch {
    argumentBytes = 0;
  }
  return ACTION_BYTES + (returnsObject(api) ? OBJECT_PATH_BYTES : 0) + argumentBytes;
}

/** A loaded value's bytes in the response (its JSON, or a small allowance if it has none). */
function jsonBytes(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 4;
  } catch {
    return 4;
  }
}

type Op = () => void;

export class FakeExcel {
  readonly context: FakeRequestContext;
  readonly calls: RecordedCall[] = [];
  readonly effects: FakeEffect[] = [];
  readonly sheets: FakeSheet[] = [];
  readonly workbookNames = new Map<string, FakeName>();
  readonly tables: FakeTable[] = [];
  syncCount = 0;
  activeSheetId = 0;
  readonly notesApi: boolean;
  /** The workbook's structure is protected (a user may protect it at any time). */
  workbookProtected: boolean;
  readonly webPayloadLimit: boolean;
  /** Bytes the current sync's response has carried so far, for the 5 MB limit. */
  payloadBytes = 0;
  /** The largest request or response one sync carried so far (for the benchmarks). */
  largestPayloadBytes = 0;
  /** The largest request one sync sent so far. */
  largestRequestBytes = 0;
  /** The largest response one sync brought back so far. */
  largestResponseBytes = 0;
  private queue: Op[] = [];
  /** Bytes the calls queued for the next sync carry (see `callBytes`). */
  private requestBytes = 0;
  private nextSheetId = 1;
  private readonly failAt?: number | ((call: RecordedCall) => boolean);
  private failed = false;

  constructor(options: FakeExcelOptions = {}) {
    this.notesApi = options.notesApi ?? true;
    this.workbookProtected = options.workbookProtected ?? false;
    this.failAt = options.failAt;
    this.webPayloadLimit = options.webPayloadLimit ?? false;
    for (const seed of options.sheets ?? [{ name: "Sheet1" }]) this.seedSheet(seed);
    this.activeSheetId = this.sheets[0]?.id ?? 0;
    for (const n of options.names ?? []) this.workbookNames.set(n.name.toLowerCase(), { ...n });
    for (const t of options.tables ?? []) {
      this.tables.push({
        name: t.name,
        sheetId: this.sheetByName(t.sheet).id,
        address: t.address,
        style: "TableStyleMedium2",
      });
    }
    this.context = new FakeRequestContext(this);
  }

  private seedSheet(seed: SeedSheet): void {
    const sheet = this.newSheet(seed.name);
    sheet.protected = seed.protected ?? false;
    sheet.visibility = seed.visibility ?? "Visible";
    for (const [address, content] of Object.entries(seed.cells ?? {})) {
      const b = parseAddress(address);
      const cell = this.cellAt(sheet, b.top, b.left);
      if (typeof content === "object") {
        cell.value = content.value ?? content.spill?.[0]?.[0] ?? "";
        cell.formula = content.formula;
        cell.numberFormat = content.numberFormat ?? "General";
        if (content.spill) {
          cell.spillBlock = { rows: content.spill.length, columns: content.spill[0].length };
          content.spill.forEach((row, r) =>
            row.forEach((value, c) => {
              if (r === 0 && c === 0) return;
              const child = this.cellAt(sheet, b.top + r, b.left + c);
              child.value = value;
              child.spillOf = cellKey(b.top, b.left);
            })
          );
        }
      } else cell.value = content;
    }
    if (seed.formattedColumns) {
      const bounds = parseAddress(seed.formattedColumns);
      sheet.formattedColumns = { left: bounds.left, right: bounds.right };
    }
    for (const n of seed.names ?? []) sheet.names.set(n.name.toLowerCase(), { ...n });
    for (const [address, content] of Object.entries(seed.notes ?? {}))
      sheet.notes.set(address, content);
    this.sheets.push(sheet);
  }

  newSheet(name: string): FakeSheet {
    return {
      id: this.nextSheetId++,
      name,
      visibility: "Visible",
      tabColor: "",
      cells: new Map(),
      names: new Map(),
      charts: [],
      validations: [],
      borders: [],
      columnWidths: new Map(),
      notes: new Map(),
      frozenRows: 0,
      protected: false,
    };
  }

  // --- queueing -------------------------------------------------------------------------------

  /** Records a call and queues its effect for the next sync. */
  record(api: string, sheet: string | undefined, args: readonly unknown[], op: Op): void {
    const call: RecordedCall = {
      index: this.calls.length,
      batch: this.syncCount + 1,
      api,
      sheet,
      args,
    };
    this.calls.push(call);
    this.requestBytes += callBytes(api, args);
    const fails =
      !this.failed &&
      (typeof this.failAt === "number" ? this.failAt === call.index : this.failAt?.(call) === true);
    if (fails) {
      this.failed = true;
      this.queue.push(() => {
        throw new FakeOfficeError(
          "GeneralException",
          `injected failure at call #${call.index} (${api})`,
          api
        );
      });
    } else this.queue.push(op);
  }

  effect(api: string, sheet: FakeSheet): void {
    this.effects.push({ batch: this.syncCount, api, sheet: sheet.name });
  }

  async sync(): Promise<void> {
    this.syncCount++;
    const batch = this.queue;
    this.queue = [];
    // The request is refused as a whole, before any of its commands runs.
    const request = this.requestBytes;
    this.requestBytes = 0;
    this.payloadBytes = 0;
    // A refused request or response is not counted among the largest carried.
    if (this.webPayloadLimit && request > PAYLOAD_LIMIT_BYTES) {
      throw new FakeOfficeError(
        "RequestPayloadSizeLimitExceeded",
        "The request payload size has exceeded the limit (5 MB in Excel on the web)"
      );
    }
    this.largestRequestBytes = Math.max(this.largestRequestBytes, request);
    this.largestPayloadBytes = Math.max(this.largestPayloadBytes, request);
    for (const op of batch) op();
  }

  /** Counts `bytes` against the sync's response; over 5 MB fails as Excel on the web does. */
  carry(bytes: number): void {
    this.payloadBytes += bytes;
    if (this.webPayloadLimit && this.payloadBytes > PAYLOAD_LIMIT_BYTES) {
      throw new FakeOfficeError(
        "ResponsePayloadSizeLimitExceeded",
        "The response payload size has exceeded the limit (5 MB in Excel on the web)"
      );
    }
    this.largestResponseBytes = Math.max(this.largestResponseBytes, this.payloadBytes);
    this.largestPayloadBytes = Math.max(this.largestPayloadBytes, this.payloadBytes);
  }

  /** A user (or co-author) inserts `count` rows above row `at` of `sheetName` (see `changeGrid`). */
  insertRows(sheetName: string, at: number, count: number): void {
    this.changeGrid({ sheet: sheetName, axis: "rows", at, count });
  }

  /** A user deletes `count` rows from row `at` of `sheetName` (see `changeGrid`). */
  deleteRows(sheetName: string, at: number, count: number): void {
    this.changeGrid({ sheet: sheetName, axis: "rows", at, count: -count });
  }

  /** A user inserts `count` columns left of column `at` (1-based) of `sheetName`. */
  insertColumns(sheetName: string, at: number, count: number): void {
    this.changeGrid({ sheet: sheetName, axis: "columns", at, count });
  }

  /** A user deletes `count` columns from column `at` (1-based) of `sheetName`. */
  deleteColumns(sheetName: string, at: number, count: number): void {
    this.changeGrid({ sheet: sheetName, axis: "columns", at, count: -count });
  }

  /**
   * Rows or columns inserted or deleted on one sheet, as Excel applies it: cells, notes and spills
   * below (or right) move, those in deleted rows (or columns) are gone, and every reference to the
   * sheet in every formula and defined name of the workbook follows (see `shiftReferences`).
   */
  changeGrid(change: GridChange): void {
    const sheet = this.sheetByName(change.sheet);
    const rows = change.axis === "rows";
    const moveKey = (key: string): string | undefined => {
      const [row, column] = key.split(",").map(Number);
      const moved = movedIndex(rows ? row : column, change.at, change.count);
      if (moved === undefined) return undefined;
      return rows ? cellKey(moved, column) : cellKey(row, moved);
    };
    const moved = new Map<string, FakeCell>();
    for (const [key, cell] of sheet.cells) {
      const to = moveKey(key);
      if (to === undefined) continue;
      if (cell.spillOf) cell.spillOf = moveKey(cell.spillOf);
      moved.set(to, cell);
    }
    sheet.cells.clear();
    for (const [key, cell] of moved) sheet.cells.set(key, cell);
    const notes = [...sheet.notes];
    sheet.notes.clear();
    for (const [address, content] of notes) {
      const b = parseAddress(address);
      const to = moveKey(cellKey(b.top, b.left));
      if (to === undefined) continue;
      const [row, column] = to.split(",").map(Number);
      sheet.notes.set(a1(row, column), content);
    }
    for (const other of this.sheets) {
      for (const cell of other.cells.values()) {
        if (cell.formula) cell.formula = shiftReferences(cell.formula, other.name, change);
      }
      for (const n of other.names.values())
        n.reference = shiftReferences(n.reference, other.name, change);
    }
    for (const n of this.workbookNames.values())
      n.reference = shiftReferences(n.reference, undefined, change);
  }

  // --- model helpers --------------------------------------------------------------------------

  sheetByName(name: string): FakeSheet {
    const sheet = this.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (!sheet)
      throw new FakeOfficeError(
        "ItemNotFound",
        `The requested resource doesn't exist: sheet '${name}'`
      );
    return sheet;
  }

  sheetById(id: number): FakeSheet {
    const sheet = this.sheets.find((s) => s.id === id);
    if (!sheet)
      throw new FakeOfficeError(
        "ItemNotFound",
        "The requested resource doesn't exist: the sheet was deleted"
      );
    return sheet;
  }

  cellAt(sheet: FakeSheet, row: number, column: number): FakeCell {
    const key = cellKey(row, column);
    let cell = sheet.cells.get(key);
    if (!cell) {
      cell = { value: "", numberFormat: "General", locked: true, format: {} };
      sheet.cells.set(key, cell);
    }
    return cell;
  }

  peekCell(sheet: FakeSheet, row: number, column: number): FakeCell | undefined {
    return sheet.cells.get(cellKey(row, column));
  }

  /** A cell of a sheet by name, for assertions ("B4"). */
  cell(sheetName: string, address: string): FakeCell | undefined {
    const b = parseAddress(address);
    return this.peekCell(this.sheetByName(sheetName), b.top, b.left);
  }

  /** Everything about one sheet, as plain data (to compare before and after). */
  snapshot(sheetName: string): unknown {
    const sheet = this.sheetByName(sheetName);
    return JSON.parse(
      JSON.stringify({
        ...sheet,
        cells: [...sheet.cells].sort(),
        names: [...sheet.names],
        columnWidths: [...sheet.columnWidths],
        notes: [...sheet.notes],
        tables: this.tables.filter((t) => t.sheetId === sheet.id),
      })
    );
  }

  /** Names (lower case) visible from a sheet: its own scope, workbook names and tables. */
  namesInScope(sheet: FakeSheet): Set<string> {
    return new Set([
      ...sheet.names.keys(),
      ...this.workbookNames.keys(),
      ...this.tables.map((t) => t.name.toLowerCase()),
    ]);
  }

  /** Identifiers in a sheet's formulas that no name in scope defines (they would show #NAME?). */
  unresolvedNames(sheetName: string): string[] {
    const sheet = this.sheetByName(sheetName);
    const scope = this.namesInScope(sheet);
    const missing = new Set<string>();
    for (const cell of sheet.cells.values()) {
      for (const name of nameReferences(cell.formula ?? ""))
        if (!scope.has(name.toLowerCase())) missing.add(name);
    }
    return [...missing];
  }

  /** Sheets a sheet's formulas refer to that do not exist. */
  missingSheetReferences(sheetName: string): string[] {
    const sheet = this.sheetByName(sheetName);
    const missing = new Set<string>();
    for (const cell of sheet.cells.values()) {
      for (const ref of sheetReferences(cell.formula ?? "")) {
        if (!this.sheets.some((s) => s.name === ref)) missing.add(ref);
      }
    }
    return [...missing];
  }

  checkReferences(formula: string, scope: FakeSheet, what: string): void {
    for (const ref of sheetReferences(formula)) {
      if (!this.sheets.some((s) => s.name === ref))
        throw new FakeOfficeError("InvalidArgument", `${what} refers to a missing sheet '${ref}'`);
    }
    const known = this.namesInScope(scope);
    for (const name of nameReferences(formula)) {
      if (!known.has(name.toLowerCase()))
        throw new FakeOfficeError(
          "InvalidArgument",
          `${what} refers to an undefined name '${name}'`
        );
    }
  }

  isNameTaken(name: string): boolean {
    const lower = name.toLowerCase();
    return (
      this.workbookNames.has(lower) ||
      this.tables.some((t) => t.name.toLowerCase() === lower) ||
      this.sheets.some((s) => s.names.has(lower))
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Proxies
// ---------------------------------------------------------------------------------------------

class Loadable {
  protected readonly loaded = new Map<string, unknown>();

  protected get<T>(property: string): T {
    if (!this.loaded.has(property)) {
      throw new FakeOfficeError(
        "PropertyNotLoaded",
        `The property '${property}' is not available. Load it and call context.sync() before reading it.`
      );
    }
    return this.loaded.get(property) as T;
  }
}

function parseLoad(propertyNames: string): string[] {
  return propertyNames
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
}

/** What a collection's `load` takes: "items/name,formula", or `{ select, top, skip }`. */
export type CollectionLoad =
  | string
  | { readonly select?: string | readonly string[]; readonly top?: number; readonly skip?: number };

/** The properties (without "items/") and the page a collection load asks for. */
function parseCollectionLoad(option: CollectionLoad): {
  properties: string[];
  skip: number;
  top: number;
} {
  const select = typeof option === "string" ? option : (option.select ?? "");
  const properties = (typeof select === "string" ? parseLoad(select) : [...select]).map((p) =>
    p.replace(/^items\//, "")
  );
  const page = typeof option === "string" ? {} : option;
  for (const key of ["top", "skip"] as const) {
    const n = page[key];
    if (n !== undefined && !(Number.isInteger(n) && n >= 0))
      throw new FakeOfficeError("InvalidArgument", `${key} must be a whole number, got ${n}`);
  }
  return { properties, skip: page.skip ?? 0, top: page.top ?? Number.MAX_SAFE_INTEGER };
}

/** The page of `items` a load asks for, with the response bytes of its selected properties. */
function pageOf<T>(
  excel: FakeExcel,
  items: readonly T[],
  option: CollectionLoad,
  data: (item: T, properties: readonly string[]) => Record<string, unknown>
): T[] {
  const { properties, skip, top } = parseCollectionLoad(option);
  const page = items.slice(skip, skip + top);
  excel.carry(jsonBytes(page.map((item) => data(item, properties))));
  return page;
}

/** The selected ones of an item's properties (all of them when none is selected). */
function selected(
  properties: readonly string[],
  all: Readonly<Record<string, unknown>>
): Record<string, unknown> {
  if (properties.length === 0) return { ...all };
  return Object.fromEntries(properties.filter((p) => p in all).map((p) => [p, all[p]]));
}

export class FakeRequestContext {
  readonly workbook: FakeWorkbook;
  constructor(private readonly excel: FakeExcel) {
    this.workbook = new FakeWorkbook(excel);
  }
  sync(): Promise<void> {
    return this.excel.sync();
  }
}

class FakeWorkbook {
  readonly worksheets: FakeWorksheetCollection;
  readonly names: FakeNamedItemCollection;
  readonly tables: FakeTableCollection;
  readonly protection: FakeWorkbookProtection;
  readonly notes: FakeNoteCollection;
  constructor(excel: FakeExcel) {
    this.worksheets = new FakeWorksheetCollection(excel);
    this.names = new FakeNamedItemCollection(excel, undefined);
    this.tables = new FakeTableCollection(excel, undefined);
    this.protection = new FakeWorkbookProtection(excel);
    this.notes = new FakeNoteCollection(excel);
  }
}

class FakeWorkbookProtection extends Loadable {
  constructor(private readonly excel: FakeExcel) {
    super();
  }
  get protected(): boolean {
    return this.get("protected");
  }
  load(propertyNames: string): this {
    this.excel.record("WorkbookProtection.load", undefined, [propertyNames], () => {
      this.loaded.set("protected", this.excel.workbookProtected);
      this.excel.carry(jsonBytes({ protected: this.excel.workbookProtected }));
    });
    return this;
  }
}

const INVALID_SHEET_CHARACTERS = /[[\]:*?/\\]/;

class FakeWorksheetCollection extends Loadable {
  constructor(private readonly excel: FakeExcel) {
    super();
  }

  get items(): FakeWorksheet[] {
    return this.get("items");
  }

  load(propertyNames: string): this {
    const properties = parseLoad(propertyNames).map((p) => p.replace(/^items\//, ""));
    this.excel.record("WorksheetCollection.load", undefined, [propertyNames], () => {
      this.loaded.set(
        "items",
        this.excel.sheets.map((sheet) => {
          const proxy = new FakeWorksheet(
            this.excel,
            () => this.excel.sheetById(sheet.id),
            sheet.name
          );
          proxy.fill(sheet, properties);
          return proxy;
        })
      );
      this.excel.carry(
        jsonBytes(this.excel.sheets.map((sheet) => ({ name: sheet.name, v: sheet.visibility })))
      );
    });
    return this;
  }

  add(name?: string): FakeWorksheet {
    let created: FakeSheet | undefined;
    const label = name ?? "(unnamed)";
    this.excel.record("WorksheetCollection.add", label, [name], () => {
      const excel = this.excel;
      const sheetName = name ?? `Sheet${excel.sheets.length + 1}`;
      if (excel.workbookProtected)
        throw new FakeOfficeError("AccessDenied", "The workbook structure is protected");
      if (
        !sheetName ||
        sheetName.length > 31 ||
        INVALID_SHEET_CHARACTERS.test(sheetName) ||
        /^'|'$/.test(sheetName)
      ) {
        throw new FakeOfficeError("InvalidArgument", `invalid sheet name '${sheetName}'`);
      }
      if (excel.sheets.some((s) => s.name.toLowerCase() === sheetName.toLowerCase())) {
        throw new FakeOfficeError(
          "ItemAlreadyExists",
          `A sheet named '${sheetName}' already exists`
        );
      }
      created = excel.newSheet(sheetName);
      excel.sheets.push(created);
      excel.effect("WorksheetCollection.add", created);
    });
    return new FakeWorksheet(
      this.excel,
      () => {
        if (!created)
          throw new FakeOfficeError("ItemNotFound", `sheet '${label}' was never created`);
        return this.excel.sheetById(created.id);
      },
      label
    );
  }

  getItem(key: string): FakeWorksheet {
    let id: number | undefined;
    this.excel.record("WorksheetCollection.getItem", key, [key], () => {
      id = this.excel.sheetByName(key).id;
    });
    return new FakeWorksheet(
      this.excel,
      () => {
        if (id === undefined) throw new FakeOfficeError("ItemNotFound", `sheet '${key}' not found`);
        return this.excel.sheetById(id);
      },
      key
    );
  }
}

class FakeWorksheet extends Loadable {
  readonly names: FakeNamedItemCollection;
  readonly tables: FakeTableCollection;
  readonly charts: FakeChartCollection;
  readonly freezePanes: { freezeRows(count?: number): void };
  readonly protection: FakeWorksheetProtection;
  readonly pageLayout: {
    setPrintArea(printArea: string): void;
    setPrintTitleRows(printTitleRows: string): void;
    orientation: Excel.PageLayout["orientation"];
  };

  constructor(
    private readonly excel: FakeExcel,
    readonly resolve: () => FakeSheet,
    readonly label: string
  ) {
    super();
    this.names = new FakeNamedItemCollection(excel, this);
    this.tables = new FakeTableCollection(excel, this);
    this.charts = new FakeChartCollection(excel, this);
    this.protection = new FakeWorksheetProtection(excel, this);
    this.freezePanes = {
      freezeRows: (count = 1) =>
        excel.record("WorksheetFreezePanes.freezeRows", label, [count], () => {
          const sheet = resolve();
          sheet.frozenRows = count;
          excel.effect("WorksheetFreezePanes.freezeRows", sheet);
        }),
    };
    this.pageLayout = {
      setPrintArea: (printArea: string) =>
        excel.record("PageLayout.setPrintArea", label, [printArea], () => {
          const sheet = resolve();
          parseAddress(printArea);
          sheet.printArea = printArea;
          excel.effect("PageLayout.setPrintArea", sheet);
        }),
      // Excel takes whole rows, "$1:$4" (PageLayout.setPrintTitleRows, ExcelApi 1.9).
      setPrintTitleRows: (rows: string) =>
        excel.record("PageLayout.setPrintTitleRows", label, [rows], () => {
          if (!/^\$?\d+:\$?\d+$/.test(rows))
            throw new FakeOfficeError(
              "InvalidArgument",
              `print title rows '${rows}' are not whole rows`
            );
          const sheet = resolve();
          sheet.printTitleRows = rows;
          excel.effect("PageLayout.setPrintTitleRows", sheet);
        }),
      set orientation(value: Excel.PageLayout["orientation"]) {
        excel.record("PageLayout.orientation", label, [value], () => {
          if (value !== "Portrait" && value !== "Landscape")
            throw new FakeOfficeError("InvalidArgument", `orientation '${value}'`);
          const sheet = resolve();
          sheet.orientation = value;
          excel.effect("PageLayout.orientation", sheet);
        });
      },
      get orientation(): Excel.PageLayout["orientation"] {
        return resolve().orientation === "Landscape" ? "Landscape" : "Portrait";
      },
    };
  }

  fill(sheet: FakeSheet, properties: readonly string[]): void {
    for (const p of properties) {
      if (p === "name") this.loaded.set("name", sheet.name);
      else if (p === "visibility") this.loaded.set("visibility", sheet.visibility);
      else throw new FakeOfficeError("InvalidArgument", `the fake cannot load Worksheet.${p}`);
    }
  }

  get name(): string {
    return this.get("name");
  }

  get visibility(): WorksheetLike["visibility"] {
    return this.get("visibility");
  }
  set visibility(value: WorksheetLike["visibility"]) {
    this.set("visibility", value, (sheet) => {
      if (!["Visible", "Hidden", "VeryHidden"].includes(value))
        throw new FakeOfficeError("InvalidArgument", `visibility '${value}'`);
      if (this.excel.workbookProtected && sheet.visibility !== value)
        throw new FakeOfficeError("AccessDenied", "The workbook structure is protected");
      sheet.visibility = value;
    });
  }

  get tabColor(): string {
    return this.get("tabColor");
  }
  set tabColor(value: string) {
    this.set("tabColor", value, (sheet) => {
      if (!/^#[0-9A-Fa-f]{6}$/.test(value))
        throw new FakeOfficeError("InvalidArgument", `tab colour '${value}'`);
      sheet.tabColor = value;
    });
  }

  private set(property: string, value: unknown, apply: (sheet: FakeSheet) => void): void {
    this.excel.record(`Worksheet.${property}=`, this.label, [value], () => {
      const sheet = this.resolve();
      apply(sheet);
      this.excel.effect(`Worksheet.${property}=`, sheet);
    });
  }

  load(propertyNames: string): this {
    this.excel.record("Worksheet.load", this.label, [propertyNames], () => {
      const sheet = this.resolve();
      this.fill(sheet, parseLoad(propertyNames));
      this.excel.carry(jsonBytes({ name: sheet.name, visibility: sheet.visibility }));
    });
    return this;
  }

  getRange(address?: string): FakeRange {
    const given = address ?? "A1:XFD1048576";
    this.excel.record("Worksheet.getRange", this.label, [address], () => {
      this.resolve();
      parseAddress(given);
    });
    return new FakeRange(this.excel, this.label, () => ({
      sheet: this.resolve(),
      bounds: parseAddress(given),
    }));
  }

  getUsedRangeOrNullObject(valuesOnly?: boolean): FakeRange {
    this.excel.record(
      "Worksheet.getUsedRangeOrNullObject",
      this.label,
      [valuesOnly],
      () => undefined
    );
    return new FakeRange(
      this.excel,
      this.label,
      () => {
        const sheet = this.resolve();
        let bounds: Bounds | undefined;
        if (!valuesOnly && sheet.formattedColumns) {
          bounds = {
            top: 1,
            left: sheet.formattedColumns.left,
            bottom: MAX_ROWS,
            right: sheet.formattedColumns.right,
          };
        }
        for (const [key, cell] of sheet.cells) {
          if (
            cell.value === "" &&
            cell.formula === undefined &&
            (valuesOnly || !cell.formattedOnly)
          )
            continue;
          const [row, column] = key.split(",").map(Number);
          bounds = bounds
            ? {
                top: Math.min(bounds.top, row),
                left: Math.min(bounds.left, column),
                bottom: Math.max(bounds.bottom, row),
                right: Math.max(bounds.right, column),
              }
            : { top: row, left: column, bottom: row, right: column };
        }
        return bounds ? { sheet, bounds } : undefined;
      },
      true
    );
  }

  activate(): void {
    this.excel.record("Worksheet.activate", this.label, [], () => {
      const sheet = this.resolve();
      if (sheet.visibility !== "Visible")
        throw new FakeOfficeError("InvalidOperation", "cannot activate a hidden sheet");
      this.excel.activeSheetId = sheet.id;
    });
  }

  delete(): void {
    this.excel.record("Worksheet.delete", this.label, [], () => {
      const excel = this.excel;
      const sheet = this.resolve();
      if (excel.workbookProtected)
        throw new FakeOfficeError("AccessDenied", "The workbook structure is protected");
      const visible = excel.sheets.filter((s) => s.visibility === "Visible");
      if (visible.length === 1 && visible[0] === sheet)
        throw new FakeOfficeError("InvalidOperation", "cannot delete the only visible sheet");
      excel.sheets.splice(excel.sheets.indexOf(sheet), 1);
      // Every reference to the deleted sheet, in formulas and in names, becomes #REF!.
      for (const other of excel.sheets) {
        for (const cell of other.cells.values())
          if (cell.formula) cell.formula = refErrorsFor(cell.formula, sheet.name);
        for (const n of other.names.values()) n.reference = refErrorsFor(n.reference, sheet.name);
      }
      for (const n of excel.workbookNames.values())
        n.reference = refErrorsFor(n.reference, sheet.name);
      for (let i = excel.tables.length - 1; i >= 0; i--)
        if (excel.tables[i].sheetId === sheet.id) excel.tables.splice(i, 1);
      if (excel.activeSheetId === sheet.id) excel.activeSheetId = excel.sheets[0]?.id ?? 0;
      excel.effect("Worksheet.delete", sheet);
    });
  }
}

class FakeWorksheetProtection extends Loadable {
  constructor(
    private readonly excel: FakeExcel,
    private readonly worksheet: FakeWorksheet
  ) {
    super();
  }
  get protected(): boolean {
    return this.get("protected");
  }
  load(propertyNames: string): this {
    this.excel.record("WorksheetProtection.load", this.worksheet.label, [propertyNames], () => {
      this.loaded.set("protected", this.worksheet.resolve().protected);
      this.excel.carry(jsonBytes({ protected: this.worksheet.resolve().protected }));
    });
    return this;
  }
  protect(options?: unknown, password?: string): void {
    this.excel.record(
      "WorksheetProtection.protect",
      this.worksheet.label,
      [options, password],
      () => {
        const sheet = this.worksheet.resolve();
        if (sheet.protected)
          throw new FakeOfficeError("InvalidOperation", "the sheet is already protected");
        sheet.protected = true;
        sheet.protectionOptions = options;
        this.excel.effect("WorksheetProtection.protect", sheet);
      }
    );
  }
}

type RangeTarget = { sheet: FakeSheet; bounds: Bounds } | undefined;

class FakeRange extends Loadable {
  private formatProxy?: FakeRangeFormat;
  private validationProxy?: FakeDataValidation;

  constructor(
    readonly excel: FakeExcel,
    readonly label: string,
    readonly target: () => RangeTarget,
    private readonly nullable = false
  ) {
    super();
  }

  get format(): FakeRangeFormat {
    this.formatProxy ??= new FakeRangeFormat(this);
    return this.formatProxy;
  }

  get dataValidation(): FakeDataValidation {
    this.validationProxy ??= new FakeDataValidation(this);
    return this.validationProxy;
  }

  /** The sheet and bounds (fails like Office.js when they do not exist). */
  resolve(): { sheet: FakeSheet; bounds: Bounds } {
    const t = this.target();
    if (!t) throw new FakeOfficeError("ItemNotFound", "the range is a null object");
    return t;
  }

  get isNullObject(): boolean {
    if (!this.nullable) return false;
    return this.get("isNullObject");
  }
  get address(): string {
    return this.get("address");
  }
  get rowIndex(): number {
    return this.get("rowIndex");
  }
  get columnIndex(): number {
    return this.get("columnIndex");
  }
  get values(): unknown[][] {
    return this.get("values");
  }
  set values(grid: unknown[][]) {
    this.write("values", grid, (cell, v) => assignCell(cell, v));
  }
  get formulas(): unknown[][] {
    return this.get("formulas");
  }
  set formulas(grid: unknown[][]) {
    this.write("formulas", grid, (cell, v) => assignCell(cell, v));
  }
  get numberFormat(): unknown[][] {
    return this.get("numberFormat");
  }
  set numberFormat(grid: unknown[][]) {
    this.write("numberFormat", grid, (cell, v) => {
      if (v === null) return;
      if (typeof v !== "string")
        throw new FakeOfficeError(
          "InvalidArgument",
          `number format must be text, got ${String(v)}`
        );
      cell.numberFormat = v;
    });
  }
  get valueTypes(): string[][] {
    return this.get("valueTypes");
  }
  get rowCount(): number {
    return this.get("rowCount");
  }
  get columnCount(): number {
    return this.get("columnCount");
  }

  getSpillingToRangeOrNullObject(): FakeRange {
    this.excel.record("Range.getSpillingToRangeOrNullObject", this.label, [], () => undefined);
    return new FakeRange(
      this.excel,
      this.label,
      () => {
        const { sheet, bounds } = this.resolve();
        const anchor = this.excel.peekCell(sheet, bounds.top, bounds.left);
        if (!anchor?.formula || !anchor.spillBlock) return undefined;
        return {
          sheet,
          bounds: {
            top: bounds.top,
            left: bounds.left,
            bottom: bounds.top + anchor.spillBlock.rows - 1,
            right: bounds.left + anchor.spillBlock.columns - 1,
          },
        };
      },
      true
    );
  }

  private write(
    property: string,
    grid: unknown[][],
    apply: (cell: FakeCell, value: unknown) => void
  ): void {
    this.excel.record(`Range.${property}=`, this.label, [grid], () => {
      const { sheet, bounds } = this.resolve();
      const rows = bounds.bottom - bounds.top + 1;
      const columns = bounds.right - bounds.left + 1;
      if (
        !Array.isArray(grid) ||
        grid.length !== rows ||
        grid.some((row) => !Array.isArray(row) || row.length !== columns)
      ) {
        throw new FakeOfficeError(
          "InvalidArgument",
          `The number of rows or columns in the input array doesn't match the size of the range ${boundsAddress(bounds)}`
        );
      }
      if (sheet.protected) {
        this.forEachCell((cell) => {
          if (cell.locked)
            throw new FakeOfficeError(
              "AccessDenied",
              `the cell is on protected sheet '${sheet.name}'`
            );
        }, true);
      }
      grid.forEach((row, r) =>
        row.forEach((v, c) => {
          const cell = this.excel.cellAt(sheet, bounds.top + r, bounds.left + c);
          if (property === "numberFormat" || v === null || v === undefined) {
            apply(cell, v);
            return;
          }
          const anchorKey = cell.spillOf;
          if (anchorKey !== undefined) {
            // Writing into a live spill blocks it: the anchor shows #SPILL!, its other cells empty.
            const [ar, ac] = anchorKey.split(",").map(Number);
            const anchor = this.excel.peekCell(sheet, ar, ac);
            cell.spillOf = undefined;
            if (anchor?.formula && anchor.spillBlock) {
              clearSpill(sheet, ar, ac, anchor.spillBlock);
              anchor.value = "#SPILL!";
            }
          }
          const block = cell.spillBlock;
          apply(cell, v);
          if (block && cell.formula === undefined) {
            // The anchor's formula is gone, so is its spill.
            clearSpill(sheet, bounds.top + r, bounds.left + c, block);
            cell.spillBlock = undefined;
          }
        })
      );
      this.excel.effect(`Range.${property}=`, sheet);
    });
  }

  /** Runs `fn` on every cell (existing ones only when `existingOnly`; whole-column ranges always so). */
  forEachCell(
    fn: (cell: FakeCell, row: number, column: number) => void,
    existingOnly = false
  ): void {
    const { sheet, bounds } = this.resolve();
    const area = (bounds.bottom - bounds.top + 1) * (bounds.right - bounds.left + 1);
    if (existingOnly || area > 100000) {
      for (const [key, cell] of sheet.cells) {
        const [row, column] = key.split(",").map(Number);
        if (
          row >= bounds.top &&
          row <= bounds.bottom &&
          column >= bounds.left &&
          column <= bounds.right
        )
          fn(cell, row, column);
      }
      return;
    }
    for (let row = bounds.top; row <= bounds.bottom; row++) {
      for (let column = bounds.left; column <= bounds.right; column++)
        fn(this.excel.cellAt(sheet, row, column), row, column);
    }
  }

  /** Applies a change to every cell with the checks of a write. */
  change(
    api: string,
    args: readonly unknown[],
    apply: (sheet: FakeSheet, bounds: Bounds) => void
  ): void {
    this.excel.record(api, this.label, args, () => {
      const { sheet, bounds } = this.resolve();
      if (sheet.protected)
        throw new FakeOfficeError("AccessDenied", `'${sheet.name}' is protected`);
      apply(sheet, bounds);
      this.excel.effect(api, sheet);
    });
  }

  load(propertyNames: string): this {
    const properties = parseLoad(propertyNames);
    this.excel.record("Range.load", this.label, [propertyNames], () => {
      const t = this.target();
      if (this.nullable) this.loaded.set("isNullObject", t === undefined);
      if (!t) {
        this.excel.carry(jsonBytes({ _IsNull: true }));
        return;
      }
      const { sheet, bounds } = t;
      const area = (bounds.bottom - bounds.top + 1) * (bounds.right - bounds.left + 1);
      const gridProperties = properties.filter((p) =>
        ["values", "formulas", "numberFormat", "valueTypes"].includes(p)
      );
      if (gridProperties.length > 0) {
        if (area > CELLS_PER_READ) {
          throw new FakeOfficeError(
            "RangeExceedsLimit",
            `The cell count in the range (${area}) exceeds the 5,000,000 one read may return`
          );
        }
        // Each cell is at least `"",` in the response: refuse before building what cannot be sent.
        this.excel.carry(area * 3 * gridProperties.length);
      }
      const grid = <T>(fn: (cell: FakeCell | undefined) => T): T[][] => {
        const rows: T[][] = [];
        for (let r = bounds.top; r <= bounds.bottom; r++) {
          const row: T[] = [];
          for (let c = bounds.left; c <= bounds.right; c++)
            row.push(fn(this.excel.peekCell(sheet, r, c)));
          rows.push(row);
        }
        return rows;
      };
      for (const p of properties) {
        if (p === "address") this.loaded.set(p, qualify(sheet.name, boundsAddress(bounds)));
        else if (p === "rowIndex") this.loaded.set(p, bounds.top - 1);
        else if (p === "rowCount") this.loaded.set(p, bounds.bottom - bounds.top + 1);
        else if (p === "columnCount") this.loaded.set(p, bounds.right - bounds.left + 1);
        else if (p === "columnIndex") this.loaded.set(p, bounds.left - 1);
        else if (p === "values")
          this.loaded.set(
            p,
            grid((cell) => cell?.value ?? "")
          );
        else if (p === "formulas")
          this.loaded.set(
            p,
            grid((cell) => cell?.formula ?? cell?.value ?? "")
          );
        else if (p === "numberFormat")
          this.loaded.set(
            p,
            grid((cell) => cell?.numberFormat ?? "General")
          );
        else if (p === "valueTypes") this.loaded.set(p, grid(valueType));
        else throw new FakeOfficeError("InvalidArgument", `the fake cannot load Range.${p}`);
      }
      for (const p of gridProperties) {
        const loaded = this.loaded.get(p);
        this.excel.carry(JSON.stringify(loaded).length - area * 3);
      }
      const scalars = properties.filter((p) => !gridProperties.includes(p));
      if (scalars.length > 0)
        this.excel.carry(
          jsonBytes(Object.fromEntries(scalars.map((p) => [p, this.loaded.get(p)])))
        );
    });
    return this;
  }
}

/** Empties the spilled cells of the anchor at (row, column) that still belong to it. */
function clearSpill(
  sheet: FakeSheet,
  row: number,
  column: number,
  block: { rows: number; columns: number }
): void {
  const key = cellKey(row, column);
  for (let r = 0; r < block.rows; r++)
    for (let c = 0; c < block.columns; c++) {
      const child = sheet.cells.get(cellKey(row + r, column + c));
      if (child && child.spillOf === key) {
        child.value = "";
        child.spillOf = undefined;
      }
    }
}

function valueType(cell: FakeCell | undefined): string {
  const value = cell?.value ?? "";
  if (value === "") return "Empty";
  if (typeof value === "boolean") return "Boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "Integer" : "Double";
  return ERROR_VALUES.has(value) ? "Error" : "String";
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/** Excel's date serial (days since 1899-12-30) of a calendar date. */
function dateSerial(year: number, month: number, day: number): number {
  return Math.round((Date.UTC(year, month - 1, day) - Date.UTC(1899, 11, 30)) / 86400000);
}

/**
 * What Excel makes of text entered into a cell (en-US): "50%" → 0.5, "Jan 2024" or "January 2024"
 * → the date serial of its first day, "15 Jan 2024", "2024-01-15" and "1/2/2024" → that date,
 * "$1,200" → 1200. Anything else stays text.
 */
function typedAsExcelTypesIt(input: string): FakeCellValue {
  const text = input.trim();
  const percent = /^([-+]?(?:\d+\.?\d*|\.\d+))\s*%$/.exec(text);
  if (percent) return Number(percent[1]) / 100;
  const money = /^\$\s?(\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?)$/.exec(text);
  if (money) return Number(money[1].replace(/,/g, ""));
  const month = (name: string): number => MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
  const monthYear = /^([A-Za-z]{3,9})[\s-](\d{2}|\d{4})$/.exec(text);
  if (monthYear && month(monthYear[1]) > 0) {
    const year = Number(monthYear[2]) + (monthYear[2].length === 2 ? 2000 : 0);
    return dateSerial(year, month(monthYear[1]), 1);
  }
  const dayMonthYear = /^(\d{1,2})[\s-]([A-Za-z]{3,9})[\s-](\d{4})$/.exec(text);
  if (dayMonthYear && month(dayMonthYear[2]) > 0)
    return dateSerial(Number(dayMonthYear[3]), month(dayMonthYear[2]), Number(dayMonthYear[1]));
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (iso) return dateSerial(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (us) return dateSerial(Number(us[3]), Number(us[1]), Number(us[2]));
  return input;
}

/** Writes one input value as Excel does: null leaves the cell, "=" starts a formula, "'" forces text. */
function assignCell(cell: FakeCell, input: unknown): void {
  if (input === null || input === undefined) return;
  cell.formula = undefined;
  if (typeof input === "number") {
    if (!Number.isFinite(input))
      throw new FakeOfficeError("InvalidArgument", `not a finite number: ${input}`);
    cell.value = input;
  } else if (typeof input === "boolean") cell.value = input;
  else if (typeof input === "string") {
    if (input.startsWith("'")) cell.value = input.slice(1);
    else if (input.startsWith("=") && input.length > 1) {
      cell.formula = input;
      cell.value = "";
    } else if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(input.trim()))
      cell.value = Number(input);
    else if (/^(TRUE|FALSE)$/i.test(input)) cell.value = input.toUpperCase() === "TRUE";
    else cell.value = typedAsExcelTypesIt(input);
  } else throw new FakeOfficeError("InvalidArgument", `cannot write ${typeof input} into a cell`);
}

class FakeRangeFormat {
  readonly font: { bold: boolean; italic: boolean; size: number; color: string };
  readonly fill: { color: string };
  readonly protection: { locked: boolean };
  readonly borders: RangeFormatLike["borders"];

  constructor(private readonly range: FakeRange) {
    const property = (path: string): PropertyDescriptor => ({
      get: () => {
        throw new FakeOfficeError("PropertyNotLoaded", `the fake does not load format.${path}`);
      },
      set: (value: unknown) => this.setFormat(path, value),
      enumerable: true,
    });
    this.font = Object.defineProperties(
      {} as { bold: boolean; italic: boolean; size: number; color: string },
      {
        bold: property("font.bold"),
        italic: property("font.italic"),
        size: property("font.size"),
        color: property("font.color"),
      }
    );
    this.fill = Object.defineProperties({} as { color: string }, { color: property("fill.color") });
    this.protection = Object.defineProperties({} as { locked: boolean }, {
      locked: {
        get: () => {
          throw new FakeOfficeError("PropertyNotLoaded", "format.protection.locked");
        },
        set: (value: unknown) => {
          range.change("RangeFormat.protection.locked=", [value], () =>
            range.forEachCell((cell) => {
              cell.locked = value === true;
            })
          );
        },
      },
    });
    this.borders = {
      getItem: (edge) => {
        const border = {} as ReturnType<RangeFormatLike["borders"]["getItem"]>;
        for (const p of ["style", "color"]) {
          Object.defineProperty(border, p, {
            set: (value: unknown) => {
              range.change(`RangeBorder.${p}=`, [edge, value], (sheet) => {
                sheet.borders.push({
                  address: boundsAddress(range.resolve().bounds),
                  edge,
                  property: p,
                  value,
                });
              });
            },
          });
        }
        return border;
      },
    };
  }

  set horizontalAlignment(value: RangeFormatLike["horizontalAlignment"]) {
    this.setFormat("horizontalAlignment", value);
  }
  set wrapText(value: boolean) {
    this.setFormat("wrapText", value);
  }
  set columnWidth(value: number) {
    this.range.change("RangeFormat.columnWidth=", [value], (sheet, bounds) => {
      if (!(value >= 0 && value <= 255 * 7.5))
        throw new FakeOfficeError("InvalidArgument", `column width ${value}`);
      for (let c = bounds.left; c <= bounds.right; c++) sheet.columnWidths.set(c, value);
    });
  }

  private setFormat(path: string, value: unknown): void {
    if (
      path === "horizontalAlignment" &&
      !["General", "Left", "Center", "Right", "Fill", "Justify"].includes(String(value))
    ) {
      throw new FakeOfficeError("InvalidArgument", `horizontalAlignment '${String(value)}'`);
    }
    if (path.endsWith("color") && !/^#[0-9A-Fa-f]{6}$/.test(String(value))) {
      throw new FakeOfficeError("InvalidArgument", `${path} '${String(value)}'`);
    }
    this.range.change(`RangeFormat.${path}=`, [value], () =>
      this.range.forEachCell((cell) => {
        cell.format[path] = value;
      })
    );
  }
}

class FakeDataValidation {
  constructor(private readonly range: FakeRange) {}

  private entry(sheet: FakeSheet): FakeValidation {
    const address = boundsAddress(this.range.resolve().bounds);
    let entry = sheet.validations.find((v) => v.address === address);
    if (!entry) {
      entry = { address };
      sheet.validations.push(entry);
    }
    return entry;
  }

  set rule(rule: DataValidationLike["rule"]) {
    this.range.change("DataValidation.rule=", [rule], (sheet) => {
      const list = rule.list;
      if (list && typeof list.source === "string" && list.source.startsWith("=")) {
        this.range.excel.checkReferences(list.source, sheet, "the list source");
      }
      this.entry(sheet).rule = rule;
    });
  }
  set prompt(prompt: DataValidationLike["prompt"]) {
    this.range.change("DataValidation.prompt=", [prompt], (sheet) => {
      const message = prompt.message ?? "";
      if (message.length > 255)
        throw new FakeOfficeError("InvalidArgument", "prompt longer than 255 characters");
      this.entry(sheet).prompt = prompt;
    });
  }
  set errorAlert(alert: DataValidationLike["errorAlert"]) {
    this.range.change("DataValidation.errorAlert=", [alert], (sheet) => {
      this.entry(sheet).errorAlert = alert;
    });
  }
}

class FakeNamedItemCollection extends Loadable {
  constructor(
    private readonly excel: FakeExcel,
    private readonly worksheet: FakeWorksheet | undefined
  ) {
    super();
  }

  get items(): FakeNamedItem[] {
    return this.get("items");
  }

  private scope(): Map<string, FakeName> {
    return this.worksheet ? this.worksheet.resolve().names : this.excel.workbookNames;
  }

  load(option: CollectionLoad): this {
    this.excel.record("NamedItemCollection.load", this.worksheet?.label, [option], () => {
      const page = pageOf(this.excel, [...this.scope().values()], option, (n, properties) =>
        selected(properties, {
          name: n.name,
          formula: n.reference,
          comment: n.comment ?? "",
          visible: n.visible ?? true,
        })
      );
      this.loaded.set(
        "items",
        page.map(
          (n) =>
            new FakeNamedItem(
              this.excel,
              () => this.scope(),
              n.name,
              n.reference,
              n.visible,
              n.comment ?? ""
            )
        )
      );
    });
    return this;
  }

  add(name: string, reference: string, comment?: string): FakeNamedItem {
    this.excel.record(
      "NamedItemCollection.add",
      this.worksheet?.label,
      [name, reference, comment],
      () => {
        const excel = this.excel;
        const sheet = this.worksheet?.resolve();
        const scope = sheet ? sheet.names : excel.workbookNames;
        if (!isValidDefinedName(name))
          throw new FakeOfficeError("InvalidArgument", `'${name}' is not a valid name`);
        if (
          scope.has(name.toLowerCase()) ||
          excel.tables.some((t) => t.name.toLowerCase() === name.toLowerCase())
        ) {
          throw new FakeOfficeError("ItemAlreadyExists", `The name '${name}' already exists`);
        }
        if (typeof reference !== "string" || !reference.startsWith("=")) {
          throw new FakeOfficeError(
            "InvalidArgument",
            `reference must be a formula: '${String(reference)}'`
          );
        }
        for (const ref of sheetReferences(reference)) {
          if (!excel.sheets.some((s) => s.name === ref))
            throw new FakeOfficeError(
              "InvalidArgument",
              `'${name}' refers to a missing sheet '${ref}'`
            );
        }
        scope.set(name.toLowerCase(), { name, reference, comment });
        if (sheet) excel.effect("NamedItemCollection.add", sheet);
        else
          excel.effects.push({
            batch: excel.syncCount,
            api: "NamedItemCollection.add",
            sheet: "(workbook)",
          });
      }
    );
    return new FakeNamedItem(this.excel, () => this.scope(), name, reference, true, comment ?? "");
  }
}

/** One defined name as loaded; `visible=` and `delete()` are queued like every other call. */
class FakeNamedItem {
  constructor(
    private readonly excel: FakeExcel,
    private readonly scope: () => Map<string, FakeName>,
    readonly name: string,
    readonly formula: string,
    private shown: boolean | undefined,
    /** The comment the Name Manager shows (NamedItem.comment, ExcelApi 1.4). */
    readonly comment = ""
  ) {}

  get visible(): boolean {
    return this.shown ?? true;
  }
  set visible(value: boolean) {
    this.shown = value;
    this.excel.record("NamedItem.visible=", undefined, [this.name, value], () => {
      const entry = this.scope().get(this.name.toLowerCase());
      if (!entry) throw new FakeOfficeError("ItemNotFound", `no name '${this.name}'`);
      entry.visible = value;
    });
  }

  delete(): void {
    this.excel.record("NamedItem.delete", undefined, [this.name], () => {
      if (!this.scope().delete(this.name.toLowerCase()))
        throw new FakeOfficeError("ItemNotFound", `no name '${this.name}'`);
      this.excel.effects.push({
        batch: this.excel.syncCount,
        api: "NamedItem.delete",
        sheet: "(workbook)",
      });
    });
  }
}

class FakeTableCollection extends Loadable {
  constructor(
    private readonly excel: FakeExcel,
    private readonly worksheet: FakeWorksheet | undefined
  ) {
    super();
  }

  get items(): { name: string }[] {
    return this.get("items");
  }

  load(propertyNames: string): this {
    this.excel.record("TableCollection.load", this.worksheet?.label, [propertyNames], () => {
      const id = this.worksheet?.resolve().id;
      this.loaded.set(
        "items",
        this.excel.tables
          .filter((t) => id === undefined || t.sheetId === id)
          .map((t) => ({ name: t.name }))
      );
      this.excel.carry(jsonBytes(this.loaded.get("items")));
    });
    return this;
  }

  add(address: string, hasHeaders: boolean): { name: string; style: string } {
    const excel = this.excel;
    const worksheet = this.worksheet;
    if (!worksheet) throw new Error("the fake adds tables through worksheet.tables only");
    let table: FakeTable | undefined;
    excel.record("TableCollection.add", worksheet.label, [address, hasHeaders], () => {
      const sheet = worksheet.resolve();
      const bounds = parseAddress(address);
      for (const other of excel.tables.filter((t) => t.sheetId === sheet.id)) {
        const b = parseAddress(other.address);
        if (
          b.top <= bounds.bottom &&
          bounds.top <= b.bottom &&
          b.left <= bounds.right &&
          bounds.left <= b.right
        ) {
          throw new FakeOfficeError(
            "InvalidOperation",
            `table at ${address} overlaps table ${other.name}`
          );
        }
      }
      let n = excel.tables.length + 1;
      while (excel.isNameTaken(`Table${n}`)) n++;
      table = { name: `Table${n}`, sheetId: sheet.id, address, style: "TableStyleMedium2" };
      excel.tables.push(table);
      excel.effect("TableCollection.add", sheet);
    });
    const resolveTable = (): FakeTable => {
      if (!table) throw new FakeOfficeError("ItemNotFound", "the table was never created");
      return table;
    };
    const proxy = {} as { name: string; style: string };
    Object.defineProperty(proxy, "name", {
      set: (name: string) => {
        excel.record("Table.name=", worksheet.label, [name], () => {
          const t = resolveTable();
          if (!isValidDefinedName(name))
            throw new FakeOfficeError("InvalidArgument", `'${name}' is not a valid table name`);
          if (t.name.toLowerCase() !== name.toLowerCase() && excel.isNameTaken(name)) {
            throw new FakeOfficeError("ItemAlreadyExists", `The name '${name}' already exists`);
          }
          t.name = name;
          excel.effect("Table.name=", excel.sheetById(t.sheetId));
        });
      },
    });
    Object.defineProperty(proxy, "style", {
      set: (style: string) => {
        excel.record("Table.style=", worksheet.label, [style], () => {
          const t = resolveTable();
          t.style = style;
          excel.effect("Table.style=", excel.sheetById(t.sheetId));
        });
      },
    });
    return proxy;
  }
}

class FakeChartCollection {
  constructor(
    private readonly excel: FakeExcel,
    private readonly worksheet: FakeWorksheet
  ) {}

  add(type: string, sourceData: FakeRange, seriesBy?: string): FakeChartProxy {
    const excel = this.excel;
    const worksheet = this.worksheet;
    let chart: FakeChart | undefined;
    let chartSheet: FakeSheet | undefined;
    excel.record("ChartCollection.add", worksheet.label, [type, sourceData.label, seriesBy], () => {
      chartSheet = worksheet.resolve();
      const source = sourceData.resolve();
      chart = {
        type,
        seriesBy,
        title: "",
        categoryAxisTitle: "",
        valueAxisTitle: "",
        valueAxisNumberFormat: "General",
        legendPosition: "Right",
        legendVisible: true,
        series: [{ name: "", values: qualify(source.sheet.name, boundsAddress(source.bounds)) }],
      };
      chartSheet.charts.push(chart);
      excel.effect("ChartCollection.add", chartSheet);
    });
    return new FakeChartProxy(excel, worksheet.label, () => {
      if (!chart || !chartSheet)
        throw new FakeOfficeError("ItemNotFound", "the chart was never created");
      excel.sheetById(chartSheet.id);
      return { chart, sheet: chartSheet };
    });
  }
}

type ChartTarget = () => { chart: FakeChart; sheet: FakeSheet };

function chartProperty<T>(
  excel: FakeExcel,
  label: string,
  target: ChartTarget,
  api: string,
  apply: (chart: FakeChart, value: T) => void
): PropertyDescriptor {
  return {
    set: (value: T) => {
      excel.record(api, label, [value], () => {
        const { chart, sheet } = target();
        apply(chart, value);
        excel.effect(api, sheet);
      });
    },
    enumerable: true,
  };
}

class FakeChartProxy {
  readonly title: { text: string };
  readonly legend: ChartLike["legend"];
  readonly axes: {
    categoryAxis: { title: { text: string }; numberFormat: string };
    valueAxis: { title: { text: string }; numberFormat: string };
  };
  readonly series: {
    add(name?: string): FakeSeriesProxy;
    getItemAt(index: number): FakeSeriesProxy;
  };

  constructor(
    private readonly excel: FakeExcel,
    private readonly label: string,
    private readonly target: ChartTarget
  ) {
    const prop = <T>(
      api: string,
      apply: (chart: FakeChart, value: T) => void
    ): PropertyDescriptor => chartProperty<T>(excel, label, target, api, apply);
    this.title = Object.defineProperties({} as { text: string }, {
      text: prop<string>("ChartTitle.text=", (c, v) => (c.title = v)),
    });
    this.legend = Object.defineProperties({} as ChartLike["legend"], {
      position: prop<string>("ChartLegend.position=", (c, v) => {
        if (!["Top", "Bottom", "Left", "Right", "Corner"].includes(v))
          throw new FakeOfficeError("InvalidArgument", `legend position '${v}'`);
        c.legendPosition = v;
      }),
      visible: prop<boolean>("ChartLegend.visible=", (c, v) => (c.legendVisible = v)),
    });
    const axis = (
      which: "category" | "value"
    ): { title: { text: string }; numberFormat: string } => {
      const title = Object.defineProperties({} as { text: string }, {
        text: prop<string>(`ChartAxis.${which}.title.text=`, (c, v) => {
          if (which === "category") c.categoryAxisTitle = v;
          else c.valueAxisTitle = v;
        }),
      });
      const result = { title } as { title: { text: string }; numberFormat: string };
      return Object.defineProperty(
        result,
        "numberFormat",
        prop<string>(`ChartAxis.${which}.numberFormat=`, (c, v) => {
          if (which === "value") c.valueAxisNumberFormat = v;
        })
      );
    };
    const categoryAxis = axis("category");
    const valueAxis = axis("value");
    this.axes = { categoryAxis, valueAxis };
    this.series = {
      add: (name?: string) => {
        let index = -1;
        excel.record("ChartSeriesCollection.add", label, [name], () => {
          const { chart, sheet } = target();
          chart.series.push({ name: name ?? "" });
          index = chart.series.length - 1;
          excel.effect("ChartSeriesCollection.add", sheet);
        });
        return new FakeSeriesProxy(excel, label, () => {
          const t = target();
          const series = t.chart.series[index];
          if (!series) throw new FakeOfficeError("ItemNotFound", "the series was never created");
          return { series, sheet: t.sheet };
        });
      },
      getItemAt: (index: number) => {
        excel.record("ChartSeriesCollection.getItemAt", label, [index], () => {
          if (!target().chart.series[index])
            throw new FakeOfficeError("ItemNotFound", `no series at ${index}`);
        });
        return new FakeSeriesProxy(excel, label, () => {
          const t = target();
          const series = t.chart.series[index];
          if (!series) throw new FakeOfficeError("ItemNotFound", `no series at ${index}`);
          return { series, sheet: t.sheet };
        });
      },
    };
  }

  set name(value: string) {
    this.excel.record("Chart.name=", this.label, [value], () => this.target());
  }

  setPosition(startCell: string, endCell?: string): void {
    this.excel.record("Chart.setPosition", this.label, [startCell, endCell], () => {
      const { chart, sheet } = this.target();
      parseAddress(startCell);
      if (endCell) parseAddress(endCell);
      chart.position = { from: startCell, to: endCell };
      this.excel.effect("Chart.setPosition", sheet);
    });
  }
}

class FakeSeriesProxy {
  constructor(
    private readonly excel: FakeExcel,
    private readonly label: string,
    private readonly target: () => { series: FakeChart["series"][number]; sheet: FakeSheet }
  ) {}

  set name(value: string) {
    this.excel.record("ChartSeries.name=", this.label, [value], () => {
      const t = this.target();
      t.series.name = value;
      this.excel.effect("ChartSeries.name=", t.sheet);
    });
  }

  setValues(range: FakeRange): void {
    this.setRange("setValues", range, (s, a) => (s.values = a));
  }

  setXAxisValues(range: FakeRange): void {
    this.setRange("setXAxisValues", range, (s, a) => (s.xValues = a));
  }

  /**
   * A series' points, one per cell of its values range (ExcelApi 1.7 ChartPointsCollection); a
   * point beyond them fails the batch with ItemNotFound, as `getItemAt` does past a collection's end.
   */
  get points(): { getItemAt(index: number): FakePointProxy } {
    return {
      getItemAt: (index: number) => {
        const point = () => {
          const t = this.target();
          const count = t.series.values === undefined ? 0 : cellsIn(t.series.values);
          if (!Number.isInteger(index) || index < 0 || index >= count)
            throw new FakeOfficeError(
              "ItemNotFound",
              `no point at ${index} (the series has ${count})`
            );
          return { ...t, index };
        };
        this.excel.record("ChartPointsCollection.getItemAt", this.label, [index], () => {
          point();
        });
        return new FakePointProxy(this.excel, this.label, point);
      },
    };
  }

  private setRange(
    method: string,
    range: FakeRange,
    apply: (series: FakeChart["series"][number], address: string) => void
  ): void {
    this.excel.record(`ChartSeries.${method}`, this.label, [range.label], () => {
      const t = this.target();
      const source = range.resolve();
      apply(t.series, qualify(source.sheet.name, boundsAddress(source.bounds)));
      this.excel.effect(`ChartSeries.${method}`, t.sheet);
    });
  }
}

/** The cells of a qualified range address ("'Compare'!$C$10:$C$20"). */
function cellsIn(address: string): number {
  const b = parseAddress(address.slice(address.lastIndexOf("!") + 1));
  return (b.bottom - b.top + 1) * (b.right - b.left + 1);
}

class FakePointProxy {
  constructor(
    private readonly excel: FakeExcel,
    private readonly label: string,
    private readonly target: () => {
      series: FakeChart["series"][number];
      sheet: FakeSheet;
      index: number;
    }
  ) {}

  set hasDataLabel(value: boolean) {
    this.excel.record("ChartPoint.hasDataLabel=", this.label, [value], () => {
      const t = this.target();
      t.series.pointLabels ??= new Map();
      if (!value) t.series.pointLabels.delete(t.index);
      else if (!t.series.pointLabels.has(t.index)) t.series.pointLabels.set(t.index, "");
      this.excel.effect("ChartPoint.hasDataLabel=", t.sheet);
    });
  }

  get dataLabel(): { formula: string } {
    const excel = this.excel;
    const label = this.label;
    const target = this.target;
    return Object.defineProperty({} as { formula: string }, "formula", {
      set(value: string) {
        excel.record("ChartDataLabel.formula=", label, [value], () => {
          const t = target();
          if (!t.series.pointLabels?.has(t.index))
            throw new FakeOfficeError(
              "InvalidArgument",
              `point ${t.index} has no data label (set hasDataLabel first)`
            );
          if (!/^=.+!\$?[A-Z]+\$?\d+$/.test(value))
            throw new FakeOfficeError("InvalidArgument", `not a cell reference formula: ${value}`);
          t.series.pointLabels.set(t.index, value);
          excel.effect("ChartDataLabel.formula=", t.sheet);
        });
      },
      enumerable: true,
    });
  }
}

class FakeNoteCollection extends Loadable {
  constructor(private readonly excel: FakeExcel) {
    super();
  }

  private requireApi(): void {
    if (!this.excel.notesApi)
      throw new FakeOfficeError(
        "ApiNotFound",
        "The API you are trying to use could not be found (ExcelApi 1.18 notes)"
      );
  }

  get items(): FakeNote[] {
    return this.get("items");
  }

  load(option: CollectionLoad): this {
    this.excel.record("NoteCollection.load", undefined, [option], () => {
      this.requireApi();
      const all: { sheet: FakeSheet; address: string; content: string }[] = [];
      for (const sheet of this.excel.sheets)
        for (const [address, content] of sheet.notes) all.push({ sheet, address, content });
      const page = pageOf(this.excel, all, option, (n, properties) =>
        selected(properties, { content: n.content })
      );
      this.loaded.set(
        "items",
        page.map(({ sheet, address, content }) => {
          const note = new FakeNote(this.excel, sheet.id, address, sheet.name);
          note.loadedContent(content);
          return note;
        })
      );
    });
    return this;
  }

  /** The note on a cell ("Sheet1!B4", "'My Sheet'!B4"), or a null object (ExcelApi 1.18). */
  getItemOrNullObject(key: string): FakeNote {
    let found: { sheet: FakeSheet; address: string } | undefined;
    this.excel.record("NoteCollection.getItemOrNullObject", undefined, [key], () => {
      this.requireApi();
      const bang = key.lastIndexOf("!");
      if (bang < 0)
        throw new FakeOfficeError("InvalidArgument", `a note's key names its sheet: '${key}'`);
      const rawSheet = key.slice(0, bang);
      const name = rawSheet.startsWith("'") ? rawSheet.slice(1, -1).replace(/''/g, "'") : rawSheet;
      const sheet = this.excel.sheetByName(name);
      const b = parseAddress(key.slice(bang + 1));
      const address = a1(b.top, b.left);
      found = sheet.notes.has(address) ? { sheet, address } : undefined;
    });
    return new FakeNote(this.excel, 0, "", key, () => found);
  }

  add(cellAddress: FakeRange | string, content: string): void {
    if (typeof cellAddress === "string") throw new Error("the fake takes a Range for notes.add");
    this.excel.record("NoteCollection.add", cellAddress.label, [content], () => {
      this.requireApi();
      const { sheet, bounds } = cellAddress.resolve();
      if (bounds.top !== bounds.bottom || bounds.left !== bounds.right)
        throw new FakeOfficeError("InvalidArgument", "a note goes on one cell");
      const address = a1(bounds.top, bounds.left);
      if (sheet.notes.has(address))
        throw new FakeOfficeError("InvalidOperation", `${address} already has a note`);
      if (sheet.protected)
        throw new FakeOfficeError("AccessDenied", `'${sheet.name}' is protected`);
      sheet.notes.set(address, content);
      this.excel.effect("NoteCollection.add", sheet);
    });
  }
}

class FakeNote extends Loadable {
  constructor(
    private readonly excel: FakeExcel,
    private sheetId: number,
    private address: string,
    private readonly label: string,
    /** For a note found by cell: where it is (undefined: a null object), known after the sync. */
    private readonly lookup?: () => { sheet: FakeSheet; address: string } | undefined
  ) {
    super();
  }

  loadedContent(content: string): void {
    this.loaded.set("content", content);
  }

  get isNullObject(): boolean {
    if (!this.lookup) return false;
    return this.get("isNullObject");
  }

  /** Loads `content` (and `isNullObject` for a note found by cell). */
  load(propertyNames: string): this {
    this.excel.record("Note.load", this.label, [propertyNames], () => {
      if (this.lookup) {
        const found = this.lookup();
        this.loaded.set("isNullObject", found === undefined);
        if (!found) {
          this.excel.carry(jsonBytes({ _IsNull: true }));
          return;
        }
        this.sheetId = found.sheet.id;
        this.address = found.address;
      }
      const content = this.excel.sheetById(this.sheetId).notes.get(this.address);
      if (content === undefined) throw new FakeOfficeError("ItemNotFound", "the note was deleted");
      for (const p of parseLoad(propertyNames)) {
        if (p !== "content")
          throw new FakeOfficeError("InvalidArgument", `the fake cannot load Note.${p}`);
      }
      this.loaded.set("content", content);
      this.excel.carry(jsonBytes({ content }));
    });
    return this;
  }

  /** The note's sheet and cell (a note found by cell: where the lookup found it). */
  private where(): { sheet: FakeSheet; address: string } {
    if (this.lookup) {
      const found = this.lookup();
      if (!found) throw new FakeOfficeError("ItemNotFound", "the note is a null object");
      return found;
    }
    return { sheet: this.excel.sheetById(this.sheetId), address: this.address };
  }

  get content(): string {
    return this.get("content");
  }
  set content(value: string) {
    this.excel.record("Note.content=", this.label, [value], () => {
      const { sheet, address } = this.where();
      if (!sheet.notes.has(address))
        throw new FakeOfficeError("ItemNotFound", "the note was deleted");
      sheet.notes.set(address, value);
      this.excel.effect("Note.content=", sheet);
    });
  }

  delete(): void {
    this.excel.record("Note.delete", this.label, [], () => {
      const { sheet, address } = this.where();
      if (!sheet.notes.delete(address))
        throw new FakeOfficeError("ItemNotFound", "the note was deleted");
      this.excel.effect("Note.delete", sheet);
    });
  }

  getLocation(): FakeRange {
    this.excel.record("Note.getLocation", this.label, [], () => undefined);
    return new FakeRange(this.excel, this.label, () => {
      const { sheet, address } = this.where();
      return { sheet, bounds: parseAddress(address) };
    });
  }
}

export type { FakeRange, FakeWorksheet };
