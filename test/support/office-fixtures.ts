/**
 * Fixtures shared by the Office renderer's tests and benchmark: the default TCO workbook spec and
 * one built on a catalog ten times larger (every model, GPU, server, price and benchmark row
 * repeated under suffixed names), so the renderer's round trips can be shown not to grow with it.
 */
import { benchmarks, gpus, models, prices, servers } from "../../src/catalog/catalog";
import { DEFAULT_INPUTS, validateInputs, type TcoInputs } from "../../src/workbook/inputs";
import { buildTcoWorkbook, type CatalogData } from "../../src/workbook/tco";
import type { WorkbookSpec } from "../../src/workbook/spec";

/** The catalog repeated `factor` times; copy k > 0 has " #k" appended to every name. */
export function scaledCatalog(factor: number): CatalogData {
  const copies = Array.from({ length: factor }, (_unused, k) => k);
  const rename = (name: string, k: number): string => (k === 0 ? name : `${name} #${k}`);
  return {
    models: copies.flatMap((k) =>
      models.map((m) => ({ ...m, name: rename(m.name, k), aliases: k === 0 ? m.aliases : [] }))
    ),
    gpus: copies.flatMap((k) =>
      gpus.map((g) => ({ ...g, name: rename(g.name, k), aliases: k === 0 ? g.aliases : [] }))
    ),
    servers: copies.flatMap((k) =>
      servers.map((s) => ({
        ...s,
        name: rename(s.name, k),
        aliases: k === 0 ? s.aliases : [],
        gpuOptions: s.gpuOptions.map((g) => rename(g, k)),
      }))
    ),
    prices: copies.flatMap((k) =>
      prices.map((p) => ({ ...p, name: rename(p.name, k), aliases: k === 0 ? p.aliases : [] }))
    ),
    benchmarks: copies.flatMap((k) =>
      benchmarks.map((b) => ({ ...b, model: rename(b.model, k), gpu: rename(b.gpu, k) }))
    ),
  };
}

export function defaultInputs(): TcoInputs {
  const result = validateInputs(DEFAULT_INPUTS);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join("; "));
  return result.inputs;
}

export function defaultSpec(): WorkbookSpec {
  return buildTcoWorkbook(defaultInputs());
}

export function tenfoldSpec(): WorkbookSpec {
  return buildTcoWorkbook(defaultInputs(), scaledCatalog(10));
}
